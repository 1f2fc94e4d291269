package schedule

import (
	"context"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents"
)

// Specialist reads the flight: when the campaign starts and ends. It reads
// absolute dates and ranges ("from March 3 to April 10", "Dec 1-15", "2027-02-01 to
// 2027-02-28"), relative ones ("starting next month", "next Monday", "in two weeks",
// "through the end of the year"), durations ("6 weeks", "a fortnight", "over 3
// months"), months and quarters ("in January", "Q1"), retail dates ("for Black
// Friday", "the holidays") and combinations of these, and on a follow-up revises the
// current flight ("extend to 60 days", "push the start to January", "start a week
// later").
//
// Dates are read as written around the world: a month ending a list ("…, reach, Feb"),
// month names, lengths and prepositions of other languages ("del 1 al 28 de febrero",
// "vier Wochen"), day-first dotted dates, a numeric day and month in the order of the
// market the message names (markets.go), ISO calendar weeks ("KW 6-9", "uke 12", "v.
// 6–9", "w/c 8 Mar"), month abbreviations and misspellings ("dic 2026", "févr.",
// "febuary"), a month taken off a quarter ("Q1 minus March", exclusions.go), holidays
// whose day moves or differs by market and seasons by hemisphere (movable.go,
// islamic.go), and a writer's own corrections (corrections.go). A follow-up may add a
// month to the flight ("April too") or move its start and keep its end ("same end").
//
// Everything is relative to the request's Now, in Now's own location. The rules of the
// design: no start written means the day after Now; a named month, quarter or "next
// month" with no separate duration is the whole period; a date without a year is its
// next occurrence; and a flight never starts before tomorrow ("this month" runs from
// tomorrow to the month's last day).
type Specialist struct{}

var _ agents.Specialist = (*Specialist)(nil)

// New returns the rule-based schedule specialist.
func New() *Specialist { return &Specialist{} }

// Slot is SlotSchedule.
func (*Specialist) Slot() agents.Slot { return agents.SlotSchedule }

// Touches reports whether the message mentions a date, a period, a flight length or a
// change to the flight ("make it longer", "push it back"). Money rates ("$200 a day"),
// ages ("18-24 year olds") and creative lengths ("30-second spots") are not dates.
func (*Specialist) Touches(m agents.Message) bool {
	sc := newScheduleScanner(m.Lower, m.Now, false)
	sc.text = m.Text
	sc.scan()
	return len(sc.mentions) > 0 || sc.hasRevisionCue()
}

// Run reads the flight from the message, or on a follow-up revises the current one.
func (*Specialist) Run(_ context.Context, req agents.Request) (agents.Result, error) {
	sc := newScheduleScanner(req.Message.Lower, req.Now, true)
	sc.text = req.Message.Text
	if a := req.Current.Audience; a != nil {
		sc.knownMarkets = a.Geo.Countries
	}
	sc.scan()
	sc.noteTypos()
	var r reading
	if req.FollowUp && req.Current.Schedule != nil {
		r = sc.revise(*req.Current.Schedule)
	} else {
		r = sc.read()
	}
	if r.schedule == nil && len(sc.notes) == 0 && len(sc.mentions) > 0 {
		sc.note("Could not work out the flight dates from this message.")
	}
	sc.coverNoted(r.schedule != nil)
	return agents.Result{Schedule: r.schedule, Confidence: r.confidence, Notes: sc.notes, Sources: sc.sources}, nil
}

// reading is the flight read from one message.
type reading struct {
	schedule   *agents.Schedule
	confidence float64
}

// schedulePlan is what the mentions of one message say about the flight.
type schedulePlan struct {
	start, end *mention // a date with the role of start or end
	period     *mention // a period with no role ("in January", "Q1")
	dur        *mention // the first duration
	weakEnd    bool     // end is a second date with no role word
}

