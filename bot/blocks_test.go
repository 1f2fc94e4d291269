package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
	"github.com/adplan/adplan/conversation"
)

// maxMessageBytes is what this package allows a rendered message to weigh: well under
// what Slack accepts, so a message never fails for its size.
const maxMessageBytes = 24 << 10

// checkLimits fails t when blocks break one of Slack's Block Kit limits.
func checkLimits(t *testing.T, blocks []slack.Block, fallback string) {
	t.Helper()
	if len(blocks) > maxBlocks {
		t.Errorf("%d blocks; Slack allows %d", len(blocks), maxBlocks)
	}
	if n := utf8.RuneCountInString(fallback); n == 0 || n > maxFallbackChars+50 {
		t.Errorf("fallback text is %d characters: %q", n, fallback)
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) > maxMessageBytes {
		t.Errorf("blocks weigh %d bytes; keep them under %d", len(raw), maxMessageBytes)
	}
	var generic []map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	text := func(o any) string {
		m, _ := o.(map[string]any)
		s, _ := m["text"].(string)
		return s
	}
	runes := utf8.RuneCountInString
	tables := 0
	for i, b := range generic {
		if id, _ := b["block_id"].(string); runes(id) > 255 {
			t.Errorf("block %d: block_id of %d characters", i, runes(id))
		}
		switch b["type"] {
		case "header":
			if n := runes(text(b["text"])); n == 0 || n > maxHeaderChars {
				t.Errorf("block %d: header of %d characters", i, n)
			}
		case "section":
			fields, _ := b["fields"].([]any)
			if b["text"] == nil && len(fields) == 0 {
				t.Errorf("block %d: a section with neither text nor fields", i)
			}
			if n := runes(text(b["text"])); n > maxTextChars {
				t.Errorf("block %d: section text of %d characters", i, n)
			}
			if len(fields) > maxSectionFields {
				t.Errorf("block %d: %d fields", i, len(fields))
			}
			for _, f := range fields {
				if n := runes(text(f)); n == 0 || n > maxFieldChars {
					t.Errorf("block %d: field of %d characters", i, n)
				}
			}
		case "context":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 10 {
				t.Errorf("block %d: context with %d elements", i, len(els))
			}
			for _, e := range els {
				if n := runes(text(e)); n > maxTextChars {
					t.Errorf("block %d: context text of %d characters", i, n)
				}
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				t.Errorf("block %d: actions with %d elements", i, len(els))
			}
			ids := map[string]bool{}
			for _, e := range els {
				m := e.(map[string]any)
				id, _ := m["action_id"].(string)
				if id == "" || ids[id] || runes(id) > 255 {
					t.Errorf("block %d: action_id %q missing, repeated or too long", i, id)
				}
				ids[id] = true
				if n := runes(text(m["text"])); n == 0 || n > maxButtonTextChars {
					t.Errorf("block %d: button text of %d characters", i, n)
				}
				if v, _ := m["value"].(string); runes(v) > maxValueChars {
					t.Errorf("block %d: button value of %d characters", i, runes(v))
				}
			}
		case "table":
			tables++
			rows, _ := b["rows"].([]any)
			if len(rows) == 0 || len(rows) > maxTableRows {
				t.Errorf("block %d: table of %d rows", i, len(rows))
			}
			width := -1
			for _, r := range rows {
				cells := r.([]any)
				if len(cells) > maxTableColumns || width >= 0 && len(cells) != width {
					t.Errorf("block %d: a row of %d cells (first row %d)", i, len(cells), width)
				}
				width = len(cells)
			}
		}
	}
	if tables > 1 {
		t.Errorf("%d tables; Slack allows one a message", tables)
	}
}

