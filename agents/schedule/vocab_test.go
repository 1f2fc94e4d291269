package schedule

import (
	"io/fs"
	"reflect"
	"slices"
	"testing"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents/internal/datafile"
)

// TestVocabulary loads every embedded word table as the program does, and checks that
// each file is read, and each table says what its words do and has some.
func TestVocabulary(t *testing.T) {
	files := map[string]any{
		"data/calendar.json":  &calendarFile{},
		"data/holidays.json":  &holidaysFile{},
		"data/durations.json": &durationsFile{},
		"data/roles.json":     &rolesFile{},
		"data/revisions.json": &revisionsFile{},
		"data/markets.json":   &marketsFile{},
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
	// Every holiday the calendar knows is named by some phrase.
	named := map[calendar.Holiday]bool{}
	for _, l := range v.lexemes {
		for _, p := range l.holidays {
			named[p.value.holiday] = true
		}
	}
	for h := range calendar.Names() {
		if !named[h] {
			t.Errorf("no phrase names %s", h)
		}
	}
	if l := v.lookup("fortnight"); !l.in(wUnit) || l.unit != (unitWord{unit: week, factor: 2}) {
		t.Errorf("fortnight = %+v, want two weeks", l.unit)
	}
	words := []string{"back", "-", "to", "school", ""}
	if p, n, ok := matchPhrase(v.lookup("back").holidays, func(i int) string { return words[i] }, 0); !ok || n != 4 || p.holiday != calendar.BackToSchool {
		t.Errorf("back-to school read as %v, %d, %v", p.holiday, n, ok)
	}
	// A word in several tables keeps each meaning: "extend" gives an end role and
	// lengthens the flight, and asks for a change by itself.
	if l := v.lookup("extend"); !l.in(wEnd) || !l.in(wLengthen) || !l.in(wFlightVerb) || !l.flightVerbAlone {
		t.Errorf(`"extend" is in %b`, l.sets)
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
			datafile.MustDecode("x.json", []byte(`{"_comment": "x", "fillerz": {"_comment": "x", "words": ["a"]}}`), &rolesFile{})
		}},
		{"not json", func() { datafile.MustDecode("x.json", []byte(`{"_comment": `), &rolesFile{}) }},
		{"word listed twice", func() { wordList{Words: []string{"to", "of", "to"}}.set() }},
		{"phrase listed twice", func() {
			v := newVocabulary()
			asap := func(l *lexeme) *[]phrase[bool] { return &l.asap }
			addPhrase(v, asap, "right away", true)
			addPhrase(v, asap, "right  away", true)
		}},
		{"word listed twice in a table", func() { newVocabulary().add(wFiller, wordList{Words: []string{"to", "of", "to"}}) }},
		{"no such holiday", func() {
			newVocabulary().loadHolidays(&holidaysFile{Holidays: []holidayEntry{{Holiday: "Walpurgis Night", Phrases: []string{"walpurgis"}}}})
		}},
		{"no such unit", func() {
			newVocabulary().loadDurations(&durationsFile{Units: wordMap[[]string]{Words: map[string][]string{"decade": {"decade"}}}})
		}},
		{"unit word in two units", func() {
			newVocabulary().loadDurations(&durationsFile{Units: wordMap[[]string]{Words: map[string][]string{"day": {"d"}, "hour": {"d"}}}})
		}},
		{"no such month", func() {
			newVocabulary().loadCalendar(&calendarFile{Months: wordMap[int]{Words: map[string]int{"smarch": 13}}})
		}},
		{"no such edge", func() { edgesOf(wordMap[string]{Words: map[string]string{"end": "last"}}) }},
		{"flight verb of no kind", func() {
			newVocabulary().loadRevisions(&revisionsFile{FlightVerbs: wordMap[string]{Words: map[string]string{"extend": "sometimes"}}})
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
