package schedule

import (
	"math"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/numbers"
)

// Durations ("6 weeks", "a fortnight", "an hour and a half", "2 years, 3 months") read
// over tokens, shared by parseDuration (a whole phrase, scored against
// Duckling's corpus) and the schedule specialist (durations inside a brief).

// scheduleUnit is a unit of time, smallest first.
type scheduleUnit uint8

const (
	scheduleSecond scheduleUnit = iota
	scheduleMinute
	scheduleHour
	scheduleDay
	week
	scheduleMonth
	quarter
	scheduleYear
	unitCount
)

// unitSeconds is each unit in seconds as Duckling normalises them: a month
// is 30 days, a quarter 90, a year 365.
var unitSeconds = [unitCount]float64{1, 60, 3600, 86400, 7 * 86400, 30 * 86400, 90 * 86400, 365 * 86400}

// duration is an amount per unit ("2 years, 3 months" has 2 years and 3 months),
// kept apart so a flight can count calendar months while Duckling's seconds count 30 days.
type duration struct {
	amount [unitCount]float64
	// sign is +1 or -1 when a modifier said "more" or "less" ("2 more weeks").
	sign int
	// smallest is the smallest unit used.
	smallest scheduleUnit
}

// seconds is the duration as Duckling normalises it: a year counts 365 days unless it
// was combined with (or split into) months, when it counts 12 months of 30 days
// ("2 years and 3 months" is 27 months, 810 days; "1.5 years" is 18 months).
func (d duration) seconds() float64 {
	total := 0.0
	years := d.amount[scheduleYear]
	if years != 0 && (years != math.Trunc(years) || d.smallest == scheduleMonth || d.smallest == quarter) {
		total += years * 12 * unitSeconds[scheduleMonth]
		years = 0
	}
	total += years * unitSeconds[scheduleYear]
	for u := scheduleSecond; u < scheduleYear; u++ {
		total += d.amount[u] * unitSeconds[u]
	}
	return total
}

// months is the calendar-month part of a flight (years, quarters and months), and days
// the rest in days (weeks, days and anything smaller).
func (d duration) months() float64 {
	return d.amount[scheduleYear]*12 + d.amount[quarter]*3 + d.amount[scheduleMonth]
}

func (d duration) days() float64 {
	return d.amount[week]*7 + d.amount[scheduleDay] + d.amount[scheduleHour]/24 +
		d.amount[scheduleMinute]/1440 + d.amount[scheduleSecond]/86400
}

// largest is the largest unit with an amount.
func (d duration) largest() scheduleUnit {
	for u := scheduleYear; u > scheduleSecond; u-- {
		if d.amount[u] != 0 {
			return u
		}
	}
	return scheduleSecond
}

// durationReader reads durations from tokens; phrase allows the one-letter and
// symbol units (data/durations.json, symbol_units).
type durationReader struct {
	tokens []token
	phrase bool
	v      *vocabulary
}

func (r *durationReader) word(i int) string {
	if i < 0 || i >= len(r.tokens) {
		return ""
	}
	return r.tokens[i].text
}

// lex is what the word tables say about token i; off the ends, nothing.
func (r *durationReader) lex(i int) *lexeme {
	if i < 0 || i >= len(r.tokens) {
		return &r.v.lexemes[0]
	}
	return &r.v.lexemes[r.tokens[i].lexeme]
}

// is reports whether the word at token i is in one of the tables of set.
func (r *durationReader) is(i int, set wordSet) bool { return r.lex(i).in(set) }

// adjacent reports whether token i follows token i-1 with no space between.
func (r *durationReader) adjacent(i int) bool {
	return i > 0 && i < len(r.tokens) && r.tokens[i-1].end == r.tokens[i].start
}

