package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/olebedev/when"
	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/en"
)

// Finding the dates, periods and durations a message mentions, and the role each plays.

// scheduleWhen resolves weekday and "tomorrow"/"today" phrases, and only those:
// measured on briefs, olebedev/when with all its English and common rules costs about
// 130 µs per brief and misreads brief text as dates ("18-24 year olds" as 18:24, "we
// may" as May, "24/7" as July 24, "$20 a day" as 20:00), while its month-date rule
// gives past dates for "March 3" (no next occurrence), has no years or ranges ("Dec
// 1-15") and turns "Feb 30" into March 2. So month dates, ranges, quarters and
// durations are read by our own rules, and when sees only the short fragment our
// scanner has already found ("next monday", "tomorrow"): about 3 µs each.
var scheduleWhen = func() *when.Parser {
	p := when.New(&rules.Options{Distance: 5, MatchByOrder: true})
	p.Add(en.Weekday(rules.Override), en.CasualDate(rules.Override))
	return p
}()

// scheduleWhenDay reads a weekday or casual-date fragment relative to now's day. The
// reference is noon, so that when's 24-hour steps never cross midnight at a
// daylight-saving change.
func scheduleWhenDay(fragment string, now time.Time) (agents.Date, bool) {
	noon := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, now.Location())
	r, err := scheduleWhen.Parse(fragment, noon)
	if err != nil || r == nil {
		return agents.Date{}, false
	}
	return agents.DateOf(r.Time.In(now.Location())), true
}

var scheduleMonths = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
	"sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// mayContext are the words after which "may" is the month and not the verb.
var mayContext = map[string]bool{
	"in": true, "during": true, "of": true, "from": true, "until": true, "till": true,
	"through": true, "thru": true, "to": true, "since": true, "early": true, "mid": true,
	"late": true, "whole": true, "entire": true, "throughout": true, "all": true,
	"next": true, "this": true, "-": true, "starting": true, "start": true, "by": true,
	"for": true, "and": true, "on": true,
}

var weekdays = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true,
}

var ordinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
	"eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
	"fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
	"nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

// startWords give the date after them the role of the flight's start.
var startWords = map[string]bool{
	"from": true, "starting": true, "start": true, "starts": true, "started": true,
	"begin": true, "begins": true, "beginning": true, "commence": true, "commencing": true,
	"launch": true, "launches": true, "launching": true, "live": true, "effective": true,
	"after": true, "since": true, "kickoff": true,
}

// endWords give the date after them the role of the flight's last day.
var endWords = map[string]bool{
	"until": true, "till": true, "til": true, "through": true, "thru": true, "ending": true,
	"end": true, "ends": true, "ended": true, "finish": true, "finishes": true,
	"finishing": true, "by": true, "before": true, "stop": true, "stops": true,
	"stopping": true, "closing": true, "wrapping": true, "wrap": true,
	// On a follow-up "extend to Dec 20" moves the end.
	"extend": true, "extended": true, "extending": true, "shorten": true, "lengthen": true,
	"prolong": true,
}

// fillers may stand between a role word and its date ("start on the 3rd",
// "end date: Dec 20", "push the start to January").
var fillers = map[string]bool{
	"the": true, "on": true, "of": true, "in": true, "at": true, "to": true, "it": true,
	"date": true, "day": true, "is": true, "be": true, "will": true, "should": true,
	"around": true, "about": true, "roughly": true, "approximately": true, ":": true,
	"up": true, "off": true, "as": true, "somewhere": true, "sometime": true, "latest": true,
	"earliest": true, "early": true, "and": true, "then": true, "instead": true,
	"flight": true, "campaign": true,
}

// rangeWords join the two ends of a range ("Dec 1 - 15", "from March 3 to April
// 10", "between Dec 1 and Dec 20").
var rangeWords = map[string]bool{
	"-": true, "to": true, "through": true, "thru": true, "until": true, "till": true,
	"til": true, "and": true,
}

// rateWords before "a day", "a month" make it a rate, not a duration ("$200 a
// day", "5k a month", "twice a week", "1M impressions a week").
var rateWords = map[string]bool{
	"once": true, "twice": true, "times": true, "impressions": true, "plays": true,
	"streams": true, "clicks": true, "listens": true, "views": true, "spots": true,
	"k": true, "m": true, "mm": true, "bn": true, "b": true, "thousand": true, "million": true,
	"grand": true, "bucks": true, "dollars": true, "dollar": true, "euros": true, "euro": true,
	"eur": true, "usd": true, "gbp": true, "pounds": true, "pound": true, "quid": true,
	"kr": true, "sek": true, "nok": true, "dkk": true, "chf": true, "cad": true, "aud": true,
	"pesos": true, "peso": true, "yen": true, "rupees": true, "inr": true, "brl": true,
	"reais": true, "pln": true, "mxn": true, "budget": true, "spend": true, "cap": true,
}

// resultVerbs before "in 30 days" make it how long the flight runs ("reach 1M
// people in 30 days"), not when it starts ("launch in two weeks").
var resultVerbs = map[string]bool{
	"reach": true, "deliver": true, "get": true, "hit": true, "achieve": true, "drive": true,
	"generate": true, "spend": true, "spent": true, "use": true, "complete": true,
	"sell": true, "done": true,
}

