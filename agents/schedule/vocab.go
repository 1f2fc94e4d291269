package schedule

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"
)

// The schedule specialist's words live in data/*.json, one table per meaning, each
// saying what its words do; the Go code holds only how they are read.

//go:embed data/*.json
var dataFS embed.FS

// vocabulary is every word table of the package, loaded once.
type vocabulary struct {
	// data/calendar.json
	months           map[string]time.Month
	monthContext     map[string]bool
	weekdays         map[string]bool
	weekdayModifiers phraseTable[string]
	ordinals         map[string]int
	ordinalTens      map[string]int
	ordinalSuffixes  map[string]bool
	quarterOrdinals  map[string]int
	periodShifts     map[string]int
	yearShifts       map[string]int
	restWords        map[string]bool
	yearPeriodBefore map[string]bool
	edges            map[string]scheduleEdge
	monthEdges       map[string]scheduleEdge
	periodEnds       map[string]string
	casualDays       map[string]bool
	asap             phraseTable[bool]

	// data/holidays.json
	holidays phraseTable[holidayPhrase]

	// data/durations.json
	units            map[string]unitWord
	symbolUnits      map[string]scheduleUnit
	modifiers        map[string]int
	comparatives     map[string]int
	currencySigns    map[string]bool
	rateBefore       map[string]bool
	rateWords        map[string]bool
	notFlightAfter   map[string]bool
	ageWords         map[string]bool
	nowWords         map[string]bool
	fromEndBefore    map[string]bool
	fromNowBefore    map[string]bool
	lengthRangeWords map[string]bool
	resultVerbs      map[string]bool
	offsetWords      map[string]int

	// data/roles.json
	startWords      map[string]bool
	endWords        map[string]bool
	fillers         map[string]bool
	rangeWords      map[string]bool
	rangeFillers    map[string]bool
	dateBefore      map[string]bool
	endBeforePeriod map[string]bool

	// data/revisions.json
	lengthenWords    map[string]bool
	shortenWords     map[string]bool
	laterWords       map[string]bool
	earlierWords     map[string]bool
	clauseStops      map[string]bool
	startNouns       map[string]bool
	endNouns         map[string]bool
	revisionVerbs    map[string]bool
	timeComparatives map[string]bool
	shiftSubjects    map[string]bool
	flightVerbs      map[string]bool // true: a change by itself; false: only with a direction
	flightPronouns   map[string]bool
	flightNouns      map[string]bool
	creativeWords    map[string]bool
}

// unitWord is a unit as written; a fortnight is two weeks.
type unitWord struct {
	unit   scheduleUnit
	factor float64
}

// holidayPhrase is what one of a holiday's phrases reads.
type holidayPhrase struct {
	holiday  holiday
	then     map[string]bool // one word after it that belongs to the name
	notAfter map[string]bool // words before it that make it something else
}

// phraseTable holds phrases of one or more tokens, by first token, longest first.
type phraseTable[V any] map[string][]phrase[V]

type phrase[V any] struct {
	words []string
	value V
}

// match finds the longest phrase starting at token i.
func (t phraseTable[V]) match(word func(int) string, i int) (v V, next int, ok bool) {
	for _, p := range t[word(i)] {
		matched := true
		for k := 1; k < len(p.words); k++ {
			if word(i+k) != p.words[k] {
				matched = false
				break
			}
		}
		if matched {
			return p.value, i + len(p.words), true
		}
	}
	return v, i, false
}

// add adds a phrase, split into tokens as messages are ("back-to-school" is five).
func (t phraseTable[V]) add(text string, v V) {
	var words []string
	for _, tok := range tokenize(text) {
		words = append(words, tok.text)
	}
	if len(words) == 0 {
		panic(fmt.Sprintf("schedule data: empty phrase %q", text))
	}
	for _, p := range t[words[0]] {
		if equalWords(p.words, words) {
			panic(fmt.Sprintf("schedule data: phrase %q listed twice", text))
		}
	}
	ps := append(t[words[0]], phrase[V]{words: words, value: v})
	sort.SliceStable(ps, func(a, b int) bool { return len(ps[a].words) > len(ps[b].words) })
	t[words[0]] = ps
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// wordList is a table of words, and wordMap one of words with a value; comment says
// what the words do.
type wordList struct {
	Comment string   `json:"_comment"`
	Words   []string `json:"words"`
}

type wordMap[V any] struct {
	Comment string       `json:"_comment"`
	Words   map[string]V `json:"words"`
}

// set makes a set of the list; a word listed twice is a defect of the data.
func (l wordList) set() map[string]bool {
	s := make(map[string]bool, len(l.Words))
	for _, w := range l.Words {
		if s[w] {
			panic(fmt.Sprintf("schedule data: %q listed twice (%s)", w, l.Comment))
		}
		s[w] = true
	}
	return s
}

// vocab is the package's word tables, loaded at first use. The files are part of the
// program, so a malformed one is a build defect and panics.
var vocab = sync.OnceValue(loadVocabulary)

func loadVocabulary() *vocabulary {
	var cal calendarFile
	var hol holidaysFile
	var dur durationsFile
	var rol rolesFile
	var rev revisionsFile
	mustDecode("data/calendar.json", &cal)
	mustDecode("data/holidays.json", &hol)
	mustDecode("data/durations.json", &dur)
	mustDecode("data/roles.json", &rol)
	mustDecode("data/revisions.json", &rev)
	v := &vocabulary{}
	v.loadCalendar(&cal)
	v.loadHolidays(&hol)
	v.loadDurations(&dur)
	v.loadRoles(&rol)
	v.loadRevisions(&rev)
	return v
}

// mustDecode reads an embedded data file into v, refusing fields v does not have so
// that a misspelt table name fails instead of leaving a table empty.
func mustDecode(name string, v any) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("reading %s: %v", name, err))
	}
	decodeBytes(name, b, v)
}

func decodeBytes(name string, b []byte, v any) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		panic(fmt.Sprintf("reading %s: %v", name, err))
	}
	if dec.More() {
		panic(fmt.Sprintf("reading %s: data after the table", name))
	}
}
