package schedule

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// sourceWords quotes, field by field and in the message's order, the words a
// reading's sources cover; it fails on a source outside the message.
func sourceWords(t *testing.T, m agents.Message, sources []agents.Source) map[string][]string {
	t.Helper()
	sorted := slices.Clone(sources)
	slices.SortFunc(sorted, func(a, b agents.Source) int { return a.Span.Start - b.Span.Start })
	got := map[string][]string{}
	for _, s := range sorted {
		if s.Span.Start < 0 || s.Span.Start >= s.Span.End || s.Span.End > len(m.Lower) {
			t.Fatalf("source %+v outside %q", s, m.Lower)
		}
		got[s.Field] = append(got[s.Field], m.Lower[s.Span.Start:s.Span.End])
	}
	return got
}

func formatWords(w map[string][]string) string {
	var b strings.Builder
	for _, f := range slices.Sorted(maps.Keys(w)) {
		fmt.Fprintf(&b, "%q: %q ", f, w[f])
	}
	return b.String()
}

// covered reports whether any source covers a byte of word in m.Lower.
func covered(t *testing.T, m agents.Message, sources []agents.Source, word string) bool {
	t.Helper()
	i := strings.Index(m.Lower, word)
	if i < 0 {
		t.Fatalf("%q not in %q", word, m.Lower)
	}
	w := agents.Span{Start: i, End: i + len(word)}
	for _, s := range sources {
		if s.Span.Overlaps(w) {
			return true
		}
	}
	return false
}

