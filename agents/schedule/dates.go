package schedule

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Dates written with words: months and days ("March 3", "3rd of March", "Dec 1-15"),
// years, weekdays ("next Monday") and casual days ("tomorrow", "asap").

// yearAt reads a four-digit year (1900-2199) at i, after an optional comma or "of".
func (s *scheduleScanner) yearAt(i int) (int, int, bool) {
	j := i
	if w := s.word(j); w == "," || w == "of" {
		j++
	}
	if !s.isNumber(j) || len(s.word(j)) != 4 {
		return 0, i, false
	}
	y, err := strconv.Atoi(s.word(j))
	if err != nil || y < 1900 || y > 2199 {
		return 0, i, false
	}
	return y, j + 1, true
}

// relativeYearAt reads "next year" or "this year" after a month or quarter ("March
// next year", "Q1 of next year").
func (s *scheduleScanner) relativeYearAt(i int) (int, int, bool) {
	if y, n, ok := s.yearAt(i); ok {
		return y, n, true
	}
	j := i
	if s.word(j) == "of" {
		j++
	}
	if s.word(j+1) != "year" {
		return 0, i, false
	}
	if l := s.lex(j); l.in(wYearShift) {
		return s.today.Time().Year() + l.yearShift, j + 2, true
	}
	return 0, i, false
}

// monthAt reads a month name at i, with an optional dot after an abbreviation.
func (s *scheduleScanner) monthAt(i int) (time.Month, int, bool) {
	l := s.lex(i)
	if !l.in(wMonth) || s.tokens[i].kind != scheduleWord {
		return 0, i, false
	}
	m := l.month
	n := i + 1
	if s.word(n) == "." && s.adjacent(n) && utf8.RuneCountInString(s.word(i)) <= 4 {
		n++
	}
	if l.in(wMonthNeedsDate) && !s.dateAround(i, n) {
		return 0, i, false
	}
	return m, n, true
}

// dateAround reports whether the month abbreviation at tokens [i, n) is written as
// part of a date: a year after it ("set 2027"), or a day before it ("10 de out", "3
// mag") that no word follows but a range word ("3 mag - 20 giu", "1 ott al 15 nov").
func (s *scheduleScanner) dateAround(i, n int) bool {
	if _, _, ok := s.yearAt(n); ok {
		return true
	}
	j := i - 1
	if s.is(j, wDayMonthJoiner) || s.word(j) == "." && s.adjacent(j) {
		j--
	}
	if s.is(j, wOrdinalSuffix) && s.adjacent(j) {
		j--
	}
	if !s.isNumber(j) || len(s.word(j)) > 2 {
		return false
	}
	return n >= len(s.tokens) || s.tokens[n].kind != scheduleWord || s.is(n, wRange) && !s.is(n, wRangeConjunction)
}

// dayAt reads a day of the month: "3", "3rd", "third", "twenty-first", "the 3rd".
func (s *scheduleScanner) dayAt(i int) (int, int, bool) {
	j := i
	if s.word(j) == "the" {
		j++
	}
	w := s.word(j)
	if s.isNumber(j) {
		if len(w) > 2 {
			return 0, i, false
		}
		d, err := strconv.Atoi(w)
		if err != nil || d < 1 || d > 31 {
			return 0, i, false
		}
		j++
		if s.is(j, wOrdinalSuffix) && s.adjacent(j) {
			j++
		} else if j < len(s.tokens) && s.tokens[j].kind == scheduleWord && s.adjacent(j) {
			// "2x", "5k", "10am" are no days.
			return 0, i, false
		}
		// "3 months", "3-day": a number before a unit is not a day of the month.
		if s.is(j, wUnit) {
			return 0, i, false
		}
		if s.word(j) == "-" && s.adjacent(j) {
			if s.is(j+1, wUnit) {
				return 0, i, false
			}
		}
		return d, j, true
	}
	if l := s.lex(j); l.in(wOrdinal) {
		return l.ordinal, j + 1, true
	}
	if l := s.lex(j); l.in(wOrdinalTens) {
		base := l.ordinalTens
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		if l := s.lex(k); l.in(wOrdinal) && l.ordinal < 10 {
			d := l.ordinal
			if base+d <= 31 {
				return base + d, k + 1, true
			}
		}
	}
	return 0, i, false
}

