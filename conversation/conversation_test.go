package conversation

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/rules"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const baseBrief = "grow brand awareness among 18-24 year olds in Germany and the UK with €5,000 over 30 days"

func newCoordinator(t testing.TB) *agents.Coordinator {
	t.Helper()
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists(), DefaultCurrency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fieldValues(b agents.Brief) map[string]string {
	m := map[string]string{}
	for _, f := range b.Fields() {
		m[f.Name] = f.Value
	}
	return m
}

func TestBaseBrief(t *testing.T) {
	th := New("t")
	v, err := th.Apply(context.Background(), newCoordinator(t), baseBrief, now)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	want := map[string]string{
		"goal.objective":         "REACH",
		"audience.age_ranges":    "18–24",
		"audience.geo.countries": "DE, GB",
		"budget.amount":          "5,000 EUR",
		"schedule.start":         "2026-11-23",
		"schedule.end":           "2026-12-22",
		"schedule.days":          "30 days",
	}
	if got := fieldValues(v.Brief); !maps.Equal(got, want) {
		t.Errorf("base brief fields = %v\nwant %v", got, want)
	}
	if want := []agents.Slot{agents.SlotGoal, agents.SlotAudience, agents.SlotBudget, agents.SlotSchedule}; !slices.Equal(v.Ran, want) {
		t.Errorf("Ran = %v, want %v", v.Ran, want)
	}
	if v.N != 1 || len(v.Changes) != len(want) {
		t.Errorf("first version N=%d with %d changes, want N=1 with every stated field", v.N, len(v.Changes))
	}
}

// TestFollowUpRevisions applies one follow-up to the base brief and checks exactly
// which specialists ran and exactly which fields changed, to what: every field not
// listed must keep its value.
func TestFollowUpRevisions(t *testing.T) {
	tests := []struct {
		give        string
		wantRan     []agents.Slot
		wantChanged map[string]string // field → new value ("" = no longer stated)
	}{
		{"extend to 60 days", sched(), map[string]string{"schedule.end": "2027-01-21", "schedule.days": "60 days"}},
		{"what if we ran it for 60 days?", sched(), map[string]string{"schedule.end": "2027-01-21", "schedule.days": "60 days"}},
		{"shorten it to 3 weeks", sched(), map[string]string{"schedule.end": "2026-12-13", "schedule.days": "21 days"}},
		{"make it 2 weeks longer", sched(), map[string]string{"schedule.end": "2027-01-05", "schedule.days": "44 days"}},
		{"push the start to January", sched(), map[string]string{"schedule.start": "2027-01-01", "schedule.end": "2027-01-30"}},
		{"start a week later", sched(), map[string]string{"schedule.start": "2026-11-30", "schedule.end": "2026-12-29"}},
		{"run it until Christmas", sched(), map[string]string{"schedule.end": "2026-12-25", "schedule.days": "33 days"}},
		{"move it to Q1", sched(), map[string]string{"schedule.start": "2027-01-01", "schedule.end": "2027-03-31", "schedule.days": "90 days"}},
		{"make it 8k", budget(), map[string]string{"budget.amount": "8,000 EUR"}},
		{"double the budget", budget(), map[string]string{"budget.amount": "10,000 EUR"}},
		{"cut the budget by 25%", budget(), map[string]string{"budget.amount": "3,750 EUR"}},
		{"increase the budget by 10%", budget(), map[string]string{"budget.amount": "5,500 EUR"}},
		{"halve the budget", budget(), map[string]string{"budget.amount": "2,500 EUR"}},
		{"add another 2k", budget(), map[string]string{"budget.amount": "7,000 EUR"}},
		{"$200 a day instead", budget(), map[string]string{"budget.amount": "200 USD a day"}},
		{"what about 90 days and 15k?", []agents.Slot{agents.SlotBudget, agents.SlotSchedule}, map[string]string{"budget.amount": "15,000 EUR", "schedule.end": "2027-02-20", "schedule.days": "90 days"}},
		{"add Austria too", aud(), map[string]string{"audience.geo.countries": "DE, GB, AT"}},
		{"drop the UK and do Ireland instead", aud(), map[string]string{"audience.geo.countries": "DE, IE"}},
		{"remove Germany", aud(), map[string]string{"audience.geo.countries": "GB"}},
		{"switch to France", aud(), map[string]string{"audience.geo.countries": "FR"}},
		{"only women", aud(), map[string]string{"audience.genders": "FEMALE"}},
		{"make it 25-34 instead", aud(), map[string]string{"audience.age_ranges": "25–34"}},
		{"also target 35-44", aud(), map[string]string{"audience.age_ranges": "18–24, 35–44"}},
		{"iPhone users only", aud(), map[string]string{"audience.platforms": "IOS"}},
		{"add podcasts", aud(), map[string]string{"audience.placements": "PODCAST"}},
		{"focus on video views instead", goal(), map[string]string{"goal.objective": "VIDEO_VIEWS"}},
		{"actually let's go for app installs", goal(), map[string]string{"goal.objective": "APP_INSTALLS"}},
		{"no video", goal(), map[string]string{"goal.formats": "AUDIO, IMAGE"}},
		{"audio only", goal(), map[string]string{"goal.formats": "AUDIO"}},
		{"keep video under 20%", goal(), map[string]string{"goal.max_share": "VIDEO ≤ 20%"}},
	}
	c := newCoordinator(t)
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			th := New("t")
			base, err := th.Apply(context.Background(), c, baseBrief, now)
			if err != nil {
				t.Fatalf("base brief: %v", err)
			}
			v, err := th.Apply(context.Background(), c, tt.give, now)
			if err != nil {
				t.Fatalf("Apply(%q): %v", tt.give, err)
			}
			if !slices.Equal(v.Ran, tt.wantRan) {
				t.Errorf("ran %v, want %v", v.Ran, tt.wantRan)
			}
			before, after := fieldValues(base.Brief), fieldValues(v.Brief)
			want := maps.Clone(before)
			for f, val := range tt.wantChanged {
				if val == "" {
					delete(want, f)
				} else {
					want[f] = val
				}
			}
			for f := range union(want, after) {
				if want[f] != after[f] {
					t.Errorf("%s = %q, want %q (was %q)", f, after[f], want[f], before[f])
				}
			}
			if v.N != 2 || len(v.Changes) != len(tt.wantChanged) {
				t.Errorf("version %d records %d changes %v, want version 2 with %d", v.N, len(v.Changes), v.Changes, len(tt.wantChanged))
			}
		})
	}
}

