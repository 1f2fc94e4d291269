package planner

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// The conversation of issue 12: after every message, the plan's evidence names
// that version's markets, formats, objective and audience, the season line moves
// with the start, and no forecast frequency passes the caps.
func TestEvidenceFollowsEveryVersion(t *testing.T) {
	messages := []string{
		"Grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"extend to 60 days", "make it 8k", "add Austria", "no video", "women only", "start in January",
	}
	plan := planBrief(t, messages[0], "")
	var prevMonths []string
	for turn, msg := range messages {
		if turn > 0 {
			plan = revise(t, plan, msg)
		}
		name := fmt.Sprintf("turn %d (%q)", turn+1, msg)
		ev := plan.Evidence
		checkEvidenceFollowsPlan(t, name, plan)

		// This conversation's audience at each turn.
		if !slices.Contains(ev.MatchedOn, "audience 18–24") && !hasWidened(ev, "any ages") {
			t.Errorf("%s: evidence %v names neither the ages 18–24 nor their widening", name, ev.MatchedOn)
		}
		women := turn >= 5
		if women != (slices.Contains(ev.Genders, agents.GenderFemale) || hasWidened(ev, "any gender")) {
			t.Errorf("%s: women targeted %v, evidence genders %v widened %v", name, women, ev.Genders, ev.Widened)
		}
		if women && !strings.Contains(ev.Summary, "women") {
			t.Errorf("%s: summary does not say women: %s", name, ev.Summary)
		}
		if turn >= 3 && !slices.Contains(ev.Markets, "AT") {
			t.Errorf("%s: evidence markets %v lack Austria", name, ev.Markets)
		}
		if turn >= 4 && (slices.Contains(ev.Formats, "VIDEO") || slices.Contains(ev.MatchedOn, "format=VIDEO")) {
			t.Errorf("%s: evidence still names video: %v", name, ev.MatchedOn)
		}

		// Season: one line per market, for the month the flight is centred on.
		var months []string
		for _, s := range ev.Season {
			if s.Text == "" || s.Month == "" || !strings.Contains(ev.Summary, s.Text) {
				t.Errorf("%s: season note %+v missing or not in the summary", name, s)
			}
			months = append(months, s.Month)
		}
		if turn == 6 {
			if slices.Equal(months, prevMonths) {
				t.Errorf("%s: the start moved, the season still reads %v", name, months)
			}
			for _, s := range ev.Season {
				if s.Month != "January" || !strings.Contains(s.Text, "January") {
					t.Errorf("%s: a 60-day flight from January 1 is centred on January; season says %+v", name, s)
				}
			}
		}
		prevMonths = months
	}
}

// checkEvidenceFollowsPlan checks a plan's evidence against the plan itself:
// every market, format and placement it has, its objective, the similar
// campaigns summed over its line items, and no frequency above the caps.
func checkEvidenceFollowsPlan(t *testing.T, name string, plan agents.Plan) {
	t.Helper()
	ev := plan.Evidence
	sum := 0
	for _, li := range plan.LineItems {
		sum += li.Evidence.Similar
		if !slices.Contains(ev.Markets, li.Market) || !slices.Contains(ev.Formats, li.Format) {
			t.Errorf("%s: evidence markets %v formats %v lack %s", name, ev.Markets, ev.Formats, li.ID)
		}
		if !strings.Contains(ev.Summary, li.Market) || !strings.Contains(ev.Summary, li.Format) {
			t.Errorf("%s: summary does not name %s's market and format: %s", name, li.ID, ev.Summary)
		}
		if !slices.ContainsFunc(ev.Season, func(s agents.SeasonNote) bool { return s.Market == li.Market }) {
			t.Errorf("%s: no season note for %s", name, li.Market)
		}
		// Every criterion a line item's campaigns matched on is the plan's too.
		for _, m := range li.Evidence.MatchedOn {
			if !strings.HasPrefix(m, "budget band") && !slices.Contains(ev.MatchedOn, m) {
				t.Errorf("%s: %s matched on %q, the plan's evidence does not say so: %v", name, li.ID, m, ev.MatchedOn)
			}
		}
		if g := li.Evidence.Match.Gender; g != "" && !slices.Contains(ev.Genders, g) {
			t.Errorf("%s: %s matched on gender %s, the plan's genders are %v", name, li.ID, g, ev.Genders)
		}
		for _, w := range li.Evidence.Widened {
			if !slices.Contains(ev.Widened, li.ID+": "+w) {
				t.Errorf("%s: %s widened %q, the plan's evidence does not say so: %v", name, li.ID, w, ev.Widened)
			}
		}
		if f := li.Forecast.Frequency; ev.MaxFrequency <= 0 || f.High > ev.MaxFrequency+1e-9 {
			t.Errorf("%s: %s frequency %+v above the cap of %v", name, li.ID, f, ev.MaxFrequency)
		}
	}
	for _, li := range plan.LineItems {
		if !slices.Contains(ev.Placements, li.Placements[0]) {
			t.Errorf("%s: evidence placements %v lack %s", name, ev.Placements, li.ID)
		}
	}
	if len(ev.Markets) != len(uniqueMarkets(plan)) {
		t.Errorf("%s: evidence markets %v, plan markets %v", name, ev.Markets, uniqueMarkets(plan))
	}
	if ev.SimilarCampaigns != sum || ev.Counted != countedBy {
		t.Errorf("%s: similar campaigns %d (%s), line items sum to %d", name, ev.SimilarCampaigns, ev.Counted, sum)
	}
	if ev.Objective != plan.Objective || !slices.Contains(ev.MatchedOn, "objective="+string(plan.Objective)) ||
		!strings.Contains(ev.Summary, "objective "+string(plan.Objective)) {
		t.Errorf("%s: evidence objective %q matched %v, plan's %q", name, ev.Objective, ev.MatchedOn, plan.Objective)
	}
	if want := fmt.Sprintf("at most %.0f impressions a listener over %d days", ev.MaxFrequency, plan.Flight.Days); !strings.Contains(ev.Summary, want) || len(ev.FrequencyCaps) == 0 {
		t.Errorf("%s: summary does not state the caps (%q): %s", name, want, ev.Summary)
	}
	if plan.Totals.Frequency.High > ev.MaxFrequency+1e-9 {
		t.Errorf("%s: total frequency %+v above the cap of %v", name, plan.Totals.Frequency, ev.MaxFrequency)
	}
}

func uniqueMarkets(p agents.Plan) []string {
	var out []string
	for _, li := range p.LineItems {
		if !slices.Contains(out, li.Market) {
			out = append(out, li.Market)
		}
	}
	return out
}

func hasWidened(ev agents.PlanEvidence, step string) bool {
	return slices.ContainsFunc(ev.Widened, func(w string) bool { return strings.HasSuffix(w, ": "+step) })
}

// Every varied brief's plan: its evidence follows it, and no frequency passes the caps.
func TestEvidenceFollowsEveryBrief(t *testing.T) {
	for _, brief := range variedBriefs(t) {
		checkEvidenceFollowsPlan(t, brief, planBrief(t, brief, ""))
	}
}
