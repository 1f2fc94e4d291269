package schedule

import (
	"strconv"
	"time"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents"
)

// Periods: "this month", "next quarter", "Q1", "H2", "in 2027", and one day of a
// period ("the end of the year", "mid-January").

// thisPeriod is the rest of the current month, week, quarter or year, and nextPeriod
// the whole next one (weeks run Monday to Sunday).
func (s *scheduleScanner) thisPeriod(unit string) (agents.Date, agents.Date, bool) {
	t := s.today.Time()
	y, m := t.Year(), t.Month()
	switch unit {
	case "month":
		return calendar.MonthStart(y, m), calendar.MonthEnd(y, m), true
	case "quarter":
		q := time.Month(3 * ((int(m) - 1) / 3))
		return calendar.MonthStart(y, q+1), calendar.MonthEnd(y, q+3), true
	case "year":
		return agents.NewDate(y, 1, 1), agents.NewDate(y, 12, 31), true
	case "week":
		monday := s.today.AddDays(-((int(t.Weekday()) + 6) % 7))
		return monday, monday.AddDays(6), true
	case "weekend":
		monday := s.today.AddDays(-((int(t.Weekday()) + 6) % 7))
		return monday.AddDays(5), monday.AddDays(6), true
	}
	return agents.Date{}, agents.Date{}, false
}

func (s *scheduleScanner) nextPeriod(unit string) (agents.Date, agents.Date, bool) {
	start, end, ok := s.thisPeriod(unit)
	if !ok {
		return start, end, false
	}
	switch unit {
	case "month":
		n := calendar.AddMonths(start, 1)
		return n, calendar.MonthEnd(n.Time().Year(), n.Time().Month()), true
	case "quarter":
		n := calendar.AddMonths(start, 3)
		return n, calendar.MonthEnd(n.Time().Year(), n.Time().Month()+2), true
	case "year":
		return calendar.AddMonths(start, 12), calendar.AddMonths(end, 12), true
	}
	return start.AddDays(7), end.AddDays(7), true
}

// relativePeriodAt reads "this month", "next quarter", "the rest of the year", "Q1",
// "Q1 2027", "the first quarter", "H2".
func (s *scheduleScanner) relativePeriodAt(i int) (scheduleSpec, int, bool) {
	w, l := s.word(i), s.lex(i)
	if l.in(wPeriodShift) {
		return s.shiftedPeriodAt(i, l.periodShift)
	}
	if l.in(wRest) {
		if spec, n, ok := s.restOfPeriodAt(i); ok {
			return spec, n, true
		}
	} else if w == "q" || w == "h" {
		return s.quarterOrHalfAt(i)
	}
	if l.in(wQuarterOrdinal) && s.word(i+1) == "quarter" {
		spec := scheduleSpec{kind: specQuarter, n: l.quarterOrdinal}
		j := i + 2
		if y, k, ok := s.relativeYearAt(j); ok {
			spec.year, j = y, k
		}
		return spec, j, true
	}
	if n := l.ordinal; l.in(wOrdinal) && n <= 2 && s.word(i+1) == "half" && s.word(i+2) == "of" {
		j := i + 3
		// "the second half of March"
		if m, k, ok := s.monthAt(j); ok {
			spec := scheduleSpec{kind: specMonth, month: m, half: n}
			if y, k2, ok := s.relativeYearAt(k); ok {
				spec.year, k = y, k2
			}
			return spec, k, true
		}
		if s.word(j) == "the" && s.word(j+1) == "year" {
			return scheduleSpec{kind: specHalf, n: n}, j + 2, true
		}
		if y, k, ok := s.relativeYearAt(j - 1); ok {
			return scheduleSpec{kind: specHalf, n: n, year: y}, k, true
		}
	}
	return scheduleSpec{}, i, false
}

// shiftedPeriodAt reads "this month" (shift 0: what is left of it) and "next
// quarter" (shift 1: the whole next one).
func (s *scheduleScanner) shiftedPeriodAt(i, shift int) (scheduleSpec, int, bool) {
	unit := s.word(i + 1)
	var start, end agents.Date
	var ok bool
	if shift > 0 {
		start, end, ok = s.nextPeriod(unit)
	} else {
		start, end, ok = s.thisPeriod(unit)
	}
	if !ok {
		return scheduleSpec{}, i, false
	}
	return scheduleSpec{kind: specFixed, start: start, end: end}, i + 2, true
}

// restOfPeriodAt reads "the rest of the year", "remainder of this month".
func (s *scheduleScanner) restOfPeriodAt(i int) (scheduleSpec, int, bool) {
	j := i + 1
	if s.word(j) == "of" {
		j++
	}
	if w := s.word(j); w == "the" || w == "this" {
		j++
	}
	if start, end, ok := s.thisPeriod(s.word(j)); ok {
		return scheduleSpec{kind: specFixed, start: start, end: end}, j + 1, true
	}
	return scheduleSpec{}, i, false
}

