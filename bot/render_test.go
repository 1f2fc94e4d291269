package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/conversation"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current rendering")

// renderNow is the fixed reference time every golden plan is made at.
var renderNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

var (
	engineOnce  sync.Once
	testPlanner *planner.Planner
	coordinator *agents.Coordinator
	engineErr   error
)

// engine returns the real planner and coordinator, built once for all tests.
func engine(t *testing.T) (*planner.Planner, *agents.Coordinator) {
	t.Helper()
	engineOnce.Do(func() {
		testPlanner, engineErr = planner.New(planner.Options{})
		if engineErr == nil {
			coordinator, engineErr = agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
		}
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return testPlanner, coordinator
}

// planThread runs messages through a thread as the bot does: each is applied to the
// thread and the resulting brief planned (or its plan error recorded).
func planThread(t *testing.T, messages ...string) *conversation.Thread {
	t.Helper()
	pl, co := engine(t)
	th := conversation.New("T1/C1/1700000000.000100")
	for _, m := range messages {
		if _, err := th.Apply(context.Background(), co, m, renderNow); err != nil {
			t.Fatalf("applying %q: %v", m, err)
		}
		v := th.Latest()
		// As the bot does: a follow-up revises the plan before it.
		var prev *agents.Plan
		if v.N > 1 {
			prev = th.Versions[v.N-2].Plan
		}
		p, err := pl.Revise(context.Background(), v.Brief, prev, renderNow, "")
		if err != nil {
			v.PlanError = err.Error()
		} else {
			v.Plan = &p
		}
	}
	return th
}

const (
	briefDEAT  = "grow brand awareness among 18-24 year olds in Germany and Austria with €5,000 over 30 days"
	briefGaps  = "podcast streams for 25-44 year olds"
	briefNoMkt = "awareness among 18-34 year olds in North Korea with $5,000 over 30 days"
)

type rendered struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

func TestPlanMessageGolden(t *testing.T) {
	th := planThread(t, briefDEAT, "extend to 60 days and make it 8k")
	v1, v2 := th.Versions[0], th.Versions[1]
	if v1.Plan == nil || v2.Plan == nil {
		t.Fatalf("the example briefs did not plan: %q, %q", v1.PlanError, v2.PlanError)
	}
	gaps := planThread(t, briefGaps).Versions[0]
	if gaps.Plan == nil || len(gaps.Plan.Assumptions) == 0 {
		t.Fatalf("the brief with gaps planned without assumptions: %+v", gaps)
	}
	failed := planThread(t, briefNoMkt).Versions[0]
	if failed.Plan != nil || failed.PlanError == "" {
		t.Fatalf("a brief for a market without data was planned: %+v", failed.Plan)
	}
	tests := []struct {
		name string
		v    conversation.Version
		prev *conversation.Version
	}{
		{"plan_v1", v1, nil},
		{"plan_v2_changes", v2, &v1},
		{"plan_gaps", gaps, nil},
		{"plan_error", failed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks, text := PlanMessage(th.ID, tt.v, tt.prev)
			checkLimits(t, blocks, text)
			golden(t, tt.name, rendered{text, blocks})
		})
	}
}

func TestSupersededMessageGolden(t *testing.T) {
	th := planThread(t, briefDEAT)
	blocks, text := SupersededMessage(th.Versions[0], 2)
	checkLimits(t, blocks, text)
	golden(t, "superseded", rendered{text, blocks})
}

func TestProgressMessageGolden(t *testing.T) {
	slots := []agents.Slot{agents.SlotGoal, agents.SlotBudget, agents.SlotSchedule}
	var states []rendered
	for _, st := range []struct {
		slots    []agents.Slot
		done     map[agents.Slot]bool
		planning bool
	}{
		{nil, map[agents.Slot]bool{}, false},
		{slots, map[agents.Slot]bool{agents.SlotBudget: true}, false},
		{slots, map[agents.Slot]bool{agents.SlotGoal: true, agents.SlotBudget: true, agents.SlotSchedule: true}, true},
	} {
		blocks, text := ProgressMessage(st.slots, st.done, st.planning)
		checkLimits(t, blocks, text)
		states = append(states, rendered{text, blocks})
	}
	golden(t, "progress", states)
}

func TestHelpMessageGolden(t *testing.T) {
	blocks, text := HelpMessage()
	checkLimits(t, blocks, text)
	golden(t, "help", rendered{text, blocks})
}

// TestProgressMessageMarshalsAsSlackDocumentsIt checks the plan block's shape against
// docs.slack.dev/reference/block-kit/blocks/plan-block: a title string and tasks, each
// with task_id, title and one of Slack's four statuses.
func TestProgressMessageMarshalsAsSlackDocumentsIt(t *testing.T) {
	blocks, _ := ProgressMessage([]agents.Slot{agents.SlotAudience, agents.SlotBudget}, map[agents.Slot]bool{agents.SlotAudience: true}, false)
	var got []map[string]any
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	plan := got[0]
	if plan["type"] != "plan" || plan["title"] != "Reading your message" {
		t.Fatalf("first block is not a titled plan block: %v", plan)
	}
	tasks, _ := plan["tasks"].([]any)
	want := []struct{ id, title, status string }{
		{"slot_audience", "Reading the audience", "complete"},
		{"slot_budget", "Reading the budget", "in_progress"},
		{"plan", "Planning", "pending"},
	}
	if len(tasks) != len(want) {
		t.Fatalf("%d tasks, want %d: %v", len(tasks), len(want), tasks)
	}
	for i, w := range want {
		task := tasks[i].(map[string]any)
		if task["task_id"] != w.id || task["title"] != w.title || task["status"] != w.status {
			t.Errorf("task %d = %v, want %+v", i, task, w)
		}
	}
	// Round trip: slack-go reads back what it wrote.
	var back slack.Blocks
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if pb, ok := back.BlockSet[0].(*slack.PlanBlock); !ok || len(pb.Tasks) != 3 {
		t.Errorf("slack-go read the plan block back as %#v", back.BlockSet[0])
	}
}

// golden compares v, as indented JSON, with testdata/<name>.golden.json; -update
// rewrites the file.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden.json")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Golden -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from %s (run with -update if the change is intended):\n%s", name, path, buf.String())
	}
}
