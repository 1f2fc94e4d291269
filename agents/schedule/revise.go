package schedule

import "github.com/adplan/adplan/agents"

// Follow-ups that change the current flight: a new length, longer or shorter, later or
// earlier.

// scheduleRevision is what a follow-up's duration does to the current flight.
type scheduleRevision uint8

const (
	setLength        scheduleRevision = iota // "extend to 60 days", "what about 90 days?"
	scheduleLengthen                         // "make it 2 weeks longer", "extend by a week"
	scheduleShorten                          // "shorten it by a week", "cut 5 days"
	shiftLater                               // "start a week later", "push it back a week"
	shiftEarlier                             // "move it up by 3 days", "bring it forward"
)

// revision works out what a follow-up's duration means, and whether a shift moves only
// the end ("end a week later", "push the end back a week") or the whole flight.
func (sc *scheduleScanner) revision(d *mention) (rev scheduleRevision, endOnly bool) {
	for k := d.from - 1; k >= 0 && k >= d.from-3; k-- {
		if sc.word(k) == "to" {
			return setLength, false
		}
	}
	switch sign := sc.lengthChangeAt(d.to); {
	case sign > 0 || d.dur.sign > 0 || sc.word(d.from) == "another":
		return scheduleLengthen, false
	case sign < 0 || d.dur.sign < 0:
		return scheduleShorten, false
	}
	// Only the words near the length count: in "add Austria and make it 60 days"
	// "add" is not about the flight.
	var lengthen, shorten, later, earlier, startWord, endWord bool
	first := d.from
	for first > 0 && first > d.from-5 {
		if sc.is(first-1, wClauseStop) {
			break
		}
		first--
	}
	for k := first; k < len(sc.tokens) && k < d.to+2; k++ {
		l := sc.lex(k)
		lengthen = lengthen || l.in(wLengthen)
		shorten = shorten || l.in(wShorten)
		later = later || l.in(wLater)
		earlier = earlier || l.in(wEarlier)
		startWord = startWord || l.in(wStartNoun)
		endWord = endWord || l.in(wEndNoun)
	}
	switch {
	case lengthen:
		return scheduleLengthen, false
	case shorten:
		return scheduleShorten, false
	case earlier:
		return shiftEarlier, endWord && !startWord
	case later:
		return shiftLater, endWord && !startWord
	}
	return setLength, false
}

// revise applies a follow-up to the current flight, keeping what the message does not
// change: a new start keeps the flight's length, a new end keeps its start, a new
// length keeps its start, a named period ("move it to Q1") replaces both.
func (sc *scheduleScanner) revise(cur agents.Schedule) reading {
	p := sc.plan()
	tomorrow := sc.today.AddDays(1)
	f := flight{tomorrow: tomorrow, start: cur.Start, end: cur.End, confidence: 1}
	if f.start.IsZero() {
		f.start = tomorrow
	}
	days := cur.Days
	if days == 0 && !cur.Start.IsZero() && !f.end.IsZero() {
		days = cur.Start.DaysUntil(f.end) + 1
	}
	if p.empty() {
		if sc.hasRevisionCue() {
			sc.note("Say by how much or to when, e.g. \"2 weeks longer\" or \"until Dec 20\".")
		}
		return reading{}
	}
	if p.start != nil || p.end != nil || p.period != nil {
		if !sc.reviseDates(&p, &f, days) {
			return reading{}
		}
	} else if !sc.reviseLength(&p, &f) {
		return reading{}
	}
	if !f.startChanged && f.start.Before(tomorrow) {
		// A flight already running keeps its start, but must still end after today.
		if !f.end.IsZero() && f.end.Before(tomorrow) {
			sc.note("The flight would end on %s, which is not after today; check the dates.", f.end)
			return reading{}
		}
		s := agents.NewSchedule(f.start, f.end)
		return reading{schedule: &s, confidence: f.confidence}
	}
	return sc.finish(f.start, f.end, f.noteEarly, f.confidence)
}

