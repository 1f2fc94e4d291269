package agents_test

import (
	"slices"
	"testing"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
)

// A change the reader cannot see — values that print the same — is not listed.
func TestPlanChangesListOnlyWhatShows(t *testing.T) {
	plan := func(budget, impressions, reach, freq float64) agents.Plan {
		return agents.Plan{Currency: "EUR", Budget: budget, Totals: agents.Totals{
			Impressions: forecast.Range{Mid: impressions}, Reach: forecast.Range{Mid: reach}, Frequency: forecast.Range{Mid: freq},
		}}
	}
	cases := []struct {
		prev, next agents.Plan
		want       []string
	}{
		{plan(5000, 270_000, 246_000, 1.26), plan(5000.001, 270_400, 246_100, 1.34), nil},
		{plan(5000, 270_000, 246_000, 1.26), plan(8000, 419_000, 371_000, 1.14), []string{
			"budget 5,000 EUR → 8,000 EUR", "impressions +55% (270k → 419k)", "reach +51% (246k → 371k)", "frequency 1.3 → 1.1",
		}},
	}
	for _, c := range cases {
		if got := agents.PlanChanges(c.prev, c.next); !slices.Equal(got, c.want) {
			t.Errorf("PlanChanges = %q, want %q", got, c.want)
		}
	}
}
