package calendar

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/internal/datafile"
	"github.com/rickar/cal/v2"
)

//go:embed data/movable.json
var dataFS embed.FS

// DependsOnMarket reports whether a holiday's day or period differs by market (Mother's
// Day in the UK is Mothering Sunday; summer in Australia starts in December).
func DependsOnMarket(h Holiday) bool { return movable().dependsOnMarket(h) }

// Holidays whose day moves from year to year or differs by market (data/movable.json):
// Easter and the days counted from it, Mother's and Father's Day, Thanksgiving,
// Diwali, Lunar New Year, and the seasons of each hemisphere.

type movableFile struct {
	Comment string          `json:"_comment"`
	Days    []movableDay    `json:"days"`
	Dates   []movableDates  `json:"dates"`
	Periods []movablePeriod `json:"periods"`
}

type movableDay struct {
	Holiday string   `json:"holiday"`
	Markets []string `json:"markets"`
	Rule    struct {
		Easter  *int   `json:"easter"`
		Julian  bool   `json:"julian"`
		Month   int    `json:"month"`
		Day     int    `json:"day"`
		Weekday string `json:"weekday"`
		Nth     int    `json:"nth"`
	} `json:"rule"`
}

type movableDates struct {
	Holiday string   `json:"holiday"`
	Comment string   `json:"_comment"`
	Days    []string `json:"days"`
}

type movablePeriod struct {
	Holiday string    `json:"holiday"`
	North   [2]string `json:"north"`
	South   [2]string `json:"south"`
}

// dayVariant is how one holiday's day is computed in the markets listed (all others
// when markets is nil).
type dayVariant struct {
	markets map[string]bool
	rule    *cal.Holiday
}

// monthDay is a day of the year without its year; a day past the month's end is its
// last day ("02-29" in a common year).
type monthDay struct {
	month time.Month
	day   int
}

func (d monthDay) in(y int) agents.Date {
	return agents.NewDate(y, d.month, min(d.day, DaysIn(y, d.month)))
}

type movableTable struct {
	days    map[Holiday][]dayVariant
	dates   map[Holiday]map[int]agents.Date
	periods map[Holiday][2][2]monthDay // [north, south][from, to]
}

var movable = sync.OnceValue(func() *movableTable {
	var f movableFile
	datafile.MustRead(dataFS, "data/movable.json", &f)
	return newMovableTable(&f)
})

func Named(name string) Holiday {
	for h, n := range names {
		if n == name {
			return h
		}
	}
	panic(fmt.Sprintf("schedule data: no holiday is named %q", name))
}

