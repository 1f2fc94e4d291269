package budget

import (
	"fmt"
	"strings"
)

// The data files as written, and how each becomes the lexemes of vocabulary.

type amountsFile struct {
	Comment          string   `json:"_comment"`
	DotAbbreviations wordList `json:"dot_abbreviations"`
	EuroSignTails    wordList `json:"euro_sign_tails"`
	Suffixes         struct {
		Comment string             `json:"_comment"`
		Glued   map[string]float64 `json:"glued"`
		Spaced  map[string]float64 `json:"spaced"`
	} `json:"suffixes"`
	LakhSuffixes struct {
		Comment    string             `json:"_comment"`
		Currencies []string           `json:"currencies"`
		Glued      map[string]float64 `json:"glued"`
		Spaced     map[string]float64 `json:"spaced"`
	} `json:"lakh_suffixes"`
	MilWords      wordList `json:"mil_words"`
	MilThousand   wordList `json:"mil_thousand_words"`
	MilLetters    wordList `json:"mil_thousand_letters"`
	HedgesAfter   wordList `json:"hedges_after"`
	HedgesBefore  wordList `json:"hedges_before"`
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
	Corrections     wordList        `json:"corrections"`
	CorrectionPunct wordList        `json:"corrections_before_punct"`
	FlightWords     wordList        `json:"flight_words"`
	FlightUnits     wordList        `json:"flight_units"`
	FlightStarts    wordList        `json:"flight_starts"`
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

func (v *vocabulary) loadAmounts(a *amountsFile) {
	for _, w := range a.DotAbbreviations.Words {
		v.dotAbbreviations[w] = true
	}
	v.add(bEuroTail, a.EuroSignTails)
	for s, f := range a.Suffixes.Glued {
		v.value(bSuffix, s).suffix = f
	}
	for s, f := range a.Suffixes.Spaced {
		if v.lookup(s).in(bSuffix) {
			panic(fmt.Sprintf("budget data: suffix %q is both glued and spaced", s))
		}
		l := v.value(bSuffix|bSuffixSpaced, s)
		l.suffix = f
	}
	for s, f := range a.LakhSuffixes.Glued {
		v.value(bLakhSuffix, s).lakhSuffix = f
	}
	for s, f := range a.LakhSuffixes.Spaced {
		if v.lookup(s).in(bLakhSuffix) {
			panic(fmt.Sprintf("budget data: lakh suffix %q is both glued and spaced", s))
		}
		v.value(bLakhSuffix|bLakhSpaced, s).lakhSuffix = f
	}
	if len(a.LakhSuffixes.Currencies) == 0 {
		panic("budget data: lakh_suffixes names no currencies")
	}
	v.lakhCurrencies = map[string]bool{}
	for _, c := range a.LakhSuffixes.Currencies {
		v.lakhCurrencies[c] = true
	}
	v.add(bMil, a.MilWords)
	v.add(bMilThousandWord, a.MilThousand)
	if len(a.MilLetters.Words) == 0 {
		panic("budget data: mil_thousand_letters is empty")
	}
	v.milLetters = strings.Join(a.MilLetters.Words, "")
	v.add(bHedgeAfter, a.HedgesAfter)
	v.add(bHedgeBefore, a.HedgesBefore)
	v.add(bGrandNot, a.GrandNot)
	v.add(bNegative, a.NegativeWords)
}

func (v *vocabulary) loadContext(c *contextFile) {
	v.add(bNotMoneyAfter, c.NotMoneyAfter)
	v.add(bAgeOpenEnd, c.AgeOpenEnd)
	v.add(bMonth, c.Months)
	v.add(bAgeBefore, c.AgeBefore)
	v.add(bYearBefore, c.YearBefore)
	v.add(bBudgetCue, c.BudgetCues)
	for w, name := range c.BudgetCuesAfter.Words {
		cue, ok := map[string]budgetCue{"budget": cueBudget, "follow": cueFollow}[name]
		if !ok {
			panic(fmt.Sprintf("budget data: budget_cues_after %q is %q, neither budget nor follow", w, name))
		}
		v.value(bCueAfter, w).cueAfter = cue
	}
	v.add(bSpendAfterTo, c.SpendAfterTo)
	v.add(bBeforeCueAfter, c.BeforeCueAfter)
	v.add(bFiller, c.Fillers)
	v.add(bAgeWord, c.AgeWords)
	v.addPhrases(bFollowCue, c.FollowCues, func(l *lexeme) *[]uint32 { return &l.followCueAfter })
	for w, p := range periodsOf(c.Periods) {
		v.value(bPeriod, w).period = p
	}
	v.add(bPer, c.PerWords)
	for w, p := range periodsOf(c.PeriodUnits) {
		v.value(bPeriodUnit, w).periodUnit = p
	}
	v.add(bPeriodNoun, c.PeriodNouns)
	v.add(bLifetime, c.LifetimeWords)
	v.add(bPriceWord, c.PriceWords)
	v.add(bPriceUnit, c.PriceUnits)
	v.addPhrases(bOld, c.OldBefore, func(l *lexeme) *[]uint32 { return &l.oldAfter })
	v.addPhrases(bCorrection, c.Corrections, func(l *lexeme) *[]uint32 { return &l.correctionAfter })
	v.add(bCorrectionPunct, c.CorrectionPunct)
	v.add(bFlightWord, c.FlightWords)
	v.add(bFlightUnit, c.FlightUnits)
	v.add(bFlightStart, c.FlightStarts)
}

func (v *vocabulary) loadRevisions(r *revisionsFile) {
	v.add(bAdd, r.AddWords)
	v.add(bSubtract, r.SubtractWords)
	v.add(bRelationFiller, r.RelationFillers)
	v.add(bMoreAfter, r.MoreAfter)
	v.add(bLessAfter, r.LessAfter)
	v.add(bBeforeMoreAfter, r.BeforeMoreAfter)
	v.add(bBudgetNoun, r.BudgetNouns)
	v.add(bOtherNoun, r.OtherNouns)
	v.add(bFormat, r.FormatWords)
	v.add(bShare, r.ShareWords)
	v.add(bUp, r.UpWords)
	v.add(bDown, r.DownWords)
	for w, dir := range r.PriceComparatives.Words {
		v.value(bPriceComparative, w).priceComparative = dir
	}
	for name, sv := range r.ScaleVerbs.Words {
		for _, f := range sv.Forms {
			if v.lookup(f).in(bScaleVerb) {
				panic(fmt.Sprintf("budget data: scale verb form %q listed twice", f))
			}
			v.value(bScaleVerb, f).scale = scaleVerb{name: name, factor: sv.Factor}
		}
	}
	v.add(bPronoun, r.Pronouns)
	v.add(bObjectFiller, r.ObjectFillers)
	v.add(bHalvingVerb, r.HalvingVerbs)
	v.add(bPercent, r.PercentWords)
	v.add(bCurrencyCueBefore, r.CurrencyCuesBefore)
	v.add(bCurrencyCueAfter, r.CurrencyCuesAfter)
	v.add(bDayRate, r.DayRateWords)
	v.add(bTypeCue, r.TypeCues)
}

// add puts each word of l in the table set, refusing a word listed twice in it.
func (v *vocabulary) add(set wordSet, l wordList) {
	for _, w := range l.Words {
		e := v.entry(w)
		if e.in(set) {
			panic(fmt.Sprintf("budget data: %q listed twice (%s)", w, l.Comment))
		}
		e.sets |= set
	}
}

// value puts w in the table set and returns its lexeme for the table's value; a map
// cannot list a word twice.
func (v *vocabulary) value(set wordSet, w string) *lexeme {
	e := v.entry(w)
	e.sets |= set
	return e
}

// addPhrases adds phrases of one word (to set) or two (to the list of words before
// the last, kept by the last word's lexeme).
func (v *vocabulary) addPhrases(set wordSet, l wordList, before func(*lexeme) *[]uint32) {
	seen := map[string]bool{}
	for _, p := range l.Words {
		if seen[p] {
			panic(fmt.Sprintf("budget data: %q listed twice (%s)", p, l.Comment))
		}
		seen[p] = true
		switch ws := strings.Fields(p); len(ws) {
		case 1:
			v.entry(ws[0]).sets |= set
		case 2:
			prev := v.id(ws[0])
			list := before(v.entry(ws[1]))
			*list = append(*list, prev)
		default:
			panic(fmt.Sprintf("budget data: phrase %q is not of one or two words", p))
		}
	}
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
