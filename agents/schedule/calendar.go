package schedule

import (
	"math"
	"time"

	"github.com/adplan/adplan/agents/schedule/calendar"

	"github.com/adplan/adplan/agents"
)

// Calendar arithmetic for the schedule specialist: months, quarters, retail holidays,
// and which year a date written without one falls in.

// specKind says what a date expression names.
type specKind uint8

const (
	specFixed      specKind = iota // start..end already known ("next month", "tomorrow")
	specMonthDay                   // a day of a month ("March 3"), year optional
	specDayOfMonth                 // a day of whichever month comes next ("the 15th")
	specMonth                      // a whole month ("January"), year optional
	specQuarter                    // a quarter ("Q1"), year optional
	specHalf                       // a half year ("H2"), year optional
	specYear                       // a whole year ("in 2027")
	specHoliday                    // a retail date or season ("Black Friday")
	specWeek                       // an ISO 8601 calendar week ("KW 10"), year optional
)

// scheduleEdge picks one day of a period: "the end of January" is January's last day.
type scheduleEdge uint8

const (
	edgeNone scheduleEdge = iota
	edgeStart
	edgeMid
	edgeEnd
)

// scheduleSpec is a date or period as written, resolved against a reference day once
// the role it plays (start, end, whole period) is known.
type scheduleSpec struct {
	kind  specKind
	year  int // 0 when not written
	month time.Month
	day   int
	n     int // the quarter, half or holiday
	edge  scheduleEdge
	// start and end of a specFixed.
	start, end agents.Date
	// shift moves the resolved day ("a week before Black Friday" is -7).
	shift int
	// weekLong makes a day the week it starts ("w/c 8 Mar"), and half a month its
	// first (1) or second (2) half ("the second half of March").
	weekLong bool
	half     int
	// trim is the number of months taken off the start and the end of a quarter, half
	// or year ("Q1 minus March").
	trim [2]int
	// market is the market a holiday is placed for ("GB": Mothering Sunday), and
	// south whether its seasons are the southern hemisphere's.
	market string
	south  bool
}

// periodIn is the spec's whole period in year y; ok is false for a day that does not
// exist (February 30, or February 29 in a common year).
func (s scheduleSpec) periodIn(y int) (agents.Date, agents.Date, bool) {
	switch s.kind {
	case specMonthDay:
		if s.day < 1 || s.day > calendar.DaysIn(y, s.month) {
			return agents.Date{}, agents.Date{}, false
		}
		d := agents.NewDate(y, s.month, s.day)
		if s.weekLong {
			return d, d.AddDays(6), true
		}
		return d, d, true
	case specMonth:
		switch s.half {
		case 1:
			return calendar.MonthStart(y, s.month), agents.NewDate(y, s.month, 15), true
		case 2:
			return agents.NewDate(y, s.month, 16), calendar.MonthEnd(y, s.month), true
		}
		return calendar.MonthStart(y, s.month), calendar.MonthEnd(y, s.month), true
	case specWeek:
		return calendar.ISOWeek(y, s.n)
	case specQuarter, specHalf, specYear:
		first, last := s.months()
		return calendar.MonthStart(y, first+time.Month(s.trim[0])), calendar.MonthEnd(y, last-time.Month(s.trim[1])), true
	case specHoliday:
		return calendar.Period(calendar.Holiday(s.n), y, s.market, s.south)
	}
	return agents.Date{}, agents.Date{}, false
}

// dayIn is the one day the spec names in year y: its edge, its date, a holiday's day.
func (s scheduleSpec) dayIn(y int) (agents.Date, bool) {
	if s.kind == specHoliday && s.edge == edgeNone {
		d, ok := calendar.Day(calendar.Holiday(s.n), y, s.market, s.south)
		return d.AddDays(s.shift), ok
	}
	start, end, ok := s.periodIn(y)
	if !ok {
		return agents.Date{}, false
	}
	return s.pick(start, end).AddDays(s.shift), true
}

// pick chooses the edge of a period; a period with no edge stands for its first day.
func (s scheduleSpec) pick(start, end agents.Date) agents.Date {
	switch s.edge {
	case edgeEnd:
		return end
	case edgeMid:
		return start.AddDays(14)
	}
	return start
}

