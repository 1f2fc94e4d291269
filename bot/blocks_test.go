package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
)

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

func TestVersionBlocksShowTheBriefWithinBlockKitLimits(t *testing.T) {
	v := conversation.Version{N: 2, Brief: fullBrief(), Ran: []agents.Slot{agents.SlotSchedule},
		Changes: []conversation.Change{{Field: "schedule.days", Label: "Flight length", From: "15 days", To: "30 days"}}}
	blocks := VersionBlocks(v)
	raw, err := json.Marshal(slack.Blocks{BlockSet: blocks})
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for _, want := range []string{"Campaign brief v2", "*Budget*\\n5,000 EUR", "*Ages*\\n18–24, 45+", "Flight length: 15 days → 30 days", "Read by: schedule", "VIDEO ≤ 20%"} {
		if !strings.Contains(text, want) {
			t.Errorf("blocks lack %q:\n%s", want, text)
		}
	}
	fieldCount := 0
	for _, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok {
			if len(s.Fields) > maxSectionFields {
				t.Errorf("a section has %d fields; Slack allows %d", len(s.Fields), maxSectionFields)
			}
			fieldCount += len(s.Fields)
		}
	}
	if want := len(v.Brief.Fields()); fieldCount != want || want <= maxSectionFields {
		t.Errorf("%d fields rendered, want all %d (more than one section's worth)", fieldCount, want)
	}
}

func TestVersionBlocksEscapeUserTextAndShowWarnings(t *testing.T) {
	b := agents.Brief{Audience: &agents.Audience{Interests: []string{"<!channel> & <https://evil.example|click>"}},
		Budget: &agents.Budget{Amount: -500, Currency: "USD", Type: agents.BudgetLifetime}}
	v := conversation.Version{N: 1, Brief: b, Notes: []string{"Ignored <b>bold</b>"}}
	text := blockTexts(t, VersionBlocks(v))
	if strings.Contains(text, "<!channel>") || !strings.Contains(text, "&lt;!channel&gt; &amp;") {
		t.Errorf("user text reached Slack as markup: %s", text)
	}
	if !strings.Contains(text, ":warning:") {
		t.Errorf("a negative budget is shown without a warning: %s", text)
	}
	if strings.Contains(text, "What changed") {
		t.Errorf("a first version lists changes: %s", text)
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
				if s, ok := x.(string); ok && k == "text" {
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
