package schedule

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
)

// testNow is a Sunday: "next Monday" is tomorrow, Black Friday (Nov 27) is
// five days away and Q4 is under way.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// yearEndNow is late on December 30 in New York (already the 31st in UTC), so
// "today" must come from Now's own location.
var yearEndNow = time.Date(2026, 12, 30, 22, 0, 0, 0, time.FixedZone("EST", -5*3600))

// octoberNow leaves room before the retail season, so holiday flights are not
// cut short by "never before tomorrow".
var octoberNow = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// dates is a flight from start to end (inclusive), both YYYY-MM-DD.
func dates(t *testing.T, start, end string) *agents.Schedule {
	t.Helper()
	s, err := agents.ParseDate(start)
	if err != nil {
		t.Fatalf("parsing test start: %v", err)
	}
	e, err := agents.ParseDate(end)
	if err != nil {
		t.Fatalf("parsing test end: %v", err)
	}
	sched := agents.NewSchedule(s, e)
	return &sched
}

// scheduleFrom is a flight with a start and no end yet.
func scheduleFrom(t *testing.T, start string) *agents.Schedule {
	t.Helper()
	s, err := agents.ParseDate(start)
	if err != nil {
		t.Fatalf("parsing test start: %v", err)
	}
	return &agents.Schedule{Start: s}
}

func scheduleString(s *agents.Schedule) string {
	if s == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s..%s (%d days)", s.Start, s.End, s.Days)
}

func scheduleSame(a, b *agents.Schedule) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// checkNotes asserts the notes: none when wantNote is empty, else one
// containing wantNote.
func checkNotes(t *testing.T, notes []string, wantNote string) {
	t.Helper()
	if wantNote == "" {
		if len(notes) > 0 {
			t.Errorf("notes = %q; want none", notes)
		}
		return
	}
	for _, n := range notes {
		if strings.Contains(n, wantNote) {
			return
		}
	}
	t.Errorf("notes = %q; want one containing %q", notes, wantNote)
}

