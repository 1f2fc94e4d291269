package schedule

import "time"

// A period with a month taken off one end: "Q1 minus March", "Q1 but skip January",
// "H2 except December", "2027 without January". The words that take a month off are
// in data/revisions.json (exclusions).

// applyExclusions trims the months a message takes off the end of a quarter, half or
// year written just before them. A month inside the period cannot be taken off a
// flight that runs without a break: a note says so and the period stays whole.
func (s *scheduleScanner) applyExclusions() {
	for k := 0; k+1 < len(s.mentions); k++ {
		p, e := &s.mentions[k], &s.mentions[k+1]
		if p.kind != dateMention || e.kind != dateMention || !trimmable(p.spec) {
			continue
		}
		if e.spec.kind != specMonth || e.spec.edge != edgeNone || e.spec.half != 0 ||
			e.spec.year != 0 && p.spec.year != 0 && e.spec.year != p.spec.year {
			continue
		}
		cue, ok := s.exclusionBetween(p.to, e.from)
		if !ok {
			continue
		}
		first, last := p.spec.months()
		first += time.Month(p.spec.trim[0])
		last -= time.Month(p.spec.trim[1])
		switch {
		case first >= last:
			continue
		case e.spec.month == first:
			p.spec.trim[0]++
		case e.spec.month == last:
			p.spec.trim[1]++
		default:
			s.note("Kept all of %s: a flight runs without a break, so %s cannot be taken out of its middle.",
				s.rawSpan(p.from, p.to), s.rawSpan(e.from, e.to))
		}
		s.takeBack(e)
		s.cover(fieldCue, cue)
	}
}

// trimmable reports whether a spec is a run of whole months that one may be taken off:
// a quarter, a half or a year.
func trimmable(spec scheduleSpec) bool {
	switch spec.kind {
	case specQuarter, specHalf, specYear:
		return spec.edge == edgeNone && spec.shift == 0
	}
	return false
}

// months are the first and last month of a quarter, half or year.
func (s scheduleSpec) months() (time.Month, time.Month) {
	switch s.kind {
	case specQuarter:
		return time.Month(3*s.n - 2), time.Month(3 * s.n)
	case specHalf:
		return time.Month(6*s.n - 5), time.Month(6 * s.n)
	}
	return time.January, time.December
}

// exclusionBetween finds the words between a period (ending at token from) and a month
// (at token to) that take the month off: an exclusion phrase right before the month,
// with at most a comma, a dash or "but" before it ("Q1, but skip January").
func (s *scheduleScanner) exclusionBetween(from, to int) (tokRange, bool) {
	end := to
	if s.word(to-1) == "." && s.adjacent(to-1) {
		end-- // "Q1 excl. March"
	}
	cue, ok := s.phraseBefore(end, func(l *lexeme) []phrase[bool] { return l.exclusions })
	if !ok || cue.from < from || cue.from-from > 2 {
		return tokRange{}, false
	}
	cue.to = to
	for k := from; k < cue.from; k++ {
		if w := s.word(k); w != "," && w != "-" && w != "(" && w != "but" {
			return tokRange{}, false
		}
	}
	return tokRange{from, cue.to}, true
}

// joinMonthLists reads a list of three or more months that follow one another as one
// flight from the first to the last ("March, April and May", "Jan & Feb & Mar");
// two months are a range already (pairRanges). Months with a gap between them are
// left as they are: a flight runs without a break.
func (s *scheduleScanner) joinMonthLists() {
	for k := 0; k < len(s.mentions); {
		n := k + 1
		for n < len(s.mentions) && s.listedMonth(k) && s.listedMonth(n) &&
			s.mentions[n].spec.month == s.mentions[n-1].spec.month%12+1 && s.listGap(s.mentions[n-1].to, s.mentions[n].from) {
			n++
		}
		if n-k < 3 {
			k++
			continue
		}
		first, last := &s.mentions[k], &s.mentions[n-1]
		first.role = startRole
		last.role, last.ranged = endRole, true
		last.connector, last.connectorAt = s.word(s.mentions[n-2].to), tokRange{s.mentions[n-2].to, last.from}
		carryYear(&first.spec, last.spec)
		for j := k + 1; j < n-1; j++ {
			s.takeBack(&s.mentions[j])
		}
		k = n
	}
}

// listedMonth reports whether mention k is a whole month with no role yet.
func (s *scheduleScanner) listedMonth(k int) bool {
	m := &s.mentions[k]
	return m.kind == dateMention && m.role == noRole && m.spec.kind == specMonth && m.spec.edge == edgeNone &&
		m.spec.half == 0 && (k+1 >= len(s.mentions) || !s.mentions[k+1].ranged)
}

// listGap reports whether the tokens [from, to) join two items of a list: a comma,
// or a range conjunction ("and", "&", "+"), or both (", and").
func (s *scheduleScanner) listGap(from, to int) bool {
	if to <= from || to-from > 2 {
		return false
	}
	for k := from; k < to; k++ {
		if s.word(k) != "," && !s.is(k, wRangeConjunction) {
			return false
		}
	}
	return true
}
