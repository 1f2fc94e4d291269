package llm

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/agents/llmtest"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
)

// notePlan is a small plan with round numbers to check notes against.
func notePlan() agents.Plan {
	return agents.Plan{
		Brief:      agents.Brief{Goal: &agents.Goal{Objective: agents.ObjectiveReach, MaxShare: map[string]float64{agents.FormatVideo: 0.25}}},
		Objective:  agents.ObjectiveReach,
		Currency:   "EUR",
		Budget:     5000,
		BudgetType: agents.BudgetLifetime,
		Flight:     agents.ScheduleFor(agents.NewDate(2026, 11, 23), 30),
		LineItems: []agents.LineItem{
			{ID: "DE-AUDIO", Market: "DE", Format: agents.FormatAudio, Budget: 3750, Share: 0.75,
				Forecast: agents.LineForecast{Impressions: forecast.Range{Low: 1.9e6, Mid: 2.48e6, High: 3.1e6}, CPM: forecast.Range{Low: 1.2, Mid: 1.51, High: 1.9}}},
			{ID: "DE-VIDEO", Market: "DE", Format: agents.FormatVideo, Budget: 1250, Share: 0.25,
				Forecast: agents.LineForecast{Impressions: forecast.Range{Low: 3e5, Mid: 412000, High: 5e5}}},
		},
		Totals:   agents.Totals{Budget: 5000, Reach: forecast.Range{Low: 6e5, Mid: 812345, High: 1e6}},
		Evidence: agents.PlanEvidence{SimilarCampaigns: 42, HistorySize: 12000},
		Warnings: []string{"Video is capped at 25% of the budget."},
	}
}

func TestCheckNote(t *testing.T) {
	plan := notePlan()
	tests := []struct {
		give string
		keep bool
	}{
		{"The 5,000 EUR budget runs over 30 days, with three quarters on audio.", true},
		{"Of the 5000 EUR, 3,750 goes to audio and 1,250 to video.", true},
		{"A 5k budget buys about 2.5M audio impressions at a CPM near 1.51.", true},
		{"Video is held to 25% of the budget; audio takes 75%.", true},
		{"The forecast rests on 42 similar campaigns out of 12,000, reaching about 812k people.", true},
		{"It reaches roughly 0.8M listeners across two line items.", true},
		{"The flight runs from 2026-11-23 to 2026-12-22.", true},
		{"The 6,000 EUR budget runs over 30 days.", false},       // invented amount
		{"Audio takes 80% of the budget.", false},                // invented share
		{"It should reach 3.7M people.", false},                  // invented forecast
		{"It runs for 45 days across two markets.", false},       // invented days
		{"Spend 5k. Reach people. Win. Repeat.", false},          // four sentences
		{"<!channel> 5,000 EUR over 30 days.", false},            // markup
		{"See https://example.com for the 30 days plan.", false}, // link
		{"", false},
	}
	for _, tt := range tests {
		_, err := CheckNote(tt.give, plan)
		if (err == nil) != tt.keep {
			t.Errorf("CheckNote(%q): err = %v, want kept %v", tt.give, err, tt.keep)
		}
	}
}

func noteLLM(t *testing.T, srv *llmtest.Server) *Client {
	t.Helper()
	model := srv.OpenAIModel(t)
	// Long, so no answer is cut off on a busy machine; the slow note is ended by its
	// context.
	l, err := New(Options{Model: model, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestNoteWriterKeepsOnlyNotesBackedByThePlan(t *testing.T) {
	plan := planBrief(t, llmtest.ClearBrief)
	srv := llmtest.NewServer(t)
	l := noteLLM(t, srv)
	w := l.NoteWriter()

	good := fmt.Sprintf("The %s %s budget runs over %d days across %d line items. Audio carries the plan, as similar campaigns suggest.",
		money.FormatAmount(plan.Budget, plan.Currency), plan.Currency, plan.Flight.Days, len(plan.LineItems))
	srv.AnswerText(llmtest.MarkerNote, good)
	if got := w.Note(context.Background(), plan); got != good {
		t.Errorf("note = %q, want it kept: %q", got, good)
	}

	srv.AnswerText(llmtest.MarkerNote, fmt.Sprintf("The %s %s budget should reach 987,654,321 people.", money.FormatAmount(plan.Budget, plan.Currency), plan.Currency))
	if got := w.Note(context.Background(), plan); got != "" {
		t.Errorf("note with an invented number kept: %q", got)
	}
	m := l.Metrics()
	if m.NotesKept.Load() != 1 || m.NotesDropped.Load() != 1 {
		t.Errorf("metrics = %+v, want one note kept and one dropped", m.Snapshot())
	}

	// The prompt carries the plan's numbers as data.
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Marker != llmtest.MarkerNote {
		t.Fatalf("requests = %+v", reqs)
	}

	srv.AnswerText(llmtest.MarkerNote, "")
	srv.SetDelay(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if got := w.Note(ctx, plan); got != "" {
		t.Errorf("slow note = %q, want none", got)
	}
}

func TestNewNoteWriter(t *testing.T) {
	if _, err := NewNoteWriter(nil, time.Second); err == nil {
		t.Error("NewNoteWriter(nil): no error")
	}
	var m llms.Model = failingModel{}
	w, err := NewNoteWriter(m, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Note(context.Background(), notePlan()); got != "" {
		t.Errorf("failing model wrote %q", got)
	}
}

// planBrief reads text as a first brief with the rules and plans it on the embedded data.
func planBrief(t *testing.T, text string) agents.Plan {
	t.Helper()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), agents.Brief{}, text, false, llmtest.Now)
	if err != nil {
		t.Fatalf("reading %q: %v", text, err)
	}
	p, err := planner.New(planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan(context.Background(), r.Brief, llmtest.Now, "")
	if err != nil {
		t.Fatalf("planning %q: %v", text, err)
	}
	return plan
}
