package budget

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// The budget specialist's words live in data/*.json, one table per meaning, each
// saying what its words do; the Go code holds only how they are read.

//go:embed data/*.json
var dataFS embed.FS

// vocabulary is every word table of the package, loaded once.
type vocabulary struct {
	// data/amounts.json
	dotAbbreviations map[string]bool
	euroSignTails    map[string]bool
	suffixes         map[string]float64
	suffixSpaced     map[string]bool
	grandNot         map[string]bool
	negativeWords    map[string]bool

	// data/money_context.json
	notMoneyAfter   map[string]bool
	ageOpenEnd      map[string]bool
	months          map[string]bool
	ageBefore       map[string]bool
	yearBefore      map[string]bool
	budgetCues      map[string]bool
	budgetCuesAfter map[string]budgetCue
	spendAfterTo    map[string]bool
	beforeCueAfter  map[string]bool
	fillers         map[string]bool
	ageWords        map[string]bool
	followCues      phraseSet
	periods         map[string]string
	perWords        map[string]bool
	periodUnits     map[string]string
	periodNouns     map[string]bool
	lifetimeWords   map[string]bool
	priceWords      map[string]bool
	priceUnits      map[string]bool
	oldBefore       phraseSet

	// data/revisions.json
	addWords           map[string]bool
	subtractWords      map[string]bool
	relationFillers    map[string]bool
	moreAfter          map[string]bool
	lessAfter          map[string]bool
	beforeMoreAfter    map[string]bool
	budgetNouns        map[string]bool
	otherNouns         map[string]bool
	formatWords        map[string]bool
	shareWords         map[string]bool
	upWords            map[string]bool
	downWords          map[string]bool
	priceComparatives  map[string]int
	scaleVerbs         map[string]scaleVerb // by every form
	pronouns           map[string]bool
	objectFillers      map[string]bool
	halvingVerbs       map[string]bool
	percentWords       map[string]bool
	currencyCuesBefore map[string]bool
	currencyCuesAfter  map[string]bool
	dayRateWords       map[string]bool
	typeCues           map[string]bool
}

// scaleVerb is a verb that multiplies the budget; name is how notes write it.
type scaleVerb struct {
	name   string
	factor float64
}

// phraseSet holds phrases of one or two words, looked up by their last word and the
// word before it ("make it", "instead of"), with no allocation.
type phraseSet struct {
	single map[string]bool
	pair   map[[2]string]bool
}

