package calendar

import (
	"time"

	"github.com/adplan/adplan/agents"
)

// Ramadan and the two Eids, by the tabular (arithmetical) Islamic calendar of
// Calendrical Calculations (Reingold and Dershowitz): 30-year cycles of 354- and
// 355-day years, from the civil epoch of 16 July 622 (Julian). Markets start the month
// on the sighting of the new moon, so the real first day is at most a day or two off;
// a flight's run-up is not changed by that, and the note says the day may move.

// islamicDay is the Gregorian day of day d of month m of Islamic year y.
func islamicDay(y, m, d int) agents.Date {
	const epoch = 227015 // R.D. of 1 Muharram 1 AH
	rd := d + 29*(m-1) + m/2 + 354*(y-1) + (3+11*y)/30 + epoch - 1
	const unixEpochRD = 719163 // R.D. of 1970-01-01
	return agents.DateOf(time.Unix(int64(rd-unixEpochRD)*86400, 0).UTC())
}

// islamicPeriod is the days of an Islamic holiday in Islamic year y: Ramadan its whole
// month, an Eid its first day.
func islamicPeriod(h Holiday, y int) (agents.Date, agents.Date) {
	switch h {
	case Ramadan:
		return islamicDay(y, 9, 1), islamicDay(y, 10, 1).AddDays(-1)
	case EidAlFitr:
		d := islamicDay(y, 10, 1)
		return d, d
	}
	d := islamicDay(y, 12, 10) // Eid al-Adha
	return d, d
}

// isIslamic reports whether h follows the Islamic calendar.
func IsIslamic(h Holiday) bool { return h == Ramadan || h == EidAlFitr || h == EidAlAdha }

// islamicIn is the first occurrence of h that starts in Gregorian year y.
func IslamicIn(h Holiday, y int) (agents.Date, agents.Date, bool) {
	approx := (y - 622) * 33 / 32
	for iy := approx - 2; iy <= approx+2; iy++ {
		if start, end := islamicPeriod(h, iy); start.Time().Year() == y {
			return start, end, true
		}
	}
	return agents.Date{}, agents.Date{}, false
}

// islamicNext is the first occurrence of h that has not ended before ref.
func IslamicNext(h Holiday, ref agents.Date) (agents.Date, agents.Date, bool) {
	approx := (ref.Time().Year() - 622) * 33 / 32
	for iy := approx - 2; iy <= approx+3; iy++ {
		if start, end := islamicPeriod(h, iy); !end.Before(ref) {
			return start, end, true
		}
	}
	return agents.Date{}, agents.Date{}, false
}
