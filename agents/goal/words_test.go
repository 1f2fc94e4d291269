package goal

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestGoalLoadWords loads the embedded vocabulary, and checks that a broken file is
// refused with a reason rather than read as fewer words.
func TestGoalLoadWords(t *testing.T) {
	v, err := loadWords(wordsJSON)
	if err != nil {
		t.Fatalf("embedded vocabulary: %v", err)
	}
	if len(v.formats) == 0 || len(v.fractions) == 0 || len(v.objectiveNegators) == 0 || len(v.excluderPairs) == 0 {
		t.Errorf("embedded vocabulary loaded empty tables: %+v", v)
	}
	tests := []struct {
		name string
		edit func(f map[string]any)
		want string
	}{
		{"unknown section", func(f map[string]any) { f["capp_cues"] = f["cap_cues"] }, `unknown field "capp_cues"`},
		{"missing section", func(f map[string]any) { delete(f, "cap_cues") }, "section cap_cues is missing"},
		{"no comment", func(f map[string]any) { section(f, "cap_cues")["_comment"] = "" }, "section cap_cues is missing or has no _comment"},
		{"no words", func(f map[string]any) { section(f, "cap_cues")["words"] = []any{} }, "section cap_cues has no words"},
		{"apostrophe", func(f map[string]any) { addWord(f, "cap_cues", "don't") }, `"don't" is not written as the tokenizer writes it`},
		{"capitals", func(f map[string]any) { addWord(f, "cap_cues", "Under") }, `"Under" is not written as the tokenizer writes it`},
		{"phrase in a word list", func(f map[string]any) { addWord(f, "cap_cues", "keep under") }, `"keep under" has more than 1 words`},
		{"twice", func(f map[string]any) { addWord(f, "cap_cues", "under") }, `cap_cues: "under" is listed twice`},
		{"negator twice", func(f map[string]any) { addWord(f, "objective_negators", "not about") }, `objective_negators: "not" is listed twice`},
		{"unknown format", func(f map[string]any) { formats(f, "format_words")["RADIO"] = []any{"radio"} }, `unknown format "RADIO"`},
		{"two formats", func(f map[string]any) {
			fm := formats(f, "format_words")
			fm["AUDIO"] = append(fm["AUDIO"].([]any), "video")
		}, `"video" names two formats`},
		{"zero fraction", func(f map[string]any) {
			section(f, "fractions")["fractions"].([]any)[0].(map[string]any)["value"] = []any{0, 3}
		}, "has value 0/3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f map[string]any
			if err := json.Unmarshal(wordsJSON, &f); err != nil {
				t.Fatal(err)
			}
			tt.edit(f)
			data, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := loadWords(data); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadWords error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := loadWords([]byte(`{`)); err == nil || !strings.Contains(err.Error(), "reading goal words") {
		t.Errorf("loadWords(`{`) error = %v", err)
	}
}

func section(f map[string]any, name string) map[string]any { return f[name].(map[string]any) }

func formats(f map[string]any, name string) map[string]any {
	return section(f, name)["formats"].(map[string]any)
}

func addWord(f map[string]any, name, w string) {
	s := section(f, name)
	s["words"] = append(s["words"].([]any), w)
}
