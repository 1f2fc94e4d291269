package audience

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAudienceLoadWords loads every embedded table, and checks that a broken words
// file is refused with a reason rather than read as fewer words.
func TestAudienceLoadWords(t *testing.T) {
	if _, err := audienceLex(); err != nil {
		t.Fatalf("embedded audience tables: %v", err)
	}
	w, err := loadWords(dataFS.ReadFile)
	if err != nil {
		t.Fatalf("embedded audience words: %v", err)
	}
	if len(w.cues) == 0 || len(w.fillers) == 0 || len(w.ages.lead) == 0 || len(w.ages.after) == 0 || len(w.ages.decades) == 0 {
		t.Errorf("embedded audience words loaded empty tables")
	}
	const words, ages = "data/audience_words.json", "data/audience_ages.json"
	tests := []struct {
		name string
		file string
		edit func(f map[string]any)
		want string
	}{
		{"unknown section", words, func(f map[string]any) { f["filers"] = f["fillers"] }, `unknown field "filers"`},
		{"missing section", words, func(f map[string]any) { delete(f, "fillers") }, "section fillers is missing"},
		{"no words", words, func(f map[string]any) { section(f, "verbs")["words"] = []any{} }, "section verbs has no words"},
		{"two tokens", words, func(f map[string]any) { addWord(f, "fillers", "don't") }, `fillers: "don't" is not one token`},
		{"capitals", words, func(f map[string]any) { addWord(f, "verbs", "Target") }, `verbs: "Target" is not one token`},
		{"twice", words, func(f map[string]any) { addWord(f, "fillers", "the") }, `fillers: "the" is listed twice`},
		{"article joins", words, func(f map[string]any) { addWord(f, "list_articles", "and") }, `"and" is also a list join`},
		{"unknown mode", words, func(f map[string]any) { cueGroups(f)[0].(map[string]any)["mode"] = "keep" }, `unknown mode "keep"`},
		{"cue placed nowhere", words, func(f map[string]any) {
			g := cueGroups(f)[0].(map[string]any)
			delete(g, "leading")
			delete(g, "trailing")
		}, "neither leads nor trails"},
		{"lead twice", ages, func(f map[string]any) { addWord(f, "ceilings", "over") }, `"over" already starts an age`},
		{"unknown part", ages, func(f map[string]any) {
			section(f, "decade_parts")["parts"].(map[string]any)["later"] = []any{"later"}
		}, `unknown part "later"`},
		{"not a decade", ages, func(f map[string]any) {
			section(f, "decades")["decades"].(map[string]any)["twentyfives"] = 25
		}, "not a decade"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := func(name string) ([]byte, error) {
				data, err := dataFS.ReadFile(name)
				if err != nil || name != tt.file {
					return data, err
				}
				var f map[string]any
				if err := json.Unmarshal(data, &f); err != nil {
					t.Fatal(err)
				}
				tt.edit(f)
				return json.Marshal(f)
			}
			if _, err := loadWords(read); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadWords error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	missing := func(name string) ([]byte, error) { return dataFS.ReadFile(name + ".gone") }
	if _, err := loadWords(missing); err == nil || !strings.Contains(err.Error(), "reading data/audience_words.json") {
		t.Errorf("loadWords without its files: error = %v", err)
	}
}

func section(f map[string]any, name string) map[string]any { return f[name].(map[string]any) }

func addWord(f map[string]any, name, w string) {
	s := section(f, name)
	s["words"] = append(s["words"].([]any), w)
}

func cueGroups(f map[string]any) []any { return section(f, "cues")["groups"].([]any) }
