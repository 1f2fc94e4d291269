package calendar

import (
	"time"

	"github.com/adplan/adplan/agents"
)

// holiday is a retail date planners name.
type Holiday int

const (
	BlackFriday Holiday = iota + 1
	CyberMonday
	Thanksgiving
	Christmas
	ChristmasEve
	NewYearsEve
	NewYearsDay
	BoxingDay
	Valentines
	Halloween
	MothersDay
	FathersDay
	BackToSchool
	HolidaySeason
	Easter
	GoodFriday
	EasterMonday
	Ramadan
	EidAlFitr
	EidAlAdha
	Diwali
	LunarNewYear
	Spring
	Summer
	Autumn
	Winter
)

func (h Holiday) String() string { return names[h] }

// holidayNames name the holidays in messages and test names.
var names = map[Holiday]string{
	BlackFriday: "Black Friday", CyberMonday: "Cyber Monday",
	Thanksgiving: "Thanksgiving", Christmas: "Christmas",
	ChristmasEve: "Christmas Eve", NewYearsEve: "New Year's Eve",
	NewYearsDay: "New Year's Day", BoxingDay: "Boxing Day",
	Valentines: "Valentine's Day",
	Halloween:  "Halloween", MothersDay: "Mother's Day",
	FathersDay: "Father's Day", BackToSchool: "back to school",
	HolidaySeason: "the holiday season",
	Easter:        "Easter", GoodFriday: "Good Friday", EasterMonday: "Easter Monday",
	Ramadan: "Ramadan", EidAlFitr: "Eid al-Fitr", EidAlAdha: "Eid al-Adha",
	Diwali: "Diwali", LunarNewYear: "Lunar New Year",
	Spring: "spring", Summer: "summer", Autumn: "autumn", Winter: "winter",
}

// isSeason reports whether a holiday is a season with no single day: as a start
// it means the season's first day, as an end its last.
func IsSeason(h Holiday) bool {
	switch h {
	case BackToSchool, HolidaySeason, Ramadan, Spring, Summer, Autumn, Winter:
		return true
	}
	return false
}

// holidayDay is the day of a holiday in year y in market (an ISO code, "" for
// none); a season's is its first day, in the south's months when south. ok is false
// for a year no rule or table places it in.
//
// Black Friday is the day after US Thanksgiving (the fourth Thursday of November),
// which is not always the fourth Friday: in 2024 and 2030 November starts on a
// Friday, so the fourth Friday comes before Thanksgiving. The days that differ by
// market (Mother's Day, Father's Day, Thanksgiving, Easter) come from
// data/movable.json, the US ones where the market is not listed or not named.
func Day(h Holiday, y int, market string, south bool) (agents.Date, bool) {
	usThanksgiving := func() agents.Date { return NthWeekday(y, time.November, time.Thursday, 4) }
	switch h {
	case BlackFriday:
		return usThanksgiving().AddDays(1), true
	case CyberMonday:
		return usThanksgiving().AddDays(4), true
	case Christmas:
		return agents.NewDate(y, time.December, 25), true
	case ChristmasEve:
		return agents.NewDate(y, time.December, 24), true
	case NewYearsEve:
		return agents.NewDate(y, time.December, 31), true
	case NewYearsDay:
		return agents.NewDate(y, time.January, 1), true
	case Valentines:
		return agents.NewDate(y, time.February, 14), true
	case Halloween:
		return agents.NewDate(y, time.October, 31), true
	}
	if IsIslamic(h) {
		start, _, ok := IslamicIn(h, y)
		return start, ok
	}
	if d, ok := movable().day(h, y, market); ok {
		return d, true
	}
	if !IsSeason(h) {
		return agents.Date{}, false
	}
	start, _, ok := Period(h, y, market, south)
	return start, ok
}

// holidayRunUp is how long a flight "for" a one-day holiday runs, ending on
// the day itself: two weeks covers the gift-buying and planning window of the
// smaller retail dates.
const RunUp = 14

// holidayPeriod is the flight a brief means by "for <holiday>" in year y. These
// are choices, made once here:
//   - Black Friday, Cyber Monday, BFCM: the week before Black Friday (deals are
//     announced then) through Cyber Monday, which closes the weekend: 11 days.
//   - Christmas: December 1 through Christmas Day.
//   - Boxing Day: the sales that open on it, December 26 through New Year's Eve
//     (Canada's Boxing Week).
//   - the holidays, the holiday season: November 1 through December 31, the US
//     retail holiday season as the NRF counts it.
//   - back to school and the seasons: their months in the market's hemisphere
//     (data/movable.json); meteorological seasons, whole months.
//   - Ramadan: the month itself, its first day through the eve of Eid al-Fitr.
//   - any other one-day holiday: the two weeks up to and including the day.
func Period(h Holiday, y int, market string, south bool) (agents.Date, agents.Date, bool) {
	switch h {
	case BlackFriday, CyberMonday:
		bf, _ := Day(BlackFriday, y, market, south)
		return bf.AddDays(-7), bf.AddDays(3), true
	case Christmas:
		return agents.NewDate(y, time.December, 1), agents.NewDate(y, time.December, 25), true
	case HolidaySeason:
		return agents.NewDate(y, time.November, 1), agents.NewDate(y, time.December, 31), true
	case BoxingDay:
		day, ok := Day(h, y, market, south)
		return day, agents.NewDate(y, time.December, 31), ok
	case Ramadan:
		return IslamicIn(h, y)
	}
	if start, end, ok := movable().period(h, y, south); ok {
		return start, end, true
	}
	if IsSeason(h) {
		return agents.Date{}, agents.Date{}, false
	}
	day, ok := Day(h, y, market, south)
	return day.AddDays(1 - RunUp), day, ok
}

// Names is every holiday with the name messages and tests give it.
func Names() map[Holiday]string { return names }
