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
	if movable().dependsOnMarket(p.holiday) {
		// Mother's Day in the UK is Mothering Sunday; summer in Australia starts in
		// December.
		if named := s.marketsNamed(); len(named) > 0 {
			spec.market = named[0]
		}
		spec.south, _ = s.southern()
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
	boxingDay
	valentines
	halloween
	mothersDay
	fathersDay
	backToSchool
	holidaySeason
	easter
	goodFriday
	easterMonday
	ramadan
	eidAlFitr
	eidAlAdha
	diwali
	lunarNewYear
	spring
	summer
	autumn
	winter
)

func (h holiday) String() string { return holidayNames[h] }

// holidayNames name the holidays in messages and test names.
var holidayNames = map[holiday]string{
	blackFriday: "Black Friday", cyberMonday: "Cyber Monday",
	thanksgiving: "Thanksgiving", christmas: "Christmas",
	christmasEve: "Christmas Eve", newYearsEve: "New Year's Eve",
	newYearsDay: "New Year's Day", boxingDay: "Boxing Day",
	valentines: "Valentine's Day",
	halloween:  "Halloween", mothersDay: "Mother's Day",
	fathersDay: "Father's Day", backToSchool: "back to school",
	holidaySeason: "the holiday season",
	easter:        "Easter", goodFriday: "Good Friday", easterMonday: "Easter Monday",
	ramadan: "Ramadan", eidAlFitr: "Eid al-Fitr", eidAlAdha: "Eid al-Adha",
	diwali: "Diwali", lunarNewYear: "Lunar New Year",
	spring: "spring", summer: "summer", autumn: "autumn", winter: "winter",
}

// isSeason reports whether a holiday is a season with no single day: as a start
// it means the season's first day, as an end its last.
func isSeason(h holiday) bool {
	switch h {
	case backToSchool, holidaySeason, ramadan, spring, summer, autumn, winter:
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
func holidayDay(h holiday, y int, market string, south bool) (agents.Date, bool) {
	usThanksgiving := func() agents.Date { return nthWeekday(y, time.November, time.Thursday, 4) }
	switch h {
	case blackFriday:
		return usThanksgiving().AddDays(1), true
	case cyberMonday:
		return usThanksgiving().AddDays(4), true
	case christmas:
		return agents.NewDate(y, time.December, 25), true
	case christmasEve:
		return agents.NewDate(y, time.December, 24), true
	case newYearsEve:
		return agents.NewDate(y, time.December, 31), true
	case newYearsDay:
		return agents.NewDate(y, time.January, 1), true
	case valentines:
		return agents.NewDate(y, time.February, 14), true
	case halloween:
		return agents.NewDate(y, time.October, 31), true
	}
	if isIslamic(h) {
		start, _, ok := islamicIn(h, y)
		return start, ok
	}
	if d, ok := movable().day(h, y, market); ok {
		return d, true
	}
	if !isSeason(h) {
		return agents.Date{}, false
	}
	start, _, ok := holidayPeriod(h, y, market, south)
	return start, ok
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
//   - Boxing Day: the sales that open on it, December 26 through New Year's Eve
//     (Canada's Boxing Week).
//   - the holidays, the holiday season: November 1 through December 31, the US
//     retail holiday season as the NRF counts it.
//   - back to school and the seasons: their months in the market's hemisphere
//     (data/movable.json); meteorological seasons, whole months.
//   - Ramadan: the month itself, its first day through the eve of Eid al-Fitr.
//   - any other one-day holiday: the two weeks up to and including the day.
func holidayPeriod(h holiday, y int, market string, south bool) (agents.Date, agents.Date, bool) {
	switch h {
	case blackFriday, cyberMonday:
		bf, _ := holidayDay(blackFriday, y, market, south)
		return bf.AddDays(-7), bf.AddDays(3), true
	case christmas:
		return agents.NewDate(y, time.December, 1), agents.NewDate(y, time.December, 25), true
	case holidaySeason:
		return agents.NewDate(y, time.November, 1), agents.NewDate(y, time.December, 31), true
	case boxingDay:
		day, ok := holidayDay(h, y, market, south)
		return day, agents.NewDate(y, time.December, 31), ok
	case ramadan:
		return islamicIn(h, y)
	}
	if start, end, ok := movable().period(h, y, south); ok {
		return start, end, true
	}
	if isSeason(h) {
		return agents.Date{}, agents.Date{}, false
	}
	day, ok := holidayDay(h, y, market, south)
	return day.AddDays(1 - holidayRunUp), day, ok
}
