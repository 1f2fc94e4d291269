package schedule

import (
	"fmt"
	"time"
)

// The data files as written, and how each becomes the typed tables of vocabulary.

type calendarFile struct {
	Comment          string          `json:"_comment"`
	Months           wordMap[int]    `json:"months"`
	MonthContext     wordList        `json:"month_context"`
	Weekdays         wordList        `json:"weekdays"`
	WeekdayModifiers wordMap[string] `json:"weekday_modifiers"`
	Ordinals         wordMap[int]    `json:"ordinals"`
	OrdinalTens      wordMap[int]    `json:"ordinal_tens"`
	OrdinalSuffixes  wordList        `json:"ordinal_suffixes"`
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
	Fortnights       wordList          `json:"fortnights"`
	SymbolUnits      wordMap[string]   `json:"symbol_units"`
	Modifiers        wordMap[int]      `json:"modifiers"`
	Comparatives     wordMap[int]      `json:"comparatives"`
	CurrencySigns    wordList          `json:"currency_signs"`
	RateBefore       wordList          `json:"rate_before"`
	RateWords        wordList          `json:"rate_words"`
	NotFlightAfter   wordList          `json:"not_flight_after"`
	AgeWords         wordList          `json:"age_words"`
	NowWords         wordList          `json:"now_words"`
	FromEndBefore    wordList          `json:"from_end_before"`
	FromNowBefore    wordList          `json:"from_now_before"`
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
}

func (v *vocabulary) loadCalendar(f *calendarFile) {
	v.months = map[string]time.Month{}
	for w, m := range f.Months.Words {
		if m < 1 || m > 12 {
			panic(fmt.Sprintf("schedule data: month %q is %d", w, m))
		}
		v.months[w] = time.Month(m)
	}
	v.monthContext = f.MonthContext.set()
	v.weekdays = f.Weekdays.set()
	v.weekdayModifiers = phraseTable[string]{}
	for w, m := range f.WeekdayModifiers.Words {
		v.weekdayModifiers.add(w, oneOf("weekday modifier", w, m, "this", "next"))
	}
	v.ordinals = f.Ordinals.Words
	v.ordinalTens = f.OrdinalTens.Words
	v.ordinalSuffixes = f.OrdinalSuffixes.set()
	v.quarterOrdinals = f.QuarterOrdinals.Words
	v.periodShifts = f.PeriodShifts.Words
	v.yearShifts = f.YearShifts.Words
	v.restWords = f.RestWords.set()
	v.yearPeriodBefore = f.YearPeriodBefore.set()
	v.edges = edgesOf(f.Edges)
	v.monthEdges = edgesOf(f.MonthEdges)
	v.periodEnds = map[string]string{}
	for w, unit := range f.PeriodEnds.Words {
		v.periodEnds[w] = oneOf("period end", w, unit, "month", "quarter", "year")
	}
	v.casualDays = f.CasualDays.set()
	v.asap = phraseTable[bool]{}
	for _, w := range f.ASAP.Words {
		v.asap.add(w, true)
	}
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
	byName := map[string]holiday{}
	for h, name := range holidayNames {
		byName[name] = h
	}
	v.holidays = phraseTable[holidayPhrase]{}
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
			v.holidays.add(text, p)
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
	v.units = map[string]unitWord{}
	for name, words := range f.Units.Words {
		for w := range (wordList{Words: words, Comment: name}).set() {
			if _, ok := v.units[w]; ok {
				panic(fmt.Sprintf("schedule data: unit word %q listed twice", w))
			}
			v.units[w] = unitWord{unit: unitOf(name), factor: 1}
		}
	}
	for w := range f.Fortnights.set() {
		if _, ok := v.units[w]; ok {
			panic(fmt.Sprintf("schedule data: unit word %q listed twice", w))
		}
		v.units[w] = unitWord{unit: week, factor: 2}
	}
	v.symbolUnits = map[string]scheduleUnit{}
	for w, name := range f.SymbolUnits.Words {
		v.symbolUnits[w] = unitOf(name)
	}
	v.modifiers = f.Modifiers.Words
	v.comparatives = f.Comparatives.Words
	v.currencySigns = f.CurrencySigns.set()
	v.rateBefore = f.RateBefore.set()
	v.rateWords = f.RateWords.set()
	v.notFlightAfter = f.NotFlightAfter.set()
	v.ageWords = f.AgeWords.set()
	v.nowWords = f.NowWords.set()
	v.fromEndBefore = f.FromEndBefore.set()
	v.fromNowBefore = f.FromNowBefore.set()
	v.lengthRangeWords = f.LengthRangeWords.set()
	v.resultVerbs = f.ResultVerbs.set()
	v.offsetWords = f.OffsetWords.Words
}

func (v *vocabulary) loadRoles(f *rolesFile) {
	v.startWords = f.StartWords.set()
	v.endWords = f.EndWords.set()
	v.fillers = f.Fillers.set()
	v.rangeWords = f.RangeWords.set()
	v.rangeFillers = f.RangeFillers.set()
	v.dateBefore = f.DateBefore.set()
	v.endBeforePeriod = f.EndBeforePeriod.set()
}

func (v *vocabulary) loadRevisions(f *revisionsFile) {
	v.lengthenWords = f.LengthenWords.set()
	v.shortenWords = f.ShortenWords.set()
	v.laterWords = f.LaterWords.set()
	v.earlierWords = f.EarlierWords.set()
	v.clauseStops = f.ClauseStops.set()
	v.startNouns = f.StartNouns.set()
	v.endNouns = f.EndNouns.set()
	v.revisionVerbs = f.RevisionVerbs.set()
	v.timeComparatives = f.TimeComparatives.set()
	v.shiftSubjects = f.ShiftSubjects.set()
	v.flightVerbs = map[string]bool{}
	for w, kind := range f.FlightVerbs.Words {
		v.flightVerbs[w] = oneOf("flight verb", w, kind, "alone", "with_direction") == "alone"
	}
	v.flightPronouns = f.FlightPronouns.set()
	v.flightNouns = f.FlightNouns.set()
	v.creativeWords = f.CreativeWords.set()
}
