package schedule

import (
	"fmt"
	"strconv"
	"time"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents/internal/typo"
)

// The data files as written, and how each becomes the typed tables of vocabulary.

type calendarFile struct {
	Comment        string       `json:"_comment"`
	Months         wordMap[int] `json:"months"`
	MonthContext   wordList     `json:"month_context"`
	MonthNeedsCtx  wordList     `json:"month_needs_context"`
	MonthNeedsDate wordList     `json:"month_needs_date"`
	MonthTypos     struct {
		Comment    string   `json:"_comment"`
		MinLetters int      `json:"min_letters"`
		NotTypos   []string `json:"not_typos"`
	} `json:"month_typos"`
	ListSeparators   wordList        `json:"list_separators"`
	NotMonthAfter    wordList        `json:"not_month_after"`
	Weekdays         wordList        `json:"weekdays"`
	WeekdayModifiers wordMap[string] `json:"weekday_modifiers"`
	WeekNumbers      wordList        `json:"week_numbers"`
	WeekNumbersDot   wordList        `json:"week_numbers_need_dot"`
	WeekCommencing   wordList        `json:"week_commencing"`
	Ordinals         wordMap[int]    `json:"ordinals"`
	OrdinalTens      wordMap[int]    `json:"ordinal_tens"`
	OrdinalSuffixes  wordList        `json:"ordinal_suffixes"`
	DayMonthJoiners  wordList        `json:"day_month_joiners"`
	QuarterOrdinals  wordMap[int]    `json:"quarter_ordinals"`
	PeriodShifts     wordMap[int]    `json:"period_shifts"`
	YearShifts       wordMap[int]    `json:"year_shifts"`
	RestWords        wordList        `json:"rest_words"`
	YearPeriodBefore wordList        `json:"year_period_before"`
	Edges            wordMap[string] `json:"edges"`
	MonthEdges       wordMap[string] `json:"month_edges"`
	PeriodEnds       wordMap[string] `json:"period_ends"`
	CasualDays       wordList        `json:"casual_days"`
	ASAP             wordList        `json:"asap"`
}

type holidaysFile struct {
	Comment  string         `json:"_comment"`
	Holidays []holidayEntry `json:"holidays"`
}

type holidayEntry struct {
	Holiday  string   `json:"holiday"`
	Phrases  []string `json:"phrases"`
	Then     []string `json:"then"`
	NotAfter []string `json:"not_after"`
}

type durationsFile struct {
	Comment          string            `json:"_comment"`
	Units            wordMap[[]string] `json:"units"`
	NumberWords      wordMap[int]      `json:"number_words"`
	Fortnights       wordList          `json:"fortnights"`
	SymbolUnits      wordMap[string]   `json:"symbol_units"`
	Modifiers        wordMap[int]      `json:"modifiers"`
	Comparatives     wordMap[int]      `json:"comparatives"`
	CurrencySigns    wordList          `json:"currency_signs"`
	RateBefore       wordList          `json:"rate_before"`
	RateBeforeAmount wordList          `json:"rate_before_amount"`
	RateWords        wordList          `json:"rate_words"`
	NotFlightAfter   wordList          `json:"not_flight_after"`
	AgeWords         wordList          `json:"age_words"`
	NowWords         wordList          `json:"now_words"`
	FromEndBefore    wordList          `json:"from_end_before"`
	FromNowBefore    wordList          `json:"from_now_before"`
	LengthCues       wordList          `json:"length_cues"`
	LengthRangeWords wordList          `json:"length_range_words"`
	ResultVerbs      wordList          `json:"result_verbs"`
	OffsetWords      wordMap[int]      `json:"offset_words"`
}

type rolesFile struct {
	Comment         string   `json:"_comment"`
	StartWords      wordList `json:"start_words"`
	EndWords        wordList `json:"end_words"`
	Fillers         wordList `json:"fillers"`
	RangeWords      wordList `json:"range_words"`
	RangeOpeners    wordList `json:"range_openers"`
	RangeConj       wordList `json:"range_conjunctions"`
	RangeFillers    wordList `json:"range_fillers"`
	DateBefore      wordList `json:"date_before"`
	EndBeforePeriod wordList `json:"end_before_period"`
}

type revisionsFile struct {
	Comment          string          `json:"_comment"`
	LengthenWords    wordList        `json:"lengthen_words"`
	ShortenWords     wordList        `json:"shorten_words"`
	LaterWords       wordList        `json:"later_words"`
	EarlierWords     wordList        `json:"earlier_words"`
	ClauseStops      wordList        `json:"clause_stops"`
	StartNouns       wordList        `json:"start_nouns"`
	EndNouns         wordList        `json:"end_nouns"`
	RevisionVerbs    wordList        `json:"revision_verbs"`
	TimeComparatives wordList        `json:"time_comparatives"`
	ShiftSubjects    wordList        `json:"shift_subjects"`
	FlightVerbs      wordMap[string] `json:"flight_verbs"`
	FlightPronouns   wordList        `json:"flight_pronouns"`
	FlightNouns      wordList        `json:"flight_nouns"`
	CreativeWords    wordList        `json:"creative_words"`
	Corrections      wordList        `json:"corrections"`
	Negations        wordList        `json:"negations"`
	Exclusions       wordList        `json:"exclusions"`
	KeepEnd          wordList        `json:"keep_end"`
	Additions        wordList        `json:"additions"`
}