// read reads a duration starting at token i: one term ("6 weeks") and any further
// terms in falling units ("2 years, 3 months", "1 hour fifteen"). It returns the
// duration and the index after it.
func (r *durationReader) read(i int) (duration, int, bool) {
	var d duration
	q, u, sign, next, ok := r.term(i)
	if !ok {
		return d, i, false
	}
	d.amount[u] += q
	d.smallest, d.sign = u, sign
	last := u
	for next < len(r.tokens) {
		j := next
		if r.word(j) == "," {
			j++
		}
		if r.word(j) == "and" {
			j++
		}
		if q2, u2, _, n2, ok := r.term(j); ok && u2 < last {
			d.amount[u2] += q2
			d.smallest, last, next = u2, u2, n2
			continue
		}
		// A bare number after hours is minutes, after minutes seconds: "1 hour fifteen",
		// "2 hour and 10". Fractions and decimals are not read this way.
		if last == scheduleHour || last == scheduleMinute {
			if v, n2, ok := r.quantity(j); ok && v >= 1 && v < 60 && v == math.Trunc(v) {
				if _, _, _, unitOK := r.unit(n2, v); !unitOK {
					small := scheduleMinute
					if last == scheduleMinute {
						small = scheduleSecond
					}
					d.amount[small] += v
					d.smallest, next = small, n2
				}
			}
		}
		break
	}
	return d, next, true
}

// term reads one quantity and its unit: "6 weeks", "half an hour", "one and three
// quarters of hours", "a month and a half", "10-day", "1/2h".
func (r *durationReader) term(i int) (q float64, u scheduleUnit, sign, next int, ok bool) {
	q, j, ok := r.quantity(i)
	if !ok {
		return 0, 0, 0, i, false
	}
	// "one and a half", "one and three quarters (of)", "five and half"
	if r.word(j) == "and" {
		if f, n, ok := r.fraction(j + 1); ok {
			q += f
			j = n
			if r.word(j) == "of" {
				j++
			}
		}
	}
	// "3 quarters of an hour"
	if q >= 1 && q <= 3 && q == math.Trunc(q) && strings.HasPrefix(r.word(j), "quarter") && r.word(j+1) == "of" {
		k := j + 2
		if w := r.word(k); w == "a" || w == "an" {
			k++
		}
		if _, _, _, ok := r.unit(k, 1); ok {
			q, j = q/4, k
		}
	}
	for {
		if l := r.lex(j); l.in(wModifier) {
			if l.modifier != 0 {
				sign = l.modifier
			}
			j++
			continue
		}
		// "10-day", "30-second"
		if r.word(j) == "-" && r.adjacent(j) && r.adjacent(j+1) {
			j++
			continue
		}
		break
	}
	factor, u, n, ok := r.unit(j, q)
	if !ok {
		return 0, 0, 0, i, false
	}
	q *= factor
	j = n
	// "an hour and a half", "one month and half"
	if r.word(j) == "and" {
		k := j + 1
		if w := r.word(k); w == "a" || w == "an" {
			k++
		}
		if r.word(k) == "half" {
			q += 0.5 * factor
			j = k + 1
		}
	}
	return q, u, sign, j, true
}

// unit reads a unit at token i. factor scales the quantity (a fortnight is 2 weeks).
func (r *durationReader) unit(i int, q float64) (factor float64, u scheduleUnit, next int, ok bool) {
	l := r.lex(i)
	if l.in(wUnit) {
		return l.unit.factor, l.unit.unit, i + 1, true
	}
	if r.phrase && l.in(wSymbolUnit) {
		// A symbol unit must touch its number ("2'", "1\""); a letter may be spaced ("2 m").
		if r.tokens[i].kind == punct && !r.adjacent(i) {
			return 0, 0, i, false
		}
		return 1, l.symbolUnit, i + 1, true
	}
	return 0, 0, i, false
}

// fraction reads the part after "and" in "one and a half", "five and half", "one and a
// quarter", "one and two quarters", "one and three quarter".
func (r *durationReader) fraction(i int) (float64, int, bool) {
	w := r.word(i)
	if w == "a" || w == "an" {
		i++
		w = r.word(i)
		if w == "half" {
			return 0.5, i + 1, true
		}
		if w == "quarter" {
			return 0.25, i + 1, true
		}
		return 0, i, false
	}
	if w == "half" {
		return 0.5, i + 1, true
	}
	quarters := 1.0
	switch w {
	case "one", "1":
		i++
	case "two", "2":
		quarters = 2
		i++
	case "three", "3":
		quarters = 3
		i++
	}
	if w := r.word(i); w == "quarter" || w == "quarters" {
		return quarters / 4, i + 1, true
	}
	return 0, i, false
}

