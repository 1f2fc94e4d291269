package planner

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
)

// Every plan of the varied briefs carries a curve whose 1× point is the plan, whose
// points are split by the plan's own rules to the cent, and whose forecasts are
// ordered ranges that grow with the budget.
func TestCurveHoldsThePlansInvariants(t *testing.T) {
	p := sharedPlanner(t)
	briefs := append(variedBriefs(t),
		"reach in the US with $150 over 30 days",
		"reach in Spain, Italy and Portugal with €1,500 over 3 months")
	for _, brief := range briefs {
		t.Run(brief, func(t *testing.T) {
			plan := planBrief(t, brief, "")
			c := plan.Curve
			if c == nil {
				t.Fatal("the plan has no curve")
			}
			if c.Metric != plan.Totals.Result.Metric {
				t.Errorf("curve metric %q, plan's %q", c.Metric, plan.Totals.Result.Metric)
			}
			var mults []float64
			for _, pt := range c.Points {
				mults = append(mults, pt.Multiple)
			}
			if !slices.Equal(mults, []float64{0.5, 1, 1.5, 2, 3}) {
				t.Fatalf("curve multiples %v", mults)
			}
			checkOnePointIsThePlan(t, plan, c.Points[1])
			rules := curveRules(t, p, plan)
			for j, pt := range c.Points {
				checkCurvePoint(t, plan, pt, rules)
				if j == 0 {
					continue
				}
				prev := c.Points[j-1]
				for name, pair := range map[string][2]forecast.Range{
					"result": {prev.Result.Range, pt.Result.Range}, "reach": {prev.Reach, pt.Reach}, "impressions": {prev.Impressions, pt.Impressions},
				} {
					a, b := pair[0], pair[1]
					if b.Low < a.Low-1e-6 || b.Mid < a.Mid-1e-6 || b.High < a.High-1e-6 {
						t.Errorf("%s fell from %v at %v× to %v at %v×", name, a, prev.Multiple, b, pt.Multiple)
					}
				}
			}
			if c.DiminishingFrom != 0 && (c.DiminishingFrom < c.Points[0].Budget || c.DiminishingFrom >= c.Points[4].Budget) {
				t.Errorf("returns diminish from %v, outside the curve %v–%v", c.DiminishingFrom, c.Points[0].Budget, c.Points[4].Budget)
			}
			if c.Summary == "" || strings.Contains(c.Summary, "cannot absorb") {
				t.Errorf("summary %q: empty, or a dip the points do not show", c.Summary)
			}
		})
	}
}

func checkOnePointIsThePlan(t *testing.T, plan agents.Plan, one agents.CurvePoint) {
	t.Helper()
	tot := plan.Totals
	if one.Budget != plan.Budget || one.BudgetMicro != tot.BudgetMicro || one.Impressions != tot.Impressions || one.Reach != tot.Reach || one.Result != tot.Result {
		t.Errorf("the 1× point %+v is not the plan's totals %+v", one, tot)
	}
	if len(one.LineItems) != len(plan.LineItems) {
		t.Fatalf("the 1× point has %d line items, the plan %d", len(one.LineItems), len(plan.LineItems))
	}
	for i, li := range plan.LineItems {
		if got := one.LineItems[i]; got.ID != li.ID || got.BudgetMicro != li.BudgetMicro || got.Budget != li.Budget {
			t.Errorf("1× line %d is %+v, the plan's is %s %d", i, got, li.ID, li.BudgetMicro)
		}
	}
}

// pointRules is what the plan's brief and channel allow: each ad set on offer with
// its minimum in the plan currency, and the format caps.
type pointRules struct {
	minimum  map[string]float64
	format   map[string]string
	maxShare map[string]float64
}

func curveRules(t *testing.T, p *Planner, plan agents.Plan) pointRules {
	t.Helper()
	ch, err := p.facts.Channel(plan.Channel)
	if err != nil {
		t.Fatal(err)
	}
	in, err := p.complete(plan.Brief, planNow, ch)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := p.candidates(in)
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	r := pointRules{minimum: map[string]float64{}, format: map[string]string{}, maxShare: in.maxShare}
	for _, c := range cs {
		r.minimum[c.id()] = c.minUSD / usdPerUnit
		r.format[c.id()] = c.format
	}
	return r
}