// mentionKind says what a mention is.
type mentionKind uint8

const (
	dateMention     mentionKind = iota // a day or a period
	durationMention                    // a length of time
	unreadMention                      // a date that could not be read (an ambiguous 3/1)
)

// scheduleRole is the part a date plays in the flight.
type scheduleRole uint8

const (
	noRole scheduleRole = iota
	startRole
	endRole
)

func (r scheduleRole) String() string {
	switch r {
	case startRole:
		return "start"
	case endRole:
		return "end"
	}
	return "no"
}

// mention is one date, period or duration found in a message.
type mention struct {
	kind     mentionKind
	from, to int // token span, to exclusive
	spec     scheduleSpec
	dur      duration
	role     scheduleRole
	// connector is the word that gave the role ("until", "before", "to").
	connector string
	// written is true for a calendar date written out ("March 3"), as opposed to a
	// relative one ("next Monday"): a written start in the past deserves a note.
	written bool
	// offset is true for a start made from a duration ("in two weeks").
	offset bool
	// ranged is true for the second end of a range ("to April 10").
	ranged bool
	// approx is true for the upper end of a range of lengths ("6-8 weeks"), which
	// starts at token approxFrom.
	approx     bool
	approxFrom int
	// fromEnd is true for a length counted back from a period's end ("the last two
	// weeks of December").
	fromEnd bool
	// fromNow is true for a length counted from now ("the next 6 weeks").
	fromNow bool
}

// scheduleScanner finds mentions in a tokenised message.
type scheduleScanner struct {
	lower    string
	tokens   []token
	dur      durationReader
	now      time.Time
	today    agents.Date
	mentions []mention
	notes    []string
	// resolve is false when only the presence of dates matters (Touches): weekdays
	// are then not handed to when.
	resolve bool
}

func newScheduleScanner(lower string, now time.Time, resolve bool) *scheduleScanner {
	tokens := tokenize(lower)
	return &scheduleScanner{
		lower:   lower,
		tokens:  tokens,
		dur:     durationReader{tokens: tokens},
		now:     now,
		today:   agents.DateOf(now),
		resolve: resolve,
	}
}

// whenDay resolves a when fragment, or stands in tomorrow when dates need not be resolved.
func (s *scheduleScanner) whenDay(fragment string) (agents.Date, bool) {
	if !s.resolve {
		return s.today.AddDays(1), true
	}
	return scheduleWhenDay(fragment, s.now)
}

func (s *scheduleScanner) word(i int) string {
	if i < 0 || i >= len(s.tokens) {
		return ""
	}
	return s.tokens[i].text
}

func (s *scheduleScanner) adjacent(i int) bool {
	return i > 0 && i < len(s.tokens) && s.tokens[i-1].end == s.tokens[i].start
}

func (s *scheduleScanner) isNumber(i int) bool {
	return i >= 0 && i < len(s.tokens) && s.tokens[i].kind == number
}

func (s *scheduleScanner) note(format string, args ...any) {
	if len(s.notes) < 8 {
		if len(args) > 0 {
			format = fmt.Sprintf(format, args...)
		}
		s.notes = append(s.notes, format)
	}
}

// maxMentions bounds the work on a message pasted with hundreds of dates; a
// brief names a handful.
const maxMentions = 64

// scan finds every mention, then pairs ranges and gives each date its role.
func (s *scheduleScanner) scan() {
	for i := 0; i < len(s.tokens) && len(s.mentions) < maxMentions; {
		if next, ok := s.at(i); ok && next > i {
			i = next
			continue
		}
		i++
	}
	s.applyOffsets()
	s.pairRanges()
	s.assignRoles()
}

// at tries every rule at token i, most specific first.
func (s *scheduleScanner) at(i int) (int, bool) {
	if n, ok := s.holidayAt(i); ok {
		return n, true
	}
	if n, ok := s.edgeAt(i); ok {
		return n, true
	}
	if n, ok := s.numericDateAt(i); ok {
		return n, true
	}
	if n, ok := s.monthFirstAt(i); ok {
		return n, true
	}
	if n, ok := s.dayFirstAt(i); ok {
		return n, true
	}
	if spec, n, ok := s.relativePeriodAt(i); ok {
		s.addDate(i, n, spec, false)
		return n, true
	}
	if n, ok := s.yearPeriodAt(i); ok {
		return n, true
	}
	if n, ok := s.casualAt(i); ok {
		return n, true
	}
	if n, ok := s.weekdayAt(i); ok {
		return n, true
	}
	if n, ok := s.dayOfMonthAt(i); ok {
		return n, true
	}
	return s.durationAt(i)
}

func (s *scheduleScanner) addDate(from, to int, spec scheduleSpec, written bool) {
	s.mentions = append(s.mentions, mention{kind: dateMention, from: from, to: to, spec: spec, written: written})
}

// yearAt reads a four-digit year (1900-2199) at i, after an optional comma or "of".
func (s *scheduleScanner) yearAt(i int) (int, int, bool) {
	j := i
	if w := s.word(j); w == "," || w == "of" {
		j++
	}
	if !s.isNumber(j) || len(s.word(j)) != 4 {
		return 0, i, false
	}
	y, err := strconv.Atoi(s.word(j))
	if err != nil || y < 1900 || y > 2199 {
		return 0, i, false
	}
	return y, j + 1, true
}