// endsAt reports whether a phrase of the set ends with w, with prev before it.
func (p phraseSet) endsAt(prev, w string) bool {
	return p.single[w] || p.pair[[2]string{prev, w}]
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

type amountsFile struct {
	Comment          string   `json:"_comment"`
	DotAbbreviations wordList `json:"dot_abbreviations"`
	EuroSignTails    wordList `json:"euro_sign_tails"`
	Suffixes         struct {
		Comment string             `json:"_comment"`
		Glued   map[string]float64 `json:"glued"`
		Spaced  map[string]float64 `json:"spaced"`
	} `json:"suffixes"`
	GrandNot      wordList `json:"grand_not"`
	NegativeWords wordList `json:"negative_words"`
}

type contextFile struct {
	Comment         string          `json:"_comment"`
	NotMoneyAfter   wordList        `json:"not_money_after"`
	AgeOpenEnd      wordList        `json:"age_open_end"`
	Months          wordList        `json:"months"`
	AgeBefore       wordList        `json:"age_before"`
	YearBefore      wordList        `json:"year_before"`
	BudgetCues      wordList        `json:"budget_cues"`
	BudgetCuesAfter wordMap[string] `json:"budget_cues_after"`
	SpendAfterTo    wordList        `json:"spend_after_to"`
	BeforeCueAfter  wordList        `json:"before_cue_after"`
	Fillers         wordList        `json:"fillers"`
	AgeWords        wordList        `json:"age_words"`
	FollowCues      wordList        `json:"follow_cues"`
	Periods         wordMap[string] `json:"periods"`
	PerWords        wordList        `json:"per_words"`
	PeriodUnits     wordMap[string] `json:"period_units"`
	PeriodNouns     wordList        `json:"period_nouns"`
	LifetimeWords   wordList        `json:"lifetime_words"`
	PriceWords      wordList        `json:"price_words"`
	PriceUnits      wordList        `json:"price_units"`
	OldBefore       wordList        `json:"old_before"`
}

type revisionsFile struct {
	Comment           string       `json:"_comment"`
	AddWords          wordList     `json:"add_words"`
	SubtractWords     wordList     `json:"subtract_words"`
	RelationFillers   wordList     `json:"relation_fillers"`
	MoreAfter         wordList     `json:"more_after"`
	LessAfter         wordList     `json:"less_after"`
	BeforeMoreAfter   wordList     `json:"before_more_after"`
	BudgetNouns       wordList     `json:"budget_nouns"`
	OtherNouns        wordList     `json:"other_nouns"`
	FormatWords       wordList     `json:"format_words"`
	ShareWords        wordList     `json:"share_words"`
	UpWords           wordList     `json:"up_words"`
	DownWords         wordList     `json:"down_words"`
	PriceComparatives wordMap[int] `json:"price_comparatives"`
	ScaleVerbs        wordMap[struct {
		Factor float64  `json:"factor"`
		Forms  []string `json:"forms"`
	}] `json:"scale_verbs"`
	Pronouns           wordList `json:"pronouns"`
	ObjectFillers      wordList `json:"object_fillers"`
	HalvingVerbs       wordList `json:"halving_verbs"`
	PercentWords       wordList `json:"percent_words"`
	CurrencyCuesBefore wordList `json:"currency_cues_before"`
	CurrencyCuesAfter  wordList `json:"currency_cues_after"`
	DayRateWords       wordList `json:"day_rate_words"`
	TypeCues           wordList `json:"type_cues"`
}

// vocab is the package's word tables, loaded at first use. The files are part of the
// program, so a malformed one is a build defect and panics.
var vocab = sync.OnceValue(loadVocabulary)

func loadVocabulary() *vocabulary {
	var a amountsFile
	var c contextFile
	var r revisionsFile
	mustDecode("data/amounts.json", &a)
	mustDecode("data/money_context.json", &c)
	mustDecode("data/revisions.json", &r)
	v := &vocabulary{}
	v.loadAmounts(&a)
	v.loadContext(&c)
	v.loadRevisions(&r)
	return v
}

func (v *vocabulary) loadAmounts(a *amountsFile) {
	v.dotAbbreviations = a.DotAbbreviations.set()
	v.euroSignTails = a.EuroSignTails.set()
	v.suffixes = map[string]float64{}
	v.suffixSpaced = map[string]bool{}
	for s, f := range a.Suffixes.Glued {
		v.suffixes[s] = f
	}
	for s, f := range a.Suffixes.Spaced {
		if _, ok := v.suffixes[s]; ok {
			panic(fmt.Sprintf("budget data: suffix %q is both glued and spaced", s))
		}
		v.suffixes[s] = f
		v.suffixSpaced[s] = true
	}
	v.grandNot = a.GrandNot.set()
	v.negativeWords = a.NegativeWords.set()
}

func (v *vocabulary) loadContext(c *contextFile) {
	v.notMoneyAfter = c.NotMoneyAfter.set()
	v.ageOpenEnd = c.AgeOpenEnd.set()
	v.months = c.Months.set()
	v.ageBefore = c.AgeBefore.set()
	v.yearBefore = c.YearBefore.set()
	v.budgetCues = c.BudgetCues.set()
	v.budgetCuesAfter = map[string]budgetCue{}
	for w, name := range c.BudgetCuesAfter.Words {
		cue, ok := map[string]budgetCue{"budget": cueBudget, "follow": cueFollow}[name]
		if !ok {
			panic(fmt.Sprintf("budget data: budget_cues_after %q is %q, neither budget nor follow", w, name))
		}
		v.budgetCuesAfter[w] = cue
	}
	v.spendAfterTo = c.SpendAfterTo.set()
	v.beforeCueAfter = c.BeforeCueAfter.set()
	v.fillers = c.Fillers.set()
	v.ageWords = c.AgeWords.set()
	v.followCues = c.FollowCues.phrases()
	v.periods = periodsOf(c.Periods)
	v.perWords = c.PerWords.set()
	v.periodUnits = periodsOf(c.PeriodUnits)
	v.periodNouns = c.PeriodNouns.set()
	v.lifetimeWords = c.LifetimeWords.set()
	v.priceWords = c.PriceWords.set()
	v.priceUnits = c.PriceUnits.set()
	v.oldBefore = c.OldBefore.phrases()
}

func (v *vocabulary) loadRevisions(r *revisionsFile) {
	v.addWords = r.AddWords.set()
	v.subtractWords = r.SubtractWords.set()
	v.relationFillers = r.RelationFillers.set()
	v.moreAfter = r.MoreAfter.set()
	v.lessAfter = r.LessAfter.set()
	v.beforeMoreAfter = r.BeforeMoreAfter.set()
	v.budgetNouns = r.BudgetNouns.set()
	v.otherNouns = r.OtherNouns.set()
	v.formatWords = r.FormatWords.set()
	v.shareWords = r.ShareWords.set()
	v.upWords = r.UpWords.set()
	v.downWords = r.DownWords.set()
	v.priceComparatives = r.PriceComparatives.Words
	v.scaleVerbs = map[string]scaleVerb{}
	for name, sv := range r.ScaleVerbs.Words {
		for _, f := range sv.Forms {
			if _, ok := v.scaleVerbs[f]; ok {
				panic(fmt.Sprintf("budget data: scale verb form %q listed twice", f))
			}
			v.scaleVerbs[f] = scaleVerb{name: name, factor: sv.Factor}
		}
	}
	v.pronouns = r.Pronouns.set()
	v.objectFillers = r.ObjectFillers.set()
	v.halvingVerbs = r.HalvingVerbs.set()
	v.percentWords = r.PercentWords.set()
	v.currencyCuesBefore = r.CurrencyCuesBefore.set()
	v.currencyCuesAfter = r.CurrencyCuesAfter.set()
	v.dayRateWords = r.DayRateWords.set()
	v.typeCues = r.TypeCues.set()
}

// set makes a set of the list; a word listed twice is a defect of the data.
func (l wordList) set() map[string]bool {
	s := make(map[string]bool, len(l.Words))
	for _, w := range l.Words {
		if s[w] {
			panic(fmt.Sprintf("budget data: %q listed twice (%s)", w, l.Comment))
		}
		s[w] = true
	}
	return s
}

// phrases makes a phraseSet of a list of one- and two-word phrases.
func (l wordList) phrases() phraseSet {
	p := phraseSet{single: map[string]bool{}, pair: map[[2]string]bool{}}
	l.set() // refuses a phrase listed twice
	for _, w := range l.Words {
		switch ws := strings.Fields(w); len(ws) {
		case 1:
			p.single[ws[0]] = true
		case 2:
			p.pair[[2]string{ws[0], ws[1]}] = true
		default:
			panic(fmt.Sprintf("budget data: phrase %q is not of one or two words", w))
		}
	}
	return p
}

// periodsOf checks that every word of m means a period.
func periodsOf(m wordMap[string]) map[string]string {
	for w, p := range m.Words {
		if p != "day" && p != "week" && p != "month" {
			panic(fmt.Sprintf("budget data: %q means %q, not a day, week or month", w, p))
		}
	}
	return m.Words
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