// searchYears is how far ahead a date without a year is looked for (February 29
// needs up to eight years).
const searchYears = 9

// point resolves the spec to one day on or after anchor: a date without a year is its
// next occurrence ("dates without a year are the next occurrence after now").
func (s scheduleSpec) point(anchor agents.Date) (agents.Date, bool) {
	switch {
	case s.kind == specFixed:
		return s.pick(s.start, s.end).AddDays(s.shift), true
	case s.kind == specDayOfMonth:
		t := anchor.Time()
		for i := range 14 {
			y, m := t.Year(), t.Month()+time.Month(i)
			first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
			if s.day <= calendar.DaysIn(first.Year(), first.Month()) {
				d := agents.NewDate(first.Year(), first.Month(), s.day)
				if !d.Before(anchor) {
					return d, true
				}
			}
		}
		return agents.Date{}, false
	case s.year != 0:
		return s.dayIn(s.year)
	}
	// A day counted from a holiday ("a week before Black Friday") belongs to the
	// holiday's next occurrence, even when the day itself has passed.
	unshifted := s
	if s.kind == specHoliday {
		unshifted.shift = 0
	}
	y := anchor.Time().Year()
	for yy := y - 1; yy <= y+searchYears; yy++ {
		if d, ok := unshifted.dayIn(yy); ok && !d.Before(anchor) {
			return d.AddDays(s.shift), true
		}
	}
	return agents.Date{}, false
}

// period resolves the spec to its whole period: written with a year, that year's;
// without, the first one that has not ended before ref ("Q4" while in Q4 is this Q4).
func (s scheduleSpec) period(ref agents.Date) (agents.Date, agents.Date, bool) {
	switch {
	case s.kind == specFixed:
		return s.start.AddDays(s.shift), s.end.AddDays(s.shift), true
	case s.kind == specMonthDay && s.weekLong && s.edge == edgeNone && s.shift == 0:
		d, ok := s.point(ref)
		return d, d.AddDays(6), ok
	case s.kind == specMonthDay || s.kind == specDayOfMonth || s.edge != edgeNone || s.shift != 0:
		d, ok := s.point(ref)
		return d, d, ok
	case s.year != 0:
		return s.periodIn(s.year)
	case s.kind == specHoliday && calendar.Holiday(s.n) == calendar.Ramadan:
		// Ramadan moves eleven days a year, so a year may hold two.
		return calendar.IslamicNext(calendar.Ramadan, ref)
	}
	y := ref.Time().Year()
	for yy := y - 1; yy <= y+searchYears; yy++ {
		if start, end, ok := s.periodIn(yy); ok && !end.Before(ref) {
			return start, end, true
		}
	}
	return agents.Date{}, agents.Date{}, false
}

// isPeriod reports whether the spec names a stretch of days rather than one day.
func (s scheduleSpec) isPeriod() bool {
	switch {
	case s.edge != edgeNone, s.shift != 0 && s.kind != specFixed:
		return false
	case s.kind == specFixed:
		return s.start != s.end
	case s.kind == specMonthDay:
		return s.weekLong
	case s.kind == specDayOfMonth:
		return false
	}
	return true
}

// flightEnd is the inclusive last day of a flight of d starting on start:
// years, quarters and months count as calendar months from the start ("over 3 months"
// from November 23 ends February 22), the rest as days, rounded up to whole days.
func flightEnd(start agents.Date, d duration) (agents.Date, bool) {
	return move(start, d, 1, -1)
}

// move moves day by sign × d (calendar months first, then days) and then by
// extra days. ok is false when the result would be absurd.
func move(day agents.Date, d duration, sign, extra int) (agents.Date, bool) {
	months := d.months()
	whole := math.Floor(months + 1e-9)
	days := math.Ceil((months-whole)*30 + d.days() - 1e-9)
	if whole > maxFlightDays/28 || days > maxFlightDays || whole+days <= 0 {
		return agents.Date{}, false
	}
	moved := calendar.AddMonths(day, sign*int(whole)).AddDays(sign*int(days) + extra)
	return moved, true
}

// maxFlightDays is the longest flight read (ten years); anything longer is a
// misreading ("founded 50 years ago") or a typo.
const maxFlightDays = 3660
