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
// the end ("end a week later", "push the end back a week") or the whole flight. cues
// are the words that said so ("extend to", "longer", "push ... back").
func (sc *scheduleScanner) revision(d *mention) (rev scheduleRevision, endOnly bool, cues []tokRange) {
	for k := d.from - 1; k >= 0 && k >= d.from-3; k-- {
		if sc.word(k) == "to" {
			cues = append(cues, one(k))
			// "extend to 60 days": the verb asks for the change the length sets.
			for j := k - 1; j >= 0 && j >= k-3 && !sc.is(j, wClauseStop); j-- {
				if sc.is(j, wLengthen|wShorten|wLater|wEarlier|wFlightVerb|wRevisionVerb) {
					cues = append(cues, one(j))
					break
				}
			}
			return setLength, false, cues
		}
	}
	switch sign := sc.lengthChangeAt(d.to); {
	case sign > 0 || d.dur.sign > 0 || sc.word(d.from) == "another":
		if sign > 0 {
			cues = append(cues, one(d.to))
		}
		return scheduleLengthen, false, cues
	case sign < 0 || d.dur.sign < 0:
		if sign < 0 {
			cues = append(cues, one(d.to))
		}
		return scheduleShorten, false, cues
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
	last := d.to
	for last < len(sc.tokens) && last < d.to+2 && !sc.is(last, wClauseStop) {
		last++
	}
	for k := first; k < last; k++ {
		l := sc.lex(k)
		lengthen = lengthen || l.in(wLengthen)
		shorten = shorten || l.in(wShorten)
		later = later || l.in(wLater)
		earlier = earlier || l.in(wEarlier)
		startWord = startWord || l.in(wStartNoun)
		endWord = endWord || l.in(wEndNoun)
	}
	var said wordSet
	switch {
	case lengthen:
		rev, said = scheduleLengthen, wLengthen
	case shorten:
		rev, said = scheduleShorten, wShorten
	case earlier:
		rev, endOnly, said = shiftEarlier, endWord && !startWord, wEarlier|wStartNoun|wEndNoun
	case later:
		rev, endOnly, said = shiftLater, endWord && !startWord, wLater|wStartNoun|wEndNoun
	default:
		return setLength, false, nil
	}
	for k := first; k < last; k++ {
		if (k < d.from || k >= d.to) && sc.is(k, said) {
			cues = append(cues, one(k))
		}
	}
	return rev, endOnly, cues
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
		if cue := sc.revisionCueAt(); !cue.empty() {
			sc.cover(fieldCue, cue)
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
	var from *mention // the period whose end ends the flight
	curStart, curEnd := f.start, f.end
	additions := func(l *lexeme) []phrase[bool] { return l.additions }
	if p.period != nil && p.start == nil && p.end == nil && p.dur == nil && !curEnd.IsZero() {
		if cue, ok := sc.phraseNear(p.period, additions); ok {
			return sc.addPeriod(p.period, p.period, cue, f)
		}
	}
	if p.period == nil && p.start != nil && p.end != nil && p.end.ranged && p.dur == nil && !curEnd.IsZero() &&
		p.start.usesPeriod() && p.end.usesPeriod() {
		// "include April and May"
		if cue, ok := sc.phraseNear(p.start, additions); ok {
			return sc.addPeriod(p.start, p.end, cue, f)
		}
	}
	keepEnd := false
	keepCue, keepSaid := sc.phraseIn(func(l *lexeme) []phrase[bool] { return l.keepEnds })
	switch {
	case p.start != nil:
		f.start, f.periodEnd, ok = sc.startOf(p.start)
		if p.start.spec.kind == specDayOfMonth && sc.today.Before(curStart) {
			// "start on the 11th instead" is the 11th of the flight's month.
			f.start, ok = p.start.spec.point(curStart)
		}
		f.noteEarly = p.start.written
		from = p.start
		if p.start.role == startRole {
			// "push the start to January" moves the start and keeps the length; a
			// flight of whole months keeps its end ("Jan", then "start on the 11th
			// instead" runs January 11 to 31).
			f.periodEnd = agents.Date{}
			keepEnd = wholeMonths(curStart, curEnd) && f.start.Before(curEnd) && !sc.moveVerbBefore(p.start)
		}
		if keepSaid && p.end == nil && p.dur == nil && !curEnd.IsZero() {
			// "start Dec 8, same end"
			f.periodEnd, keepEnd = agents.Date{}, true
			sc.cover(fieldCue, keepCue)
		}
		sc.coverChange(fieldStart, p.start)
	case p.period != nil:
		f.start, f.periodEnd, ok = sc.startOf(p.period)
		from = p.period
		sc.coverChange(fieldStart, p.period)
	}
	f.startChanged = p.start != nil || p.period != nil
	if !ok {
		sc.note("Could not place %s on the calendar.", sc.rawSpan(sc.firstDateSpan()))
		return false
	}
	switch {
	case p.end != nil:
		sc.coverChange(fieldEnd, p.end)
		if f.end, ok = sc.endOf(p.end, f.start); !ok {
			sc.note("Could not place %s on the calendar.", sc.rawSpan(p.end.from, p.end.to))
			return false
		}
	case p.dur != nil:
		sc.coverLength(fieldDays, p.dur)
		f.end, _ = flightEnd(f.start, p.dur.dur) // a length that cannot be placed leaves no end
	case !f.periodEnd.IsZero():
		sc.coverDate(fieldEnd, from)
		f.end = f.periodEnd
	case keepEnd:
		f.end = curEnd
	case days > 0:
		f.end = f.start.AddDays(days - 1)
	default:
		f.end = agents.Date{}
	}
	return true
}

// addPeriod adds the periods from m to last to the current flight f ("April too" on
// a March flight, "add March" on an April one, "include April and May"): the flight
// runs from the earlier start to the later end, through any gap between them, which a
// note tells.
func (sc *scheduleScanner) addPeriod(m, last *mention, cue tokRange, f *flight) bool {
	start, end, ok := sc.periodNear(m.spec, f.start, f.end)
	if ok && last != m {
		var lastStart agents.Date
		lastStart, end, ok = sc.periodNear(last.spec, f.start, f.end)
		ok = ok && !lastStart.Before(start)
	}
	if !ok {
		sc.note("Could not place %s on the calendar.", sc.rawSpan(m.from, last.to))
		return false
	}
	sc.coverChange(fieldStart, m)
	if last != m {
		sc.coverChange(fieldEnd, last)
	}
	sc.cover(fieldCue, cue)
	if f.end.AddDays(1).Before(start) || end.AddDays(1).Before(f.start) {
		sc.note("The flight now runs without a break from %s to %s, the days between included.",
			minDate(start, f.start), maxDate(end, f.end))
	}
	if start.Before(f.start) {
		f.start, f.startChanged, f.noteEarly = start, true, m.written
	}
	f.end = maxDate(end, f.end)
	return true
}

// periodNear resolves a period written without a year to its occurrence nearest the
// flight from start to end, among those that have not ended by tomorrow.
func (sc *scheduleScanner) periodNear(spec scheduleSpec, start, end agents.Date) (agents.Date, agents.Date, bool) {
	tomorrow := sc.today.AddDays(1)
	if spec.year != 0 || spec.kind == specFixed || spec.kind == specHoliday {
		return spec.period(tomorrow)
	}
	var best [2]agents.Date
	bestGap := -1
	for y := start.Time().Year() - 1; y <= end.Time().Year()+1; y++ {
		ps, pe, ok := spec.periodIn(y)
		if !ok || pe.Before(tomorrow) {
			continue
		}
		gap := 0
		switch {
		case pe.Before(start):
			gap = pe.DaysUntil(start)
		case end.Before(ps):
			gap = end.DaysUntil(ps)
		}
		if bestGap < 0 || gap < bestGap {
			best, bestGap = [2]agents.Date{ps, pe}, gap
		}
	}
	return best[0], best[1], bestGap >= 0
}

func minDate(a, b agents.Date) agents.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b agents.Date) agents.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// phraseNear finds a phrase of list in the clause of mention m: within three words
// before or after it, no clause stop between ("April too", "add March", "also Q2").
func (sc *scheduleScanner) phraseNear(m *mention, list func(*lexeme) []phrase[bool]) (tokRange, bool) {
	for k := m.from - 1; k >= 0 && k >= m.from-3 && !sc.is(k, wClauseStop); k-- {
		if ps := list(sc.lex(k)); len(ps) > 0 {
			if _, n, ok := matchPhrase(ps, sc.word, k); ok && n <= m.from {
				return tokRange{k, n}, true
			}
		}
	}
	for k := m.to; k < len(sc.tokens) && k < m.to+3 && !sc.is(k, wClauseStop); k++ {
		if ps := list(sc.lex(k)); len(ps) > 0 {
			if _, n, ok := matchPhrase(ps, sc.word, k); ok {
				return tokRange{k, n}, true
			}
		}
	}
	return tokRange{}, false
}

// phraseIn finds a phrase of list anywhere in the message.
func (sc *scheduleScanner) phraseIn(list func(*lexeme) []phrase[bool]) (tokRange, bool) {
	for k := range sc.tokens {
		if ps := list(sc.lex(k)); len(ps) > 0 {
			if _, n, ok := matchPhrase(ps, sc.word, k); ok {
				return tokRange{k, n}, true
			}
		}
	}
	return tokRange{}, false
}

// wholeMonths reports whether a flight runs from the first of a month to the last day
// of a month: a period named for the flight ("Jan", "Q1"), whose end stays when only
// the start changes.
func wholeMonths(start, end agents.Date) bool {
	if start.IsZero() || end.IsZero() {
		return false
	}
	e := end.Time()
	return start.Time().Day() == 1 && e.AddDate(0, 0, 1).Day() == 1
}

// moveVerbBefore reports whether a verb that moves the whole flight ("push", "move",
// "delay", "postpone") asks for the change to m: "push the start to January" keeps
// the flight's length.
func (sc *scheduleScanner) moveVerbBefore(m *mention) bool {
	from := m.from
	if !m.connectorAt.empty() && m.connectorAt.from < from {
		from = m.connectorAt.from
	}
	for k := from - 1; k >= 0 && k >= from-5 && !sc.is(k, wClauseStop); k-- {
		if sc.is(k, wFlightVerb|wRevisionVerb|wLater|wEarlier) {
			return true
		}
	}
	return false
}

// reviseLength applies a follow-up's length: a new length, longer or shorter, or a
// shift of the whole flight or of its end.
func (sc *scheduleScanner) reviseLength(p *schedulePlan, f *flight) bool {
	rev, endOnly, cues := sc.revision(p.dur)
	for _, c := range cues {
		sc.cover(fieldCue, c)
	}
	switch {
	case rev == shiftLater || rev == shiftEarlier:
		if !endOnly {
			sc.coverLength(fieldStart, p.dur)
		}
		sc.coverLength(fieldEnd, p.dur)
	default:
		sc.coverLength(fieldDays, p.dur)
	}
	sc.coverChangeVerbs(p.dur)
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
func (sc *scheduleScanner) hasRevisionCue() bool { return !sc.revisionCueAt().empty() }

// revisionCueAt finds the words of hasRevisionCue: "longer", "postpone", "push it
// back"; none when there are none.
func (sc *scheduleScanner) revisionCueAt() tokRange {
	for i := range sc.tokens {
		l := sc.lex(i)
		switch {
		case l.in(wRevisionVerb):
			return one(i)
		case l.comparative != 0:
			if !sc.creativeNear(i) {
				return one(i)
			}
		case l.in(wTimeComparative):
			for k := i - 1; k >= 0 && k >= i-3; k-- {
				if sc.is(k, wShiftSubject) {
					return tokRange{k, i + 1}
				}
			}
		default:
			if !l.in(wFlightVerb) || !sc.flightObjectAt(i+1) {
				continue
			}
			if l.flightVerbAlone {
				return one(i)
			}
			for k := i + 2; k < len(sc.tokens) && k <= i+5; k++ {
				if sc.is(k, wLater|wEarlier) {
					return tokRange{i, k + 1}
				}
			}
		}
	}
	return tokRange{}
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