func TestScheduleSpecialistFirstBrief(t *testing.T) {
	tests := []struct {
		give     string
		now      time.Time // zero: testNow
		want     *agents.Schedule
		wantNote string
	}{
		// The design's own example: no start written is tomorrow, 30 days inclusive.
		{give: "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", want: dates(t, "2026-11-23", "2026-12-22")},

		// Absolute dates and ranges; dates without a year are the next occurrence.
		{give: "from March 3 to April 10", want: dates(t, "2027-03-03", "2027-04-10")},
		{give: "Dec 1-15", want: dates(t, "2026-12-01", "2026-12-15")},
		{give: "run it December 1st through the 15th", want: dates(t, "2026-12-01", "2026-12-15")},
		{give: "1-15 December", want: dates(t, "2026-12-01", "2026-12-15")},
		{give: "2027-02-01 to 2027-02-28", want: dates(t, "2027-02-01", "2027-02-28")},
		{give: "March 3 - April 10, 2027", want: dates(t, "2027-03-03", "2027-04-10")},
		{give: "Dec 15 - Jan 15", want: dates(t, "2026-12-15", "2027-01-15")},
		{give: "Dec 15 – Jan 15, 2028", want: dates(t, "2027-12-15", "2028-01-15")},
		{give: "march 3rd, 2027 through april 10", want: dates(t, "2027-03-03", "2027-04-10")},
		{give: "between Dec 1 and Dec 20", want: dates(t, "2026-12-01", "2026-12-20")},
		{give: "Running from the 1st of December to the 24th", want: dates(t, "2026-12-01", "2026-12-24")},
		{give: "starting Dec 1, ending Dec 20", want: dates(t, "2026-12-01", "2026-12-20")},
		{give: "start date: 2026-12-01, end date: 2026-12-31", want: dates(t, "2026-12-01", "2026-12-31")},
		{give: "1.12.2026 - 31.12.2026", want: dates(t, "2026-12-01", "2026-12-31")},
		// 4/15 can only be April 15, so both ends read month first.
		{give: "3/1 to 4/15", want: dates(t, "2027-03-01", "2027-04-15")},
		{give: "on 15/3", want: scheduleFrom(t, "2027-03-15")},
		// Both readings are dates: the market settles the order, and without one it is
		// read month first, the US way, with a note saying how to write the other.
		{give: "3/1 to 4/10", want: dates(t, "2027-03-01", "2027-04-10"), wantNote: `say "3 January to 4 October" if you meant that`},
		{give: "UK flight 3/1 to 4/10", want: dates(t, "2027-01-03", "2027-10-04")},
		{give: "Irish launch starting 6/4 for 2 weeks", want: dates(t, "2027-04-06", "2027-04-19")},
		{give: "US push starting 6/4 for 2 weeks", want: dates(t, "2027-06-04", "2027-06-17")},
		{give: "Germany and the US, starting 6/4", want: scheduleFrom(t, "2027-06-04"), wantNote: "month first, as the US writes dates"},
		// The market's name in its own language or another, from agents/geo.
		{give: "Allemagne, starting 6/4", want: scheduleFrom(t, "2027-04-06")},
		{give: "campaña en Alemania, starting 6/4", want: scheduleFrom(t, "2027-04-06")},
		{give: "🇩🇪 flight 3/1 to 4/10", want: dates(t, "2027-01-03", "2027-10-04")},
		{give: "starting 1 March", want: scheduleFrom(t, "2027-03-01")},
		{give: "launch on Dec 1st", want: scheduleFrom(t, "2026-12-01")},
		{give: "until Jan 31", want: dates(t, "2026-11-23", "2027-01-31")},
		{give: "Feb 29", want: scheduleFrom(t, "2028-02-29")},
		{give: "Feb 30 to Mar 5", want: nil, wantNote: "Could not place feb 30"},
		{give: "2025-01-01 to 2025-01-31", want: nil, wantNote: "not after today"},
		{give: "from Nov 1 to Dec 15", want: dates(t, "2026-11-23", "2026-12-15"), wantNote: "at the earliest"},

		// Relative dates.
		{give: "starting next month", want: dates(t, "2026-12-01", "2026-12-31")},
		{give: "for the next 30 days", want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "starting tomorrow", want: scheduleFrom(t, "2026-11-23")},
		{give: "starting today for a week", want: dates(t, "2026-11-23", "2026-11-29"), wantNote: "at the earliest"},
		{give: "next Monday", want: scheduleFrom(t, "2026-11-23")},
		{give: "this Friday", want: scheduleFrom(t, "2026-11-27")},
		{give: "through the end of the year", want: dates(t, "2026-11-23", "2026-12-31")},
		{give: "until the end of the month", want: dates(t, "2026-11-23", "2026-11-30")},
		{give: "by year-end", want: dates(t, "2026-11-23", "2026-12-31")},
		{give: "this month", want: dates(t, "2026-11-23", "2026-11-30")},
		{give: "next week", want: dates(t, "2026-11-23", "2026-11-29")},
		{give: "the rest of the year", want: dates(t, "2026-11-23", "2026-12-31")},
		{give: "in two weeks", want: scheduleFrom(t, "2026-12-06")},
		{give: "two weeks from now", want: scheduleFrom(t, "2026-12-06")},
		{give: "launch in two weeks for a month", want: dates(t, "2026-12-06", "2027-01-05")},
		// After a result verb "in 30 days" is how long, not when.
		{give: "reach 1M people in 30 days", want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "start on the 3rd", want: scheduleFrom(t, "2026-12-03")},

		// Durations; months count calendar months from the start.
		{give: "6 weeks", want: dates(t, "2026-11-23", "2027-01-03")},
		{give: "a 10-day flight", want: dates(t, "2026-11-23", "2026-12-02")},
		{give: "over 3 months", want: dates(t, "2026-11-23", "2027-02-22")},
		{give: "30 days", want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "thirty days", want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "a fortnight", want: dates(t, "2026-11-23", "2026-12-06")},
		// 17.5 days rounds up to whole days.
		{give: "two and a half weeks", want: dates(t, "2026-11-23", "2026-12-10")},
		{give: "a month", want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "a year", want: dates(t, "2026-11-23", "2027-11-22")},
		{give: "a couple of weeks", want: dates(t, "2026-11-23", "2026-12-06")},
		{give: "a week and a half", want: dates(t, "2026-11-23", "2026-12-03")},
		{give: "48 hours", want: dates(t, "2026-11-23", "2026-11-24")},
		{give: "6-8 weeks", want: dates(t, "2026-11-23", "2027-01-17"), wantNote: "longer end of the range"},
		{give: "$200 a day for 30 days", want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "5k a month for 3 months", want: dates(t, "2026-11-23", "2027-02-22")},
		{give: "budget of $50/day, 3 weeks", want: dates(t, "2026-11-23", "2026-12-13")},

		// Months and quarters: the whole period, the next one unless it is under way.
		{give: "in January", want: dates(t, "2027-01-01", "2027-01-31")},
		{give: "in May", want: dates(t, "2027-05-01", "2027-05-31")},
		{give: "Q1", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "q1'27", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "the first quarter", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "next quarter", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "Q4", want: dates(t, "2026-11-23", "2026-12-31")},
		{give: "first half of next year", want: dates(t, "2027-01-01", "2027-06-30")},
		{give: "in 2027", want: dates(t, "2027-01-01", "2027-12-31")},
		{give: "I want to run ads in January and February", want: dates(t, "2027-01-01", "2027-02-28")},
		{give: "from November to January", want: dates(t, "2026-11-23", "2027-01-31")},
		{give: "mid-January through March", want: dates(t, "2027-01-15", "2027-03-31")},
		{give: "women 25-34 in the US, May-June", want: dates(t, "2027-05-01", "2027-06-30")},
		{give: "Jan-Mar", want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "for 2 weeks in December", want: dates(t, "2026-12-01", "2026-12-14")},
		{give: "the last two weeks of December", want: dates(t, "2026-12-18", "2026-12-31")},

		// Combinations.
		{give: "starting next Monday for 6 weeks", want: dates(t, "2026-11-23", "2027-01-03")},
		{give: "in January for two weeks", want: dates(t, "2027-01-01", "2027-01-14")},
		{give: "3 months starting in February", want: dates(t, "2027-02-01", "2027-04-30")},
		{give: "6 weeks starting Jan 5th", want: dates(t, "2027-01-05", "2027-02-15")},
		{give: "from Dec 1 until the end of January", want: dates(t, "2026-12-01", "2027-01-31")},
		{give: "3 days after Christmas for a week", want: dates(t, "2026-12-28", "2027-01-03")},
		{give: "starting Dec 1 for Christmas", want: dates(t, "2026-12-01", "2026-12-25")},
		{give: "mid-November to Christmas", want: dates(t, "2026-11-23", "2026-12-25"), wantNote: "at the earliest"},
		{give: "Feb 1 - Feb 14 2027 (Valentine's), $12k", want: dates(t, "2027-02-01", "2027-02-14")},
		{give: "spend €8,000 over the next 6 weeks targeting students back to school", want: dates(t, "2026-11-23", "2027-01-03"), wantNote: "Ignored back to school"},

		// Retail dates (choices documented at holidayPeriod).
		{give: "for Black Friday", now: octoberNow, want: dates(t, "2026-11-20", "2026-11-30")},
		{give: "Cyber Monday", now: octoberNow, want: dates(t, "2026-11-20", "2026-11-30")},
		{give: "for Black Friday", want: dates(t, "2026-11-23", "2026-11-30")},
		{give: "a two-week Black Friday push", now: octoberNow, want: dates(t, "2026-11-17", "2026-11-30")},
		{give: "until Christmas", want: dates(t, "2026-11-23", "2026-12-25")},
		{give: "for Christmas", now: octoberNow, want: dates(t, "2026-12-01", "2026-12-25")},
		{give: "over the holidays", now: octoberNow, want: dates(t, "2026-11-01", "2026-12-31")},
		{give: "the holiday season", want: dates(t, "2026-11-23", "2026-12-31")},
		{give: "Valentine's Day", want: dates(t, "2027-02-01", "2027-02-14")},
		{give: "back to school", want: dates(t, "2027-07-15", "2027-08-31")},
		{give: "a week before Black Friday through Cyber Monday", now: octoberNow, want: dates(t, "2026-11-20", "2026-11-30")},
		{give: "Christmas 2027", want: dates(t, "2027-12-01", "2027-12-25")},

		// Near a year end, in New York.
		{give: "Q1", now: yearEndNow, want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "this month", now: yearEndNow, want: dates(t, "2026-12-31", "2026-12-31")},
		{give: "Dec 1-15", now: yearEndNow, want: dates(t, "2027-12-01", "2027-12-15")},
		{give: "until Jan 31", now: yearEndNow, want: dates(t, "2026-12-31", "2027-01-31")},
		{give: "next week", now: yearEndNow, want: dates(t, "2027-01-04", "2027-01-10")},
		{give: "starting tomorrow for 30 days", now: yearEndNow, want: dates(t, "2026-12-31", "2027-01-29")},
		{give: "next Monday", now: yearEndNow, want: scheduleFrom(t, "2027-01-04")},

		// Not dates: money, ages, creative lengths, day-parting, the verb "may".
		{give: "$200 a day", want: nil},
		{give: "5k", want: nil},
		{give: "18-24 year olds", want: nil},
		{give: "between 25 and 34", want: nil},
		{give: "over 35", want: nil},
		{give: "people over 35 years of age", want: nil},
		{give: "€2.5m", want: nil},
		{give: "5.000 € budget", want: nil},
		{give: "24/7 support", want: nil},
		{give: "30-second spots", want: nil},
		{give: "every 2 weeks", want: nil},
		{give: "we may want to target women", want: nil},
		{give: "we may 2x the budget", want: nil},
		{give: "only on Mondays", want: nil},
		{give: "brand founded 50 years ago", want: nil},
		{give: "", want: nil},
	}
	sp := New()
	for _, tt := range tests {
		name := tt.give
		if !tt.now.IsZero() {
			name += " @" + tt.now.Format("2006-01-02")
		}
		t.Run(name, func(t *testing.T) {
			now := tt.now
			if now.IsZero() {
				now = testNow
			}
			got, err := sp.Run(context.Background(), agents.Request{Message: agents.NewMessage(tt.give, testNow), Now: now})
			if err != nil {
				t.Fatalf("Run(%q) error: %v", tt.give, err)
			}
			if !scheduleSame(got.Schedule, tt.want) {
				t.Errorf("Run(%q) = %s; want %s (notes %q)", tt.give, scheduleString(got.Schedule), scheduleString(tt.want), got.Notes)
			}
			if got.Goal != nil || got.Audience != nil || got.Budget != nil {
				t.Errorf("Run(%q) set another slot: %+v", tt.give, got)
			}
			if (got.Schedule == nil) != (got.Confidence == 0) {
				t.Errorf("Run(%q) confidence %v with schedule %s", tt.give, got.Confidence, scheduleString(got.Schedule))
			}
			checkNotes(t, got.Notes, tt.wantNote)
		})
	}
}

