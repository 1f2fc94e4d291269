package schedule

import "strings"

// The part each date plays: the two ends of a range, and the start or end a role word
// gives ("starting", "until").

// pairRanges joins "A to B", "A - B", "A through B", "between A and B" into a start and
// an end, carrying a year written on one end to the other ("March 3 - April 10, 2027").
func (s *scheduleScanner) pairRanges() {
	for k := 0; k+1 < len(s.mentions); k++ {
		a, b := &s.mentions[k], &s.mentions[k+1]
		if a.kind != dateMention || b.kind != dateMention || a.role == endRole || b.ranged {
			continue
		}
		connector, ok := s.rangeGap(a.to, b.from)
		if !ok {
			continue
		}
		// "between Dec 1 and Dec 20"; "January and February" (two periods) is both.
		opener := s.rangeOpenerBefore(a.from)
		if s.is(a.to, wRangeConjunction) && opener < 0 && !(a.spec.isPeriod() && b.spec.isPeriod()) {
			continue
		}
		if a.role == noRole || a.connectorAt.empty() {
			a.role = startRole
			// "from March 3 to April 10", "between the 1st and the 15th"
			j := a.from - 1
			if s.is(j, wFiller) && !s.is(j, wStart) {
				j--
			}
			if s.is(j, wStart) {
				a.connector, a.connectorAt = s.word(j), one(j)
			} else if opener >= 0 {
				a.connector, a.connectorAt = s.word(opener), one(opener)
			}
		}
		b.role, b.connector, b.ranged = endRole, connector, true
		b.connectorAt = tokRange{a.to, b.from}
		carryYear(&a.spec, b.spec)
	}
}

// rangeOpenerBefore is the token of a word opening a range just before token from
// ("between", "entre el", "de"), or -1.
func (s *scheduleScanner) rangeOpenerBefore(from int) int {
	j := from - 1
	if s.is(j, wFiller) && !s.is(j, wRangeOpener) {
		j--
	}
	if s.is(j, wRangeOpener) {
		return j
	}
	return -1
}

// rangeJoinsAt reports whether the range word at token k may join the two ends of a
// range whose first end starts at token from: a conjunction ("and", "y") only after a
// word that opens a range ("between the 1st and the 15th", "entre el 1 y el 15").
func (s *scheduleScanner) rangeJoinsAt(k, from int) bool {
	return s.is(k, wRange) && (!s.is(k, wRangeConjunction) || s.rangeOpenerBefore(from) >= 0)
}

// rangeGap checks that the tokens between two dates join them as a range and returns
// the joining word.
func (s *scheduleScanner) rangeGap(from, to int) (string, bool) {
	if to <= from || to-from > 3 {
		return "", false
	}
	connector := ""
	for k := from; k < to; k++ {
		w := s.word(k)
		switch {
		case s.is(k, wRange):
			if connector == "" {
				connector = w
			}
		case s.is(k, wRangeFiller):
		default:
			return "", false
		}
	}
	return connector, connector != ""
}

// carryYear gives a start written without a year the year of its end, a year
// earlier when it would otherwise come after the end ("Dec 15 - Jan 15, 2027").
func carryYear(start *scheduleSpec, end scheduleSpec) {
	if start.kind == specDayOfMonth && end.kind == specMonthDay && start.day < end.day {
		// "between the 1st and the 15th of December": the month of the end.
		start.kind, start.month = specMonthDay, end.month
	}
	if start.year != 0 || end.year == 0 {
		return
	}
	if start.kind != specMonthDay && start.kind != specMonth {
		return
	}
	start.year = end.year
	if end.kind == specMonthDay || end.kind == specMonth {
		if start.month > end.month || (start.month == end.month && start.day > end.day) {
			start.year--
		}
	}
}

// assignRoles gives each date without one the role of the nearest role word before it,
// skipping fillers: "starting next month", "run it until Christmas", "end date: Dec
// 20", "push the start to January". The first date of a range already has its role;
// a start word before it is only recorded as read ("go live on 3/15 until 4/30").
func (s *scheduleScanner) assignRoles() {
	prevEnd := 0
	for k := range s.mentions {
		m := &s.mentions[k]
		switch {
		case m.kind != dateMention:
		case m.role == noRole:
			m.role, m.connector, m.connectorAt = s.roleBefore(m.from, prevEnd)
		case m.role == startRole && m.connectorAt.empty():
			if role, _, at := s.roleBefore(m.from, prevEnd); role == startRole {
				m.connectorAt = at
			} else if j := s.rangeOpenerBefore(m.from); j >= prevEnd && k+1 < len(s.mentions) && s.mentions[k+1].ranged {
				// "de 1 a 31 de março"
				m.connectorAt = one(j)
			}
		}
		prevEnd = m.to
	}
}

// roleBefore finds the role word nearest before token from, not before floor, and
// the tokens it is; noRole when none.
func (s *scheduleScanner) roleBefore(from, floor int) (scheduleRole, string, tokRange) {
	for j, steps := from-1, 0; j >= floor && steps < 5; j, steps = j-1, steps+1 {
		w := s.word(j)
		switch {
		case w == "as" && s.word(j+1) == "of":
			return startRole, w, tokRange{j, j + 2}
		case w == "off" && strings.HasPrefix(s.word(j-1), "kick"):
			return startRole, w, tokRange{j - 1, j + 1}
		case w == "up" && strings.HasPrefix(s.word(j-1), "wrap"):
			return endRole, w, tokRange{j - 1, j + 1}
		case s.is(j, wStart):
			return startRole, w, s.sameBefore(j, wStart)
		case s.is(j, wEnd):
			return endRole, w, s.sameBefore(j, wEnd)
		case !s.is(j, wFiller):
			return noRole, "", tokRange{}
		}
	}
	return noRole, "", tokRange{}
}

// sameBefore is the role word at j with the words just before it that say the same
// ("wrap up by", "starting from"), fillers between them included.
func (s *scheduleScanner) sameBefore(j int, set wordSet) tokRange {
	from := j
	for k := j - 1; k >= 0 && k >= j-3; k-- {
		switch {
		case s.is(k, set):
			from = k
		case s.is(k, wFiller) && !s.is(k, wClauseStop):
		default:
			return tokRange{from, j + 1}
		}
	}
	return tokRange{from, j + 1}
}

// dateExpectedAt reports whether a date is expected after the word at token i: a role
// word, or a word such as "on" ("on 3/15", "until the 20th").
func (s *scheduleScanner) dateExpectedAt(i int) bool {
	return s.is(i, wStart|wEnd|wDateBefore|wRangeOpener)
}
