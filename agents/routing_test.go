package agents

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestRouting checks which specialists the rule-based coordinator runs for the
// messages planners send most, first briefs and follow-ups alike.
func TestRouting(t *testing.T) {
	all := []Slot{SlotGoal, SlotAudience, SlotBudget, SlotSchedule}
	tests := []struct {
		give string
		want []Slot
	}{
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", all},
		{"app installs from iPhone users in the States, $20k, Q1", all},
		{"drive sales with podcast listeners in the Nordics, 15k, starting next month for 6 weeks", all},
		{"extend to 60 days", []Slot{SlotSchedule}},
		{"what if we ran it for 60 days?", []Slot{SlotSchedule}},
		{"push the start to January", []Slot{SlotSchedule}},
		{"shorten it to 3 weeks", []Slot{SlotSchedule}},
		{"make it 8k", []Slot{SlotBudget}},
		{"double the budget", []Slot{SlotBudget}},
		{"cut the budget by 25%", []Slot{SlotBudget}},
		{"$200 a day", []Slot{SlotBudget}},
		{"between 8 and 10k", []Slot{SlotBudget}},
		{"20 million pesos", []Slot{SlotBudget}},
		{"add Austria too", []Slot{SlotAudience}},
		{"drop the UK and do Ireland instead", []Slot{SlotAudience}},
		{"only women", []Slot{SlotAudience}},
		{"make it 25-34 instead", []Slot{SlotAudience}},
		{"between 25 and 34", []Slot{SlotAudience}},
		{"no video", []Slot{SlotGoal}},
		{"focus on video views instead", []Slot{SlotGoal}},
		{"what about 90 days and 15k?", []Slot{SlotBudget, SlotSchedule}},
		{"add Austria and make it 8k", []Slot{SlotAudience, SlotBudget}},
		{"thanks, looks great", nil},
	}
	c, err := NewCoordinator(CoordinatorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := c.Route(NewMessage(tt.give)); !slices.Equal(got, tt.want) {
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
	c, err := NewCoordinator(CoordinatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := c.Read(ctx, Brief{}, benchBrief, false, benchNow); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	reportPercentiles(b, took)
}

// reportPercentiles adds the median and 99th percentile of single reads to the
// benchmark's output: the target is stated as a median, which ns/op (a mean) is not.
func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkCoordinatorFollowUp measures a follow-up that runs one specialist.
func BenchmarkCoordinatorFollowUp(b *testing.B) {
	c, err := NewCoordinator(CoordinatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	first, err := c.Read(ctx, Brief{}, benchBrief, false, benchNow)
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
	reportPercentiles(b, took)
}