// relativeYearAt reads "next year" or "this year" after a month or quarter ("March
// next year", "Q1 of next year").
func (s *scheduleScanner) relativeYearAt(i int) (int, int, bool) {
	if y, n, ok := s.yearAt(i); ok {
		return y, n, true
	}
	j := i
	if s.word(j) == "of" {
		j++
	}
	if s.word(j+1) != "year" {
		return 0, i, false
	}
	switch s.word(j) {
	case "next":
		return s.today.Time().Year() + 1, j + 2, true
	case "this":
		return s.today.Time().Year(), j + 2, true
	}
	return 0, i, false
}

// monthAt reads a month name at i, with an optional dot after an abbreviation.
func (s *scheduleScanner) monthAt(i int) (time.Month, int, bool) {
	m, ok := scheduleMonths[s.word(i)]
	if !ok || s.tokens[i].kind != scheduleWord {
		return 0, i, false
	}
	n := i + 1
	if s.word(n) == "." && s.adjacent(n) && len(s.word(i)) <= 4 {
		n++
	}
	return m, n, true
}

// dayAt reads a day of the month: "3", "3rd", "third", "twenty-first", "the 3rd".
func (s *scheduleScanner) dayAt(i int) (int, int, bool) {
	j := i
	if s.word(j) == "the" {
		j++
	}
	w := s.word(j)
	if s.isNumber(j) {
		if len(w) > 2 {
			return 0, i, false
		}
		d, err := strconv.Atoi(w)
		if err != nil || d < 1 || d > 31 {
			return 0, i, false
		}
		j++
		if sfx := s.word(j); (sfx == "st" || sfx == "nd" || sfx == "rd" || sfx == "th") && s.adjacent(j) {
			j++
		} else if j < len(s.tokens) && s.tokens[j].kind == scheduleWord && s.adjacent(j) {
			// "2x", "5k", "10am" are no days.
			return 0, i, false
		}
		// "3 months", "3-day": a number before a unit is not a day of the month.
		if _, isUnit := unitWords[s.word(j)]; isUnit {
			return 0, i, false
		}
		if s.word(j) == "-" && s.adjacent(j) {
			if _, isUnit := unitWords[s.word(j+1)]; isUnit {
				return 0, i, false
			}
		}
		return d, j, true
	}
	if d, ok := ordinals[w]; ok {
		return d, j + 1, true
	}
	if w == "twenty" || w == "thirty" {
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		if d, ok := ordinals[s.word(k)]; ok && d < 10 {
			base := 20
			if w == "thirty" {
				base = 30
			}
			if base+d <= 31 {
				return base + d, k + 1, true
			}
		}
	}
	return 0, i, false
}

// monthFirstAt reads "March 3", "March 3rd, 2027", "Dec 1-15", "January 2027" and a
// bare month ("in January").
func (s *scheduleScanner) monthFirstAt(i int) (int, bool) {
	m, j, ok := s.monthAt(i)
	if !ok {
		return i, false
	}
	day, k, hasDay := s.dayAt(j)
	if hasDay {
		// "Dec 1-15", "December 1st through the 15th"; not "March 3 - April 10", which
		// pairRanges joins.
		endDay, afterEnd := 0, k
		if rangeWords[s.word(k)] && s.word(k) != "and" {
			if d2, n, ok := s.dayAt(k + 1); ok && d2 > day {
				if _, _, nextIsMonth := s.monthAt(n); !nextIsMonth {
					endDay, afterEnd = d2, n
				}
			}
		}
		year, n, hasYear := s.yearAt(afterEnd)
		if !hasYear {
			n = afterEnd
		}
		start := scheduleSpec{kind: specMonthDay, year: year, month: m, day: day}
		s.addDate(i, k, start, true)
		if endDay > 0 {
			end := start
			end.day = endDay
			s.mentions = append(s.mentions, mention{
				kind: dateMention, from: k, to: n, spec: end, written: true,
				role: endRole, connector: s.word(k), ranged: true,
			})
			s.mentions[len(s.mentions)-2].role = startRole
		} else {
			s.mentions[len(s.mentions)-1].to = n
		}
		return n, true
	}
	year, n, hasYear := s.relativeYearAt(j)
	if !hasYear {
		n = j
		// "may" is the month only where a month is expected ("in May", "May-June"), and
		// "jan", "mar" alone are names or typos; "march" the verb is rare in briefs.
		if (s.word(i) == "may" || len(s.word(i)) <= 3) && !mayContext[s.word(i-1)] && !s.monthRangeAt(j) {
			return i, false
		}
	}
	s.addDate(i, n, scheduleSpec{kind: specMonth, year: year, month: m}, hasYear)
	return n, true
}

// monthRangeAt reports whether a range word and a month follow at i ("- June").
func (s *scheduleScanner) monthRangeAt(i int) bool {
	if !rangeWords[s.word(i)] {
		return false
	}
	_, _, ok := s.monthAt(i + 1)
	return ok
}