// blockTexts returns every text in the blocks as Slack receives them, decoded from
// the JSON payload (whose HTML-safe escapes would hide what Slack reads).
func blockTexts(t *testing.T, blocks []slack.Block) string {
	t.Helper()
	raw, err := json.Marshal(slack.Blocks{BlockSet: blocks})
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (k == "text" || k == "value") {
					texts = append(texts, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(generic)
	return strings.Join(texts, "\n")
}

// hugePlan is a plan far bigger than any real one, with long texts everywhere.
func hugePlan() conversation.Version {
	long := strings.Repeat("a very long explanation with <tags> & symbols ", 60) // ~2,800 characters
	r := func(v float64) forecast.Range { return forecast.Range{Low: v * 0.8, Mid: v, High: v * 1.2} }
	p := agents.Plan{
		Channel: strings.Repeat("channel ", 100), Objective: agents.ObjectiveClicks, Currency: "EUR", Budget: 1e6, BudgetType: agents.BudgetLifetime,
		Flight: agents.ScheduleFor(agents.NewDate(2026, 11, 23), 30),
		Totals: agents.Totals{Budget: 1e6, Impressions: r(5e7), Reach: r(2e7), Frequency: r(2.5), CPM: r(20),
			Result: agents.ResultForecast{Metric: "clicks", Range: r(1e5)}},
		Evidence: agents.PlanEvidence{SimilarCampaigns: 412, HistorySize: 60000, MatchedOn: strings.Split(long, " "), Widened: []string{long}},
	}
	for i := range 40 {
		p.LineItems = append(p.LineItems, agents.LineItem{
			ID: fmt.Sprintf("M%d-video-podcast-ios", i), Market: fmt.Sprintf("M%d", i), Format: "VIDEO", Placements: []string{"PODCAST"},
			Budget: 25000, Share: 0.025,
			Forecast: agents.LineForecast{Impressions: r(1.25e6), Reach: r(5e5), Frequency: r(2.5), CPM: r(20),
				Result: agents.ResultForecast{Metric: "clicks", Range: r(2500)}},
		})
	}
	for i := range 30 {
		p.Assumptions = append(p.Assumptions, agents.Assumption{Field: fmt.Sprintf("field.%d", i), Value: long, Why: long})
		p.Warnings = append(p.Warnings, fmt.Sprintf("Warning %d: %s", i, long))
	}
	brief := fullBrief()
	brief.Audience.Interests = strings.Split(strings.Repeat("interest<x>,", 400), ",")
	p.Brief = brief
	var changes []conversation.Change
	for i := range 40 {
		changes = append(changes, conversation.Change{Field: "f", Label: fmt.Sprintf("Field %d", i), From: long, To: long})
	}
	return conversation.Version{N: 12, Message: long, Brief: brief, Changes: changes, Notes: []string{long, long, long}, Plan: &p}
}

func fullBrief() agents.Brief {
	return agents.Brief{
		Goal: &agents.Goal{Objective: agents.ObjectiveReach, Formats: []string{"AUDIO", "IMAGE"}, MaxShare: map[string]float64{"VIDEO": 0.2}},
		Audience: &agents.Audience{
			AgeRanges: []agents.AgeRange{{Min: 18, Max: 24}, {Min: 45, Max: 99}},
			Genders:   []string{"FEMALE"},
			Geo:       agents.Geo{Countries: []string{"DE", "AT"}, Regions: []string{"Bavaria"}, Cities: []string{"Munich"}},
			Genres:    []string{"hip-hop"}, Interests: []string{"fitness"}, Platforms: []string{"IOS"},
			Placements: []string{"PODCAST"}, Languages: []string{"de"},
		},
		Budget:   &agents.Budget{Amount: 5000, Currency: "EUR", Type: agents.BudgetLifetime},
		Schedule: &agents.Schedule{Start: agents.NewDate(2026, 11, 23), End: agents.NewDate(2026, 12, 22), Days: 30},
	}
}

func TestPlanMessageStaysWithinSlackLimits(t *testing.T) {
	v := hugePlan()
	prev := hugePlan()
	prev.N = 11
	prev.Plan.LineItems = prev.Plan.LineItems[:3]
	blocks, text := PlanMessage("T1/C1/1.2", v, &prev)
	checkLimits(t, blocks, text)
	all := blockTexts(t, blocks)
	for _, want := range []string{"… and 20 more", "more — press *Show assumptions*", "Show assumptions"} {
		if !strings.Contains(all, want) {
			t.Errorf("a long plan does not say %q", want)
		}
	}

	v.Plan = nil
	v.PlanError = strings.Repeat("no plan ", 1000)
	blocks, text = PlanMessage("T1/C1/1.2", v, &prev)
	checkLimits(t, blocks, text)
	blocks, text = SupersededMessage(hugePlan(), 13)
	checkLimits(t, blocks, text)
	if s := AssumptionsText(*hugePlan().Plan); utf8.RuneCountInString(s) > maxTextChars || !strings.Contains(s, "more") {
		t.Errorf("assumptions text of %d characters, or without its cut marked", utf8.RuneCountInString(s))
	}
}

func TestPlanMessageEscapesUserText(t *testing.T) {
	v := hugePlan()
	v.N = 2
	v.Message = "make it <!channel> & <https://evil.example|click>"
	v.Brief.Audience.Interests = []string{"<!here> & <@U123>"}
	v.Notes = []string{"Ignored <b>bold</b>"}
	v.Changes = []conversation.Change{{Label: "Interests", From: "fitness", To: "<!here> & <@U123>"}}
	prev := v
	prev.N = 1
	blocks, text := PlanMessage("T1", v, &prev)
	all := blockTexts(t, blocks) + "\n" + text
	for _, raw := range []string{"<!channel>", "<!here>", "<@U123>", "<https://", "<b>", "<tags>"} {
		if strings.Contains(all, raw) {
			t.Errorf("user text reached Slack as markup: %q", raw)
		}
	}
	for _, want := range []string{"&lt;!channel&gt; &amp;", "&lt;!here&gt; &amp; &lt;@U123&gt;", "Ignored &lt;b&gt;"} {
		if !strings.Contains(all, want) {
			t.Errorf("escaped %q missing", want)
		}
	}

	v.Plan, v.PlanError = nil, "no market data for <!channel>"
	blocks, text = PlanMessage("T1", v, nil)
	if all := blockTexts(t, blocks) + text; strings.Contains(all, "<!channel>") {
		t.Errorf("a plan error reached Slack as markup: %s", all)
	}
}

func TestPlanMessageButtons(t *testing.T) {
	v := hugePlan()
	v.N = 3
	blocks, _ := PlanMessage("T1/C1/1.2", v, nil)
	act, ok := blocks[len(blocks)-1].(*slack.ActionBlock)
	if !ok {
		t.Fatalf("the last block is %T, want the buttons", blocks[len(blocks)-1])
	}
	if act.BlockID != "adplan:3" {
		t.Errorf("block_id %q, want adplan:3", act.BlockID)
	}
	var got []string
	for _, e := range act.Elements.ElementSet {
		b := e.(*slack.ButtonBlockElement)
		got = append(got, fmt.Sprintf("%s=%s[%s]%s", actionKind(b.ActionID), b.Value, b.Text.Text, b.Style))
	}
	want := []string{
		"adplan_follow_up=make it 30 days longer[+30 days]",
		"adplan_follow_up=increase the budget by 20%[+20% budget]",
		"adplan_follow_up=audio only[Audio only]",
		"adplan_show_assumptions=3[Show assumptions]",
		"adplan_approve=3[Looks good]primary",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("buttons:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// No plan: nothing to approve or explain, but a follow-up can still fix the brief.
	v.Plan, v.PlanError = nil, "the flight ends before it starts"
	blocks, _ = PlanMessage("T1/C1/1.2", v, nil)
	all := blockTexts(t, blocks)
	if strings.Contains(all, "Looks good") || strings.Contains(all, "Show assumptions") || !strings.Contains(all, "+30 days") {
		t.Errorf("buttons under a failed plan: %s", all)
	}
	if !strings.Contains(all, "The flight ends before it starts.") {
		t.Errorf("the plan error is not shown: %s", all)
	}
}

func TestActionKind(t *testing.T) {
	for give, want := range map[string]string{
		ActionFollowUp + ":2": ActionFollowUp, ActionFollowUp: ActionFollowUp,
		ActionApprove: ActionApprove, ActionShowAssumptions: ActionShowAssumptions,
	} {
		if got := actionKind(give); got != want {
			t.Errorf("actionKind(%q) = %q, want %q", give, got, want)
		}
	}
}

func TestUnreadableMessage(t *testing.T) {
	tests := []struct {
		give     error
		followUp bool
		want     string
	}{
		{fmt.Errorf("reading message: %w", agents.ErrNothingRead), false, "I couldn't find a campaign brief in that. Tell me the goal, who to reach, the budget and the dates"},
		{fmt.Errorf("reading message: %w: say what", agents.ErrNothingRead), true, "I couldn't tell what to change in the plan. Say what to change, for example “extend to 60 days”"},
		{fmt.Errorf("reading message: %w: it looks like German, and adplan reads briefs in English", agents.ErrNothingRead), false, "It looks like German; I read briefs in English."},
		{agents.ErrEmpty, false, "Send me a campaign brief"},
		{fmt.Errorf("x: %w: 9000 bytes", agents.ErrTooLong), true, "longer than I read in one message"},
		{fmt.Errorf("x: %w: not UTF-8", agents.ErrNotText), false, "plain text"},
		{conversation.ErrNoChange, true, "doesn't change the brief"},
		{&agents.SpecialistError{Slot: agents.SlotBudget, Err: errors.New("no answer within 2s: context deadline exceeded")}, false, "try again"},
	}
	for _, tt := range tests {
		got := UnreadableMessage(tt.give, tt.followUp)
		if !strings.Contains(got, tt.want) {
			t.Errorf("UnreadableMessage(%v, %v) = %q, want it to say %q", tt.give, tt.followUp, got, tt.want)
		}
		for _, leak := range []string{"reading message", "bytes", "UTF-8", "deadline", "specialist", "%!"} {
			if strings.Contains(got, leak) {
				t.Errorf("UnreadableMessage(%v) shows the error's own text %q: %q", tt.give, leak, got)
			}
		}
	}
}

func TestGapQuestionAsksAboutTheMostImportantGap(t *testing.T) {
	base := agents.Plan{Flight: agents.ScheduleFor(agents.NewDate(2026, 11, 23), 30)}
	budget := agents.Assumption{Field: "budget.amount", Value: "9,100 USD", Why: "the brief states no budget; the median budget of 1,782 past REACH campaigns in US"}
	start := agents.Assumption{Field: "schedule.start", Value: "2026-11-23", Why: "the brief gives no dates; starting tomorrow"}
	flight := agents.Assumption{Field: "schedule.days", Value: "30", Why: "the median flight of 1,782 past REACH campaigns in US"}
	market := agents.Assumption{Field: "audience.geo.countries", Value: "US", Why: "the brief names no market; the configured default market"}
	objective := agents.Assumption{Field: "goal.objective", Value: "REACH", Why: "the brief states no goal; REACH is the most common objective of past campaigns in US"}
	tests := []struct {
		give []agents.Assumption
		want string
	}{
		{[]agents.Assumption{objective, market, start, flight, budget}, "I assumed a budget of 9,100 USD (the median budget of 1,782 past REACH campaigns in US). What budget do you have in mind?"},
		{[]agents.Assumption{objective, market, start, flight}, "I assumed a 30-day flight from 2026-11-23 to 2026-12-22 (the median flight of 1,782 past REACH campaigns in US). When should it run?"},
		{[]agents.Assumption{objective, market}, "I assumed the campaign runs in US (the configured default market). Which countries should it run in?"},
		{[]agents.Assumption{objective}, "I assumed the objective is REACH (REACH is the most common objective of past campaigns in US)."},
		{[]agents.Assumption{{Field: "budget.type", Value: "LIFETIME", Why: "booked as lifetime"}}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		p := base
		p.Assumptions = tt.give
		got := GapQuestion(p)
		if tt.want == "" && got != "" || tt.want != "" && !strings.HasPrefix(got, tt.want) {
			t.Errorf("GapQuestion(%d assumptions) = %q, want %q", len(tt.give), got, tt.want)
		}
	}
}

func TestGapQuestionWithTheRealPlanner(t *testing.T) {
	v := planThread(t, briefGaps).Versions[0]
	if v.Plan == nil {
		t.Fatal(v.PlanError)
	}
	q := GapQuestion(*v.Plan)
	if !strings.HasPrefix(q, "I assumed a budget of ") || !strings.HasSuffix(q, "What budget do you have in mind?") {
		t.Errorf("GapQuestion = %q", q)
	}
	full := planThread(t, briefDEAT).Versions[0]
	if q := GapQuestion(*full.Plan); q != "" {
		t.Errorf("a complete brief gets a question: %q", q)
	}
}

func TestAssumptionsText(t *testing.T) {
	v := planThread(t, briefGaps).Versions[0]
	got := AssumptionsText(*v.Plan)
	for _, want := range []string{"*Budget* = ", "*Market* = US: the brief names no market", "*Flight length* = 30 days", "How the forecasts are made"} {
		if !strings.Contains(got, want) {
			t.Errorf("assumptions text lacks %q:\n%s", want, got)
		}
	}
	if got := AssumptionsText(agents.Plan{}); !strings.Contains(got, "Nothing was assumed") {
		t.Errorf("a plan with nothing assumed: %q", got)
	}
}
