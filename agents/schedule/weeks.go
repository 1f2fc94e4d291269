package schedule

import "strconv"

// Calendar weeks: ISO 8601 week numbers ("weeks 10-13", "KW 6-9", "wk 12 2027") and
// the week starting on a date ("w/c 8 Mar").

// weekNumberAt reads a calendar week, or a range of them, at i: a week word
// (data/calendar.json, week_numbers) and a number from 1 to 53 ("KW6", "week 12"),
// optionally a range to a second number and a year. "week 2 of the campaign" is a week
// of the flight, not of the calendar, and "2 weeks" a length.
func (s *scheduleScanner) weekNumberAt(i int) (int, bool) {
	if !s.is(i, wWeekNumber) || s.isNumber(i-1) || s.is(i-1, wWeekNumber) {
		return i, false
	}
	j := i + 1
	dot := s.word(j) == "." && s.adjacent(j)
	if dot {
		j++
	}
	first, k, ok := s.weekNumber(j)
	if !ok {
		return i, false
	}
	last, n := first, k
	if s.is(k, wRange) && !s.is(k, wRangeConjunction) {
		k2 := k + 1
		if s.is(k2, wWeekNumber) {
			k2++
			if s.word(k2) == "." && s.adjacent(k2) {
				k2++
			}
		}
		if w2, n2, ok := s.weekNumber(k2); ok && w2 > first {
			last, n = w2, n2
		}
	}
	if s.is(i, wWeekNumberNeedsDot) && !dot && last == first {
		return i, false
	}
	year, afterYear, hasYear := s.yearAt(n)
	if !hasYear {
		afterYear = n
		// "week 2 of the flight" counts the flight's weeks.
		if s.word(n) == "of" {
			return i, false
		}
	}
	spec := scheduleSpec{kind: specWeek, n: first, year: year}
	if last == first {
		s.addDate(i, afterYear, spec, true)
		return afterYear, true
	}
	s.addDate(i, k, spec, true)
	s.mentions[len(s.mentions)-1].role = startRole
	end := spec
	end.n = last
	s.mentions = append(s.mentions, mention{
		kind: dateMention, from: k, to: afterYear, spec: end, written: true,
		role: endRole, connector: s.word(k), ranged: true,
	})
	return afterYear, true
}

// weekNumber reads a week's number, 1 to 53, at j.
func (s *scheduleScanner) weekNumber(j int) (int, int, bool) {
	if !s.isNumber(j) || len(s.word(j)) > 2 {
		return 0, j, false
	}
	n, err := strconv.Atoi(s.word(j))
	if err != nil || n < 1 || n > 53 {
		return 0, j, false
	}
	// "week 3 days" is no week number, nor "wk 12k".
	if s.is(j+1, wUnit) || s.adjacent(j+1) && s.tokens[j+1].kind == scheduleWord {
		return 0, j, false
	}
	return n, j + 1, true
}

// weekCommencingAt reads "w/c 8 Mar", "week commencing March 8": the week starting on
// the date, as one period.
func (s *scheduleScanner) weekCommencingAt(i int) (int, bool) {
	ps := s.lex(i).weekCommencing
	if len(ps) == 0 {
		return i, false
	}
	_, j, ok := matchPhrase(ps, s.word, i)
	if !ok {
		return i, false
	}
	before := len(s.mentions)
	n, ok := s.numericDateAt(j)
	if !ok {
		n, ok = s.monthFirstAt(j)
	}
	if !ok {
		n, ok = s.dayFirstAt(j)
	}
	if !ok || len(s.mentions) != before+1 || s.mentions[before].kind != dateMention {
		return i, false
	}
	m := &s.mentions[before]
	switch m.spec.kind {
	case specFixed:
		m.spec.end = m.spec.start.AddDays(6)
	case specMonthDay:
		m.spec.weekLong = true
	default:
		return n, true
	}
	m.from = i
	return n, true
}
