package budget

import (
	"embed"
	"sync"

	"github.com/adplan/adplan/agents/internal/datafile"
)

// The budget specialist's words live in data/*.json, one table per meaning, each
// saying what its words do; the Go code holds only how they are read. Loaded, the
// tables become one lexeme per word, which each token of a message looks up once.

//go:embed data/*.json
var dataFS embed.FS

// wordSet is a set of word tables, one bit per table.
type wordSet uint64

const (
	// data/amounts.json
	bEuroTail wordSet = 1 << iota
	bSuffix
	bSuffixSpaced
	bGrandNot
	bNegative
	bLakhSuffix
	bLakhSpaced
	bMil
	bMilThousandWord
	bHedgeAfter
	bHedgeBefore

	// data/money_context.json
	bNotMoneyAfter
	bAgeOpenEnd
	bMonth
	bAgeBefore
	bYearBefore
	bBudgetCue
	bCueAfter
	bSpendAfterTo
	bBeforeCueAfter
	bFiller
	bAgeWord
	bFollowCue // a follow cue of one word
	bPeriod
	bPer
	bPeriodUnit
	bPeriodNoun
	bLifetime
	bPriceWord
	bPriceUnit
	bOld        // a replaced-amount cue of one word
	bCorrection // a correction of one word
	bCorrectionPunct
	bFlightWord
	bFlightUnit
	bFlightStart

	// data/revisions.json
	bAdd
	bSubtract
	bRelationFiller
	bMoreAfter
	bLessAfter
	bBeforeMoreAfter
	bBudgetNoun
	bOtherNoun
	bFormat
	bShare
	bUp
	bDown
	bPriceComparative
	bScaleVerb
	bPronoun
	bObjectFiller
	bHalvingVerb
	bPercent
	bCurrencyCueBefore
	bCurrencyCueAfter
	bDayRate
	bTypeCue
)

// lexeme is everything the tables say about one word: the tables it is in, and the
// value each table that has values gives it.
type lexeme struct {
	sets             wordSet
	suffix           float64   // the multiplier a suffix writes
	lakhSuffix       float64   // the multiplier an abbreviation of lakh or crore writes
	cueAfter         budgetCue // what the word makes the number before it
	period           string    // "day", "week" or "month", for a period word
	periodUnit       string    // the same, for the unit after a per word
	priceComparative int       // -1 when the word asks for less by itself
	scale            scaleVerb
	// The lexemes of the words that stand before this one in a two-word follow cue
	// ("make it") or replaced-amount cue ("instead of").
	followCueAfter  []uint32
	oldAfter        []uint32
	correctionAfter []uint32
}

func (l *lexeme) in(s wordSet) bool { return l.sets&s != 0 }

// scaleVerb is a verb that multiplies the budget; name is how notes write it.
type scaleVerb struct {
	name   string
	factor float64
}

// vocabulary holds a lexeme per word, side by side in one slice so that a lookup is
// one index; lexemes[0] is the empty lexeme of every other word.
type vocabulary struct {
	ids     map[string]uint32
	lexemes []lexeme
	// dotAbbreviations are read by the tokenizer, before tokens have lexemes.
	dotAbbreviations map[string]bool
	// milLetters are the letters of a language that writes "mil" for a thousand.
	milLetters string
	// lakhCurrencies are the currencies counted in lakhs and crores.
	lakhCurrencies map[string]bool
}

func newVocabulary() *vocabulary {
	return &vocabulary{ids: map[string]uint32{}, lexemes: []lexeme{{}}, dotAbbreviations: map[string]bool{}}
}

// id is the lexeme number of w, made when the tables first name it.
func (v *vocabulary) id(w string) uint32 {
	id, ok := v.ids[w]
	if !ok {
		id = uint32(len(v.lexemes))
		v.ids[w] = id
		v.lexemes = append(v.lexemes, lexeme{})
	}
	return id
}

// entry is the lexeme of w, to fill in while loading; it is valid until the next
// word is added.
func (v *vocabulary) entry(w string) *lexeme {
	id := v.id(w)
	return &v.lexemes[id]
}

// lookup is the lexeme of w, the empty one when no table names it.
func (v *vocabulary) lookup(w string) *lexeme { return &v.lexemes[v.ids[w]] }

// annotate looks up each token's word once.
func (v *vocabulary) annotate(toks []token) {
	for i := range toks {
		toks[i].lexeme = v.ids[toks[i].text]
	}
}

// hasID reports whether id is one of ids; 0, the lexeme of words no table names, never is.
func hasID(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id && id != 0 {
			return true
		}
	}
	return false
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

// vocab is the package's word tables, loaded at first use. The files are part of the
// program, so a malformed one is a build defect and panics.
var vocab = sync.OnceValue(loadVocabulary)

func loadVocabulary() *vocabulary {
	var a amountsFile
	var c contextFile
	var r revisionsFile
	datafile.MustRead(dataFS, "data/amounts.json", &a)
	datafile.MustRead(dataFS, "data/money_context.json", &c)
	datafile.MustRead(dataFS, "data/revisions.json", &r)
	v := newVocabulary()
	v.loadAmounts(&a)
	v.loadContext(&c)
	v.loadRevisions(&r)
	return v
}
