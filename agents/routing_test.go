package agents_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/sharedtest"
	"github.com/adplan/adplan/agents/rules"
)

// TestRouting checks which specialists the rule-based coordinator runs for the
// messages planners send most, first briefs and follow-ups alike.
func TestRouting(t *testing.T) {
	all := []agents.Slot{agents.SlotGoal, agents.SlotAudience, agents.SlotBudget, agents.SlotSchedule}
	tests := []struct {
		give string
		want []agents.Slot
	}{
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", all},
		{"app installs from iPhone users in the States, $20k, Q1", all},
		{"drive sales with podcast listeners in the Nordics, 15k, starting next month for 6 weeks", all},
		{"extend to 60 days", []agents.Slot{agents.SlotSchedule}},
		{"what if we ran it for 60 days?", []agents.Slot{agents.SlotSchedule}},
		{"push the start to January", []agents.Slot{agents.SlotSchedule}},
		{"shorten it to 3 weeks", []agents.Slot{agents.SlotSchedule}},
		{"make it 8k", []agents.Slot{agents.SlotBudget}},
		{"double the budget", []agents.Slot{agents.SlotBudget}},
		{"cut the budget by 25%", []agents.Slot{agents.SlotBudget}},
		{"$200 a day", []agents.Slot{agents.SlotBudget}},
		{"between 8 and 10k", []agents.Slot{agents.SlotBudget}},
		{"20 million pesos", []agents.Slot{agents.SlotBudget}},
		{"add Austria too", []agents.Slot{agents.SlotAudience}},
		{"drop the UK and do Ireland instead", []agents.Slot{agents.SlotAudience}},
		{"only women", []agents.Slot{agents.SlotAudience}},
		{"make it 25-34 instead", []agents.Slot{agents.SlotAudience}},
		{"between 25 and 34", []agents.Slot{agents.SlotAudience}},
		{"no video", []agents.Slot{agents.SlotGoal}},
		{"focus on video views instead", []agents.Slot{agents.SlotGoal}},
		{"what about 90 days and 15k?", []agents.Slot{agents.SlotBudget, agents.SlotSchedule}},
		{"add Austria and make it 8k", []agents.Slot{agents.SlotAudience, agents.SlotBudget}},
		{"thanks, looks great", nil},
	}
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := c.Route(agents.NewMessage(tt.give, benchNow)); !slices.Equal(got, tt.want) {
				t.Errorf("Route(%q) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

var benchNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const benchBrief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"

// BenchmarkCoordinatorFirstBrief measures reading a typical first brief with all four
// rule-based specialists (target: under 1 ms median on a 2-core machine).
func BenchmarkCoordinatorFirstBrief(b *testing.B) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := c.Read(ctx, agents.Brief{}, benchBrief, false, benchNow); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	sharedtest.ReportPercentiles(b, took)
}

// BenchmarkCoordinatorFollowUp measures a follow-up that runs one specialist.
func BenchmarkCoordinatorFollowUp(b *testing.B) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	first, err := c.Read(ctx, agents.Brief{}, benchBrief, false, benchNow)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := c.Read(ctx, first.Brief, "extend to 60 days", true, benchNow); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	sharedtest.ReportPercentiles(b, took)
}
