package goal

import (
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestGoalReadsTypos checks that a misspelt objective word is read as the word it
// misspells, with a note and a source, and that real words one edit from one (teach,
// clocks, leeds) are not.
func TestGoalReadsTypos(t *testing.T) {
	tests := []struct {
		give string
		want agents.Objective
		note string
	}{
		{"we want more convresions from the spring sale", agents.ObjectiveConversions, `Read "convresions" as conversions.`},
		{"brand awarenes push in Q2", agents.ObjectiveReach, `Read "awarenes" as awareness.`},
		{"optimise for clikcs please", agents.ObjectiveClicks, `Read "clikcs" as clicks.`},
		{"goal is more instals of the app", agents.ObjectiveAppInstalls, ""}, // "instals" is an English spelling, read as the word it is
		// Real words are not typos.
		{"we teach yoga, Leeds and York, 25-44", "", ""},
		{"the clocks go back, so awareness", agents.ObjectiveReach, ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			res := runFirst(t, tt.give)
			var got agents.Objective
			if res.Goal != nil {
				got = res.Goal.Objective
			}
			if got != tt.want {
				t.Errorf("objective %q, want %q (notes %q)", got, tt.want, res.Notes)
			}
			typoNote := slices.ContainsFunc(res.Notes, func(n string) bool { return strings.HasPrefix(n, `Read "`) && strings.Contains(n, `" as `) })
			if tt.note == "" {
				if typoNote {
					t.Errorf("notes %q, want no misspelling read", res.Notes)
				}
				return
			}
			if !slices.Contains(res.Notes, tt.note) {
				t.Errorf("notes %q, want %q", res.Notes, tt.note)
			}
			word := strings.Split(tt.note, `"`)[1]
			if !slices.ContainsFunc(res.Sources, func(s agents.Source) bool {
				return strings.Contains(strings.ToLower(tt.give[s.Span.Start:s.Span.End]), word)
			}) {
				t.Errorf("sources %v cover no %q", res.Sources, word)
			}
		})
	}
}

// TestGoalReachStaysReach checks that a brief stating reach keeps REACH when it also
// names people, channels, teams or shops that sound like other objectives.
func TestGoalReachStaysReach(t *testing.T) {
	for _, give := range []string{
		"reach parents of toddlers in Ohio, programmatic via our DSP",
		"Our sales team wants reach among small-business owners, Canada",
		"reach shoppers near our shop in Lyon, €8k",
		"Objective: reach. Audience: new parents, students. Bought programmatically through PMP deals",
		"reach in Norway for our online store's summer range",
		"max reach for the app launch, W25-44, via Ad Studio",
		"reach — we'll handle sales and sign-ups through our own CRM",
	} {
		t.Run(give, func(t *testing.T) {
			res := runFirst(t, give)
			if res.Goal == nil || res.Goal.Objective != agents.ObjectiveReach {
				t.Errorf("goal = %+v, want REACH (notes %q)", res.Goal, res.Notes)
			}
		})
	}
}
