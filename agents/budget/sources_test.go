package budget

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// sourceWords quotes, field by field and in the message's order, the words a
// reading's sources cover; it fails on a source outside the message.
func sourceWords(t *testing.T, m agents.Message, sources []agents.Source) map[string][]string {
	t.Helper()
	sorted := slices.Clone(sources)
	slices.SortFunc(sorted, func(a, b agents.Source) int { return a.Span.Start - b.Span.Start })
	got := map[string][]string{}
	for _, s := range sorted {
		if s.Span.Start < 0 || s.Span.Start >= s.Span.End || s.Span.End > len(m.Lower) {
			t.Fatalf("source %+v outside %q", s, m.Lower)
		}
		got[s.Field] = append(got[s.Field], m.Lower[s.Span.Start:s.Span.End])
	}
	return got
}

func formatWords(w map[string][]string) string {
	var b strings.Builder
	for _, f := range slices.Sorted(maps.Keys(w)) {
		fmt.Fprintf(&b, "%q: %q ", f, w[f])
	}
	return b.String()
}

// covered reports whether any source covers a byte of word in m.Lower.
func covered(t *testing.T, m agents.Message, sources []agents.Source, word string) bool {
	t.Helper()
	i := strings.Index(m.Lower, word)
	if i < 0 {
		t.Fatalf("%q not in %q", word, m.Lower)
	}
	w := agents.Span{Start: i, End: i + len(word)}
	for _, s := range sources {
		if s.Span.Overlaps(w) {
			return true
		}
	}
	return false
}