// plan sorts the mentions into start, end, period and duration.
func (sc *scheduleScanner) plan() schedulePlan {
	var p schedulePlan
	for k := range sc.mentions {
		m := &sc.mentions[k]
		switch m.kind {
		case durationMention:
			if p.dur == nil {
				p.dur = m
			} else if sameDuration(p.dur.dur, m.dur) {
				m.repeat = true
			} else {
				m.noted = true
				sc.note("Read the flight as %s and ignored %s.", sc.rawSpan(p.dur.from, p.dur.to), sc.rawSpan(m.from, m.to))
			}
		case dateMention:
			switch {
			case m.role == startRole && p.start == nil:
				p.start = m
			case m.role == endRole && p.end == nil:
				p.end = m
			case m.role != noRole:
				m.noted = true
				sc.note("Ignored %s: the flight already has a %s date.", sc.rawSpan(m.from, m.to), m.role)
			case m.spec.isPeriod() && p.period == nil && p.start == nil:
				p.period = m
			case !m.spec.isPeriod() && p.start == nil && p.period == nil:
				p.start = m
			case p.end == nil && !m.offset:
				// A second date with no role word ends the flight ("starting Dec 1 for
				// Christmas" runs through Christmas).
				p.end, p.weakEnd = m, true
			case m.spec.kind == specHoliday:
				// A holiday beside a flight already dated is its theme ("Feb 1 - Feb
				// 14 (Valentine's)").
			default:
				m.noted = true
				sc.note("Ignored %s: the message names more than one flight.", sc.rawSpan(m.from, m.to))
			}
		}
	}
	return p
}

func sameDuration(a, b duration) bool {
	return a.months() == b.months() && a.days() == b.days()
}

// usesPeriod reports whether a date stands for its whole period: a month or quarter
// always, a one-day holiday only when no role word makes it a day ("for Black Friday"
// is a flight, "until Black Friday" a day).
func (m *mention) usesPeriod() bool {
	if !m.spec.isPeriod() {
		return false
	}
	if m.spec.kind == specHoliday && m.role != noRole {
		return calendar.IsSeason(calendar.Holiday(m.spec.n))
	}
	return true
}

// startOf resolves a start (or a period standing for the whole flight): its first day
// and, for a period, its last.
func (sc *scheduleScanner) startOf(m *mention) (start, periodEnd agents.Date, ok bool) {
	tomorrow := sc.today.AddDays(1)
	if m.usesPeriod() {
		return m.spec.period(tomorrow)
	}
	d, ok := m.spec.point(sc.today)
	if ok && m.connector == "after" {
		d = d.AddDays(1)
	}
	return d, agents.Date{}, ok
}

// endOf resolves an end on or after anchor: "until January" ends the day before
// January, "through January" on its last day, "before Christmas" on the 24th.
func (sc *scheduleScanner) endOf(m *mention, anchor agents.Date) (agents.Date, bool) {
	if m.usesPeriod() {
		start, end, ok := m.spec.period(anchor)
		if sc.v.lookup(m.connector).in(wEndBeforePeriod) {
			return start.AddDays(-1), ok
		}
		return end, ok
	}
	d, ok := m.spec.point(anchor)
	if ok && m.connector == "before" {
		d = d.AddDays(-1)
	}
	return d, ok
}

// flight is the flight being worked out from one message.
type flight struct {
	tomorrow   agents.Date // the earliest start
	start, end agents.Date
	// periodEnd is the last day of a period that stands for the whole flight.
	periodEnd  agents.Date
	confidence float64
	// noteEarly asks for a note when a start the user wrote out is moved to tomorrow.
	noteEarly bool
	// startChanged is whether a follow-up moved the start.
	startChanged bool
	// periodFrom is the mention whose period gives periodEnd.
	periodFrom *mention
}

func (p *schedulePlan) empty() bool {
	return p.start == nil && p.end == nil && p.period == nil && p.dur == nil
}

