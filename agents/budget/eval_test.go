package budget

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/sharedtest"
	isocountries "github.com/biter777/countries"
)

// ducklingCase is one line of shared/eval/duckling/duckling_money_en.jsonl.
type ducklingCase struct {
	Text           string   `json:"text"`
	Value          *float64 `json:"value"`
	Currency       string   `json:"currency"`
	Type           string   `json:"type"`
	Section        string   `json:"section"`
	LatentRequired bool     `json:"latent_required"`
}

// evalMinScore is the share of Duckling's money examples the specialist must read
// right.
const evalMinScore = 0.85

// TestBudgetDucklingMoney scores the specialist against the English money examples of
// facebook/duckling's test corpus, a test set written by others. It takes the "corpus"
// section's single values that Duckling finds without latent mode (intervals and
// locale variants are left out), reads each as a first brief, resolves the currency
// with no market and USD as the default, and compares amount and currency.
func TestBudgetDucklingMoney(t *testing.T) {
	path := sharedtest.File(t, "eval/duckling/duckling_money_en.jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer f.Close()

	s := New()
	var total, right int
	var misses []string
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		var c ducklingCase
		if err := json.Unmarshal(lines.Bytes(), &c); err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		if c.Section != "corpus" || c.LatentRequired || c.Type != "value" || c.Value == nil {
			continue
		}
		total++
		got, why := evalRead(s, c.Text)
		if why == "" {
			why = evalCompare(got, *c.Value, c.Currency)
		}
		if why == "" {
			right++
			continue
		}
		misses = append(misses, fmt.Sprintf("%q (want %v %s): %s", c.Text, *c.Value, c.Currency, why))
	}
	if err := lines.Err(); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if total == 0 {
		t.Fatalf("no single-value corpus examples in %s", path)
	}
	score := float64(right) / float64(total)
	t.Logf("Duckling money (corpus, single values, not latent): %d of %d right, %.1f%%", right, total, score*100)
	for _, m := range misses {
		t.Logf("miss: %s", m)
	}
	if score < evalMinScore {
		t.Errorf("score %.1f%% is below %.0f%%", score*100, evalMinScore*100)
	}
}

// evalRead runs the specialist on a first brief and resolves its currency as the
// coordinator does when the brief names no market.
func evalRead(s *Specialist, text string) (agents.Budget, string) {
	r, err := s.Run(context.Background(), agents.Request{Message: agents.NewMessage(text, testNow)})
	if err != nil {
		return agents.Budget{}, fmt.Sprintf("error %v", err)
	}
	if r.Budget == nil {
		return agents.Budget{}, fmt.Sprintf("no budget read (notes %q)", r.Notes)
	}
	b := *r.Budget
	agents.ResolveBudgetCurrency(&b, nil, "USD")
	return b, ""
}

// evalCompare says why a reading does not match Duckling's value and currency,
// or "" when it does. Duckling's currencies are scored as follows:
//   - "$" is any dollar (USD, AUD, CAD, ...): Duckling does not pick one either;
//   - "£" is GBP;
//   - "unknown" ("42 bucks") is any dollar: bucks are dollars;
//   - "cent" means the value is in cents: expect value/100 of any dollar;
//   - "dinar", "riyal", "rial" are any currency of that family (rial and riyal are one
//     name spelled two ways, so either counts for both);
//   - anything else is an ISO code that must match.
//
// Amounts match within 0.5% or 0.005 absolute.
func evalCompare(b agents.Budget, value float64, currency string) string {
	want := value
	match := func(code string) bool { return code == currency }
	switch currency {
	case "$", "unknown":
		match = evalIsDollar
	case "cent":
		want = value / 100
		match = evalIsDollar
	case "£":
		match = func(code string) bool { return code == "GBP" }
	case "dinar":
		match = func(code string) bool { return evalNameHas(code, "dinar") }
	case "riyal", "rial":
		match = func(code string) bool { return evalNameHas(code, "rial") || evalNameHas(code, "riyal") }
	}
	var problems []string
	if d := math.Abs(b.Amount - want); d > 0.005 && d > math.Abs(want)*0.005 {
		problems = append(problems, fmt.Sprintf("amount %v, want %v", b.Amount, want))
	}
	if !match(b.Currency) {
		problems = append(problems, fmt.Sprintf("currency %q (hint %q)", b.Currency, b.CurrencyHint))
	}
	return strings.Join(problems, "; ")
}

// evalIsDollar uses the ISO names of github.com/biter777/countries, not the
// specialist's own tables, so the test does not grade itself.
func evalIsDollar(code string) bool { return evalNameHas(code, "dollar") }

func evalNameHas(code, word string) bool {
	if code == "" {
		return false
	}
	c := isocountries.CurrencyCodeByName(code)
	return c.IsValid() && c.Alpha() == code && strings.Contains(strings.ToLower(c.String()), word)
}
