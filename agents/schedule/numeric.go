package schedule

import (
	"strconv"
	"strings"
	"time"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents"
)

// Dates written in digits: ISO ("2027-02-01"), dotted ("1.12.2026") and slash dates
// ("3/15"), read only where their order is clear.

// numericDateAt reads ISO dates ("2027-02-01", "2027/02/01"), European dotted dates
// ("1.12.2026") and slash dates ("3/15", "15/3/2027").
func (s *scheduleScanner) numericDateAt(i int) (int, bool) {
	if !s.isNumber(i) {
		return i, false
	}
	w := s.word(i)
	// ISO: YYYY-MM-DD, all adjacent.
	if len(w) == 4 && (s.word(i+1) == "-" || s.word(i+1) == "/") && s.word(i+3) == s.word(i+1) &&
		s.adjacent(i+1) && s.adjacent(i+2) && s.adjacent(i+3) && s.adjacent(i+4) &&
		s.isNumber(i+2) && s.isNumber(i+4) {
		y, _ := strconv.Atoi(w)
		m, errM := strconv.Atoi(s.word(i + 2))
		d, errD := strconv.Atoi(s.word(i + 4))
		if errM == nil && errD == nil {
			if date, ok := validDate(y, m, d); ok {
				s.addDate(i, i+5, scheduleSpec{kind: specFixed, start: date, end: date}, true)
				return i + 5, true
			}
		}
		return i + 5, true
	}
	// European D.M.YYYY, one number token with two dots, or D.M. with its closing dot
	// ("05.03.-30.03.2027", "ab 12.04."): dotted dates are always day first.
	if n, ok := s.dottedDateAt(i); ok {
		return n, true
	}
	if strings.Contains(w, ".") {
		return i, false
	}
	return s.slashDateAt(i)
}

// dottedDateAt reads D.M.YYYY and D.M. at token i.
func (s *scheduleScanner) dottedDateAt(i int) (int, bool) {
	w := s.word(i)
	if strings.Contains(w, ",") {
		return i, false
	}
	parts := strings.Split(w, ".")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return i, false
	}
	d, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	y, n := 0, i+1
	switch {
	case len(parts) == 3 && len(parts[2]) == 4:
		y, _ = strconv.Atoi(parts[2])
		if _, ok := validDate(y, m, d); !ok {
			return i, false
		}
	case len(parts) == 2 && s.word(i+1) == "." && s.adjacent(i+1) && !(s.isNumber(i+2) && s.adjacent(i+2)):
		// "05.03." and not "5.3.1" (a version) nor "5.3" (a decimal).
		if _, ok := validDate(2000, m, d); !ok {
			return i, false
		}
		n = i + 2
	case len(parts) == 2 && s.rangeJoinsAt(i+1, i) && !s.is(i+1, wRangeConjunction) && s.dottedDateFollows(i+2):
		// "1.02–28.02.2027": the first end of a range written without its closing dot,
		// which the dotted date after it shows is a date, not a decimal.
		if _, ok := validDate(2000, m, d); !ok {
			return i, false
		}
	default:
		return i, false
	}
	s.addDate(i, n, scheduleSpec{kind: specMonthDay, year: y, month: time.Month(m), day: d}, true)
	return n, true
}

// dottedDateFollows reports whether a whole dotted date starts at token j: D.M.YYYY,
// or D.M. with its closing dot.
func (s *scheduleScanner) dottedDateFollows(j int) bool {
	if !s.isNumber(j) {
		return false
	}
	parts := strings.Split(s.word(j), ".")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return false
	}
	if len(parts) == 3 {
		return len(parts[2]) == 4
	}
	return s.word(j+1) == "." && s.adjacent(j+1)
}

// validDate checks y-m-d and builds it.
func validDate(y, m, d int) (agents.Date, bool) {
	if y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > calendar.DaysIn(y, time.Month(m)) {
		return agents.Date{}, false
	}
	return agents.NewDate(y, time.Month(m), d), true
}

// slash is a slash date as written: a/b[/year].
type slash struct {
	a, b, year int
	from, to   int
}

