package planner

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/llm"
	"github.com/adplan/adplan/agents/llmtest"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/rules"
)

// TestPlannerWritesTheNote checks a planner with a note writer adds the note a model
// writes, and one without writes none.
func TestPlannerWritesTheNote(t *testing.T) {
	srv := llmtest.NewServer(t)
	// The server answers at once; a long timeout never cuts it off on a busy machine.
	l, err := llm.New(llm.Options{Model: srv.OpenAIModel(t), Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	base := sharedPlanner(t)
	// A planner sharing the fitted model, with the note writer added.
	p := *base
	p.notes = l.NoteWriter()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	reading, err := c.Read(context.Background(), agents.Brief{}, llmtest.ClearBrief, false, planNow)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := base.Plan(context.Background(), reading.Brief, planNow, "")
	if err != nil {
		t.Fatal(err)
	}
	note := fmt.Sprintf("The %s %s budget runs over %d days.", money.FormatAmount(plain.Budget, plain.Currency), plain.Currency, plain.Flight.Days)
	srv.AnswerText(llmtest.MarkerNote, note)
	got, err := p.Plan(context.Background(), reading.Brief, planNow, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Note != note {
		t.Errorf("plan note = %q, want %q", got.Note, note)
	}
	if plain.Note != "" {
		t.Errorf("a planner without a note writer wrote %q", plain.Note)
	}
}