func sched() []agents.Slot  { return []agents.Slot{agents.SlotSchedule} }
func budget() []agents.Slot { return []agents.Slot{agents.SlotBudget} }
func aud() []agents.Slot    { return []agents.Slot{agents.SlotAudience} }
func goal() []agents.Slot   { return []agents.Slot{agents.SlotGoal} }

func union(a, b map[string]string) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// TestThreadKeepsEveryVersion walks one thread through several revisions, as a
// planner would in Slack, and checks the history it keeps.
func TestThreadKeepsEveryVersion(t *testing.T) {
	c := newCoordinator(t)
	th := New("C1/1700000000.000100")
	steps := []struct {
		give    string
		wantRan []agents.Slot
		want    map[string]string
	}{
		{baseBrief, []agents.Slot{agents.SlotGoal, agents.SlotAudience, agents.SlotBudget, agents.SlotSchedule}, map[string]string{"schedule.days": "30 days"}},
		{"extend to 60 days", sched(), map[string]string{"schedule.days": "60 days", "budget.amount": "5,000 EUR"}},
		{"double the budget", budget(), map[string]string{"budget.amount": "10,000 EUR", "schedule.days": "60 days"}},
		{"add Austria too", aud(), map[string]string{"audience.geo.countries": "DE, GB, AT", "budget.amount": "10,000 EUR"}},
		{"no video", goal(), map[string]string{"goal.formats": "AUDIO, IMAGE", "goal.objective": "REACH", "audience.geo.countries": "DE, GB, AT"}},
	}
	for i, st := range steps {
		v, err := th.Apply(context.Background(), c, st.give, now)
		if err != nil {
			t.Fatalf("step %d %q: %v", i+1, st.give, err)
		}
		if v.N != i+1 || len(th.Versions) != i+1 {
			t.Fatalf("step %d: version %d, %d kept", i+1, v.N, len(th.Versions))
		}
		if !slices.Equal(v.Ran, st.wantRan) {
			t.Errorf("step %d %q ran %v, want %v", i+1, st.give, v.Ran, st.wantRan)
		}
		got := fieldValues(v.Brief)
		for f, want := range st.want {
			if got[f] != want {
				t.Errorf("step %d %q: %s = %q, want %q", i+1, st.give, f, got[f], want)
			}
		}
	}
	// Earlier versions are kept as they were, not aliased to the latest brief.
	if got := fieldValues(th.Versions[0].Brief)["schedule.days"]; got != "30 days" {
		t.Errorf("version 1 now says %q days; revisions must not rewrite history", got)
	}
	if got := fieldValues(th.Versions[1].Brief)["budget.amount"]; got != "5,000 EUR" {
		t.Errorf("version 2 budget now %q; revisions must not rewrite history", got)
	}
}