func TestScheduleSpecialistFollowUp(t *testing.T) {
	current := dates(t, "2026-11-30", "2026-12-29") // 30 days
	tests := []struct {
		give     string
		current  *agents.Schedule
		want     *agents.Schedule
		wantNote string
	}{
		{give: "extend to 60 days", current: current, want: dates(t, "2026-11-30", "2027-01-28")},
		{give: "what about 90 days?", current: current, want: dates(t, "2026-11-30", "2027-02-27")},
		{give: "what about 90 days and 15k?", current: current, want: dates(t, "2026-11-30", "2027-02-27")},
		{give: "add Austria and make it 60 days", current: current, want: dates(t, "2026-11-30", "2027-01-28")},
		{give: "delay the start by a week", current: current, want: dates(t, "2026-12-07", "2027-01-05")},
		{give: "90 days instead", current: current, want: dates(t, "2026-11-30", "2027-02-27")},
		{give: "make it a month", current: current, want: dates(t, "2026-11-30", "2026-12-29")},
		{give: "make it 2 weeks longer", current: current, want: dates(t, "2026-11-30", "2027-01-12")},
		{give: "extend by a week", current: current, want: dates(t, "2026-11-30", "2027-01-05")},
		{give: "extend it 2 weeks", current: current, want: dates(t, "2026-11-30", "2027-01-12")},
		{give: "add another week", current: current, want: dates(t, "2026-11-30", "2027-01-05")},
		{give: "2 more weeks", current: current, want: dates(t, "2026-11-30", "2027-01-12")},
		{give: "shorten it to 3 weeks", current: current, want: dates(t, "2026-11-30", "2026-12-20")},
		{give: "shorten it by a week", current: current, want: dates(t, "2026-11-30", "2026-12-22")},
		{give: "cut 5 days", current: current, want: dates(t, "2026-11-30", "2026-12-24")},
		// A new start keeps the flight's length.
		{give: "push the start to January", current: current, want: dates(t, "2027-01-01", "2027-01-30")},
		{give: "start next Monday instead", current: current, want: dates(t, "2026-11-23", "2026-12-22")},
		{give: "start on Dec 1", current: current, want: dates(t, "2026-12-01", "2026-12-30")},
		// Shifts move both ends, unless only the end is named.
		{give: "start a week later", current: current, want: dates(t, "2026-12-07", "2027-01-05")},
		{give: "push it back a week", current: current, want: dates(t, "2026-12-07", "2027-01-05")},
		// The next clause's "add" does not make the shift a lengthening.
		{give: "push it back a week and add Zanzibar", current: current, want: dates(t, "2026-12-07", "2027-01-05")},
		{give: "delay by 10 days", current: current, want: dates(t, "2026-12-10", "2027-01-08")},
		{give: "postpone it by two weeks", current: current, want: dates(t, "2026-12-14", "2027-01-12")},
		{give: "move it up by 3 days", current: current, want: dates(t, "2026-11-27", "2026-12-26")},
		{give: "bring it forward 2 days", current: current, want: dates(t, "2026-11-28", "2026-12-27")},
		{give: "push the end back a week", current: current, want: dates(t, "2026-11-30", "2027-01-05")},
		{give: "end 3 days earlier", current: current, want: dates(t, "2026-11-30", "2026-12-26")},
		// Moving the start before tomorrow stops at tomorrow.
		{give: "move it up by 10 days", current: current, want: dates(t, "2026-11-23", "2026-12-19"), wantNote: "at the earliest"},
		// A new end keeps the start.
		{give: "end on Dec 20", current: current, want: dates(t, "2026-11-30", "2026-12-20")},
		{give: "extend the flight to Jan 15", current: current, want: dates(t, "2026-11-30", "2027-01-15")},
		{give: "move it to Dec 7", current: current, want: dates(t, "2026-12-07", "2027-01-05")},
		{give: "run it until Christmas", current: current, want: dates(t, "2026-11-30", "2026-12-25")},
		// A named period replaces both ends.
		{give: "move it to Q1", current: current, want: dates(t, "2027-01-01", "2027-03-31")},
		{give: "move it to January for 3 weeks", current: current, want: dates(t, "2027-01-01", "2027-01-21")},
		{give: "from Jan 5 to Feb 5", current: current, want: dates(t, "2027-01-05", "2027-02-05")},
		{give: "let's do 6 weeks starting Jan 4", current: current, want: dates(t, "2027-01-04", "2027-02-14")},
		// A flight already running keeps its start when only the length changes.
		{give: "extend to 60 days", current: dates(t, "2026-11-01", "2026-11-30"), want: dates(t, "2026-11-01", "2026-12-30")},
		{give: "shorten it to 10 days", current: dates(t, "2026-11-01", "2026-11-30"), want: nil, wantNote: "not after today"},
		// No current flight: a length starts tomorrow.
		{give: "make it 2 weeks longer", current: nil, want: dates(t, "2026-11-23", "2026-12-06")},
		{give: "extend to 60 days", current: nil, want: dates(t, "2026-11-23", "2027-01-21")},
		// Asking for a change without saying how much changes nothing, with a note.
		{give: "make it longer", current: current, want: nil, wantNote: "Say by how much"},
		{give: "push it back", current: current, want: nil, wantNote: "Say by how much"},
		{give: "make it 2 weeks longer", current: scheduleFrom(t, "2026-12-01"), want: nil, wantNote: "no end date"},
		// Not for the schedule: nothing changes.
		{give: "make it 8k", current: current, want: nil},
		{give: "add Austria too", current: current, want: nil},
	}
	sp := New()
	for _, tt := range tests {
		name := tt.give
		if tt.current != tt.want && tt.current != current {
			name += " from " + scheduleString(tt.current)
		}
		t.Run(name, func(t *testing.T) {
			req := agents.Request{Message: agents.NewMessage(tt.give, testNow), FollowUp: true, Now: testNow}
			if tt.current != nil {
				c := *tt.current
				req.Current.Schedule = &c
			}
			got, err := sp.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run(%q) error: %v", tt.give, err)
			}
			if !scheduleSame(got.Schedule, tt.want) {
				t.Errorf("Run(%q) on %s = %s; want %s (notes %q)", tt.give, scheduleString(tt.current), scheduleString(got.Schedule), scheduleString(tt.want), got.Notes)
			}
			if tt.current != nil && got.Schedule == req.Current.Schedule {
				t.Errorf("Run(%q) returned the current schedule's pointer; want a new one", tt.give)
			}
			checkNotes(t, got.Notes, tt.wantNote)
		})
	}
}