// monthFirstAt reads "March 3", "March 3rd, 2027", "Dec 1-15", "January 2027" and a
// bare month ("in January").
func (s *scheduleScanner) monthFirstAt(i int) (int, bool) {
	m, j, ok := s.monthAt(i)
	if !ok {
		return i, false
	}
	day, k, hasDay := s.dayAt(j)
	if hasDay {
		// "Dec 1-15", "December 1st through the 15th"; not "March 3 - April 10", which
		// pairRanges joins.
		endDay, afterEnd := 0, k
		if s.rangeJoinsAt(k, i) {
			if d2, n, ok := s.dayAt(k + 1); ok && d2 > day {
				if _, _, nextIsMonth := s.monthAt(n); !nextIsMonth {
					endDay, afterEnd = d2, n
				}
			}
		}
		year, n, hasYear := s.yearAt(afterEnd)
		if !hasYear {
			n = afterEnd
		}
		start := scheduleSpec{kind: specMonthDay, year: year, month: m, day: day}
		s.addDate(i, k, start, true)
		if endDay > 0 {
			end := start
			end.day = endDay
			s.mentions = append(s.mentions, mention{
				kind: dateMention, from: k, to: n, spec: end, written: true,
				role: endRole, connector: s.word(k), ranged: true,
			})
			s.mentions[len(s.mentions)-2].role = startRole
		} else {
			s.mentions[len(s.mentions)-1].to = n
		}
		return n, true
	}
	year, n, hasYear := s.relativeYearAt(j)
	if !hasYear {
		n = j
		// "may" is the month only where a month is expected ("in May", "May-June", an
		// item of a list), and "jan", "mar" alone are names or typos; "march" the verb
		// is rare in briefs.
		if s.needsContext(i) && !s.is(i-1, wMonthContext) && !s.monthRangeAt(j) && !s.listItemAt(i, j) && !s.addedMonthAt(i, j) {
			return i, false
		}
	}
	s.addDate(i, n, scheduleSpec{kind: specMonth, year: year, month: m}, hasYear)
	return n, true
}

// addedMonthAt reports whether the abbreviation at tokens [i, j) is a month added to
// the flight ("Feb as well", "Mar too"); a word that is more often something else
// ("may too") is not.
func (s *scheduleScanner) addedMonthAt(i, j int) bool {
	if s.is(i, wMonthNeedsContext) {
		return false
	}
	_, _, ok := matchPhrase(s.lex(j).additions, s.word, j)
	return ok
}

// needsContext reports whether the month name at i is the month only where a month is
// expected: an abbreviation of three letters or fewer, or a word that is more often
// something else ("may", "mars").
func (s *scheduleScanner) needsContext(i int) bool {
	return len(s.word(i)) <= 3 || s.is(i, wMonthNeedsContext)
}

// listItemAt reports whether the month name at tokens [i, n) stands alone as an item
// of a list written without sentences: last in the message ("US, $40k, reach, Feb",
// "Austria €7k reach Jan", "jan."), or between two list marks (", Feb |"). A word
// that is more often something else ("may") needs a mark before it even when last;
// a name after a greeting is a person ("thanks, Jan").
func (s *scheduleScanner) listItemAt(i, n int) bool {
	prev := i - 1
	if s.word(prev) == "," {
		prev--
	}
	if s.is(prev, wNotMonthAfter) {
		return false
	}
	before := i == 0 || s.is(i-1, wListSeparator)
	last := true
	for k := n; k < len(s.tokens); k++ {
		if s.tokens[k].kind != punct {
			last = false
			break
		}
	}
	if last {
		return before || !s.is(i, wMonthNeedsContext)
	}
	return before && s.is(n, wListSeparator)
}

// monthRangeAt reports whether a range word and a month follow at i ("- June").
func (s *scheduleScanner) monthRangeAt(i int) bool {
	if !s.is(i, wRange) {
		return false
	}
	_, _, ok := s.monthAt(i + 1)
	return ok
}