func TestApplyErrorsLeaveTheThreadAlone(t *testing.T) {
	c := newCoordinator(t)
	th := New("t")
	if _, err := th.Apply(context.Background(), c, "", now); !errors.Is(err, agents.ErrEmpty) {
		t.Fatalf("empty first message: %v, want ErrEmpty", err)
	}
	if _, err := th.Apply(context.Background(), c, "hi there!", now); !errors.Is(err, agents.ErrNothingRead) {
		t.Fatalf("small talk as a brief: %v, want ErrNothingRead", err)
	}
	if len(th.Versions) != 0 {
		t.Fatalf("failed messages added %d versions", len(th.Versions))
	}
	if _, err := th.Apply(context.Background(), c, baseBrief, now); err != nil {
		t.Fatal(err)
	}
	before := fieldValues(th.Current())
	for _, give := range []string{"thanks!", "\x00\x01\x02\x03\x04", "make it 5k euros"} {
		_, err := th.Apply(context.Background(), c, give, now)
		if err == nil {
			t.Errorf("Apply(%q) = nil error, want one (nothing to change)", give)
		}
	}
	if _, err := th.Apply(context.Background(), c, "make it €5,000", now); !errors.Is(err, ErrNoChange) {
		t.Errorf("restating the budget: %v, want ErrNoChange", err)
	}
	if len(th.Versions) != 1 || !maps.Equal(fieldValues(th.Current()), before) {
		t.Errorf("thread changed by messages that failed: %d versions, %v", len(th.Versions), fieldValues(th.Current()))
	}
}

func TestMarketChangeReworksAnInferredCurrency(t *testing.T) {
	c := newCoordinator(t)
	th := New("t")
	v, err := th.Apply(context.Background(), c, "reach people in Australia with $5,000 over 4 weeks", now)
	if err != nil {
		t.Fatal(err)
	}
	if got := fieldValues(v.Brief)["budget.amount"]; got != "5,000 AUD" {
		t.Fatalf("budget = %q, want 5,000 AUD (a bare $ is the market's dollar)", got)
	}
	v, err = th.Apply(context.Background(), c, "switch to Canada instead", now)
	if err != nil {
		t.Fatal(err)
	}
	if got := fieldValues(v.Brief)["budget.amount"]; got != "5,000 CAD" {
		t.Errorf("budget after moving to Canada = %q, want 5,000 CAD", got)
	}
	if !slices.Equal(v.Ran, aud()) {
		t.Errorf("ran %v, want only the audience", v.Ran)
	}
}