// read reads a first brief.
func (sc *scheduleScanner) read() reading {
	p := sc.plan()
	if p.empty() {
		return reading{}
	}
	tomorrow := sc.today.AddDays(1)
	f := flight{tomorrow: tomorrow, confidence: 1, noteEarly: p.start != nil && (p.start.written || p.start.spec.start == sc.today)}
	if p.period != nil && p.start == nil && p.end == nil && p.dur != nil && p.dur.fromNow {
		// "over the next 6 weeks" starts now whatever else is named.
		sc.note("Ignored %s: the flight runs %s from tomorrow.", sc.rawSpan(p.period.from, p.period.to), sc.rawSpan(p.dur.from, p.dur.to))
		p.period.noted = true
		p.period = nil
	}
	if !sc.readStart(&p, &f) {
		sc.note("Could not place %s on the calendar.", sc.rawSpan(sc.firstDateSpan()))
		return reading{}
	}
	if p.end != nil && !sc.readEnd(&p, &f) {
		return reading{}
	}
	// Start no earlier than tomorrow before a length is counted from the start.
	if !f.start.IsZero() && f.start.Before(tomorrow) && (f.end.IsZero() || !f.end.Before(tomorrow)) {
		if f.noteEarly {
			sc.note("A flight can start tomorrow (%s) at the earliest, not on %s.", tomorrow, f.start)
			f.confidence = min(f.confidence, 0.8)
			f.noteEarly = false
		}
		f.start = tomorrow
	}
	if p.dur == nil {
		if f.end.IsZero() {
			f.end = f.periodEnd
			if !f.end.IsZero() && f.periodFrom != nil {
				sc.coverDate(fieldEnd, f.periodFrom)
			}
		}
	} else if !sc.readLength(&p, &f) {
		sc.note("Ignored the flight length %s.", sc.rawSpan(p.dur.from, p.dur.to))
		return reading{}
	}
	if f.start.IsZero() {
		f.start = tomorrow
	}
	r := sc.finish(f.start, f.end, f.noteEarly, f.confidence)
	if r.schedule != nil {
		sc.coverRestated(&p, *r.schedule)
	}
	return r
}

// coverRestated records the periods a brief names beside its flight that are that same
// flight said again ("summer 2027 (June–August)", "Q1 but skip January — so Feb +
// Mar"): they were read, and agree.
func (sc *scheduleScanner) coverRestated(p *schedulePlan, flight agents.Schedule) {
	for k := range sc.mentions {
		m := &sc.mentions[k]
		if m.kind != dateMention || m.role != noRole || m.noted || m == p.start || m == p.end || m == p.period && p.start == nil || !m.usesPeriod() {
			continue
		}
		if start, end, ok := m.spec.period(sc.today.AddDays(1)); ok && start == flight.Start && end == flight.End {
			sc.cover(fieldCue, tokRange{m.from, m.to})
		}
	}
}

// readStart places the flight's start, or the end of a period that a length counts
// back from ("a two-week Black Friday push", "the last two weeks of December").
func (sc *scheduleScanner) readStart(p *schedulePlan, f *flight) (ok bool) {
	switch {
	case p.start != nil:
		f.start, f.periodEnd, ok = sc.startOf(p.start)
		f.periodFrom = p.start
		sc.coverDate(fieldStart, p.start)
		if p.start.offset {
			f.confidence = 0.9
		}
		return ok
	case p.period != nil && p.period.spec.kind == specHoliday && !calendar.IsSeason(calendar.Holiday(p.period.spec.n)) && p.dur != nil:
		// A run-up of that length ending where the holiday's flight ends (Cyber Monday
		// for Black Friday, else the day itself).
		_, f.end, ok = p.period.spec.period(f.tomorrow)
		sc.coverDate(fieldEnd, p.period)
		f.confidence = 0.9
		f.noteEarly = true
		return ok
	case p.period != nil && p.dur != nil && p.dur.fromEnd:
		_, f.end, ok = p.period.spec.period(f.tomorrow)
		sc.coverDate(fieldEnd, p.period)
		f.noteEarly = true
		return ok
	case p.period != nil:
		f.start, f.periodEnd, ok = sc.startOf(p.period)
		f.periodFrom = p.period
		sc.coverDate(fieldStart, p.period)
		if p.period.spec.kind == specHoliday {
			f.confidence = 0.85
		}
		return ok
	}
	return true
}

