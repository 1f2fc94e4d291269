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
	// connector is the word that gave the role ("until", "before", "to"), and
	// connectorAt the tokens it was read from, with the words joining a range.
	connector   string
	connectorAt tokRange
	// noted is true for a mention a note tells the user about ("Ignored ..."), and
	// repeat for a length that says again the flight's first one ("30 days ... a
	// 30-day flight").
	noted, repeat bool
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

// scheduleScanner finds mentions in a tokenised message; it reads durations over its
// own tokens, and shares their word lookups.
type scheduleScanner struct {
	durationReader
	lower    string
	now      time.Time
	today    agents.Date
	mentions []mention
	notes    []string
	// sources are the words the reading used (Run only).
	sources []agents.Source
	// resolve is false when only the presence of dates matters (Touches): weekdays
	// are then not handed to when.
	resolve bool
	// text is the message as written, where a market's code is told by its capitals
	// ("US", "DE"); knownMarkets are the brief's countries before this message.
	text         string
	knownMarkets []string
	// namedMarkets are the markets the message names, found on first need
	// (marketsNamed).
	namedMarkets []string
	marketsRead  bool
	// typos are the tokens read as the month name they misspell ("febuary").
	typos []int
}

func newScheduleScanner(lower string, now time.Time, resolve bool) *scheduleScanner {
	tokens := tokenize(lower)
	v := vocab()
	typos := v.annotate(tokens)
	return &scheduleScanner{
		durationReader: durationReader{tokens: tokens, v: v},
		typos:          typos,
		lower:          lower,
		now:            now,
		today:          agents.DateOf(now),
		resolve:        resolve,
	}
}

// whenDay resolves a when fragment, or stands in tomorrow when dates need not be resolved.
func (s *scheduleScanner) whenDay(fragment string) (agents.Date, bool) {
	if !s.resolve {
		return s.today.AddDays(1), true
	}
	return scheduleWhenDay(fragment, s.now)
}

func (s *scheduleScanner) isNumber(i int) bool {
	return i >= 0 && i < len(s.tokens) && s.tokens[i].kind == number
}

// noteTypos tells the user of each misspelt month name a date was read from.
func (s *scheduleScanner) noteTypos() {
	for _, i := range s.typos {
		for _, m := range s.mentions {
			if m.kind == dateMention && m.from <= i && i < m.to {
				s.note("Read %q as %s.", s.rawSpan(i, i+1), s.lex(i).month)
				break
			}
		}
	}
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
	s.joinMonthLists()
	s.pairRanges()
	s.assignRoles()
	s.applyExclusions()
	s.applyCorrections()
}

// at tries every rule at token i, most specific first.
func (s *scheduleScanner) at(i int) (int, bool) {
	if n, ok := s.holidayAt(i); ok {
		return n, true
	}
	if n, ok := s.edgeAt(i); ok {
		return n, true
	}
	if n, ok := s.weekCommencingAt(i); ok {
		return n, true
	}
	if n, ok := s.weekNumberAt(i); ok {
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

// tokRange is the tokens [from, to) of a message.
type tokRange struct{ from, to int }

func (t tokRange) empty() bool { return t.to <= t.from }

// one is the token range of token k alone, or none when k < 0.
func one(k int) tokRange {
	if k < 0 {
		return tokRange{}
	}
	return tokRange{k, k + 1}
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
