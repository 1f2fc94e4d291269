package session_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/agents/rules"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/redistest"
	"github.com/adplan/adplan/store/storetest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const brief = "awareness in Germany, 18-24, €5,000 over 30 days"

var (
	engineOnce  sync.Once
	testPlanner *planner.Planner
	coordinator *agents.Coordinator
	engineErr   error
)

func engine(t testing.TB) (*planner.Planner, *agents.Coordinator) {
	t.Helper()
	engineOnce.Do(func() {
		coordinator, engineErr = agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
		if engineErr == nil {
			testPlanner, engineErr = planner.New(planner.Options{})
		}
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return testPlanner, coordinator
}

// stores runs f on a memory store and on Redis (ADPLAN_TEST_REDIS_URL, or a
// redis-server of the test's own).
func stores(t *testing.T, f func(t *testing.T, st session.Store)) {
	t.Run("memory", func(t *testing.T) { f(t, store.NewMemory()) })
	t.Run("redis", func(t *testing.T) {
		url := redistest.URL(t)
		prefix := make([]byte, 6)
		_, _ = rand.Read(prefix)
		keys := "sessiontest:" + hex.EncodeToString(prefix) + ":"
		r, err := store.OpenRedis(context.Background(), url, store.RedisOptions{Prefix: keys, ThreadTTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close(); storetest.DeleteKeys(t, url, keys) })
		f(t, r)
	})
}

func newService(t testing.TB, st session.Store) *session.Service {
	p, c := engine(t)
	return &session.Service{Reader: c, Planner: p, Store: st, Now: func() time.Time { return now }}
}

func TestStartAndReviseKeepEveryVersionAndItsPlan(t *testing.T) {
	stores(t, func(t *testing.T, st session.Store) {
		ctx := context.Background()
		svc := newService(t, st)
		first, err := svc.Start(ctx, "alice", brief)
		if err != nil {
			t.Fatal(err)
		}
		if !session.ValidID(first.Thread) {
			t.Fatalf("thread id %q is not one Start makes", first.Thread)
		}
		if first.Version != 1 || first.Plan == nil || first.PlanError != "" || first.Error != "" {
			t.Fatalf("first turn: version %d, plan %v, plan_error %q, error %q", first.Version, first.Plan != nil, first.PlanError, first.Error)
		}
		if first.Brief.Budget == nil || first.Brief.Budget.Amount != 5000 || first.Brief.Budget.Currency != "EUR" {
			t.Fatalf("first brief's budget = %+v, want 5000 EUR", first.Brief.Budget)
		}

		second, err := svc.Say(ctx, "alice", first.Thread, "extend to 60 days")
		if err != nil {
			t.Fatal(err)
		}
		if second.Version != 2 || second.Error != "" || second.Thread != first.Thread {
			t.Fatalf("second turn: version %d, error %q, thread %q", second.Version, second.Error, second.Thread)
		}
		if !slices.Equal(second.Ran, []agents.Slot{agents.SlotSchedule}) {
			t.Errorf("ran %v for a change of dates, want only the schedule", second.Ran)
		}
		if second.Brief.Schedule == nil || second.Brief.Schedule.Days != 60 {
			t.Fatalf("schedule after extending = %+v, want 60 days", second.Brief.Schedule)
		}
		if second.Plan == nil || second.Plan.Flight.Days != 60 {
			t.Fatalf("the revised plan does not run 60 days: %+v", second.Plan)
		}
		if len(second.PlanChanges) == 0 {
			t.Error("the revised plan says nothing about how it moved from v1")
		}
		for _, c := range second.Changes {
			if !strings.HasPrefix(c.Field, "schedule") {
				t.Errorf("change %+v is not the schedule's", c)
			}
		}
		if len(second.Changes) == 0 {
			t.Error("no change listed for extending the flight")
		}

		th, err := svc.Thread(ctx, "alice", first.Thread)
		if err != nil {
			t.Fatal(err)
		}
		if th.ID != first.Thread || len(th.Versions) != 2 {
			t.Fatalf("stored thread %q has %d versions, want %q with 2", th.ID, len(th.Versions), first.Thread)
		}
		for _, v := range th.Versions {
			if v.Plan == nil {
				t.Errorf("v%d was stored without its plan (plan_error %q)", v.N, v.PlanError)
			}
		}
		if th.Versions[1].Plan.Flight.Days != 60 || th.Versions[1].Message != "extend to 60 days" {
			t.Errorf("v2 stored as %q with a %d-day plan", th.Versions[1].Message, th.Versions[1].Plan.Flight.Days)
		}
	})
}

func TestFollowUpsThatMakeNoVersion(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, store.NewMemory())
	first, err := svc.Start(ctx, "alice", brief)
	if err != nil {
		t.Fatal(err)
	}

	same, err := svc.Say(ctx, "alice", first.Thread, "over 30 days")
	if err != nil {
		t.Fatal(err)
	}
	if same.Version != 1 || same.Error != "" || !slices.Contains(same.Notes, session.NothingChanged) {
		t.Errorf("a message that changes nothing: version %d, error %q, notes %q", same.Version, same.Error, same.Notes)
	}
	if same.Plan == nil || same.Plan.Flight.Days != 30 {
		t.Error("a message that changes nothing should carry the plan as it stands")
	}

	bad, err := svc.Say(ctx, "alice", first.Thread, "   ")
	if err != nil {
		t.Fatal(err)
	}
	if bad.Version != 1 || !strings.Contains(bad.Error, "reading message") || bad.Plan == nil {
		t.Errorf("an unreadable follow-up: version %d, error %q, plan kept %v", bad.Version, bad.Error, bad.Plan != nil)
	}
	th, err := svc.Thread(ctx, "alice", first.Thread)
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Versions) != 1 {
		t.Errorf("the thread has %d versions after two messages that made none, want 1", len(th.Versions))
	}
}

