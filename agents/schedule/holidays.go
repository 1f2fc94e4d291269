package schedule

import (
	"time"

	"github.com/adplan/adplan/agents"
)

// Retail holidays and seasons: reading them in a message, their days, and the flight
// a brief means by "for <holiday>".

// holidayAt reads a retail date or season ("Black Friday", "Christmas 2027", "the
// holidays", "back-to-school"), as data/holidays.json writes them.
func (s *scheduleScanner) holidayAt(i int) (int, bool) {
	ps := s.lex(i).holidays
	if len(ps) == 0 {
		return i, false
	}
	p, n, ok := matchPhrase(ps, s.word, i)
	if !ok || p.notAfter[s.word(i-1)] {
		return i, false
	}
	if p.then[s.word(n)] {
		n++
	}
	spec := scheduleSpec{kind: specHoliday, n: int(p.holiday)}
	if y, k, ok := s.yearAt(n); ok {
		spec.year, n = y, k
	}
	s.addDate(i, n, spec, false)
	return n, true
}

// holiday is a retail date planners name.
type holiday int

const (
	blackFriday holiday = iota + 1
	cyberMonday
	thanksgiving
	christmas
	christmasEve
	newYearsEve
	newYearsDay
	valentines
	halloween
	mothersDay
	fathersDay
	backToSchool
	holidaySeason
)

func (h holiday) String() string { return holidayNames[h] }

// holidayNames name the holidays in messages and test names.
var holidayNames = map[holiday]string{
	blackFriday: "Black Friday", cyberMonday: "Cyber Monday",
	thanksgiving: "Thanksgiving", christmas: "Christmas",
	christmasEve: "Christmas Eve", newYearsEve: "New Year's Eve",
	newYearsDay: "New Year's Day", valentines: "Valentine's Day",
	halloween: "Halloween", mothersDay: "Mother's Day",
	fathersDay: "Father's Day", backToSchool: "back to school",
	holidaySeason: "the holiday season",
}

// isSeason reports whether a holiday is a season with no single day: as a start
// it means the season's first day, as an end its last.
func isSeason(h holiday) bool {
	return h == backToSchool || h == holidaySeason
}

// holidayDay is the day of a holiday in year y; a season's is its first day.
//
// Black Friday is the day after US Thanksgiving (the fourth Thursday of November),
// which is not always the fourth Friday: in 2024 and 2030 November starts on a
// Friday, so the fourth Friday comes before Thanksgiving. Mother's and Father's Day
// are the US ones (second Sunday of May, third Sunday of June).
func holidayDay(h holiday, y int) agents.Date {
	switch h {
	case thanksgiving:
		return nthWeekday(y, time.November, time.Thursday, 4)
	case blackFriday:
		return nthWeekday(y, time.November, time.Thursday, 4).AddDays(1)
	case cyberMonday:
		return nthWeekday(y, time.November, time.Thursday, 4).AddDays(4)
	case christmas:
		return agents.NewDate(y, time.December, 25)
	case christmasEve:
		return agents.NewDate(y, time.December, 24)
	case newYearsEve:
		return agents.NewDate(y, time.December, 31)
	case newYearsDay:
		return agents.NewDate(y, time.January, 1)
	case valentines:
		return agents.NewDate(y, time.February, 14)
	case halloween:
		return agents.NewDate(y, time.October, 31)
	case mothersDay:
		return nthWeekday(y, time.May, time.Sunday, 2)
	case fathersDay:
		return nthWeekday(y, time.June, time.Sunday, 3)
	}
	start, _ := holidayPeriod(h, y)
	return start
}

// holidayRunUp is how long a flight "for" a one-day holiday runs, ending on
// the day itself: two weeks covers the gift-buying and planning window of the
// smaller retail dates.
const holidayRunUp = 14

// holidayPeriod is the flight a brief means by "for <holiday>" in year y. These
// are choices, made once here:
//   - Black Friday, Cyber Monday, BFCM: the week before Black Friday (deals are
//     announced then) through Cyber Monday, which closes the weekend: 11 days.
//   - Christmas: December 1 through Christmas Day.
//   - the holidays, the holiday season: November 1 through December 31, the US
//     retail holiday season as the NRF counts it.
//   - back to school: July 15 through August 31, the US shopping peak.
//   - any other one-day holiday: the two weeks up to and including the day.
func holidayPeriod(h holiday, y int) (agents.Date, agents.Date) {
	switch h {
	case blackFriday, cyberMonday:
		bf := holidayDay(blackFriday, y)
		return bf.AddDays(-7), bf.AddDays(3)
	case christmas:
		return agents.NewDate(y, time.December, 1), agents.NewDate(y, time.December, 25)
	case holidaySeason:
		return agents.NewDate(y, time.November, 1), agents.NewDate(y, time.December, 31)
	case backToSchool:
		return agents.NewDate(y, time.July, 15), agents.NewDate(y, time.August, 31)
	}
	day := holidayDay(h, y)
	return day.AddDays(1 - holidayRunUp), day
}
