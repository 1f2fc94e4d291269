package schedule

import (
	"embed"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents/internal/datafile"
	"github.com/adplan/adplan/agents/internal/typo"
)

// The schedule specialist's words live in data/*.json, one table per meaning, each
// saying what its words do; the Go code holds only how they are read. Loaded, the
// tables become one lexeme per word, which each token of a message looks up once.

//go:embed data/*.json
var dataFS embed.FS

// wordSet is a set of word tables, one bit per table.
type wordSet uint64

const (
	// data/calendar.json
	wMonth wordSet = 1 << iota
	wMonthContext
	wWeekday
	wOrdinal
	wOrdinalTens
	wOrdinalSuffix
	wQuarterOrdinal
	wPeriodShift
	wYearShift
	wRest
	wYearPeriodBefore
	wEdge
	wMonthEdge
	wPeriodEnd
	wCasualDay
	wMonthNeedsContext
	wMonthNeedsDate
	wListSeparator
	wNotMonthAfter
	wDayMonthJoiner
	wWeekNumber
	wWeekNumberNeedsDot

	// data/durations.json
	wUnit
	wSymbolUnit
	wModifier
	wComparative
	wCurrencySign
	wRateBefore
	wRateBeforeAmount
	wRate
	wNotFlightAfter
	wAge
	wNow
	wFromEndBefore
	wFromNowBefore
	wLengthCue
	wLengthRange
	wResultVerb
	wOffset

	// data/roles.json
	wStart
	wEnd
	wFiller
	wRange
	wRangeFiller
	wRangeOpener
	wRangeConjunction
	wDateBefore
	wEndBeforePeriod

	// data/revisions.json
	wLengthen
	wShorten
	wLater
	wEarlier
	wClauseStop
	wStartNoun
	wEndNoun
	wRevisionVerb
	wTimeComparative
	wShiftSubject
	wFlightVerb
	wFlightPronoun
	wFlightNoun
	wCreative
)

// lexeme is everything the tables say about one word: the tables it is in, and the
// value each table that has values gives it.
type lexeme struct {
	sets            wordSet
	month           time.Month
	ordinal         int
	ordinalTens     int
	quarterOrdinal  int
	periodShift     int // 0 this period, 1 the next
	yearShift       int
	edge            scheduleEdge // in wEdge or wMonthEdge
	periodEnd       string       // the unit whose end an abbreviation names
	unit            unitWord
	number          int // a number word of another language ("vier")
	symbolUnit      scheduleUnit
	modifier        int // the sign a modifier gives a follow-up's change
	comparative     int
	offset          int  // -1 before, +1 after
	flightVerbAlone bool // a change of the flight by itself, not only with a direction

	// Phrases that start with this word, longest first.
	holidays         []phrase[holidayPhrase]
	asap             []phrase[bool]
	weekCommencing   []phrase[bool]
	corrections      []phrase[bool]
	negations        []phrase[bool]
	exclusions       []phrase[bool]
	keepEnds         []phrase[bool]
	additions        []phrase[bool]
	weekdayModifiers []phrase[string]
}

func (l *lexeme) in(s wordSet) bool { return l.sets&s != 0 }

// unitWord is a unit as written; a fortnight is two weeks.
type unitWord struct {
	unit   scheduleUnit
	factor float64
}

// holidayPhrase is what one of a holiday's phrases reads.
type holidayPhrase struct {
	holiday  calendar.Holiday
	then     map[string]bool // one word after it that belongs to the name
	notAfter map[string]bool // words before it that make it something else
}

// phrase is a phrase of one or more tokens and what it reads as.
type phrase[V any] struct {
	words []string
	value V
}

// matchPhrase finds the longest of phrases (all starting with the word at i) that
// the tokens from i spell.
func matchPhrase[V any](phrases []phrase[V], word func(int) string, i int) (v V, next int, ok bool) {
	for _, p := range phrases {
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

// addPhrase adds a phrase to the list of its first word, split into tokens as
// messages are ("back-to-school" is five), keeping the longest first.
func addPhrase[V any](v *vocabulary, list func(*lexeme) *[]phrase[V], text string, value V) {
	var words []string
	for _, tok := range tokenize(text) {
		words = append(words, tok.text)
	}
	if len(words) == 0 {
		panic(fmt.Sprintf("schedule data: empty phrase %q", text))
	}
	ps := list(v.entry(words[0]))
	for _, p := range *ps {
		if equalWords(p.words, words) {
			panic(fmt.Sprintf("schedule data: phrase %q listed twice", text))
		}
	}
	*ps = append(*ps, phrase[V]{words: words, value: value})
	sort.SliceStable(*ps, func(a, b int) bool { return len((*ps)[a].words) > len((*ps)[b].words) })
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

// vocabulary holds a lexeme per word, side by side in one slice so that a lookup is
// one index; lexemes[0] is the empty lexeme of every other word.
type vocabulary struct {
	ids     map[string]uint32
	lexemes []lexeme
	// monthTypos finds the month a misspelt month name means ("febuary").
	monthTypos *typo.Index
}

// entry is the lexeme of w, made when the tables first name it, to fill in while
// loading; it is valid until the next word is added.
func (v *vocabulary) entry(w string) *lexeme {
	id, ok := v.ids[w]
	if !ok {
		id = uint32(len(v.lexemes))
		v.ids[w] = id
		v.lexemes = append(v.lexemes, lexeme{})
	}
	return &v.lexemes[id]
}

// lookup is the lexeme of w, the empty one when no table names it.
func (v *vocabulary) lookup(w string) *lexeme { return &v.lexemes[v.ids[w]] }

// annotate looks up each token's word once. A word no table names that misspells a
// month name ("febuary") is read as that month's name and returned among typos.
func (v *vocabulary) annotate(tokens []token) (typos []int) {
	for i := range tokens {
		t := &tokens[i]
		t.lexeme = v.ids[t.text]
		if t.lexeme != 0 || t.kind != scheduleWord {
			continue
		}
		if w, ok := v.monthTypos.Correct(t.text); ok {
			t.text, t.lexeme = w, v.ids[w]
			typos = append(typos, i)
		}
	}
	return typos
}

// add puts each word in the table set, refusing a word listed twice in it.
func (v *vocabulary) add(set wordSet, l wordList) {
	for _, w := range l.Words {
		oneToken(w)
		e := v.entry(w)
		if e.in(set) {
			panic(fmt.Sprintf("schedule data: %q listed twice (%s)", w, l.Comment))
		}
		e.sets |= set
	}
}

// oneToken checks that a table's word is one token as messages are split, so that it
// can match at all ("jusqu'à" is three tokens and could never be read).
func oneToken(w string) {
	if toks := tokenize(w); len(toks) != 1 || toks[0].text != w {
		panic(fmt.Sprintf("schedule data: %q is not one word as messages are split", w))
	}
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
	datafile.MustRead(dataFS, "data/calendar.json", &cal)
	datafile.MustRead(dataFS, "data/holidays.json", &hol)
	datafile.MustRead(dataFS, "data/durations.json", &dur)
	datafile.MustRead(dataFS, "data/roles.json", &rol)
	datafile.MustRead(dataFS, "data/revisions.json", &rev)
	v := newVocabulary()
	v.loadCalendar(&cal)
	v.loadHolidays(&hol)
	v.loadDurations(&dur)
	v.loadRoles(&rol)
	v.loadRevisions(&rev)
	return v
}

func newVocabulary() *vocabulary {
	return &vocabulary{ids: map[string]uint32{}, lexemes: []lexeme{{}}}
}