func TestUnreadableBriefStoresNothing(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory()
	svc := newService(t, mem)
	for _, text := range []string{"", "hello there", strings.Repeat("x", 1<<20)} {
		turn, err := svc.Start(ctx, "alice", text)
		if !errors.Is(err, session.ErrUnreadable) || strings.Contains(err.Error(), "reading message") {
			t.Errorf("Start(%.20q) err = %v, want ErrUnreadable worded as plan words it", text, err)
		}
		if turn.Error == "" || turn.Thread != "" || turn.Version != 0 {
			t.Errorf("Start(%.20q) turn: error %q, thread %q, version %d", text, turn.Error, turn.Thread, turn.Version)
		}
	}
	if n := mem.Threads(); n != 0 {
		t.Errorf("%d threads stored for briefs that could not be read", n)
	}
}

func TestPlanIsWhatPlanJSONPrints(t *testing.T) {
	ctx := context.Background()
	p, c := engine(t)
	svc := newService(t, store.NewMemory())
	got, err := svc.Plan(ctx, brief)
	if err != nil {
		t.Fatal(err)
	}
	reading, err := c.Read(ctx, agents.Brief{}, brief, false, now)
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Plan(ctx, reading.Brief, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Budget != want.Budget || len(got.LineItems) != len(want.LineItems) || got.Totals.Impressions != want.Totals.Impressions {
		t.Errorf("Plan differs from the planner's own: budget %v/%v, %d/%d line items", got.Budget, want.Budget, len(got.LineItems), len(want.LineItems))
	}

	_, err = svc.Plan(ctx, "hello there")
	if !errors.Is(err, session.ErrUnreadable) || !strings.HasPrefix(err.Error(), "cannot read this brief: ") {
		t.Errorf("an unreadable brief: %v, want ErrUnreadable saying 'cannot read this brief: …'", err)
	}
	_, err = svc.Plan(ctx, "awareness in Germany, €900,000,000,000 over 30 days")
	if !errors.Is(err, session.ErrUnplannable) {
		t.Errorf("a budget over the limit: %v, want ErrUnplannable", err)
	}
}

func TestAnotherOwnerOrAForgedIDFindsNothing(t *testing.T) {
	stores(t, func(t *testing.T, st session.Store) {
		ctx := context.Background()
		svc := newService(t, st)
		first, err := svc.Start(ctx, "alice", brief)
		if err != nil {
			t.Fatal(err)
		}
		forged := make([]byte, 16)
		_, _ = rand.Read(forged)
		for _, tt := range []struct{ owner, id string }{
			{"bob", first.Thread},
			{"alice", hex.EncodeToString(forged)},
			{"alice", strings.ToUpper(first.Thread)},
			{"alice", "../alice/" + first.Thread},
			{"alice", first.Thread + "x"},
			{"alice", ""},
		} {
			if _, err := svc.Thread(ctx, tt.owner, tt.id); !errors.Is(err, session.ErrNotFound) {
				t.Errorf("Thread(%q, %q) = %v, want ErrNotFound", tt.owner, tt.id, err)
			}
			if _, err := svc.Say(ctx, tt.owner, tt.id, "double the budget"); !errors.Is(err, session.ErrNotFound) {
				t.Errorf("Say(%q, %q) = %v, want ErrNotFound", tt.owner, tt.id, err)
			}
		}
		th, err := svc.Thread(ctx, "alice", first.Thread)
		if err != nil {
			t.Fatal(err)
		}
		if len(th.Versions) != 1 {
			t.Errorf("other owners' messages reached alice's thread: %d versions", len(th.Versions))
		}
		if _, err := svc.Start(ctx, "a/b", brief); err == nil || errors.Is(err, session.ErrUnreadable) {
			t.Errorf("an owner with '/' could share keys with another: %v", err)
		}
	})
}

// interloper saves another follow-up to the thread just before the first Save it
// sees goes through, as a second replica or request would.
type interloper struct {
	session.Store
	once  sync.Once
	other func() error
	saves int
	mu    sync.Mutex
}

func (s *interloper) Save(ctx context.Context, t *conversation.Thread) error {
	var err error
	s.once.Do(func() { err = s.other() })
	if err != nil {
		return fmt.Errorf("the other writer: %w", err)
	}
	s.mu.Lock()
	s.saves++
	s.mu.Unlock()
	return s.Store.Save(ctx, t)
}

func TestSayReappliesOverAConflictingWriter(t *testing.T) {
	stores(t, func(t *testing.T, st session.Store) {
		ctx := context.Background()
		first, err := newService(t, st).Start(ctx, "alice", brief)
		if err != nil {
			t.Fatal(err)
		}
		racing := &interloper{Store: st, other: func() error {
			_, err := newService(t, st).Say(ctx, "alice", first.Thread, "double the budget")
			return err
		}}
		turn, err := newService(t, racing).Say(ctx, "alice", first.Thread, "extend to 60 days")
		if err != nil {
			t.Fatal(err)
		}
		if racing.saves != 2 {
			t.Errorf("%d saves, want 2: the one that conflicted and the one after reloading", racing.saves)
		}
		if turn.Version != 3 || turn.Brief.Budget.Amount != 10000 || turn.Brief.Schedule.Days != 60 {
			t.Fatalf("after the conflict: v%d, budget %v, %d days; want v3 with both follow-ups", turn.Version, turn.Brief.Budget.Amount, turn.Brief.Schedule.Days)
		}
		if turn.Plan == nil || turn.Plan.Budget != 10000 || turn.Plan.Flight.Days != 60 {
			t.Errorf("v3's plan was not made from v3's brief: %+v", turn.Plan)
		}
		th, err := newService(t, st).Thread(ctx, "alice", first.Thread)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, v := range th.Versions {
			msgs = append(msgs, v.Message)
		}
		if want := []string{brief, "double the budget", "extend to 60 days"}; !slices.Equal(msgs, want) {
			t.Errorf("stored messages %q, want %q", msgs, want)
		}
	})
}

func TestConcurrentFollowUpsAreAllKept(t *testing.T) {
	stores(t, func(t *testing.T, st session.Store) {
		ctx := context.Background()
		svc := newService(t, st)
		first, err := svc.Start(ctx, "alice", brief)
		if err != nil {
			t.Fatal(err)
		}
		msgs := []string{"add Austria", "add France", "add Spain", "add Italy", "add Poland", "add Sweden"}
		errs := make(chan error, len(msgs))
		start := make(chan struct{})
		for _, m := range msgs {
			go func() {
				<-start
				_, err := svc.Say(ctx, "alice", first.Thread, m)
				errs <- err
			}()
		}
		close(start)
		for range msgs {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		th, err := svc.Thread(ctx, "alice", first.Thread)
		if err != nil {
			t.Fatal(err)
		}
		if len(th.Versions) != len(msgs)+1 {
			t.Fatalf("%d versions after %d follow-ups, want %d", len(th.Versions), len(msgs), len(msgs)+1)
		}
		if got := th.Current().Audience.Geo.Countries; len(got) != len(msgs)+1 {
			t.Errorf("countries %v: a follow-up was lost or forked", got)
		}
		for i, v := range th.Versions {
			if v.N != i+1 || v.Plan == nil {
				t.Errorf("version %d stored as n=%d with plan %v", i+1, v.N, v.Plan != nil)
			}
		}
	})
}

// recordingPlanner remembers which previous plan each call revised.
type recordingPlanner struct {
	session.Planner
	prevs []*agents.Plan
}

func (r *recordingPlanner) Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error) {
	r.prevs = append(r.prevs, nil)
	return r.Planner.Plan(ctx, b, now, channel)
}

func (r *recordingPlanner) Revise(ctx context.Context, b agents.Brief, prev *agents.Plan, now time.Time, channel string) (agents.Plan, error) {
	r.prevs = append(r.prevs, prev)
	return r.Planner.Revise(ctx, b, prev, now, channel)
}

func TestPlanLatestRevisesThePreviousVersionsPlan(t *testing.T) {
	ctx := context.Background()
	p, c := engine(t)
	rec := &recordingPlanner{Planner: p}
	th := conversation.New("t")
	if _, _, err := session.PlanLatest(ctx, rec, th, now, ""); err == nil {
		t.Error("planning a thread with no brief succeeded")
	}
	for _, msg := range []string{brief, "budget 900000000000 EUR", "budget 8000 EUR"} {
		if _, err := th.Apply(ctx, c, msg, now); err != nil {
			t.Fatal(err)
		}
		_, _, _ = session.PlanLatest(ctx, rec, th, now, "")
	}
	v := th.Versions
	if v[0].Plan == nil || v[1].Plan != nil || v[1].PlanError == "" || v[2].Plan == nil {
		t.Fatalf("recorded plans: v1 %v, v2 %v (%q), v3 %v", v[0].Plan != nil, v[1].Plan != nil, v[1].PlanError, v[2].Plan != nil)
	}
	// v2 revised v1's plan; v2 had none, so v3 is planned from scratch.
	if len(rec.prevs) != 3 || rec.prevs[0] != nil || rec.prevs[1] != v[0].Plan || rec.prevs[2] != nil {
		t.Errorf("previous plans given to the planner: %v", rec.prevs)
	}

	// A revision that changes the budget says how the plan moved.
	if _, err := th.Apply(ctx, c, "double the budget", now); err != nil {
		t.Fatal(err)
	}
	plan, changes, err := session.PlanLatest(ctx, rec, th, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if plan != th.Latest().Plan || plan.Budget != 16000 {
		t.Errorf("returned plan is not the recorded one, or not 16000: %v", plan.Budget)
	}
	if !slices.ContainsFunc(changes, func(c agents.PlanChange) bool { return c.What == "budget" }) {
		t.Errorf("plan changes %+v do not mention the budget", changes)
	}
}