// quarterOrHalfAt reads "Q1", "Q1 2027", "Q3 '27", "H2 next year".
func (s *scheduleScanner) quarterOrHalfAt(i int) (scheduleSpec, int, bool) {
	w := s.word(i)
	if !s.isNumber(i+1) || !s.adjacent(i+1) {
		return scheduleSpec{}, i, false
	}
	n, err := strconv.Atoi(s.word(i + 1))
	if err != nil || n < 1 || (w == "q" && n > 4) || (w == "h" && n > 2) {
		return scheduleSpec{}, i, false
	}
	spec := scheduleSpec{kind: specQuarter, n: n}
	if w == "h" {
		spec.kind = specHalf
	}
	j := i + 2
	if y, k, ok := s.relativeYearAt(j); ok {
		spec.year, j = y, k
	} else if s.word(j) == "'" && s.isNumber(j+1) && len(s.word(j+1)) == 2 {
		y, _ := strconv.Atoi(s.word(j + 1))
		spec.year, j = 2000+y, j+2
	}
	return spec, j, true
}

// yearPeriodAt reads a whole year after "in", "during" or "throughout" ("in 2027").
func (s *scheduleScanner) yearPeriodAt(i int) (int, bool) {
	if !s.is(i-1, wYearPeriodBefore) {
		return i, false
	}
	y, n, ok := s.yearAt(i)
	if !ok || n != i+1 {
		return i, false
	}
	s.addDate(i, n, scheduleSpec{kind: specYear, year: y}, true)
	return n, true
}

// edgeAt reads one day of a period: "the end of the year", "end of Q1", "the
// beginning of next month", "mid-January", "early March", "year-end".
func (s *scheduleScanner) edgeAt(i int) (int, bool) {
	j := i
	if s.word(j) == "the" {
		j++
	}
	w, l := s.word(j), s.lex(j)
	if l.in(wMonthEdge) {
		return s.monthEdgeAt(i, j+1, l.edge)
	}
	if l.in(wPeriodEnd) {
		return s.periodEndAt(i, j+1, l.periodEnd)
	}
	switch w {
	case "year", "month", "quarter":
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		if s.word(k) != "end" {
			return i, false
		}
		return s.periodEndAt(i, k+1, w)
	}
	if !l.in(wEdge) || s.word(j+1) != "of" {
		return i, false
	}
	return s.edgeOfAt(i, j+2, l.edge)
}

// monthEdgeAt reads the month after "mid" or "early", from token k ("mid-January").
func (s *scheduleScanner) monthEdgeAt(i, k int, edge scheduleEdge) (int, bool) {
	if s.word(k) == "-" {
		k++
	}
	m, n, ok := s.monthAt(k)
	if !ok {
		return i, false
	}
	spec := scheduleSpec{kind: specMonth, month: m, edge: edge}
	if y, k2, ok := s.relativeYearAt(n); ok {
		spec.year, n = y, k2
	}
	s.addDate(i, n, spec, true)
	return n, true
}

// periodEndAt adds the last day of the current unit ("year-end", "EOQ") as a date
// from token i to next.
func (s *scheduleScanner) periodEndAt(i, next int, unit string) (int, bool) {
	start, end, _ := s.thisPeriod(unit)
	s.addDate(i, next, scheduleSpec{kind: specFixed, start: start, end: end, edge: edgeEnd}, false)
	return next, true
}

// edgeOfAt reads the period after "the end of", from token k: this period ("of the
// year"), a relative one ("of next month"), a month or a year.
func (s *scheduleScanner) edgeOfAt(i, k int, edge scheduleEdge) (int, bool) {
	if s.word(k) == "the" || s.word(k) == "this" {
		k++
	}
	var spec scheduleSpec
	n := k
	if start, end, ok := s.thisPeriod(s.word(k)); ok {
		spec, n = scheduleSpec{kind: specFixed, start: start, end: end}, k+1
	} else if p, n2, ok := s.relativePeriodAt(k); ok {
		spec, n = p, n2
	} else if m, n2, ok := s.monthAt(k); ok {
		spec, n = scheduleSpec{kind: specMonth, month: m}, n2
		if y, n3, ok := s.relativeYearAt(n); ok {
			spec.year, n = y, n3
		}
	} else if y, n2, ok := s.yearAt(k); ok && n2 == k+1 {
		spec, n = scheduleSpec{kind: specYear, year: y}, n2
	} else {
		return i, false
	}
	spec.edge = edge
	s.addDate(i, n, spec, spec.kind != specFixed)
	return n, true
}