// dayFirstAt reads "3 March", "3rd of March 2027", "the 1st of March", "1-15 December".
func (s *scheduleScanner) dayFirstAt(i int) (int, bool) {
	day, j, ok := s.dayAt(i)
	if !ok {
		return i, false
	}
	endDay, endFrom := 0, j
	if rangeWords[s.word(j)] && s.word(j) != "and" {
		if d2, n, ok := s.dayAt(j + 1); ok && d2 > day {
			endDay, j = d2, n
		}
	}
	if s.word(j) == "of" {
		j++
	}
	m, k, ok := s.monthAt(j)
	if !ok {
		return i, false
	}
	year, n, hasYear := s.yearAt(k)
	if !hasYear {
		n = k
	}
	start := scheduleSpec{kind: specMonthDay, year: year, month: m, day: day}
	if endDay == 0 {
		s.addDate(i, n, start, true)
		return n, true
	}
	s.addDate(i, endFrom, start, true)
	s.mentions[len(s.mentions)-1].role = startRole
	end := start
	end.day = endDay
	s.mentions = append(s.mentions, mention{
		kind: dateMention, from: endFrom, to: n, spec: end, written: true,
		role: endRole, connector: s.word(endFrom), ranged: true,
	})
	return n, true
}

// numericDateAt reads ISO dates ("2027-02-01", "2027/02/01"), European dotted dates
// ("1.12.2026") and slash dates ("3/15", "15/3/2027").
func (s *scheduleScanner) numericDateAt(i int) (int, bool) {
	if !s.isNumber(i) {
		return i, false
	}
	w := s.word(i)
	// ISO: YYYY-MM-DD, all adjacent.
	if len(w) == 4 && (s.word(i+1) == "-" || s.word(i+1) == "/") && s.word(i+3) == s.word(i+1) &&
		s.adjacent(i+1) && s.adjacent(i+2) && s.adjacent(i+3) && s.adjacent(i+4) &&
		s.isNumber(i+2) && s.isNumber(i+4) {
		y, _ := strconv.Atoi(w)
		m, errM := strconv.Atoi(s.word(i + 2))
		d, errD := strconv.Atoi(s.word(i + 4))
		if errM == nil && errD == nil {
			if date, ok := validDate(y, m, d); ok {
				s.addDate(i, i+5, scheduleSpec{kind: specFixed, start: date, end: date}, true)
				return i + 5, true
			}
		}
		return i + 5, true
	}
	// European D.M.YYYY, one number token with two dots.
	if strings.Count(w, ".") == 2 && !strings.Contains(w, ",") {
		parts := strings.Split(w, ".")
		if len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
			d, _ := strconv.Atoi(parts[0])
			m, _ := strconv.Atoi(parts[1])
			y, _ := strconv.Atoi(parts[2])
			if date, ok := validDate(y, m, d); ok {
				s.addDate(i, i+1, scheduleSpec{kind: specFixed, start: date, end: date}, true)
				return i + 1, true
			}
		}
		return i, false
	}
	return s.slashDateAt(i)
}

// validDate checks y-m-d and builds it.
func validDate(y, m, d int) (agents.Date, bool) {
	if y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return agents.Date{}, false
	}
	return agents.NewDate(y, time.Month(m), d), true
}

// slash is a slash date as written: a/b[/year].
type slash struct {
	a, b, year int
	from, to   int
}

// slashAt reads a/b or a/b/yy(yy), all adjacent, with a and b of one or two digits.
func (s *scheduleScanner) slashAt(i int) (slash, bool) {
	if !s.isNumber(i) || s.word(i+1) != "/" || !s.adjacent(i+1) || !s.adjacent(i+2) || !s.isNumber(i+2) {
		return slash{}, false
	}
	if len(s.word(i)) > 2 || len(s.word(i+2)) > 2 {
		return slash{}, false
	}
	a, errA := strconv.Atoi(s.word(i))
	b, errB := strconv.Atoi(s.word(i + 2))
	if errA != nil || errB != nil {
		return slash{}, false
	}
	sl := slash{a: a, b: b, from: i, to: i + 3}
	if s.word(i+3) == "/" && s.adjacent(i+3) && s.adjacent(i+4) && s.isNumber(i+4) {
		y, err := strconv.Atoi(s.word(i + 4))
		if err != nil || (len(s.word(i+4)) != 2 && len(s.word(i+4)) != 4) {
			return slash{}, false
		}
		if y < 100 {
			y += 2000
		}
		sl.year, sl.to = y, i+5
	}
	return sl, true
}

// slashOrder says how a slash date reads: month first (US), day first, either
// (both readings are the same day, or the other is impossible), or ambiguous.
func slashOrder(sl slash) (monthFirst, dayFirst bool) {
	monthFirst = sl.a >= 1 && sl.a <= 12 && sl.b >= 1 && sl.b <= 31
	dayFirst = sl.b >= 1 && sl.b <= 12 && sl.a >= 1 && sl.a <= 31
	return monthFirst, dayFirst
}

func slashSpec(sl slash, monthFirst bool) scheduleSpec {
	m, d := sl.a, sl.b
	if !monthFirst {
		m, d = sl.b, sl.a
	}
	return scheduleSpec{kind: specMonthDay, year: sl.year, month: time.Month(m), day: d}
}