// readEnd places the flight's end on or after its start.
func (sc *scheduleScanner) readEnd(p *schedulePlan, f *flight) bool {
	anchor := f.start
	if anchor.IsZero() {
		anchor = f.tomorrow
	}
	var ok bool
	sc.coverDate(fieldEnd, p.end)
	if f.end, ok = sc.endOf(p.end, anchor); !ok {
		sc.note("Could not place %s on the calendar.", sc.rawSpan(p.end.from, p.end.to))
		return false
	}
	if p.weakEnd {
		f.confidence = min(f.confidence, 0.8)
	}
	// A range written without a year that is under way ("from Nov 1 to Dec 15" on
	// Nov 22) is this one, already started, not next year's: like "Q4" in Q4.
	if ps := p.start; p.end.ranged && ps != nil && ps.spec.year == 0 &&
		(ps.spec.kind == specMonthDay || ps.spec.kind == specMonth && ps.spec.edge != edgeNone) {
		if prev, ok := ps.spec.dayIn(f.start.Time().Year() - 1); ok && prev.Before(f.start) {
			if prevEnd, ok := sc.endOf(p.end, prev); ok && !prevEnd.Before(f.tomorrow) {
				f.start, f.end = prev, prevEnd
			}
		}
	}
	return true
}

// readLength counts the flight's length from its start, or back from its end; when
// both dates are written they win over the length.
func (sc *scheduleScanner) readLength(p *schedulePlan, f *flight) (ok bool) {
	if p.dur.approx {
		sc.note("Read %s as %s, the longer end of the range.", sc.rawSpan(p.dur.approxFrom, p.dur.to), sc.rawSpan(p.dur.from, p.dur.to))
	}
	switch {
	case !f.start.IsZero() && p.end != nil:
		if want, ok := flightEnd(f.start, p.dur.dur); ok && want != f.end {
			sc.note("The dates give %d days but the message also says %s; kept the dates.",
				f.start.DaysUntil(f.end)+1, sc.rawSpan(p.dur.from, p.dur.to))
			f.confidence = min(f.confidence, 0.7)
			p.dur.noted = true
		} else {
			sc.coverLength(fieldDays, p.dur)
		}
		return true
	case !f.start.IsZero():
		f.end, ok = flightEnd(f.start, p.dur.dur)
	case !f.end.IsZero():
		f.start, ok = move(f.end, p.dur.dur, -1, 1)
	default:
		f.start = f.tomorrow
		f.end, ok = flightEnd(f.start, p.dur.dur)
	}
	sc.coverLength(fieldDays, p.dur)
	return ok
}

// firstDateSpan is the token span of the first date mentioned.
func (sc *scheduleScanner) firstDateSpan() (int, int) {
	for _, m := range sc.mentions {
		if m.kind == dateMention {
			return m.from, m.to
		}
	}
	return 0, 0
}

// finish applies the rules every flight obeys: it starts tomorrow at the earliest and
// does not end before it starts. noteEarly asks for a note when a start the user wrote
// out is moved to tomorrow.
func (sc *scheduleScanner) finish(start, end agents.Date, noteEarly bool, confidence float64) reading {
	tomorrow := sc.today.AddDays(1)
	if !end.IsZero() && end.Before(tomorrow) {
		sc.note("The flight would end on %s, which is not after today; check the dates.", end)
		return reading{}
	}
	if start.Before(tomorrow) {
		if noteEarly {
			sc.note("A flight can start tomorrow (%s) at the earliest, not on %s.", tomorrow, start)
			confidence = min(confidence, 0.8)
		}
		start = tomorrow
	}
	if !end.IsZero() && end.Before(start) {
		sc.note("The end date %s comes before the start %s; check the dates.", end, start)
		return reading{}
	}
	if len(sc.notes) > 0 {
		confidence = min(confidence, 0.7)
	}
	s := agents.NewSchedule(start, end)
	return reading{schedule: &s, confidence: confidence}
}
