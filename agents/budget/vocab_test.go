package budget

import (
	"io/fs"
	"reflect"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents/internal/datafile"
)

// TestVocabulary loads every embedded word table as the program does, and checks that
// each file is read, and each table says what its words do and has some.
func TestVocabulary(t *testing.T) {
	files := map[string]any{
		"data/amounts.json":       &amountsFile{},
		"data/money_context.json": &contextFile{},
		"data/revisions.json":     &revisionsFile{},
	}
	embedded, err := fs.Glob(dataFS, "data/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range embedded {
		if files[name] == nil {
			t.Errorf("%s is embedded but loadVocabulary does not read it", name)
		}
	}
	for name, into := range files {
		if !slices.Contains(embedded, name) {
			t.Errorf("%s is not embedded", name)
			continue
		}
		datafile.MustRead(dataFS, name, into)
		checkTables(t, name, reflect.ValueOf(into).Elem())
	}
	v := vocab()
	followCue := func(prev, w string) bool {
		l := v.lookup(w)
		return l.in(bFollowCue) || hasID(l.followCueAfter, v.ids[prev])
	}
	if !followCue("make", "it") || followCue("", "it") || followCue("eat", "it") || !followCue("", "try") {
		t.Error("follow cues of two words are not read as the word before and the word itself")
	}
	if l := v.lookup("of"); !hasID(l.oldAfter, v.ids["instead"]) || l.in(bOld) {
		t.Error(`"instead of" is not read as a replaced-amount cue of two words`)
	}
	if l := v.lookup("twice"); !l.in(bScaleVerb) || l.scale != (scaleVerb{name: "double", factor: 2}) {
		t.Errorf(`scale verb "twice" = %+v, want double ×2`, l.scale)
	}
	if k, m := v.lookup("k"), v.lookup("m"); k.suffix != 1000 || !k.in(bSuffixSpaced) || m.in(bSuffixSpaced) || m.suffix != 1e6 {
		t.Error(`suffixes: want "k" a spaced thousand and "m" a glued million`)
	}
	// A word in several tables keeps each meaning: "cut" takes an amount off, asks for
	// a smaller budget, halves it "in half", and follows "it" in "cut it".
	if l := v.lookup("cut"); !l.in(bSubtract) || !l.in(bDown) || !l.in(bHalvingVerb) {
		t.Errorf(`"cut" is in %b`, l.sets)
	}
	if l := v.lookup("no such word"); l.sets != 0 || l != &v.lexemes[0] {
		t.Error("a word no table names has a lexeme of its own")
	}
}

// checkTables checks that every table in a decoded file has a comment and words.
func checkTables(t *testing.T, where string, v reflect.Value) {
	t.Helper()
	if c := v.FieldByName("Comment"); !c.IsValid() || c.String() == "" {
		t.Errorf("%s: no _comment", where)
	}
	if w := v.FieldByName("Words"); w.IsValid() && w.Len() == 0 {
		t.Errorf("%s: no words", where)
	}
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Struct {
			checkTables(t, where+" "+v.Type().Field(i).Tag.Get("json"), f)
		}
	}
}

// TestVocabularyRefusesMalformedData checks that broken tables fail at load rather
// than read as fewer words.
func TestVocabularyRefusesMalformedData(t *testing.T) {
	for _, tc := range []struct {
		name string
		load func()
	}{
		{"unknown table", func() {
			datafile.MustDecode("x.json", []byte(`{"_comment": "x", "fillerz": {"_comment": "x", "words": ["a"]}}`), &contextFile{})
		}},
		{"not json", func() { datafile.MustDecode("x.json", []byte(`{"_comment": `), &contextFile{}) }},
		{"two files in one", func() { datafile.MustDecode("x.json", []byte(`{} {}`), &contextFile{}) }},
		{"word listed twice", func() { newVocabulary().add(bFiller, wordList{Words: []string{"to", "of", "to"}}) }},
		{"phrase listed twice", func() {
			newVocabulary().addPhrases(bOld, wordList{Words: []string{"instead of", "instead of"}}, func(l *lexeme) *[]uint32 { return &l.oldAfter })
		}},
		{"phrase of three words", func() {
			newVocabulary().addPhrases(bFollowCue, wordList{Words: []string{"what about it"}}, func(l *lexeme) *[]uint32 { return &l.followCueAfter })
		}},
		{"period that is none", func() { periodsOf(wordMap[string]{Words: map[string]string{"daily": "fortnight"}}) }},
		{"suffix glued and spaced", func() {
			var a amountsFile
			a.Suffixes.Glued = map[string]float64{"k": 1000}
			a.Suffixes.Spaced = map[string]float64{"k": 1000}
			newVocabulary().loadAmounts(&a)
		}},
		{"cue after that is none", func() {
			newVocabulary().loadContext(&contextFile{BudgetCuesAfter: wordMap[string]{Words: map[string]string{"budget": "maybe"}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.load()
		})
	}
}