// The words each field of the flight was read from, so that adplan can tell a user
// which words nobody read: the dates and periods that set the start and end, the
// length, and the cue words ("" field) that gave a date its role, made a length the
// flight's or said how a follow-up changes the flight.
func TestScheduleSpecialistSources(t *testing.T) {
	const start, end, days, cue = "schedule.start", "schedule.end", "schedule.days", ""
	tests := []struct {
		give     string
		followUp bool
		want     map[string][]string
		// unread are words the schedule specialist does not read: no source covers them.
		unread []string
	}{
		{give: "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
			want:   map[string][]string{days: {"30 days"}, cue: {"over"}},
			unread: []string{"18-24 year olds", "germany", "€5,000"}},
		{give: "Launch a podcast campaign starting next Monday for 6 weeks, budget $20k",
			want:   map[string][]string{start: {"next monday"}, days: {"6 weeks"}, cue: {"starting", "for"}},
			unread: []string{"podcast", "$20k"}},
		{give: "We want to drive app installs in Q1 with 50k USD",
			want:   map[string][]string{start: {"q1"}, end: {"q1"}},
			unread: []string{"app installs", "50k usd"}},
		{give: "from March 3rd to April 2",
			want: map[string][]string{start: {"march 3rd"}, end: {"april 2"}, cue: {"from", "to"}}},
		{give: "run it until end of Jan",
			want: map[string][]string{end: {"end of jan"}, cue: {"until"}}},
		{give: "from monday for two weeks",
			want: map[string][]string{start: {"monday"}, days: {"two weeks"}, cue: {"from", "for"}}},
		{give: "starting next month",
			want: map[string][]string{start: {"next month"}, end: {"next month"}, cue: {"starting"}}},
		{give: "over the next 6 weeks",
			want: map[string][]string{days: {"6 weeks"}, cue: {"over", "next"}}},
		{give: "the last two weeks of December",
			want: map[string][]string{end: {"december"}, days: {"two weeks"}, cue: {"last"}}},
		{give: "6-8 weeks in January",
			want: map[string][]string{start: {"january"}, days: {"6-8 weeks"}}},
		{give: "Dec 1-15",
			want: map[string][]string{start: {"dec 1"}, end: {"-15"}}},
		{give: "2027-02-01 to 2027-02-28",
			want: map[string][]string{start: {"2027-02-01"}, end: {"2027-02-28"}, cue: {"to"}}},
		{give: "for Black Friday",
			want: map[string][]string{start: {"black friday"}, end: {"black friday"}}},
		{give: "a week before Black Friday",
			want: map[string][]string{start: {"a week before black friday"}}},
		{give: "through the end of the year",
			want: map[string][]string{end: {"the end of the year"}, cue: {"through"}}},
		{give: "kick off on March 3 and wrap up by Dec 20",
			want: map[string][]string{start: {"march 3"}, end: {"dec 20"}, cue: {"kick off", "wrap up by"}}},
		{give: "go live on 3/15 until 4/30",
			want: map[string][]string{start: {"3/15"}, end: {"until 4/30"}, cue: {"live"}}},
		{give: "A25-54 halo, two weeks from now for 10 days",
			want:   map[string][]string{start: {"two weeks from now"}, days: {"10 days"}, cue: {"for"}},
			unread: []string{"a25-54", "halo"}},
		{give: "30 days, a 30-day flight",
			want: map[string][]string{days: {"30 days", "30-day"}}},
		// Rates and ages are not the flight's, and stay for the budget and the audience.
		{give: "A25-54 halo campaign for 30 days, $200 a day",
			want:   map[string][]string{days: {"30 days"}, cue: {"for"}},
			unread: []string{"a25-54", "halo", "a day"}},
		// A date a note tells about was read, and set nothing.
		{give: "3/1 to 3/5",
			want: map[string][]string{start: {"3/1"}, end: {"to 3/5"}}},
		// Follow-ups.
		{give: "extend to 60 days", followUp: true,
			want: map[string][]string{days: {"60 days"}, cue: {"extend", "to"}}},
		{give: "make it 2 weeks longer", followUp: true,
			want: map[string][]string{days: {"2 weeks"}, cue: {"longer"}}},
		{give: "3 more weeks", followUp: true,
			want: map[string][]string{days: {"3 more weeks"}}},
		{give: "shorten it by 5 days", followUp: true,
			want: map[string][]string{days: {"5 days"}, cue: {"shorten"}}},
		{give: "push back a week", followUp: true,
			want: map[string][]string{start: {"a week"}, end: {"a week"}, cue: {"push", "back"}}},
		{give: "end a week later", followUp: true,
			want: map[string][]string{end: {"a week"}, cue: {"end", "later"}}},
		{give: "bring it forward 3 days", followUp: true,
			want: map[string][]string{start: {"3 days"}, end: {"3 days"}, cue: {"bring", "forward"}}},
		{give: "move it to Q1", followUp: true,
			want: map[string][]string{start: {"q1"}, end: {"q1"}, cue: {"move"}}},
		{give: "push the start to January", followUp: true,
			want: map[string][]string{start: {"january"}, cue: {"push", "start"}}},
		{give: "until Dec 20 instead", followUp: true,
			want: map[string][]string{end: {"dec 20"}, cue: {"until"}}},
		{give: "make it longer", followUp: true,
			want: map[string][]string{cue: {"longer"}}},
		// Words the specialist does not read are never covered.
		{give: "double the budget", followUp: true, want: map[string][]string{},
			unread: []string{"double"}},
		{give: "target A25-54 with a halo of podcasts", want: map[string][]string{},
			unread: []string{"a25-54", "halo", "podcasts"}},
	}
	current := agents.NewSchedule(agents.NewDate(2026, 11, 30), agents.NewDate(2026, 12, 29))
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			m := agents.NewMessage(tt.give, testNow)
			req := agents.Request{Message: m, Now: testNow, FollowUp: tt.followUp}
			if tt.followUp {
				c := current
				req.Current.Schedule = &c
			}
			r, err := New().Run(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got := sourceWords(t, m, r.Sources); !maps.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Run(%q) read\n%s\nwant\n%s", tt.give, formatWords(got), formatWords(tt.want))
			}
			for _, w := range tt.unread {
				if covered(t, m, r.Sources, w) {
					t.Errorf("Run(%q): a source covers %q, which the schedule specialist does not read", tt.give, w)
				}
			}
		})
	}
}

// A coordinator with the schedule specialist alone tells the user which words it
// did not understand.
func TestScheduleSpecialistLeavesUnknownWordsUnread(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{New()}})
	if err != nil {
		t.Fatal(err)
	}
	current := agents.NewSchedule(agents.NewDate(2026, 11, 30), agents.NewDate(2026, 12, 29))
	for _, tt := range []struct {
		give     string
		followUp bool
		want     []string
	}{
		{give: "over 30 days for A25-54", want: []string{"A25-54"}},
		{give: "Starting next Monday for six weeks, halo", want: []string{"halo"}},
		{give: "from March 3rd until April 2", want: nil},
		{give: "push it back a week and add Zanzibar", followUp: true, want: []string{"add Zanzibar"}},
		{give: "extend to 60 days", followUp: true, want: nil},
	} {
		r, err := c.Read(context.Background(), agents.Brief{Schedule: &current}, tt.give, tt.followUp, testNow)
		if err != nil {
			t.Fatalf("Read(%q): %v", tt.give, err)
		}
		if got := r.UnreadText(); !slices.Equal(got, tt.want) {
			t.Errorf("Read(%q) left %q unread, want %q", tt.give, got, tt.want)
		}
	}
}