// slashDateAt reads slash dates only where a date is expected (after "from", "until",
// "on", or as one end of a range), so "24/7" and "50/50" stay what they are, and only
// when the order is clear: "3/1" is March 1 in the US and January 3 elsewhere, so
// it is read only when a number above 12 (in it or in the other end of its range)
// settles the order; otherwise it gets a note.
func (s *scheduleScanner) slashDateAt(i int) (int, bool) {
	first, ok := s.slashAt(i)
	if !ok {
		return i, false
	}
	var second slash
	hasSecond := false
	if rangeWords[s.word(first.to)] {
		second, hasSecond = s.slashAt(first.to + 1)
	}
	prev := s.word(i - 1)
	if s.word(i-1) == "the" {
		prev = s.word(i - 2)
	}
	if !hasSecond && !startWords[prev] && !endWords[prev] && prev != "on" && prev != "-" && prev != "to" {
		return i, false
	}
	m1, d1 := slashOrder(first)
	monthFirst, dayFirst := m1, d1
	if hasSecond {
		m2, d2 := slashOrder(second)
		monthFirst, dayFirst = m1 && m2, d1 && d2
	}
	end := first.to
	if hasSecond {
		end = second.to
	}
	same := first.a == first.b && (!hasSecond || second.a == second.b)
	if monthFirst == dayFirst && !same {
		s.mentions = append(s.mentions, mention{kind: unreadMention, from: i, to: end})
		if monthFirst {
			s.note("%q could be read month first or day first; write the month's name (e.g. %s).",
				s.rawSpan(i, end), slashExample(first))
		}
		return end, true
	}
	s.addDate(i, first.to, slashSpec(first, monthFirst || same), true)
	if hasSecond {
		s.mentions[len(s.mentions)-1].role = startRole
		s.mentions = append(s.mentions, mention{
			kind: dateMention, from: first.to, to: second.to,
			spec: slashSpec(second, monthFirst || same), written: true,
			role: endRole, connector: s.word(first.to), ranged: true,
		})
	}
	return end, true
}

func slashExample(sl slash) string {
	return time.Month(sl.a).String() + " " + strconv.Itoa(sl.b)
}

// rawSpan is the text of tokens [from, to).
func (s *scheduleScanner) rawSpan(from, to int) string {
	if from >= to || to > len(s.tokens) {
		return ""
	}
	return s.lower[s.tokens[from].start:s.tokens[to-1].end]
}

// dayOfMonthAt reads "the 15th" with no month, where a date is expected ("from the 1st
// to the 15th", "until the 20th"): the next such day.
func (s *scheduleScanner) dayOfMonthAt(i int) (int, bool) {
	if s.word(i) != "the" {
		return i, false
	}
	prev := s.word(i - 1)
	if !startWords[prev] && !endWords[prev] && prev != "on" && prev != "to" && prev != "-" {
		return i, false
	}
	day, n, ok := s.dayAt(i)
	if !ok {
		return i, false
	}
	// "the 3" without an ordinal suffix is too weak to be a date.
	if sfx := s.word(i + 2); s.isNumber(i+1) && (!s.adjacent(i+2) || sfx != "st" && sfx != "nd" && sfx != "rd" && sfx != "th") {
		return i, false
	}
	s.addDate(i, n, scheduleSpec{kind: specDayOfMonth, day: day}, true)
	return n, true
}

// thisPeriod is the rest of the current month, week, quarter or year, and nextPeriod
// the whole next one (weeks run Monday to Sunday).
func (s *scheduleScanner) thisPeriod(unit string) (agents.Date, agents.Date, bool) {
	t := s.today.Time()
	y, m := t.Year(), t.Month()
	switch unit {
	case "month":
		return monthStart(y, m), monthEnd(y, m), true
	case "quarter":
		q := time.Month(3 * ((int(m) - 1) / 3))
		return monthStart(y, q+1), monthEnd(y, q+3), true
	case "year":
		return agents.NewDate(y, 1, 1), agents.NewDate(y, 12, 31), true
	case "week":
		monday := s.today.AddDays(-((int(t.Weekday()) + 6) % 7))
		return monday, monday.AddDays(6), true
	case "weekend":
		monday := s.today.AddDays(-((int(t.Weekday()) + 6) % 7))
		return monday.AddDays(5), monday.AddDays(6), true
	}
	return agents.Date{}, agents.Date{}, false
}

func (s *scheduleScanner) nextPeriod(unit string) (agents.Date, agents.Date, bool) {
	start, end, ok := s.thisPeriod(unit)
	if !ok {
		return start, end, false
	}
	switch unit {
	case "month":
		n := addMonths(start, 1)
		return n, monthEnd(n.Time().Year(), n.Time().Month()), true
	case "quarter":
		n := addMonths(start, 3)
		return n, monthEnd(n.Time().Year(), n.Time().Month()+2), true
	case "year":
		return addMonths(start, 12), addMonths(end, 12), true
	}
	return start.AddDays(7), end.AddDays(7), true
}