func (v *vocabulary) loadCalendar(f *calendarFile) {
	for w, m := range f.Months.Words {
		if m < 1 || m > 12 {
			panic(fmt.Sprintf("schedule data: month %q is %d", w, m))
		}
		v.value(wMonth, w).month = time.Month(m)
	}
	var names, meanings []string
	for w, m := range f.Months.Words {
		names = append(names, w)
		meanings = append(meanings, strconv.Itoa(m))
	}
	if f.MonthTypos.MinLetters < 4 {
		panic(fmt.Sprintf("schedule data: month_typos min_letters is %d", f.MonthTypos.MinLetters))
	}
	v.monthTypos = typo.New(names, meanings, f.MonthTypos.NotTypos, f.MonthTypos.MinLetters)
	v.add(wMonthContext, f.MonthContext)
	v.add(wMonthNeedsContext, f.MonthNeedsCtx)
	v.add(wListSeparator, f.ListSeparators)
	v.add(wNotMonthAfter, f.NotMonthAfter)
	v.add(wMonthNeedsDate, f.MonthNeedsDate)
	for _, w := range append(f.MonthNeedsCtx.Words, f.MonthNeedsDate.Words...) {
		if !v.lookup(w).in(wMonth) {
			panic(fmt.Sprintf("schedule data: %q needs context but is no month", w))
		}
	}
	v.add(wWeekday, f.Weekdays)
	v.add(wWeekNumber, f.WeekNumbers)
	v.add(wWeekNumberNeedsDot, f.WeekNumbersDot)
	for _, w := range f.WeekNumbersDot.Words {
		if !v.lookup(w).in(wWeekNumber) {
			panic(fmt.Sprintf("schedule data: %q needs a dot but is no week word", w))
		}
	}
	for _, w := range f.WeekCommencing.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.weekCommencing }, w, true)
	}
	for w, m := range f.WeekdayModifiers.Words {
		m = oneOf("weekday modifier", w, m, "this", "next")
		addPhrase(v, func(l *lexeme) *[]phrase[string] { return &l.weekdayModifiers }, w, m)
	}
	for w, n := range f.Ordinals.Words {
		v.value(wOrdinal, w).ordinal = n
	}
	for w, n := range f.OrdinalTens.Words {
		v.value(wOrdinalTens, w).ordinalTens = n
	}
	v.add(wOrdinalSuffix, f.OrdinalSuffixes)
	v.add(wDayMonthJoiner, f.DayMonthJoiners)
	for w, n := range f.QuarterOrdinals.Words {
		v.value(wQuarterOrdinal, w).quarterOrdinal = n
	}
	for w, n := range f.PeriodShifts.Words {
		v.value(wPeriodShift, w).periodShift = n
	}
	for w, n := range f.YearShifts.Words {
		v.value(wYearShift, w).yearShift = n
	}
	v.add(wRest, f.RestWords)
	v.add(wYearPeriodBefore, f.YearPeriodBefore)
	for w, e := range edgesOf(f.Edges) {
		v.value(wEdge, w).edge = e
	}
	for w, e := range edgesOf(f.MonthEdges) {
		v.value(wMonthEdge, w).edge = e
	}
	for w, unit := range f.PeriodEnds.Words {
		v.value(wPeriodEnd, w).periodEnd = oneOf("period end", w, unit, "month", "quarter", "year")
	}
	v.add(wCasualDay, f.CasualDays)
	for _, w := range f.ASAP.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.asap }, w, true)
	}
}

// value puts w in the table set and returns its lexeme for the table's value; a map
// cannot list a word twice.
func (v *vocabulary) value(set wordSet, w string) *lexeme {
	oneToken(w)
	e := v.entry(w)
	e.sets |= set
	return e
}

func edgesOf(m wordMap[string]) map[string]scheduleEdge {
	edges := map[string]scheduleEdge{"start": edgeStart, "mid": edgeMid, "end": edgeEnd}
	out := map[string]scheduleEdge{}
	for w, e := range m.Words {
		out[w] = edges[oneOf("edge", w, e, "start", "mid", "end")]
	}
	return out
}

// oneOf checks that a table's value is one the code reads.
func oneOf(table, word, value string, allowed ...string) string {
	for _, a := range allowed {
		if value == a {
			return value
		}
	}
	panic(fmt.Sprintf("schedule data: %s %q is %q, not one of %v", table, word, value, allowed))
}