func checkCurvePoint(t *testing.T, plan agents.Plan, pt agents.CurvePoint, r pointRules) {
	t.Helper()
	wantMicro := int64(math.Round(plan.Budget*pt.Multiple*100)) * 10_000
	if pt.BudgetMicro != wantMicro || pt.Budget != float64(wantMicro)/1e6 {
		t.Errorf("%v× point budget %v (%d micro), want %d micro", pt.Multiple, pt.Budget, pt.BudgetMicro, wantMicro)
	}
	if len(pt.LineItems) == 0 {
		t.Fatalf("%v× point has no line items", pt.Multiple)
	}
	var sum int64
	byFormat := map[string]int64{}
	for _, li := range pt.LineItems {
		sum += li.BudgetMicro
		if li.BudgetMicro%10_000 != 0 || li.BudgetMicro <= 0 || li.Budget != float64(li.BudgetMicro)/1e6 {
			t.Errorf("%v× %s budget %v (%d micro) is not a positive amount in whole cents", pt.Multiple, li.ID, li.Budget, li.BudgetMicro)
		}
		minimum, ok := r.minimum[li.ID]
		if !ok {
			t.Errorf("%v× point buys %s, which the brief or channel does not allow", pt.Multiple, li.ID)
			continue
		}
		// Only a budget below a single ad set's minimum goes, whole, to one below it
		// (the plan warns of it).
		if li.Budget < minimum-0.01 && !(len(pt.LineItems) == 1 && pt.Budget < minimum) {
			t.Errorf("%v× %s gets %.2f, under the %.2f minimum per ad set", pt.Multiple, li.ID, li.Budget, minimum)
		}
		byFormat[r.format[li.ID]] += li.BudgetMicro
	}
	if sum != pt.BudgetMicro {
		t.Errorf("%v× line items add up to %d micro, want %d", pt.Multiple, sum, pt.BudgetMicro)
	}
	for f, share := range r.maxShare {
		if got := float64(byFormat[f]) / float64(pt.BudgetMicro); got > share+0.0001 {
			t.Errorf("%v× puts %.2f%% in %s, over its %.0f%% cap", pt.Multiple, got*100, f, share*100)
		}
	}
	for name, rg := range map[string]forecast.Range{"impressions": pt.Impressions, "reach": pt.Reach, "result": pt.Result.Range} {
		if !(0 <= rg.Low && rg.Low <= rg.Mid && rg.Mid <= rg.High) {
			t.Errorf("%v× %s range %+v is not 0 ≤ low ≤ mid ≤ high", pt.Multiple, name, rg)
		}
	}
	if pt.Reach.Low > pt.Impressions.Low+1e-6 || pt.Reach.Mid > pt.Impressions.Mid+1e-6 || pt.Reach.High > pt.Impressions.High+1e-6 {
		t.Errorf("%v× reach %+v exceeds impressions %+v", pt.Multiple, pt.Reach, pt.Impressions)
	}
	if pt.Result.Metric != plan.Totals.Result.Metric {
		t.Errorf("%v× result metric %q, want %q", pt.Multiple, pt.Result.Metric, plan.Totals.Result.Metric)
	}
}

// A small audience saturates: the curve says where more money stops paying, and the
// points bear it out. A broad one does not within 3×, and the curve says so.
func TestCurveSaysWhereReturnsDiminish(t *testing.T) {
	marginal := func(a, b agents.CurvePoint) float64 {
		return (b.Result.Mid - a.Result.Mid) / (b.Budget - a.Budget)
	}
	narrow := planBrief(t, "reach 18-19 year old women in Ireland with €40,000 over 30 days", "").Curve
	if narrow.DiminishingFrom <= 0 || narrow.DiminishingFrom > narrow.Points[3].Budget {
		t.Fatalf("a narrow audience diminishes from %v; want a budget within the curve's first 2×: %s", narrow.DiminishingFrom, narrow.Summary)
	}
	two, three := narrow.Points[3], narrow.Points[4]
	if m, avg := marginal(two, three), two.Result.Mid/two.Budget; m >= 0.5*avg {
		t.Errorf("past %v the marginal reach is %.3f a euro, not under half the average %.3f", narrow.DiminishingFrom, m, avg)
	}
	if !strings.Contains(narrow.Summary, "Past ~") || !strings.Contains(narrow.Summary, "EUR each extra EUR buys less than half as much reach") {
		t.Errorf("summary %q", narrow.Summary)
	}

	broad := planBrief(t, "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", "").Curve
	if broad.DiminishingFrom != 0 {
		t.Errorf("a broad audience diminishes from %v: %s", broad.DiminishingFrom, broad.Summary)
	}
	for j := 1; j < len(broad.Points); j++ {
		a, b := broad.Points[j-1], broad.Points[j]
		if m, avg := marginal(a, b), a.Result.Mid/a.Budget; m < 0.5*avg {
			t.Errorf("from %v to %v marginal reach %.3f a euro is under half the average %.3f, yet the curve says returns hold", a.Budget, b.Budget, m, avg)
		}
	}
	if !strings.Contains(broad.Summary, "Up to 15,000 EUR (3× the budget)") {
		t.Errorf("summary %q", broad.Summary)
	}
}

// A revision's curve is its own plan's.
func TestRevisionHasItsOwnCurve(t *testing.T) {
	first := planBrief(t, "reach in Germany with €10,000 over 30 days", "")
	next := revise(t, first, "double the budget")
	if next.Curve == nil {
		t.Fatal("the revision has no curve")
	}
	checkOnePointIsThePlan(t, next, next.Curve.Points[1])
	if next.Curve.Points[0].Budget != 10_000 {
		t.Errorf("the revision's 0.5× point is %v; the revised budget is %v", next.Curve.Points[0].Budget, next.Budget)
	}
}

// A budget far beyond what an audience can absorb: the plan's split chases
// frequency, and half the budget, split by the same rules, would reach more people.
// The curve shows that point as it is and says so rather than smoothing it over.
func TestCurveSaysWhenLessBudgetWouldDeliverMore(t *testing.T) {
	plan := planBrief(t, "reach 18-19 year old women in Ireland with $2,000,000 over 30 days", "")
	c := plan.Curve
	checkOnePointIsThePlan(t, plan, c.Points[1])
	half, one := c.Points[0], c.Points[1]
	says := strings.Contains(c.Summary, "1,000,000 USD would deliver more reach") && strings.Contains(c.Summary, "cannot absorb")
	if dip := half.Result.Mid > one.Result.Mid; dip != says {
		t.Errorf("half the budget reaches %.0f, the plan %.0f; summary %q", half.Result.Mid, one.Result.Mid, c.Summary)
	}
}