func TestScheduleSpecialistTouches(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		// The coordinator's routing examples.
		{"extend to 60 days", true},
		{"make it 8k", false},
		{"add Austria too", false},
		{"no video", false},
		{"what about 90 days and 15k?", true},
		{"double the budget", false},
		{"cut the budget by 25%", false},
		{"drop the UK and do Ireland instead", false},
		{"only women", false},
		{"make it 25-34 instead", false},
		{"push the start to January", true},
		{"shorten it to 3 weeks", true},
		{"focus on video views instead", false},
		{"$200 a day", false},
		{"between 25 and 34", false},
		{"between 8 and 10k", false},
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", true},
		// More that speak to the flight.
		{"starting next Monday", true},
		{"Q1", true},
		{"for Black Friday", true},
		{"run it until Christmas", true},
		{"make it longer", true},
		{"push it back", true},
		{"postpone", true},
		{"start a week later", true},
		{"move it up by 3 days", true},
		{"3/1 to 4/10", true},
		{"in May", true},
		// More that do not.
		{"over 35", false},
		{"€2.5m", false},
		{"5k a month", false},
		{"30-second audio spots", false},
		{"a shorter video ad", false},
		{"we'll add video later", false},
		{"we may want podcasts", false},
		{"24/7 support line", false},
		{"ages 25 to 34 years", false},
		{"move the budget to audio", false},
		{"", false},
	}
	sp := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := sp.Touches(agents.NewMessage(tt.give, testNow)); got != tt.want {
				t.Errorf("Touches(%q) = %v; want %v", tt.give, got, tt.want)
			}
		})
	}
}