func newMovableTable(f *movableFile) *movableTable {
	t := &movableTable{days: map[Holiday][]dayVariant{}, dates: map[Holiday]map[int]agents.Date{}, periods: map[Holiday][2][2]monthDay{}}
	weekdays := map[string]time.Weekday{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekdays[d.String()] = d
	}
	for _, d := range f.Days {
		h := Named(d.Holiday)
		r := d.Rule
		var rule *cal.Holiday
		switch {
		case r.Easter != nil:
			rule = &cal.Holiday{Name: d.Holiday, Offset: *r.Easter, Julian: r.Julian, Func: cal.CalcEasterOffset}
		case r.Month >= 1 && r.Month <= 12 && r.Day >= 1 && r.Day <= 31 && r.Weekday == "":
			rule = &cal.Holiday{Name: d.Holiday, Month: time.Month(r.Month), Day: r.Day, Func: cal.CalcDayOfMonth}
		case r.Month >= 1 && r.Month <= 12 && r.Day == 0 && r.Nth != 0 && r.Nth >= -1 && r.Nth <= 5:
			wd, ok := weekdays[r.Weekday]
			if !ok {
				panic(fmt.Sprintf("schedule data: %s: no weekday %q", d.Holiday, r.Weekday))
			}
			rule = &cal.Holiday{Name: d.Holiday, Month: time.Month(r.Month), Weekday: wd, Offset: r.Nth, Func: cal.CalcWeekdayOffset}
		default:
			panic(fmt.Sprintf("schedule data: %s: a rule needs easter, or month with day, or month with weekday and nth", d.Holiday))
		}
		v := dayVariant{rule: rule}
		if len(d.Markets) > 0 {
			v.markets = marketSet(d.Markets, d.Holiday)
		}
		t.days[h] = append(t.days[h], v)
	}
	for h, vs := range t.days {
		defaults := 0
		for _, v := range vs {
			if v.markets == nil {
				defaults++
			}
		}
		if defaults != 1 {
			panic(fmt.Sprintf("schedule data: %s has %d default rules, not one", h, defaults))
		}
	}
	for _, d := range f.Dates {
		h := Named(d.Holiday)
		t.dates[h] = map[int]agents.Date{}
		for _, s := range d.Days {
			day, err := agents.ParseDate(s)
			if err != nil {
				panic(fmt.Sprintf("schedule data: %s: %v", d.Holiday, err))
			}
			t.dates[h][day.Time().Year()] = day
		}
	}
	for _, p := range f.Periods {
		h := Named(p.Holiday)
		t.periods[h] = [2][2]monthDay{
			{parseMonthDay(p.Holiday, p.North[0]), parseMonthDay(p.Holiday, p.North[1])},
			{parseMonthDay(p.Holiday, p.South[0]), parseMonthDay(p.Holiday, p.South[1])},
		}
	}
	return t
}

func parseMonthDay(where, s string) monthDay {
	m, d, ok := strings.Cut(s, "-")
	month, errM := strconv.Atoi(m)
	day, errD := strconv.Atoi(d)
	if !ok || errM != nil || errD != nil || month < 1 || month > 12 || day < 1 || day > 31 {
		panic(fmt.Sprintf("schedule data: %s: %q is not MM-DD", where, s))
	}
	return monthDay{time.Month(month), day}
}

// dependsOnMarket reports whether a holiday's day or period differs by market.
func (t *movableTable) dependsOnMarket(h Holiday) bool {
	if _, ok := t.periods[h]; ok {
		return true
	}
	for _, v := range t.days[h] {
		if v.markets != nil {
			return true
		}
	}
	return false
}

// variant is the rule for h in market (the default when no rule lists it).
func (t *movableTable) variant(h Holiday, market string) (*cal.Holiday, bool) {
	var def *cal.Holiday
	for _, v := range t.days[h] {
		if v.markets == nil {
			def = v.rule
		} else if v.markets[market] {
			return v.rule, true
		}
	}
	return def, def != nil
}

// day is h's day in year y for market.
func (t *movableTable) day(h Holiday, y int, market string) (agents.Date, bool) {
	if rule, ok := t.variant(h, market); ok {
		actual, _ := rule.Calc(y)
		if actual.IsZero() {
			return agents.Date{}, false
		}
		return agents.NewDate(actual.Year(), actual.Month(), actual.Day()), true
	}
	if days, ok := t.dates[h]; ok {
		d, ok := days[y]
		return d, ok
	}
	return agents.Date{}, false
}

// period is a season's days starting in year y, in the south's months when south.
func (t *movableTable) period(h Holiday, y int, south bool) (agents.Date, agents.Date, bool) {
	p, ok := t.periods[h]
	if !ok {
		return agents.Date{}, agents.Date{}, false
	}
	half := p[0]
	if south {
		half = p[1]
	}
	start := half[0].in(y)
	endYear := y
	if half[1].month < half[0].month {
		endYear++
	}
	return start, half[1].in(endYear), true
}

// marketSet is a rule's markets as a set; a market listed twice is a data defect.
func marketSet(markets []string, holiday string) map[string]bool {
	s := make(map[string]bool, len(markets))
	for _, m := range markets {
		if s[m] {
			panic(fmt.Sprintf("schedule data: %q listed twice (%s)", m, holiday))
		}
		s[m] = true
	}
	return s
}