var quarterOrdinals = map[string]int{
	"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}

// relativePeriodAt reads "this month", "next quarter", "the rest of the year", "Q1",
// "Q1 2027", "the first quarter", "H2".
func (s *scheduleScanner) relativePeriodAt(i int) (scheduleSpec, int, bool) {
	w := s.word(i)
	switch w {
	case "this", "current", "next", "following", "coming":
		unit := s.word(i + 1)
		var start, end agents.Date
		var ok bool
		if w == "next" || w == "following" || w == "coming" {
			start, end, ok = s.nextPeriod(unit)
		} else {
			start, end, ok = s.thisPeriod(unit)
		}
		if !ok {
			return scheduleSpec{}, i, false
		}
		return scheduleSpec{kind: specFixed, start: start, end: end}, i + 2, true
	case "rest", "remainder":
		j := i + 1
		if s.word(j) == "of" {
			j++
		}
		if w := s.word(j); w == "the" || w == "this" {
			j++
		}
		if start, end, ok := s.thisPeriod(s.word(j)); ok {
			return scheduleSpec{kind: specFixed, start: start, end: end}, j + 1, true
		}
	case "q", "h":
		if !s.isNumber(i+1) || !s.adjacent(i+1) {
			return scheduleSpec{}, i, false
		}
		n, err := strconv.Atoi(s.word(i + 1))
		if err != nil || n < 1 || (w == "q" && n > 4) || (w == "h" && n > 2) {
			return scheduleSpec{}, i, false
		}
		spec := scheduleSpec{kind: specQuarter, n: n}
		if w == "h" {
			spec.kind = specHalf
		}
		j := i + 2
		if y, k, ok := s.relativeYearAt(j); ok {
			spec.year, j = y, k
		} else if s.word(j) == "'" && s.isNumber(j+1) && len(s.word(j+1)) == 2 {
			y, _ := strconv.Atoi(s.word(j + 1))
			spec.year, j = 2000+y, j+2
		}
		return spec, j, true
	}
	if q, ok := quarterOrdinals[w]; ok && s.word(i+1) == "quarter" {
		spec := scheduleSpec{kind: specQuarter, n: q}
		j := i + 2
		if y, k, ok := s.relativeYearAt(j); ok {
			spec.year, j = y, k
		}
		return spec, j, true
	}
	if (w == "first" || w == "second") && s.word(i+1) == "half" && s.word(i+2) == "of" {
		n := 1
		if w == "second" {
			n = 2
		}
		j := i + 3
		if s.word(j) == "the" && s.word(j+1) == "year" {
			return scheduleSpec{kind: specHalf, n: n}, j + 2, true
		}
		if y, k, ok := s.relativeYearAt(j - 1); ok {
			return scheduleSpec{kind: specHalf, n: n, year: y}, k, true
		}
	}
	return scheduleSpec{}, i, false
}

// yearPeriodAt reads a whole year after "in", "during" or "throughout" ("in 2027").
func (s *scheduleScanner) yearPeriodAt(i int) (int, bool) {
	switch s.word(i - 1) {
	case "in", "during", "throughout":
	default:
		return i, false
	}
	y, n, ok := s.yearAt(i)
	if !ok || n != i+1 {
		return i, false
	}
	s.addDate(i, n, scheduleSpec{kind: specYear, year: y}, true)
	return n, true
}

// edgeAt reads one day of a period: "the end of the year", "end of Q1", "the
// beginning of next month", "mid-January", "early March", "year-end".
func (s *scheduleScanner) edgeAt(i int) (int, bool) {
	j := i
	if s.word(j) == "the" {
		j++
	}
	w := s.word(j)
	var edge scheduleEdge
	switch w {
	case "end", "close":
		edge = edgeEnd
	case "start", "beginning":
		edge = edgeStart
	case "middle":
		edge = edgeMid
	case "mid", "early":
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		m, n, ok := s.monthAt(k)
		if !ok {
			return i, false
		}
		spec := scheduleSpec{kind: specMonth, month: m, edge: edgeMid}
		if w == "early" {
			spec.edge = edgeStart
		}
		if y, k2, ok := s.relativeYearAt(n); ok {
			spec.year, n = y, k2
		}
		s.addDate(i, n, spec, true)
		return n, true
	case "year", "month", "quarter":
		k := j + 1
		if s.word(k) == "-" {
			k++
		}
		if s.word(k) != "end" {
			return i, false
		}
		start, end, _ := s.thisPeriod(w)
		s.addDate(i, k+1, scheduleSpec{kind: specFixed, start: start, end: end, edge: edgeEnd}, false)
		return k + 1, true
	case "yearend", "eoy", "eom", "eoq":
		unit := map[string]string{"yearend": "year", "eoy": "year", "eom": "month", "eoq": "quarter"}[w]
		start, end, _ := s.thisPeriod(unit)
		s.addDate(i, j+1, scheduleSpec{kind: specFixed, start: start, end: end, edge: edgeEnd}, false)
		return j + 1, true
	default:
		return i, false
	}
	if s.word(j+1) != "of" {
		return i, false
	}
	k := j + 2
	if s.word(k) == "the" || s.word(k) == "this" {
		k++
	}
	var spec scheduleSpec
	n := k
	if start, end, ok := s.thisPeriod(s.word(k)); ok {
		spec, n = scheduleSpec{kind: specFixed, start: start, end: end}, k+1
	} else if p, n2, ok := s.relativePeriodAt(k); ok {
		spec, n = p, n2
	} else if m, n2, ok := s.monthAt(k); ok {
		spec, n = scheduleSpec{kind: specMonth, month: m}, n2
		if y, n3, ok := s.relativeYearAt(n); ok {
			spec.year, n = y, n3
		}
	} else if y, n2, ok := s.yearAt(k); ok && n2 == k+1 {
		spec, n = scheduleSpec{kind: specYear, year: y}, n2
	} else {
		return i, false
	}
	spec.edge = edge
	s.addDate(i, n, spec, spec.kind != specFixed)
	return n, true
}

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

// casualAt reads "tomorrow", "today", "tonight" (through when) and "asap",
// "immediately", "right away" (the earliest start: tomorrow).
func (s *scheduleScanner) casualAt(i int) (int, bool) {
	switch w := s.word(i); w {
	case "tomorrow", "today", "tonight":
		d, ok := s.whenDay(w)
		if !ok {
			return i, false
		}
		s.addDate(i, i+1, scheduleSpec{kind: specFixed, start: d, end: d}, false)
		return i + 1, true
	case "asap", "immediately":
		d := s.today.AddDays(1)
		s.addDate(i, i+1, scheduleSpec{kind: specFixed, start: d, end: d}, false)
		return i + 1, true
	case "right":
		if s.word(i+1) == "away" {
			d := s.today.AddDays(1)
			s.addDate(i, i+2, scheduleSpec{kind: specFixed, start: d, end: d}, false)
			return i + 2, true
		}
	}
	return i, false
}

// weekdayAt reads "Monday", "next Monday", "this Friday", "this coming Monday",
// "Monday next week" through when. A plural ("on Mondays") is day-parting, not a date.
func (s *scheduleScanner) weekdayAt(i int) (int, bool) {
	j := i
	modifier := ""
	switch s.word(j) {
	case "this":
		modifier = "this"
		j++
		if s.word(j) == "coming" {
			modifier = "next"
			j++
		}
	case "next", "coming":
		modifier = "next"
		j++
	}
	day := s.word(j)
	if !weekdays[day] {
		return i, false
	}
	n := j + 1
	fragment := day
	if modifier != "" {
		fragment = modifier + " " + day
	}
	if x := s.word(n); (x == "next" || x == "this") && s.word(n+1) == "week" {
		fragment = day + " " + x + " week"
		n += 2
	}
	d, ok := s.whenDay(fragment)
	if !ok {
		return i, false
	}
	// when reads "this Monday" on a Wednesday as two days ago; a flight means the
	// coming one.
	for !s.today.Before(d) {
		d = d.AddDays(7)
	}
	if strings.HasSuffix(fragment, "next week") {
		// "Monday next week" is in the week after this one, which when does not know.
		monday := s.today.AddDays(7 - (int(s.today.Time().Weekday())+6)%7)
		for d.Before(monday) {
			d = d.AddDays(7)
		}
	}
	s.addDate(i, n, scheduleSpec{kind: specFixed, start: d, end: d}, false)
	return n, true
}

// durationAt reads a duration at i, leaving out the durations that are not a flight's:
// rates ("$200 a day", "every 2 weeks"), ages ("18-24 year olds"), the past ("3 years
// ago"), creative lengths ("30-second spots") and absurd lengths. "in two weeks" and
// "two weeks from now" become a start date.
func (s *scheduleScanner) durationAt(i int) (int, bool) {
	d, next, ok := s.dur.read(i)
	if !ok {
		return i, false
	}
	first, prev := s.word(i), s.word(i-1)
	switch {
	case prev == "per" || prev == "every" || prev == "each" || prev == "/":
		return next, true
	case (first == "a" || first == "an") && (s.isNumber(i-1) || rateWords[prev]):
		return next, true
	case s.isNumber(i) && prev != "" && strings.Contains(currencySigns, prev):
		return next, true
	}
	after := s.word(next)
	if after == "-" {
		after = s.word(next + 1)
	}
	switch after {
	case "old", "olds", "older", "younger", "ago", "plus", "+":
		return next, true
	case "of":
		if s.word(next+1) == "age" {
			return next, true
		}
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if w := s.word(k); w == "age" || w == "aged" || w == "ages" {
			return next, true
		}
	}
	if d.largest() < scheduleDay && d.days() < 1 {
		return next, true
	}
	if d.amount[scheduleYear] >= 10 || d.months() > 120 || d.days() > maxFlightDays {
		return next, true
	}
	fromNow := after == "from" && (s.word(next+1) == "now" || s.word(next+1) == "today")
	if fromNow || (prev == "in" && !s.resultVerbBefore(i-1)) {
		day, ok := move(s.today, d, 1, 0)
		if !ok {
			return next, true
		}
		from, to := i, next
		if fromNow {
			to = next + 2
		} else {
			from = i - 1
		}
		s.mentions = append(s.mentions, mention{
			kind: dateMention, from: from, to: to, offset: true,
			spec: scheduleSpec{kind: specFixed, start: day, end: day},
		})
		return to, true
	}
	m := mention{kind: durationMention, from: i, to: next, dur: d}
	// "the last two weeks of December" ends with the period; "the next 6 weeks" starts now.
	m.fromEnd = (prev == "last" || prev == "final") && (after == "of" || after == "in")
	m.fromNow = prev == "next" || prev == "coming"
	// "6-8 weeks", "6 to 8 weeks", "6 or 8 weeks": the longer, as a budget range gives its upper bound.
	if w := s.word(i - 1); (w == "-" || w == "to" || w == "or") && s.isNumber(i-2) && s.isNumber(i) {
		m.approx, m.approxFrom = true, i-2
	}
	s.mentions = append(s.mentions, m)
	return next, true
}

// resultVerbBefore reports whether a result verb ("reach 1M people in 30 days") comes
// shortly before token i in the same clause.
func (s *scheduleScanner) resultVerbBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		w := s.word(k)
		if w == "," || w == "." || startWords[w] {
			return false
		}
		if resultVerbs[w] {
			return true
		}
	}
	return false
}