// TestAMessageThatArrivesLateIsAppliedInTheOrderItWasSent: "make it 8k" then "extend
// to 60 days" then "make it 9k" were sent in that order, but "make it 8k" arrived last
// (Slack delivered it again after the replica holding it died). What was said last
// still stands: the budget stays 9k; a late message that changes something no later
// message touched still applies.
func TestAMessageThatArrivesLateIsAppliedInTheOrderItWasSent(t *testing.T) {
	ctx, c := context.Background(), newCoordinator(t)
	th := New("t")
	steps := []struct{ text, ts string }{
		{baseBrief, "1700000000.000100"},
		{"extend to 60 days", "1700000000.000300"},
		{"make it 9k", "1700000000.000400"},
	}
	for _, s := range steps {
		if _, err := th.ApplySent(ctx, c, s.text, s.ts, now); err != nil {
			t.Fatalf("%q: %v", s.text, err)
		}
	}
	v, err := th.ApplySent(ctx, c, "make it 8k", "1700000000.000200", now)
	if !errors.Is(err, ErrNoChange) || !v.ArrivedLate || len(th.Versions) != 3 {
		t.Fatalf("late 8k after 9k: err %v, arrived late %v, %d versions; want ErrNoChange, late, 3", err, v.ArrivedLate, len(th.Versions))
	}
	if got := fieldValues(th.Current())["budget.amount"]; got != "9,000 EUR" {
		t.Errorf("budget after the late message = %s; want 9,000 EUR, what was said last", got)
	}
	if len(v.Notes) == 0 || !strings.Contains(v.Notes[len(v.Notes)-1], `"extend to 60 days"`) {
		t.Errorf("notes %q do not say which later message it arrived after", v.Notes)
	}

	// A late message about the audience: nothing later touched it, so it applies,
	// on top of everything else, and the version says it arrived late.
	v, err = th.ApplySent(ctx, c, "add Austria too", "1700000000.000350", now)
	if err != nil || !v.ArrivedLate || v.N != 4 {
		t.Fatalf("late Austria: %+v, %v", v, err)
	}
	got := fieldValues(th.Current())
	if got["audience.geo.countries"] != "DE, GB, AT" || got["budget.amount"] != "9,000 EUR" || got["schedule.days"] != "60 days" {
		t.Errorf("brief after the late Austria = %v", got)
	}
	if len(v.Changes) != 1 || v.Changes[0].Field != "audience.geo.countries" {
		t.Errorf("changes %+v; want only the countries", v.Changes)
	}

	// Messages in order, and messages without a ts, apply as they come.
	if v, err := th.ApplySent(ctx, c, "make it 10k", "1700000000.000500", now); err != nil || v.ArrivedLate {
		t.Errorf("in-order message: %+v, %v", v, err)
	}
	if v, err := th.ApplySent(ctx, c, "make it 11k", "", now); err != nil || v.ArrivedLate {
		t.Errorf("message without a ts: %+v, %v", v, err)
	}
}

func TestSentBefore(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1700000000.000100", "1700000000.000200", true},
		{"1700000000.000200", "1700000000.000100", false},
		{"1700000000.000100", "1700000000.000100", false},
		{"999999999.900000", "1700000000.000100", true},
		{"1700000001.000000", "1700000000.999999", false},
		{"", "1700000000.000100", false},
		{"1700000000.000100", "", false},
	}
	for _, tt := range tests {
		if got := sentBefore(tt.a, tt.b); got != tt.want {
			t.Errorf("sentBefore(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// A guessed currency is asked about once a thread: the user who lets the question
// pass keeps the reading it named, and is not asked again on every revision.
func TestAQuestionIsAskedOnceAThread(t *testing.T) {
	th := New("t")
	c := newCoordinator(t)
	v1, err := th.Apply(context.Background(), c, "awareness, budget 5000 over 30 days", now)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Question == nil || v1.Question.Field != "budget.currency" || th.Latest().Question == nil {
		t.Fatalf("v1 question %+v; want one about the budget's currency", v1.Question)
	}
	v2, err := th.Apply(context.Background(), c, "make it 6000", now)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Question != nil {
		t.Errorf("v2 asked %+v again", v2.Question)
	}
	if b := th.Current().Budget; b.Amount != 6000 || b.Currency != "USD" {
		t.Errorf("budget %+v; want 6000 in the currency the question named", b)
	}
}