func (v *vocabulary) loadHolidays(f *holidaysFile) {
	byName := map[string]calendar.Holiday{}
	for h, name := range calendar.Names() {
		byName[name] = h
	}
	for _, e := range f.Holidays {
		h, ok := byName[e.Holiday]
		if !ok {
			panic(fmt.Sprintf("schedule data: no holiday is named %q", e.Holiday))
		}
		p := holidayPhrase{
			holiday:  h,
			then:     wordList{Words: e.Then, Comment: e.Holiday}.set(),
			notAfter: wordList{Words: e.NotAfter, Comment: e.Holiday}.set(),
		}
		for _, text := range e.Phrases {
			addPhrase(v, func(l *lexeme) *[]phrase[holidayPhrase] { return &l.holidays }, text, p)
		}
	}
}

func (v *vocabulary) loadDurations(f *durationsFile) {
	unitNames := map[string]scheduleUnit{
		"second": scheduleSecond, "minute": scheduleMinute, "hour": scheduleHour, "day": scheduleDay,
		"week": week, "month": scheduleMonth, "quarter": quarter, "year": scheduleYear,
	}
	unitOf := func(name string) scheduleUnit {
		u, ok := unitNames[name]
		if !ok {
			panic(fmt.Sprintf("schedule data: no unit is named %q", name))
		}
		return u
	}
	for name, words := range f.Units.Words {
		u := unitOf(name)
		for _, w := range words {
			v.unit(w, unitWord{unit: u, factor: 1})
		}
	}
	for w, n := range f.NumberWords.Words {
		if n < 1 {
			panic(fmt.Sprintf("schedule data: number word %q is %d", w, n))
		}
		v.value(0, w).number = n
	}
	for _, w := range f.Fortnights.Words {
		v.unit(w, unitWord{unit: week, factor: 2})
	}
	for w, name := range f.SymbolUnits.Words {
		v.value(wSymbolUnit, w).symbolUnit = unitOf(name)
	}
	for w, n := range f.Modifiers.Words {
		v.value(wModifier, w).modifier = n
	}
	for w, n := range f.Comparatives.Words {
		v.value(wComparative, w).comparative = n
	}
	v.add(wCurrencySign, f.CurrencySigns)
	v.add(wRateBefore, f.RateBefore)
	v.add(wRateBeforeAmount, f.RateBeforeAmount)
	v.add(wRate, f.RateWords)
	v.add(wNotFlightAfter, f.NotFlightAfter)
	v.add(wAge, f.AgeWords)
	v.add(wNow, f.NowWords)
	v.add(wFromEndBefore, f.FromEndBefore)
	v.add(wFromNowBefore, f.FromNowBefore)
	v.add(wLengthCue, f.LengthCues)
	v.add(wLengthRange, f.LengthRangeWords)
	v.add(wResultVerb, f.ResultVerbs)
	for w, n := range f.OffsetWords.Words {
		v.value(wOffset, w).offset = n
	}
}

// unit records a unit word, refusing one listed under two units or twice.
func (v *vocabulary) unit(w string, u unitWord) {
	oneToken(w)
	e := v.entry(w)
	if e.in(wUnit) {
		panic(fmt.Sprintf("schedule data: unit word %q listed twice", w))
	}
	e.sets |= wUnit
	e.unit = u
}

func (v *vocabulary) loadRoles(f *rolesFile) {
	v.add(wStart, f.StartWords)
	v.add(wEnd, f.EndWords)
	v.add(wFiller, f.Fillers)
	v.add(wRange, f.RangeWords)
	v.add(wRangeOpener, f.RangeOpeners)
	v.add(wRangeConjunction, f.RangeConj)
	v.add(wRangeFiller, f.RangeFillers)
	v.add(wDateBefore, f.DateBefore)
	v.add(wEndBeforePeriod, f.EndBeforePeriod)
}

func (v *vocabulary) loadRevisions(f *revisionsFile) {
	v.add(wLengthen, f.LengthenWords)
	v.add(wShorten, f.ShortenWords)
	v.add(wLater, f.LaterWords)
	v.add(wEarlier, f.EarlierWords)
	v.add(wClauseStop, f.ClauseStops)
	v.add(wStartNoun, f.StartNouns)
	v.add(wEndNoun, f.EndNouns)
	v.add(wRevisionVerb, f.RevisionVerbs)
	v.add(wTimeComparative, f.TimeComparatives)
	v.add(wShiftSubject, f.ShiftSubjects)
	for w, kind := range f.FlightVerbs.Words {
		v.value(wFlightVerb, w).flightVerbAlone = oneOf("flight verb", w, kind, "alone", "with_direction") == "alone"
	}
	v.add(wFlightPronoun, f.FlightPronouns)
	v.add(wFlightNoun, f.FlightNouns)
	v.add(wCreative, f.CreativeWords)
	for _, w := range f.Corrections.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.corrections }, w, true)
	}
	for _, w := range f.Negations.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.negations }, w, true)
	}
	for _, w := range f.Exclusions.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.exclusions }, w, true)
	}
	for _, w := range f.KeepEnd.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.keepEnds }, w, true)
	}
	for _, w := range f.Additions.Words {
		addPhrase(v, func(l *lexeme) *[]phrase[bool] { return &l.additions }, w, true)
	}
}
