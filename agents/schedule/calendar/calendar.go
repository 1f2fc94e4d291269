// Package calendar is the calendar the schedule specialist reads dates against:
// month and week arithmetic, and the retail holidays and seasons planners name —
// their days by year and market, and the flight a brief means by "for <holiday>".
package calendar

import (
	"time"

	"github.com/adplan/adplan/agents"
)

// daysIn is the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// monthStart and monthEnd are the first and last day of month m of y
// (m may overflow, as in time.Date).
func MonthStart(y int, m time.Month) agents.Date { return agents.NewDate(y, m, 1) }
func MonthEnd(y int, m time.Month) agents.Date   { return agents.NewDate(y, m+1, 0) }

// addMonths adds n calendar months, keeping the day of month where it exists
// and otherwise taking the month's last day (January 31 + 1 month is February 28).
func AddMonths(d agents.Date, n int) agents.Date {
	t := d.Time()
	y, m := t.Year(), t.Month()+time.Month(n)
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	day := min(t.Day(), DaysIn(first.Year(), first.Month()))
	return agents.NewDate(first.Year(), first.Month(), day)
}

// nthWeekday is the nth (1-based) weekday wd of month m in year y.
func NthWeekday(y int, m time.Month, wd time.Weekday, n int) agents.Date {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	offset := (int(wd) - int(first.Weekday()) + 7) % 7
	return agents.NewDate(y, m, 1+offset+7*(n-1))
}

// isoWeek is ISO 8601 week n of year y, Monday to Sunday: week 1 is the week with
// the year's first Thursday. ok is false for a week 53 the year does not have.
func ISOWeek(y, n int) (agents.Date, agents.Date, bool) {
	jan4 := agents.NewDate(y, time.January, 4)
	monday := jan4.AddDays(-((int(jan4.Time().Weekday()) + 6) % 7)).AddDays(7 * (n - 1))
	if n < 1 || n > 53 {
		return agents.Date{}, agents.Date{}, false
	}
	if _, w := monday.Time().ISOWeek(); w != n {
		return agents.Date{}, agents.Date{}, false
	}
	return monday, monday.AddDays(6), true
}
