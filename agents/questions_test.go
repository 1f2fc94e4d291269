package agents_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/rules"
)

func readBrief(t *testing.T, text string) agents.Reading {
	t.Helper()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), agents.Brief{}, text, false, time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("reading %q: %v", text, err)
	}
	return r
}

// A budget with no currency written is read in its market's currency, and the
// reading says so and how to change it, instead of converting silently.
func TestABudgetInTheMarketsCurrencyIsNamedInANote(t *testing.T) {
	r := readBrief(t, "awareness in Brazil, budget 15000 over 30 days")
	if r.Brief.Budget == nil || r.Brief.Budget.Currency != "BRL" {
		t.Fatalf("budget %+v; want 15000 BRL", r.Brief.Budget)
	}
	want := "Read the budget as 15,000 BRL: the brief names no currency, and BRL is what Brazil pays in."
	if !containsPrefix(r.Notes, want) {
		t.Errorf("notes %q; want one starting %q", r.Notes, want)
	}
	if r.Question != nil {
		t.Errorf("asked %+v; the market settles the currency", r.Question)
	}
}

// A kind of currency written ("FCFA", "pesos") is settled by the market that pays in
// one of its kind, and the note says which was taken.
func TestAKindOfCurrencyIsSettledByTheMarket(t *testing.T) {
	for _, c := range []struct{ brief, currency, note string }{
		{"Côte d'Ivoire et Sénégal, 20 millions FCFA, notoriété", "XOF", "Read the budget as 20,000,000 XOF: the brief's currency is a CFA franc, and XOF is the CFA franc Côte d’Ivoire pays in."},
		{"Cameroun, 15 millions FCFA, notoriété", "XAF", "Read the budget as 15,000,000 XAF: the brief's currency is a CFA franc, and XAF is the CFA franc Cameroon pays in."},
		{"Gabon, 20 millions de francs CFA", "XAF", ""},
		{"Senegal, 10 million francs, reach", "XOF", ""},
		{"Switzerland, 50k francs", "CHF", ""},
		{"5 million FCFA, reach", "XOF", ""},
	} {
		r := readBrief(t, c.brief)
		if r.Brief.Budget == nil || r.Brief.Budget.Currency != c.currency {
			t.Errorf("%q: budget %+v; want %s", c.brief, r.Brief.Budget, c.currency)
			continue
		}
		if c.note != "" && !containsPrefix(r.Notes, c.note) {
			t.Errorf("%q: notes %q; want one starting %q", c.brief, r.Notes, c.note)
		}
		if u := r.UnreadText(); slices.ContainsFunc(u, func(s string) bool { return strings.Contains(strings.ToLower(s), "cfa") }) {
			t.Errorf("%q: left %q unread", c.brief, u)
		}
	}
}

func TestAQuestionAsksForACurrencyOnlyWhenNothingSettlesIt(t *testing.T) {
	cases := []struct{ brief, field, says string }{
		{"awareness campaign, budget 5000 over 30 days", "budget.currency", "I read it as USD for now"},
		{"awareness, \"budget 2000 $\" for a month", "budget.currency", "Which dollar is the budget of 2,000 in? I read it as USD"},
		{"awareness in Germany over 30 days", "", ""},
		{"awareness with 5000 EUR for a month", "", ""},
		{"awareness in Germany with €5,000 over 30 days", "", ""},
	}
	for _, c := range cases {
		r := readBrief(t, c.brief)
		switch {
		case c.field == "" && r.Question != nil:
			t.Errorf("%q: asked %+v; nothing was guessed", c.brief, r.Question)
		case c.field != "" && (r.Question == nil || r.Question.Field != c.field || !strings.Contains(r.Question.Text, c.says)):
			t.Errorf("%q: asked %+v; want a question on %s saying %q", c.brief, r.Question, c.field, c.says)
		}
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