// fuzzSeeds are phrasings the fuzzers start from.
var fuzzSeeds = []string{
	"awareness | Sweden | 90k SEK | apr.", "DE 05.03.–30.03.2027", "UK brief: 8/3 to 4/4", "KW 6-9",
	"w/c 8 Mar", "del 1 al 28 de febrero", "vier Wochen ab 1. Februar", "Mother's Day in the UK",
	"this summer in Australia 🇦🇺", "Ramadan 2030", "start March 1, scratch that, March 15",
	"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
	"from March 3 to April 10", "Dec 1-15", "2027-02-01 to 2027-02-28", "3/1 to 4/15",
	"starting next Monday for 6 weeks", "in January for two weeks", "Q4", "for Black Friday",
	"a week before Black Friday through Cyber Monday", "push the start to January",
	"make it 2 weeks longer", "move it up by 3 days", "$200 a day", "two and a half weeks",
	"1.12.2026 - 31.12.2026", "Feb 29", "the 31st", "in 9999 years", "q9", "h0", "Dec 31-1",
	"99999999999999999999 days", "1/0 hour", "between the and and", "end of the end of",
}

// checkResult fails on a result no caller could use.
func checkResult(t *testing.T, text string, res agents.Result, tomorrow agents.Date, followUp bool) {
	t.Helper()
	if res.Goal != nil || res.Audience != nil || res.Budget != nil {
		t.Fatalf("Run(%q) set another slot", text)
	}
	if math.IsNaN(res.Confidence) || res.Confidence < 0 || res.Confidence > 1 {
		t.Fatalf("Run(%q) confidence %v", text, res.Confidence)
	}
	lower := agents.Normalize(text)
	for _, src := range res.Sources {
		if src.Span.Start < 0 || src.Span.Start > src.Span.End || src.Span.End > len(lower) {
			t.Fatalf("Run(%q) source %+v outside [0, %d]", text, src, len(lower))
		}
		switch src.Field {
		case "":
		case "schedule.start", "schedule.end", "schedule.days":
			if res.Schedule == nil {
				t.Fatalf("Run(%q) read %s from %q but set no flight", text, src.Field, lower[src.Span.Start:src.Span.End])
			}
		default:
			t.Fatalf("Run(%q) source for field %q", text, src.Field)
		}
	}
	s := res.Schedule
	if s == nil {
		return
	}
	if s.Start.IsZero() {
		t.Fatalf("Run(%q) = %s: no start", text, scheduleString(s))
	}
	if !followUp && s.Start.Before(tomorrow) {
		t.Fatalf("Run(%q) = %s starts before tomorrow %s", text, scheduleString(s), tomorrow)
	}
	if s.End.IsZero() {
		if s.Days != 0 {
			t.Fatalf("Run(%q) = %s: days without an end", text, scheduleString(s))
		}
		return
	}
	if s.End.Before(s.Start) || s.Days < 1 || s.Days != s.Start.DaysUntil(s.End)+1 {
		t.Fatalf("Run(%q) = %s: invalid flight", text, scheduleString(s))
	}
}