// applyOffsets reads "a week before Black Friday" and "3 days after Christmas": the
// duration moves the date after it and is no flight length.
func (s *scheduleScanner) applyOffsets() {
	for k := 0; k+1 < len(s.mentions); k++ {
		d, next := &s.mentions[k], &s.mentions[k+1]
		if d.kind != durationMention || next.kind != dateMention || next.spec.isPeriod() && next.spec.kind != specHoliday {
			continue
		}
		dir := s.word(d.to)
		if dir != "before" && dir != "after" {
			continue
		}
		gap := next.from - d.to - 1
		if gap > 1 || (gap == 1 && s.word(d.to+1) != "the") || d.dur.months() != 0 {
			continue
		}
		days := int(d.dur.days() + 0.5)
		if dir == "before" {
			days = -days
		}
		next.spec.shift += days
		next.from = d.from
		next.written = false
		d.kind = unreadMention
		d.dur = duration{}
	}
}

// pairRanges joins "A to B", "A - B", "A through B", "between A and B" into a start and
// an end, carrying a year written on one end to the other ("March 3 - April 10, 2027").
func (s *scheduleScanner) pairRanges() {
	for k := 0; k+1 < len(s.mentions); k++ {
		a, b := &s.mentions[k], &s.mentions[k+1]
		if a.kind != dateMention || b.kind != dateMention || a.role == endRole || b.ranged {
			continue
		}
		connector, ok := s.rangeGap(a.to, b.from)
		if !ok {
			continue
		}
		// "between Dec 1 and Dec 20"; "January and February" (two periods) is both.
		between := s.word(a.from-1) == "between" || s.word(a.from-1) == "the" && s.word(a.from-2) == "between"
		if connector == "and" && !between && !(a.spec.isPeriod() && b.spec.isPeriod()) {
			continue
		}
		if a.role == noRole {
			a.role = startRole
		}
		b.role, b.connector, b.ranged = endRole, connector, true
		carryYear(&a.spec, b.spec)
	}
}