// quantity reads how many: a numeral ("15.5", "5,000"), a fraction ("1/2"), number
// words ("thirty", "twenty-five", "one hundred and five"), "a"/"an"/"another" (one),
// "half (a|an)", "a half", "a couple (of)".
func (r *durationReader) quantity(i int) (float64, int, bool) {
	w := r.word(i)
	switch w {
	case "":
		return 0, i, false
	case "a", "an":
		switch r.word(i + 1) {
		case "half":
			return r.afterHalf(i + 2)
		case "couple":
			return r.afterCouple(i + 2)
		}
		return 1, i + 1, true
	case "another":
		return 1, i + 1, true
	case "half":
		return r.afterHalf(i + 1)
	case "couple":
		return r.afterCouple(i + 1)
	}
	if l := r.lex(i); l.number > 0 {
		// "vier Wochen", "un mes"
		return float64(l.number), i + 1, true
	}
	switch t := r.tokens[i]; {
	case t.kind == number:
		return r.numeralAt(i)
	case t.kind != scheduleWord || !numbers.IsNumberWord(w) || w == "half":
		return 0, i, false
	}
	return r.numberWordsAt(i)
}

// numeralAt reads a number in digits at token i, or a fraction written with a slash
// ("1/2", "3/4", all adjacent).
func (r *durationReader) numeralAt(i int) (float64, int, bool) {
	v, ok := numbers.ParseNumeral(r.tokens[i].text)
	if !ok {
		return 0, i, false
	}
	if r.word(i+1) == "/" && r.adjacent(i+1) && i+2 < len(r.tokens) && r.adjacent(i+2) && r.tokens[i+2].kind == number {
		den, ok := numbers.ParseNumeral(r.tokens[i+2].text)
		if !ok || den == 0 || den > 100 || v > 100 {
			return 0, i, false
		}
		return v / den, i + 3, true
	}
	return v, i + 1, true
}

// numberWordsAt reads a number in words at token i, joining hyphenated ones
// ("twenty-five") and "hundred and five", but not "one and three quarters", which
// fraction reads.
func (r *durationReader) numberWordsAt(i int) (float64, int, bool) {
	words := make([]string, 0, 4)
	j := i
	for j < len(r.tokens) && len(words) < 8 {
		w := r.word(j)
		if w == "-" && len(words) > 0 && r.adjacent(j) && r.adjacent(j+1) && numbers.IsNumberWord(r.word(j+1)) {
			j++
			continue
		}
		if w == "and" && len(words) > 0 && (words[len(words)-1] == "hundred" || numbers.Scales[words[len(words)-1]] > 0) {
			if _, isUnit := numbers.Units[r.word(j+1)]; isUnit && !strings.HasPrefix(r.word(j+2), "quarter") {
				words = append(words, w)
				j++
				continue
			}
		}
		if !numbers.IsNumberWord(w) || w == "half" {
			break
		}
		words = append(words, w)
		j++
	}
	v, used, ok := numbers.ReadWords(words)
	if !ok || used == 0 {
		return 0, i, false
	}
	// Map the words used back to tokens: every word is one token, hyphens aside.
	k := i
	for n := 0; n < used && k < len(r.tokens); k++ {
		if r.word(k) != "-" {
			n++
		}
	}
	return v, k, true
}

// afterHalf finishes "half", "half a", "half an", "a half": one half.
func (r *durationReader) afterHalf(i int) (float64, int, bool) {
	if w := r.word(i); w == "a" || w == "an" {
		i++
	}
	return 0.5, i, true
}

// afterCouple finishes "a couple of": two.
func (r *durationReader) afterCouple(i int) (float64, int, bool) {
	if r.word(i) == "of" {
		i++
	}
	return 2, i, true
}

// parseDuration reads a duration phrase ("an hour and a half", "2 years, 3
// months", "2'") and returns it in seconds as Duckling normalises durations (a month
// is 30 days, a quarter 90, a year 365; see duration.seconds). It reads the
// first duration in text; ok is false when there is none.
func parseDuration(text string) (seconds float64, ok bool) {
	tokens := tokenize(agents.Normalize(text))
	r := durationReader{tokens: tokens, phrase: true, v: vocab()}
	r.v.annotate(tokens)
	for i := range tokens {
		if i > 0 && r.lex(i-1).in(wCurrencySign) {
			continue
		}
		d, _, ok := r.read(i)
		if !ok {
			continue
		}
		s := d.seconds()
		if s <= 0 || math.IsInf(s, 0) || math.IsNaN(s) {
			continue
		}
		return s, true
	}
	return 0, false
}
