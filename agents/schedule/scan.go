package schedule

import (
	"fmt"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/olebedev/when"
	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/en"
)

// Finding the dates, periods and durations a message mentions (dates.go, numeric.go,
// periods.go, holidays.go, lengths.go), and the role each plays (roles.go).

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

// rawSpan is the text of tokens [from, to).
func (s *scheduleScanner) rawSpan(from, to int) string {
	if from >= to || to > len(s.tokens) {
		return ""
	}
	return s.lower[s.tokens[from].start:s.tokens[to-1].end]
}