func FuzzScheduleSpecialist(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	sp := New()
	tomorrow := agents.DateOf(testNow).AddDays(1)
	current := agents.NewSchedule(agents.NewDate(2026, 11, 30), agents.NewDate(2026, 12, 29))
	f.Fuzz(func(t *testing.T, text string, followUp bool) {
		msg := agents.NewMessage(text, testNow)
		touches := sp.Touches(msg)
		req := agents.Request{Message: msg, Now: testNow, FollowUp: followUp}
		if followUp {
			c := current
			req.Current.Schedule = &c
		}
		res, err := sp.Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run(%q) error: %v", text, err)
		}
		checkResult(t, text, res, tomorrow, followUp)
		if !touches && res.Schedule != nil {
			t.Fatalf("Touches(%q) is false but Run read %s", text, scheduleString(res.Schedule))
		}
	})
}

func BenchmarkScheduleSpecialist(b *testing.B) {
	briefs := []string{
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"Launch a podcast campaign for young women in the UK and Ireland starting next Monday for 6 weeks, budget $20k, no video",
		"We want to drive app installs in Q1 with 50k USD, 25-34, iOS only",
		"extend to 60 days",
		"double the budget",
	}
	sp := New()
	ctx := context.Background()
	for _, text := range briefs {
		msg := agents.NewMessage(text, testNow)
		b.Run(strings.Fields(text)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if sp.Touches(msg) {
					if _, err := sp.Run(ctx, agents.Request{Message: msg, Now: testNow}); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