// rangeGap checks that the tokens between two dates join them as a range and returns
// the joining word.
func (s *scheduleScanner) rangeGap(from, to int) (string, bool) {
	if to <= from || to-from > 3 {
		return "", false
	}
	connector := ""
	for k := from; k < to; k++ {
		w := s.word(k)
		switch {
		case rangeWords[w]:
			if connector == "" {
				connector = w
			}
		case w == "the" || w == "," || w == "up":
		default:
			return "", false
		}
	}
	return connector, connector != ""
}

// carryYear gives a start written without a year the year of its end, a year
// earlier when it would otherwise come after the end ("Dec 15 - Jan 15, 2027").
func carryYear(start *scheduleSpec, end scheduleSpec) {
	if start.year != 0 || end.year == 0 {
		return
	}
	if start.kind != specMonthDay && start.kind != specMonth {
		return
	}
	start.year = end.year
	if end.kind == specMonthDay || end.kind == specMonth {
		if start.month > end.month || (start.month == end.month && start.day > end.day) {
			start.year--
		}
	}
}

// assignRoles gives each date without one the role of the nearest role word before it,
// skipping fillers: "starting next month", "run it until Christmas", "end date: Dec
// 20", "push the start to January".
func (s *scheduleScanner) assignRoles() {
	prevEnd := 0
	for k := range s.mentions {
		m := &s.mentions[k]
		if m.kind == dateMention && m.role == noRole {
			for j, steps := m.from-1, 0; j >= prevEnd && steps < 5; j, steps = j-1, steps+1 {
				w := s.word(j)
				if w == "as" && s.word(j+1) == "of" || w == "off" && strings.HasPrefix(s.word(j-1), "kick") {
					m.role, m.connector = startRole, w
					break
				}
				if w == "up" && strings.HasPrefix(s.word(j-1), "wrap") {
					m.role, m.connector = endRole, w
					break
				}
				if startWords[w] {
					m.role, m.connector = startRole, w
					break
				}
				if endWords[w] {
					m.role, m.connector = endRole, w
					break
				}
				if !fillers[w] {
					break
				}
			}
		}
		prevEnd = m.to
	}
}
