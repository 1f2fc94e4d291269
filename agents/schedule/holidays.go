package schedule

import (
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
)

// Retail holidays and seasons: reading them in a message, their days, and the flight
// a brief means by "for <holiday>".

// holidayAt reads a retail date or season ("Black Friday", "Christmas 2027", "the
// holidays", "back-to-school").
func (s *scheduleScanner) holidayAt(i int) (int, bool) {
	w := s.word(i)
	var h holiday
	n := i + 1
	switch w {
	case "black":
		if s.word(i+1) != "friday" {
			return i, false
		}
		h, n = blackFriday, i+2
		if s.word(n) == "weekend" {
			n++
		}
	case "cyber":
		if x := s.word(i + 1); x != "monday" && x != "week" && x != "weekend" {
			return i, false
		}
		h, n = cyberMonday, i+2
	case "bfcm":
		h = blackFriday
	case "thanksgiving":
		h = thanksgiving
	case "christmas", "xmas":
		h = christmas
		switch s.word(n) {
		case "eve":
			h, n = christmasEve, n+1
		case "day", "season", "period":
			n++
		}
	case "new":
		x := s.word(i + 1)
		if x != "year's" && x != "years" && x != "year" {
			return i, false
		}
		h, n = newYearsDay, i+2
		switch s.word(n) {
		case "eve":
			h, n = newYearsEve, n+1
		case "day":
			n++
		}
	case "nye":
		h = newYearsEve
	case "valentine's", "valentines", "valentine":
		h = valentines
		if s.word(n) == "day" {
			n++
		}
	case "halloween":
		h = halloween
	case "mother's", "mothers", "father's", "fathers":
		if s.word(n) != "day" {
			return i, false
		}
		h, n = mothersDay, n+1
		if strings.HasPrefix(w, "f") {
			h = fathersDay
		}
	case "back":
		k := i + 1
		if s.word(k) == "-" {
			k++
		}
		if s.word(k) != "to" {
			return i, false
		}
		k++
		if s.word(k) == "-" {
			k++
		}
		if s.word(k) != "school" {
			return i, false
		}
		h, n = backToSchool, k+1
		if x := s.word(n); x == "season" || x == "period" {
			n++
		}
	case "holiday", "festive":
		x := s.word(n)
		if x == "shopping" {
			n++
			x = s.word(n)
		}
		if x != "season" && x != "period" {
			return i, false
		}
		h, n = holidaySeason, n+1
	case "holidays":
		switch s.word(i - 1) {
		case "public", "bank", "school", "national", "federal", "religious":
			return i, false
		}
		h = holidaySeason
	default:
		return i, false
	}
	spec := scheduleSpec{kind: specHoliday, n: int(h)}
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
