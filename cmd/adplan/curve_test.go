package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// plan --json carries the curve: five points from half to three times the budget,
// the 1× point equal to the plan's totals, and the sentence on diminishing returns.
func TestPlanJSONCarriesTheCurve(t *testing.T) {
	out, errOut, code := adplan(t, "", "plan", "--json", "--now", testNow, "reach 18-19 year old women in Ireland with €40,000 over 30 days")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type rng struct{ Low, Mid, High float64 }
	var p struct {
		Budget float64 `json:"budget"`
		Totals struct {
			Reach  rng `json:"reach"`
			Result rng `json:"result"`
		} `json:"totals"`
		Curve *struct {
			Metric string `json:"metric"`
			Points []struct {
				Multiple    float64 `json:"multiple"`
				Budget      float64 `json:"budget"`
				BudgetMicro int64   `json:"budget_micro"`
				Impressions rng     `json:"impressions"`
				Reach       rng     `json:"reach"`
				Result      struct {
					Metric string `json:"metric"`
					rng
				} `json:"result"`
				LineItems []struct {
					ID          string `json:"id"`
					BudgetMicro int64  `json:"budget_micro"`
				} `json:"line_items"`
			} `json:"points"`
			DiminishingFrom float64 `json:"diminishing_from"`
			Summary         string  `json:"summary"`
		} `json:"curve"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	c := p.Curve
	if c == nil || len(c.Points) != 5 {
		t.Fatalf("curve = %+v; want five points", c)
	}
	for i, want := range []float64{0.5, 1, 1.5, 2, 3} {
		pt := c.Points[i]
		if pt.Multiple != want || pt.Budget != p.Budget*want {
			t.Errorf("point %d is %v× at %v; want %v× at %v", i, pt.Multiple, pt.Budget, want, p.Budget*want)
		}
		var sum int64
		for _, li := range pt.LineItems {
			sum += li.BudgetMicro
		}
		if sum != pt.BudgetMicro || len(pt.LineItems) == 0 {
			t.Errorf("%v× line items add up to %d micro of %d", pt.Multiple, sum, pt.BudgetMicro)
		}
	}
	if one := c.Points[1]; one.Result.rng != p.Totals.Result || one.Reach != p.Totals.Reach || one.Result.Metric != "reach" {
		t.Errorf("1× point %+v is not the plan's totals %+v", one, p.Totals)
	}
	if c.DiminishingFrom <= 0 || !strings.HasPrefix(c.Summary, "Past ~") {
		t.Errorf("a 40,000 EUR plan for 18-19 year old women in Ireland: diminishing_from %v, summary %q", c.DiminishingFrom, c.Summary)
	}
}

func TestPlanTextShowsTheCurve(t *testing.T) {
	out, errOut, code := adplan(t, "", "plan", "--now", testNow, "clicks in Germany, €10,000, 30 days")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Budget curve (clicks", "0.5×", "5,000", "3×", "30,000", "as many clicks as the average EUR"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan text lacks %q:\n%s", want, out)
		}
	}
}
