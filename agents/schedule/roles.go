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
		between := s.word(a.from-1) == "between" || s.word(a.from-1) == "the" && s.word(a.from-2) == "between"
		if connector == "and" && !between && !(a.spec.isPeriod() && b.spec.isPeriod()) {
			continue
		}
		if a.role == noRole {
			a.role = startRole
			// "from March 3 to April 10", "between the 1st and the 15th"
			j := a.from - 1
			if s.word(j) == "the" {
				j--
			}
			if s.is(j, wStart) || s.word(j) == "between" {
				a.connector, a.connectorAt = s.word(j), one(j)
			}
		}
		b.role, b.connector, b.ranged = endRole, connector, true
		b.connectorAt = tokRange{a.to, b.from}
		carryYear(&a.spec, b.spec)
	}
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
// 20", "push the start to January".
func (s *scheduleScanner) assignRoles() {
	prevEnd := 0
	for k := range s.mentions {
		m := &s.mentions[k]
		if m.kind == dateMention && m.role == noRole {
			for j, steps := m.from-1, 0; j >= prevEnd && steps < 5; j, steps = j-1, steps+1 {
				w := s.word(j)
				if w == "as" && s.word(j+1) == "of" {
					m.role, m.connector, m.connectorAt = startRole, w, tokRange{j, j + 2}
					break
				}
				if w == "off" && strings.HasPrefix(s.word(j-1), "kick") {
					m.role, m.connector, m.connectorAt = startRole, w, tokRange{j - 1, j + 1}
					break
				}
				if w == "up" && strings.HasPrefix(s.word(j-1), "wrap") {
					m.role, m.connector, m.connectorAt = endRole, w, tokRange{j - 1, j + 1}
					break
				}
				if s.is(j, wStart) {
					m.role, m.connector, m.connectorAt = startRole, w, one(j)
					break
				}
				if s.is(j, wEnd) {
					m.role, m.connector, m.connectorAt = endRole, w, one(j)
					break
				}
				if !s.is(j, wFiller) {
					break
				}
			}
		}
		prevEnd = m.to
	}
}

// dateExpectedAt reports whether a date is expected after the word at token i: a role
// word, or a word such as "on" ("on 3/15", "until the 20th").
func (s *scheduleScanner) dateExpectedAt(i int) bool {
	return s.is(i, wStart|wEnd|wDateBefore)
}