// dayFirstAt reads "3 March", "3rd of March 2027", "the 1st of March", "1-15 December".
func (s *scheduleScanner) dayFirstAt(i int) (int, bool) {
	day, j, ok := s.dayAt(i)
	if !ok {
		return i, false
	}
	if s.word(j) == "." && s.adjacent(j) && s.rangeJoinsAt(j+1, i) {
		// German ordinal days: "14.–27. Dezember", "3. bis 9. Mai".
		j++
	}
	endDay, endFrom := 0, j
	if s.rangeJoinsAt(j, i) {
		if d2, n, ok := s.dayAt(j + 1); ok && d2 > day {
			endDay, j = d2, n
		}
	}
	if s.is(j, wDayMonthJoiner) || s.word(j) == "." && s.adjacent(j) {
		// "3rd of March", "1 de febrero", German "1. Februar"
		j++
	}
	m, k, ok := s.monthAt(j)
	if !ok {
		return i, false
	}
	year, n, hasYear := s.yearAt(k)
	if !hasYear {
		n = k
	}
	start := scheduleSpec{kind: specMonthDay, year: year, month: m, day: day}
	if endDay == 0 {
		s.addDate(i, n, start, true)
		return n, true
	}
	s.addDate(i, endFrom, start, true)
	s.mentions[len(s.mentions)-1].role = startRole
	end := start
	end.day = endDay
	s.mentions = append(s.mentions, mention{
		kind: dateMention, from: endFrom, to: n, spec: end, written: true,
		role: endRole, connector: s.word(endFrom), ranged: true,
	})
	return n, true
}

// dayOfMonthAt reads "the 15th" with no month, where a date is expected ("from the 1st
// to the 15th", "until the 20th"): the next such day.
func (s *scheduleScanner) dayOfMonthAt(i int) (int, bool) {
	if s.word(i) != "the" {
		return i, false
	}
	if !s.dateExpectedAt(i - 1) {
		return i, false
	}
	day, n, ok := s.dayAt(i)
	if !ok {
		return i, false
	}
	// "the 3" without an ordinal suffix is too weak to be a date.
	if s.isNumber(i+1) && (!s.adjacent(i+2) || !s.is(i+2, wOrdinalSuffix)) {
		return i, false
	}
	s.addDate(i, n, scheduleSpec{kind: specDayOfMonth, day: day}, true)
	return n, true
}

// casualAt reads "tomorrow", "today", "tonight" (through when) and "asap",
// "immediately", "right away" (the earliest start: tomorrow).
func (s *scheduleScanner) casualAt(i int) (int, bool) {
	if w := s.word(i); s.is(i, wCasualDay) {
		d, ok := s.whenDay(w)
		if !ok {
			return i, false
		}
		s.addDate(i, i+1, scheduleSpec{kind: specFixed, start: d, end: d}, false)
		return i + 1, true
	}
	if ps := s.lex(i).asap; len(ps) > 0 {
		if _, n, ok := matchPhrase(ps, s.word, i); ok {
			d := s.today.AddDays(1)
			s.addDate(i, n, scheduleSpec{kind: specFixed, start: d, end: d}, false)
			return n, true
		}
	}
	return i, false
}

// weekdayAt reads "Monday", "next Monday", "this Friday", "this coming Monday",
// "Monday next week" through when. A plural ("on Mondays") is day-parting, not a date.
func (s *scheduleScanner) weekdayAt(i int) (int, bool) {
	modifier, j := "", i
	if ps := s.lex(i).weekdayModifiers; len(ps) > 0 {
		modifier, j, _ = matchPhrase(ps, s.word, i)
	}
	day := s.word(j)
	if !s.is(j, wWeekday) {
		return i, false
	}
	n := j + 1
	fragment := day
	if modifier != "" {
		fragment = modifier + " " + day
	}
	if x := s.word(n); (x == "next" || x == "this") && s.word(n+1) == "week" {
		fragment = day + " " + x + " week"
		n += 2
	}
	d, ok := s.whenDay(fragment)
	if !ok {
		return i, false
	}
	// when reads "this Monday" on a Wednesday as two days ago; a flight means the
	// coming one.
	for !s.today.Before(d) {
		d = d.AddDays(7)
	}
	if strings.HasSuffix(fragment, "next week") {
		// "Monday next week" is in the week after this one, which when does not know.
		monday := s.today.AddDays(7 - (int(s.today.Time().Weekday())+6)%7)
		for d.Before(monday) {
			d = d.AddDays(7)
		}
	}
	s.addDate(i, n, scheduleSpec{kind: specFixed, start: d, end: d}, false)
	return n, true
}