// The words each budget field was read from, so that adplan can tell a user which
// words nobody read: the amount with its sign, multiplier and cents, the currency as
// written, the words that make it a day's budget, and the cue words ("" field) that
// made a number the budget or a follow-up a change of it.
func TestBudgetSpecialistSources(t *testing.T) {
	const amount, currency, kind, cue = "budget.amount", "budget.currency", "budget.type", ""
	current := budgetLifetime(5000, "EUR")
	tests := []struct {
		give     string
		followUp bool
		want     map[string][]string
		// unread are words the budget specialist does not read: no source covers them.
		unread []string
	}{
		{give: "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
			want:   map[string][]string{amount: {"5,000"}, currency: {"€"}, cue: {"with"}},
			unread: []string{"18-24", "germany", "30 days", "over"}},
		{give: "Budget is 5k USD, A25-54, halo placements",
			want:   map[string][]string{amount: {"5k"}, currency: {"usd"}, cue: {"budget"}},
			unread: []string{"a25-54", "halo"}},
		{give: "We have 20,000 euros to spend",
			want: map[string][]string{amount: {"20,000"}, currency: {"euros"}, cue: {"to spend"}}},
		{give: "R$ 25 mil para São Paulo",
			want:   map[string][]string{amount: {"25 mil"}, currency: {"r$"}},
			unread: []string{"são paulo"}},
		{give: "1,5 Mio € für vier Wochen",
			want:   map[string][]string{amount: {"1,5 mio"}, currency: {"€"}},
			unread: []string{"vier wochen"}},
		{give: "$200 a day",
			want: map[string][]string{amount: {"200"}, currency: {"$"}, kind: {"a day"}}},
		{give: "daily budget of $200",
			want: map[string][]string{amount: {"200"}, currency: {"$"}, kind: {"daily"}, cue: {"budget"}}},
		{give: "total budget 12000 dollars",
			want: map[string][]string{amount: {"12000"}, currency: {"dollars"}, kind: {"total"}, cue: {"budget"}}},
		{give: "between 8 and 10k",
			want: map[string][]string{amount: {"8", "10k"}, cue: {"between", "and"}}},
		{give: "from $5k to $8k",
			want: map[string][]string{amount: {"5k", "8k"}, currency: {"$", "$"}, cue: {"from", "to"}}},
		{give: "around fifteen grand",
			want: map[string][]string{amount: {"fifteen grand"}, cue: {"around"}}},
		{give: "twenty dollar and 43",
			want: map[string][]string{amount: {"twenty", "and 43"}, currency: {"dollar"}}},
		// A price is read, and a note says it was ignored: it sets no field.
		{give: "$10 CPM, budget $5,000",
			want: map[string][]string{amount: {"5,000"}, currency: {"$"}, cue: {"$10", "cpm", "budget"}}},
		// A second amount is named in a note ("Also saw $7,000").
		{give: "$5,000 or maybe $7,000",
			want: map[string][]string{amount: {"5,000"}, currency: {"$"}, cue: {"$7,000"}}},
		// Follow-ups.
		{give: "double the budget", followUp: true,
			want: map[string][]string{amount: {"double"}, cue: {"the budget"}}},
		{give: "halve it", followUp: true,
			want: map[string][]string{amount: {"halve"}, cue: {"it"}}},
		{give: "cut it in half", followUp: true,
			want: map[string][]string{amount: {"in half"}, cue: {"cut it"}}},
		{give: "cut the budget by 20%", followUp: true,
			want: map[string][]string{amount: {"20%"}, cue: {"cut", "budget"}}},
		{give: "+10%", followUp: true,
			want: map[string][]string{amount: {"+10%"}}},
		{give: "make it 8k", followUp: true,
			want: map[string][]string{amount: {"8k"}, cue: {"make it"}}},
		{give: "add another 2k", followUp: true,
			want: map[string][]string{amount: {"2k"}, cue: {"add another"}}},
		{give: "2k more", followUp: true,
			want: map[string][]string{amount: {"2k"}, cue: {"more"}}},
		{give: "reduce it by $500", followUp: true,
			want: map[string][]string{amount: {"500"}, currency: {"$"}, cue: {"reduce"}}},
		{give: "increase it to 12k", followUp: true,
			want: map[string][]string{amount: {"12k"}, cue: {"increase it"}}},
		{give: "raise it from 5k to 8k", followUp: true,
			want: map[string][]string{amount: {"8k"}, cue: {"raise", "from", "5k to"}}},
		{give: "in dollars instead", followUp: true,
			want: map[string][]string{currency: {"dollars"}, cue: {"in", "instead"}}},
		{give: "switch to GBP", followUp: true,
			want: map[string][]string{currency: {"gbp"}, cue: {"switch to"}}},
		{give: "make it daily", followUp: true,
			want: map[string][]string{kind: {"daily"}, cue: {"make"}}},
		{give: "what about 15k?", followUp: true,
			want: map[string][]string{amount: {"15k"}, cue: {"what about"}}},
		// No budget was read: the words were seen (a note asks for more), set nothing.
		{give: "cheaper please", followUp: true,
			want: map[string][]string{cue: {"cheaper"}}},
		{give: "add another 2k",
			want: map[string][]string{cue: {"add another", "2k"}}},
		// Words the specialist does not read are never covered.
		{give: "target A25-54 with a halo of podcasts", want: map[string][]string{},
			unread: []string{"a25-54", "halo", "podcasts"}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			var cur *agents.Budget
			if tt.followUp {
				cur = current
			}
			r := budgetRead(t, tt.give, cur, tt.followUp)
			m := agents.NewMessage(tt.give, testNow)
			if got := sourceWords(t, m, r.Sources); !maps.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Run(%q) read\n%s\nwant\n%s", tt.give, formatWords(got), formatWords(tt.want))
			}
			for _, w := range tt.unread {
				if covered(t, m, r.Sources, w) {
					t.Errorf("Run(%q): a source covers %q, which the budget specialist does not read", tt.give, w)
				}
			}
		})
	}
}

// A coordinator with the budget specialist alone tells the user which words it
// did not understand.
func TestBudgetSpecialistLeavesUnknownWordsUnread(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{New()}})
	if err != nil {
		t.Fatal(err)
	}
	for give, want := range map[string][]string{
		"€5,000 for A25-54":                   {"A25-54"},
		"Budget: 5k USD a day, halo":          {"halo"},
		"double the budget, and add Zanzibar": {"add Zanzibar"},
		"make it 8k instead of 5k":            nil,
		"we can spend around fifteen grand":   nil,
	} {
		followUp := strings.HasPrefix(give, "double") || strings.HasPrefix(give, "make")
		r, err := c.Read(context.Background(), agents.Brief{Budget: budgetLifetime(5000, "EUR")}, give, followUp, testNow)
		if err != nil {
			t.Fatalf("Read(%q): %v", give, err)
		}
		if got := r.UnreadText(); !slices.Equal(got, want) {
			t.Errorf("Read(%q) left %q unread, want %q", give, got, want)
		}
	}
}