// slashAt reads a/b or a/b/yy(yy), all adjacent, with a and b of one or two digits.
func (s *scheduleScanner) slashAt(i int) (slash, bool) {
	if !s.isNumber(i) || s.word(i+1) != "/" || !s.adjacent(i+1) || !s.adjacent(i+2) || !s.isNumber(i+2) {
		return slash{}, false
	}
	if len(s.word(i)) > 2 || len(s.word(i+2)) > 2 {
		return slash{}, false
	}
	a, errA := strconv.Atoi(s.word(i))
	b, errB := strconv.Atoi(s.word(i + 2))
	if errA != nil || errB != nil {
		return slash{}, false
	}
	sl := slash{a: a, b: b, from: i, to: i + 3}
	if s.word(i+3) == "/" && s.adjacent(i+3) && s.adjacent(i+4) && s.isNumber(i+4) {
		y, err := strconv.Atoi(s.word(i + 4))
		if err != nil || (len(s.word(i+4)) != 2 && len(s.word(i+4)) != 4) {
			return slash{}, false
		}
		if y < 100 {
			y += 2000
		}
		sl.year, sl.to = y, i+5
	}
	return sl, true
}

// slashOrder says how a slash date reads: month first (US), day first, either
// (both readings are the same day, or the other is impossible), or ambiguous.
func slashOrder(sl slash) (monthFirst, dayFirst bool) {
	monthFirst = sl.a >= 1 && sl.a <= 12 && sl.b >= 1 && sl.b <= 31
	dayFirst = sl.b >= 1 && sl.b <= 12 && sl.a >= 1 && sl.a <= 31
	return monthFirst, dayFirst
}

func slashSpec(sl slash, monthFirst bool) scheduleSpec {
	m, d := sl.a, sl.b
	if !monthFirst {
		m, d = sl.b, sl.a
	}
	return scheduleSpec{kind: specMonthDay, year: sl.year, month: time.Month(m), day: d}
}

// slashDateAt reads slash dates only where a date is expected (after "from", "until",
// "on", or as one end of a range), so "24/7" and "50/50" stay what they are, and only
// when the order is clear: "3/1" is March 1 in the US and January 3 elsewhere, so
// it is read only when a number above 12 (in it or in the other end of its range)
// settles the order; otherwise it gets a note.
func (s *scheduleScanner) slashDateAt(i int) (int, bool) {
	first, ok := s.slashAt(i)
	if !ok {
		return i, false
	}
	var second slash
	hasSecond := false
	if s.is(first.to, wRange) {
		second, hasSecond = s.slashAt(first.to + 1)
	}
	prev := i - 1
	if s.word(i-1) == "the" {
		prev = i - 2
	}
	if !hasSecond && !s.dateExpectedAt(prev) {
		return i, false
	}
	m1, d1 := slashOrder(first)
	monthFirst, dayFirst := m1, d1
	if hasSecond {
		m2, d2 := slashOrder(second)
		monthFirst, dayFirst = m1 && m2, d1 && d2
	}
	end := first.to
	if hasSecond {
		end = second.to
	}
	same := first.a == first.b && (!hasSecond || second.a == second.b)
	if !monthFirst && !dayFirst {
		s.mentions = append(s.mentions, mention{kind: unreadMention, from: i, to: end})
		return end, true
	}
	if monthFirst && dayFirst && !same {
		// Both readings are dates: the market settles it ("UK brief: 8/3 to 4/4"), or
		// month first, the US way, said in a note.
		order, settled := s.dateOrder()
		if !settled {
			order = true
			asRead, other := slashSpec(first, true).monthDayString(), slashSpec(first, false).dayMonthString()
			if hasSecond {
				asRead += " to " + slashSpec(second, true).monthDayString()
				other += " to " + slashSpec(second, false).dayMonthString()
			}
			s.note("Read %s as %s (month first, as the US writes dates); say %q if you meant that.",
				s.rawSpan(i, end), asRead, other)
		}
		monthFirst = order
	}
	s.addDate(i, first.to, slashSpec(first, monthFirst || same), true)
	if hasSecond {
		start := &s.mentions[len(s.mentions)-1]
		start.role = startRole
		end := slashSpec(second, monthFirst || same)
		// "08/02–04/04/27": the start is in the end's year.
		carryYear(&start.spec, end)
		s.mentions = append(s.mentions, mention{
			kind: dateMention, from: first.to, to: second.to,
			spec: end, written: true,
			role: endRole, connector: s.word(first.to), ranged: true,
		})
	}
	return end, true
}

// dayMonthString writes a day of a month the other way round: "8 March".
func (s scheduleSpec) dayMonthString() string {
	return strconv.Itoa(s.day) + " " + s.month.String()
}

// monthDayString writes a day of a month with the month's name: "March 8".
func (s scheduleSpec) monthDayString() string {
	return s.month.String() + " " + strconv.Itoa(s.day)
}
