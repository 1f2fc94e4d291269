package schedule

import (
	"strconv"
	"time"

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
		return monthStart(y, m), monthEnd(y, m), true
	case "quarter":
		q := time.Month(3 * ((int(m) - 1) / 3))
		return monthStart(y, q+1), monthEnd(y, q+3), true
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
		n := addMonths(start, 1)
		return n, monthEnd(n.Time().Year(), n.Time().Month()), true
	case "quarter":
		n := addMonths(start, 3)
		return n, monthEnd(n.Time().Year(), n.Time().Month()+2), true
	case "year":
		return addMonths(start, 12), addMonths(end, 12), true
	}
	return start.AddDays(7), end.AddDays(7), true
}

var quarterOrdinals = map[string]int{
	"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}

// relativePeriodAt reads "this month", "next quarter", "the rest of the year", "Q1",
// "Q1 2027", "the first quarter", "H2".
func (s *scheduleScanner) relativePeriodAt(i int) (scheduleSpec, int, bool) {
	w := s.word(i)
	switch w {
	case "this", "current", "next", "following", "coming":
		unit := s.word(i + 1)
		var start, end agents.Date
		var ok bool
		if w == "next" || w == "following" || w == "coming" {
			start, end, ok = s.nextPeriod(unit)
		} else {
			start, end, ok = s.thisPeriod(unit)
		}
		if !ok {
			return scheduleSpec{}, i, false
		}
		return scheduleSpec{kind: specFixed, start: start, end: end}, i + 2, true
	case "rest", "remainder":
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
	case "q", "h":
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
	if q, ok := quarterOrdinals[w]; ok && s.word(i+1) == "quarter" {
		spec := scheduleSpec{kind: specQuarter, n: q}
		j := i + 2
		if y, k, ok := s.relativeYearAt(j); ok {
			spec.year, j = y, k
		}
		return spec, j, true
	}
	if (w == "first" || w == "second") && s.word(i+1) == "half" && s.word(i+2) == "of" {
		n := 1
		if w == "second" {
			n = 2
		}
		j := i + 3
		if s.word(j) == "the" && s.word(j+1) == "year" {
			return scheduleSpec{kind: specHalf, n: n}, j + 2, true
		}
		if y, k, ok := s.relativeYearAt(j - 1); ok {
			return scheduleSpec{kind: specHalf, n: n, year: y}, k, true
		}
	}
	return scheduleSpec{}, i, false
}

// yearPeriodAt reads a whole year after "in", "during" or "throughout" ("in 2027").
func (s *scheduleScanner) yearPeriodAt(i int) (int, bool) {
	switch s.word(i - 1) {
	case "in", "during", "throughout":
	default:
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
	w := s.word(j)
	var edge scheduleEdge
	switch w {
	case "end", "close":
		edge = edgeEnd
	case "start", "beginning":
		edge = edgeStart
	case "middle":
		edge = edgeMid
	case "mid", "early":
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		m, n, ok := s.monthAt(k)
		if !ok {
			return i, false
		}
		spec := scheduleSpec{kind: specMonth, month: m, edge: edgeMid}
		if w == "early" {
			spec.edge = edgeStart
		}
		if y, k2, ok := s.relativeYearAt(n); ok {
			spec.year, n = y, k2
		}
		s.addDate(i, n, spec, true)
		return n, true
	case "year", "month", "quarter":
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		if s.word(k) != "end" {
			return i, false
		}
		start, end, _ := s.thisPeriod(w)
		s.addDate(i, k+1, scheduleSpec{kind: specFixed, start: start, end: end, edge: edgeEnd}, false)
		return k + 1, true
	case "yearend", "eoy", "eom", "eoq":
		unit := map[string]string{"yearend": "year", "eoy": "year", "eom": "month", "eoq": "quarter"}[w]
		start, end, _ := s.thisPeriod(unit)
		s.addDate(i, j+1, scheduleSpec{kind: specFixed, start: start, end: end, edge: edgeEnd}, false)
		return j + 1, true
	default:
		return i, false
	}
	if s.word(j+1) != "of" {
		return i, false
	}
	k := j + 2
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