// reviseDates moves the flight to the dates a follow-up names; days is the current
// flight's length, which a new start keeps.
func (sc *scheduleScanner) reviseDates(p *schedulePlan, f *flight, days int) bool {
	ok := true
	switch {
	case p.start != nil:
		f.start, f.periodEnd, ok = sc.startOf(p.start)
		f.noteEarly = p.start.written
		if p.start.role == startRole {
			// "push the start to January" moves the start and keeps the length.
			f.periodEnd = agents.Date{}
		}
	case p.period != nil:
		f.start, f.periodEnd, ok = sc.startOf(p.period)
	}
	f.startChanged = p.start != nil || p.period != nil
	if !ok {
		sc.note("Could not place %s on the calendar.", sc.rawSpan(sc.firstDateSpan()))
		return false
	}
	switch {
	case p.end != nil:
		if f.end, ok = sc.endOf(p.end, f.start); !ok {
			sc.note("Could not place %s on the calendar.", sc.rawSpan(p.end.from, p.end.to))
			return false
		}
	case p.dur != nil:
		f.end, _ = flightEnd(f.start, p.dur.dur) // a length that cannot be placed leaves no end
	case !f.periodEnd.IsZero():
		f.end = f.periodEnd
	case days > 0:
		f.end = f.start.AddDays(days - 1)
	default:
		f.end = agents.Date{}
	}
	return true
}

// reviseLength applies a follow-up's length: a new length, longer or shorter, or a
// shift of the whole flight or of its end.
func (sc *scheduleScanner) reviseLength(p *schedulePlan, f *flight) bool {
	rev, endOnly := sc.revision(p.dur)
	d := p.dur.dur
	ok := true
	switch rev {
	case setLength:
		f.end, ok = flightEnd(f.start, d)
	case scheduleLengthen, scheduleShorten:
		if f.end.IsZero() {
			sc.note("The flight has no end date yet, so %s cannot be added or taken off.", sc.rawSpan(p.dur.from, p.dur.to))
			return false
		}
		sign := 1
		if rev == scheduleShorten {
			sign = -1
		}
		f.end, ok = move(f.end, d, sign, 0)
	case shiftLater, shiftEarlier:
		sign := 1
		if rev == shiftEarlier {
			sign = -1
		}
		if !endOnly {
			f.start, ok = move(f.start, d, sign, 0)
			f.startChanged, f.noteEarly = true, true
		}
		if ok && !f.end.IsZero() {
			f.end, ok = move(f.end, d, sign, 0)
		}
	}
	if !ok {
		sc.note("Ignored %s.", sc.rawSpan(p.dur.from, p.dur.to))
		return false
	}
	return true
}

// lengthChangeAt is +1 or -1 when the word at i makes a length before it a change of
// the flight's ("2 weeks longer", "a week more", "3 days less"), else 0.
func (sc *scheduleScanner) lengthChangeAt(i int) int {
	l := sc.lex(i)
	if l.comparative != 0 {
		return l.comparative
	}
	return l.modifier
}

// hasRevisionCue reports whether the message asks to change the flight without a date
// or a length ("make it longer", "push it back", "postpone").
func (sc *scheduleScanner) hasRevisionCue() bool {
	for i := range sc.tokens {
		l := sc.lex(i)
		switch {
		case l.in(wRevisionVerb):
			return true
		case l.comparative != 0:
			if !sc.creativeNear(i) {
				return true
			}
		case l.in(wTimeComparative):
			for k := i - 1; k >= 0 && k >= i-3; k-- {
				if sc.is(k, wShiftSubject) {
					return true
				}
			}
		default:
			if !l.in(wFlightVerb) || !sc.flightObjectAt(i+1) {
				continue
			}
			if l.flightVerbAlone {
				return true
			}
			for k := i + 2; k < len(sc.tokens) && k <= i+5; k++ {
				if sc.is(k, wLater|wEarlier) {
					return true
				}
			}
		}
	}
	return false
}

// flightObjectAt reports whether the words at i name the flight or one of its ends
// ("it", "the start", "the campaign", "everything").
func (sc *scheduleScanner) flightObjectAt(i int) bool {
	if sc.is(i, wFlightPronoun) {
		return true
	}
	return sc.word(i) == "the" && sc.is(i+1, wFlightNoun)
}

// creativeNear reports whether "longer"/"shorter" at i is about a creative ("a
// shorter video") rather than the flight.
func (sc *scheduleScanner) creativeNear(i int) bool {
	for k := i - 3; k <= i+1; k++ {
		if sc.is(k, wCreative) {
			return true
		}
	}
	return false
}
