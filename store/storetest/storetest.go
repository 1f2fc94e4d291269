// Package storetest is the conformance suite every store implementation passes, so
// Memory, which the CLI and most tests use, cannot drift from Redis, which production
// uses (go-cloud's drivertest pattern).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// Store is what the suite exercises. Callers declare their own, smaller interfaces;
// this one only pins down that every implementation has the whole set.
type Store interface {
	Load(ctx context.Context, threadID string) (*conversation.Thread, error)
	Save(ctx context.Context, t *conversation.Thread, prevVersions int) error
	MarkEvent(ctx context.Context, eventID string, ttl time.Duration) (first bool, err error)
	Ping(ctx context.Context) error
}

var (
	_ Store = (*store.Memory)(nil)
	_ Store = (*store.Redis)(nil)
)

// Run runs the suite. open is called once per sub-test and must return an empty store
// of its own, because sub-tests run in parallel.
func Run(t *testing.T, open func(t *testing.T) Store) {
	tests := []struct {
		name string
		test func(t *testing.T, s Store)
	}{
		{"Ping", testPing},
		{"LoadMissing", testLoadMissing},
		{"RoundTrip", testRoundTrip},
		{"StoredCopyIsIndependent", testStoredCopyIsIndependent},
		{"Conflict", testConflict},
		{"SaveInvalid", testSaveInvalid},
		{"RacingSavesOneWinnerPerRound", testRacingSavesOneWinnerPerRound},
		{"RacingAppendsLoseNothing", testRacingAppendsLoseNothing},
		{"MarkEvent", testMarkEvent},
		{"MarkEventRacing", testMarkEventRacing},
		{"MarkEventInvalid", testMarkEventInvalid},
		{"ThreadsIsolated", testThreadsIsolated},
		{"ContextCancelled", testContextCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.test(t, open(t))
		})
	}
}

func testPing(t *testing.T, s Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testLoadMissing(t *testing.T, s Store) {
	got, err := s.Load(t.Context(), "C404/1.2")
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Load of a missing thread = %v, %v; want ErrNotFound", got, err)
	}
	if got != nil {
		t.Errorf("Load of a missing thread returned a thread: %+v", got)
	}
	if !strings.Contains(err.Error(), "C404/1.2") {
		t.Errorf("error %q does not name the thread", err)
	}
	// Callers must only ever have to know store's sentinels.
	if strings.Contains(err.Error(), "redis: nil") {
		t.Errorf("error %q leaks redis.Nil", err)
	}
}

func testRoundTrip(t *testing.T, s Store) {
	tests := []struct {
		name string
		give *conversation.Thread
	}{
		{name: "three versions, every slot set", give: Thread("C1/1700000000.000100", 3)},
		{name: "one version, open schedule and empty slots", give: &conversation.Thread{
			ID: "C1/1700000000.000200",
			Versions: []conversation.Version{{
				N:       1,
				Message: "a flight from 1 March, budget to follow",
				At:      time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC),
				Brief: agents.Brief{
					Goal:     &agents.Goal{Objective: agents.ObjectiveReach},
					Schedule: &agents.Schedule{Start: agents.NewDate(2026, 3, 1)},
				},
				Ran: []agents.Slot{agents.SlotGoal, agents.SlotSchedule},
			}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			want := deepCopy(t, tt.give)
			if err := s.Save(ctx, tt.give, 0); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, err := s.Load(ctx, tt.give.ID)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the thread:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

func testStoredCopyIsIndependent(t *testing.T, s Store) {
	ctx := t.Context()
	th := Thread("C1/1", 2)
	want := deepCopy(t, th)
	if err := s.Save(ctx, th, 0); err != nil {
		t.Fatalf("Save: %v", err)
	}
	// A caller that keeps editing its thread after Save, or edits what Load gave it,
	// must not change what the next Load sees.
	th.Versions[0].Brief.Goal.MaxShare[agents.FormatVideo] = 0.9
	th.Versions[1].Message = "changed after save"
	loaded, err := s.Load(ctx, "C1/1")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	loaded.Versions[0].Brief.Audience.Geo.Countries[0] = "XX"
	got, err := s.Load(ctx, "C1/1")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored thread changed through a caller's pointer:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
	}
}

func testConflict(t *testing.T, s Store) {
	ctx := t.Context()
	stored := Thread("C1/2", 2)
	if err := s.Save(ctx, stored, 0); err != nil {
		t.Fatalf("Save: %v", err)
	}
	want := deepCopy(t, stored)

	tests := []struct {
		name string
		give *conversation.Thread
		prev int
	}{
		{name: "creating a thread that exists", give: Thread("C1/2", 1), prev: 0},
		{name: "read fewer versions than stored", give: Thread("C1/2", 2), prev: 1},
		{name: "read more versions than stored", give: Thread("C1/2", 4), prev: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Save(ctx, tt.give, tt.prev)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("Save(prev=%d) with 2 stored = %v; want ErrConflict", tt.prev, err)
			}
			if !strings.Contains(err.Error(), "C1/2") {
				t.Errorf("error %q does not name the thread", err)
			}
			got, err := s.Load(ctx, "C1/2")
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("a conflicting Save changed the stored thread:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}

	t.Run("updating a thread that does not exist", func(t *testing.T) {
		if err := s.Save(ctx, Thread("C1/3", 2), 1); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("Save(prev=1) of a missing thread = %v; want ErrConflict", err)
		}
		if got, err := s.Load(ctx, "C1/3"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after a conflicting Save, Load = %v, %v; want ErrNotFound", got, err)
		}
	})

	t.Run("the right count still saves", func(t *testing.T) {
		next := Thread("C1/2", 3)
		if err := s.Save(ctx, next, 2); err != nil {
			t.Fatalf("Save(prev=2) with 2 stored: %v", err)
		}
		got, err := s.Load(ctx, "C1/2")
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(got.Versions) != 3 {
			t.Errorf("stored thread has %d versions; want 3", len(got.Versions))
		}
	})
}

func testSaveInvalid(t *testing.T, s Store) {
	tests := []struct {
		name string
		give *conversation.Thread
		prev int
	}{
		{name: "nil thread", give: nil, prev: 0},
		{name: "empty id", give: Thread("", 1), prev: 0},
		{name: "negative previous count", give: Thread("C1/4", 1), prev: -1},
		{name: "fewer versions than read", give: Thread("C1/4", 1), prev: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Save(t.Context(), tt.give, tt.prev)
			if err == nil {
				t.Fatal("Save succeeded; want an error")
			}
			// A mistake reported as a conflict would send the caller into a retry loop.
			if errors.Is(err, store.ErrConflict) {
				t.Errorf("Save = %v; want an error other than ErrConflict", err)
			}
		})
	}
	if got, err := s.Load(t.Context(), "C1/4"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after invalid saves, Load = %v, %v; want ErrNotFound", got, err)
	}
}

// testRacingSavesOneWinnerPerRound is two replicas answering one thread at once, but
// with twenty: all read the same version, all try to save the next one.
func testRacingSavesOneWinnerPerRound(t *testing.T, s Store) {
	const (
		id      = "C2/1700000000.000300"
		workers = 20
		rounds  = 5
	)
	ctx := t.Context()
	if err := s.Save(ctx, Thread(id, 1), 0); err != nil {
		t.Fatalf("Save: %v", err)
	}
	for round := range rounds {
		n := round + 1
		var loaded, done sync.WaitGroup
		release := make(chan struct{})
		errs := make([]error, workers)
		for w := range workers {
			loaded.Add(1)
			done.Add(1)
			go func() {
				defer done.Done()
				th, err := s.Load(ctx, id)
				loaded.Done()
				if err != nil {
					errs[w] = fmt.Errorf("loading: %w", err)
					return
				}
				<-release
				th.Versions = append(th.Versions, version(len(th.Versions)+1, fmt.Sprintf("round %d worker %d", round, w)))
				errs[w] = s.Save(ctx, th, n)
			}()
		}
		loaded.Wait()
		close(release)
		done.Wait()

		winner := -1
		for w, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: workers %d and %d both saved version %d", round, winner, w, n+1)
			case err == nil:
				winner = w
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("round %d worker %d: %v; want nil or ErrConflict", round, w, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no worker saved version %d", round, n+1)
		}
		th, err := s.Load(ctx, id)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(th.Versions) != n+1 {
			t.Fatalf("round %d: %d versions stored; want %d", round, len(th.Versions), n+1)
		}
		if got, want := th.Latest().Message, fmt.Sprintf("round %d worker %d", round, winner); got != want {
			t.Errorf("round %d: latest version is %q; want the winner's %q", round, got, want)
		}
	}
}

// testRacingAppendsLoseNothing has every worker retry on ErrConflict, as the bot
// does, so every worker's version must end up stored exactly once.
func testRacingAppendsLoseNothing(t *testing.T, s Store) {
	const (
		id         = "C2/1700000000.000400"
		workers    = 20
		maxRetries = 10 * workers
	)
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			errs[w] = appendWithRetry(ctx, s, id, fmt.Sprintf("worker %d", w), maxRetries)
		})
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", w, err)
		}
	}
	th, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var messages []string
	for i, v := range th.Versions {
		if v.N != i+1 {
			t.Errorf("version %d has N=%d", i+1, v.N)
		}
		messages = append(messages, v.Message)
	}
	slices.Sort(messages)
	var want []string
	for w := range workers {
		want = append(want, fmt.Sprintf("worker %d", w))
	}
	slices.Sort(want)
	if !slices.Equal(messages, want) {
		t.Errorf("stored messages = %q; want each worker's exactly once: %q", messages, want)
	}
}

func appendWithRetry(ctx context.Context, s Store, id, message string, maxRetries int) error {
	for range maxRetries {
		th, err := s.Load(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			th = conversation.New(id)
		case err != nil:
			return err
		}
		prev := len(th.Versions)
		th.Versions = append(th.Versions, version(prev+1, message))
		err = s.Save(ctx, th, prev)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("still conflicting after %d tries", maxRetries)
}

func testMarkEvent(t *testing.T, s Store) {
	const ttl = 500 * time.Millisecond
	ctx := t.Context()
	steps := []struct {
		name  string
		wait  time.Duration
		give  string
		want  bool
		after string
	}{
		{name: "first delivery", give: "Ev01", want: true},
		{name: "Slack's retry", give: "Ev01", want: false},
		{name: "another retry", give: "Ev01", want: false},
		{name: "another event", give: "Ev02", want: true},
		{name: "after the ttl", wait: 2 * ttl, give: "Ev01", want: true},
		{name: "retry after re-marking", give: "Ev01", want: false},
	}
	for _, tt := range steps {
		time.Sleep(tt.wait)
		got, err := s.MarkEvent(ctx, tt.give, ttl)
		if err != nil {
			t.Fatalf("%s: MarkEvent(%q): %v", tt.name, tt.give, err)
		}
		if got != tt.want {
			t.Errorf("%s: MarkEvent(%q) = %t; want %t", tt.name, tt.give, got, tt.want)
		}
	}
}

// testMarkEventRacing is two replicas receiving the same retried delivery at once.
func testMarkEventRacing(t *testing.T, s Store) {
	const workers = 20
	ctx := t.Context()
	var wg sync.WaitGroup
	firsts := make([]bool, workers)
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			firsts[w], errs[w] = s.MarkEvent(ctx, "Ev03", time.Minute)
		})
	}
	wg.Wait()
	count := 0
	for w := range workers {
		if errs[w] != nil {
			t.Errorf("worker %d: %v", w, errs[w])
		}
		if firsts[w] {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d workers were told they saw the event first; want 1", count)
	}
}

func testMarkEventInvalid(t *testing.T, s Store) {
	tests := []struct {
		name string
		give string
		ttl  time.Duration
	}{
		{name: "empty id", give: "", ttl: time.Minute},
		{name: "zero ttl", give: "Ev04", ttl: 0},
		{name: "negative ttl", give: "Ev04", ttl: -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if first, err := s.MarkEvent(t.Context(), tt.give, tt.ttl); err == nil {
				t.Errorf("MarkEvent(%q, %v) = %t, nil; want an error", tt.give, tt.ttl, first)
			}
		})
	}
	// A rejected call must not have recorded anything.
	if first, err := s.MarkEvent(t.Context(), "Ev04", time.Minute); err != nil || !first {
		t.Errorf("MarkEvent after rejected calls = %t, %v; want true, nil", first, err)
	}
}

func testThreadsIsolated(t *testing.T, s Store) {
	ctx := t.Context()
	// Ids that are prefixes of one another catch key building that forgets a separator.
	threads := []*conversation.Thread{Thread("C5/1", 1), Thread("C5/10", 2), Thread("C5/1/0", 3)}
	for _, th := range threads {
		if err := s.Save(ctx, th, 0); err != nil {
			t.Fatalf("Save %s: %v", th.ID, err)
		}
	}
	if err := s.Save(ctx, Thread("C5/10", 1), 0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Save over C5/10 = %v; want ErrConflict", err)
	}
	// Event ids live apart from thread ids even when they are spelt alike.
	if first, err := s.MarkEvent(ctx, "C5/1", time.Minute); err != nil || !first {
		t.Fatalf("MarkEvent(C5/1) = %t, %v; want true, nil", first, err)
	}
	for _, want := range threads {
		got, err := s.Load(ctx, want.ID)
		if err != nil {
			t.Fatalf("Load %s: %v", want.ID, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Load %s:\n got %s\nwant %s", want.ID, mustJSON(t, got), mustJSON(t, want))
		}
	}
	if got, err := s.Load(ctx, "C5"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load C5 = %v, %v; want ErrNotFound", got, err)
	}
}

func testContextCancelled(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{name: "Ping", call: func() error { return s.Ping(ctx) }},
		{name: "Load", call: func() error { _, err := s.Load(ctx, "C6/1"); return err }},
		{name: "Save", call: func() error { return s.Save(ctx, Thread("C6/1", 1), 0) }},
		{name: "MarkEvent", call: func() error { _, err := s.MarkEvent(ctx, "Ev06", time.Minute); return err }},
	}
	for _, tt := range calls {
		if err := tt.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v; want context.Canceled", tt.name, err)
		}
	}
	if got, err := s.Load(t.Context(), "C6/1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled Save stored something: Load = %v, %v", got, err)
	}
	if first, err := s.MarkEvent(t.Context(), "Ev06", time.Minute); err != nil || !first {
		t.Errorf("a cancelled MarkEvent recorded the event: MarkEvent = %t, %v", first, err)
	}
}

// Thread returns a thread with n versions whose briefs set every slot and every field,
// each version differing from the last, so a store that drops or mixes up any field
// fails a round trip. Implementation-specific tests use it too.
func Thread(id string, n int) *conversation.Thread {
	th := conversation.New(id)
	for i := 1; i <= n; i++ {
		th.Versions = append(th.Versions, version(i, fmt.Sprintf("message %d", i)))
	}
	return th
}

func version(n int, message string) conversation.Version {
	start := agents.NewDate(2026, 11, 23).AddDays(n - 1)
	schedule := agents.ScheduleFor(start, 30*n)
	v := conversation.Version{
		N:       n,
		Message: message,
		// Nanoseconds check that nothing truncates the time; UTC because JSON keeps
		// the offset but not the *time.Location.
		At: time.Date(2026, 11, 22, 9, 30, n, 123456789, time.UTC),
		Brief: agents.Brief{
			Goal: &agents.Goal{
				Objective: agents.Objectives[n%len(agents.Objectives)],
				Formats:   []string{agents.FormatAudio, agents.FormatVideo},
				MaxShare:  map[string]float64{agents.FormatVideo: 0.25, agents.FormatAudio: 0.8 - 0.1*float64(n)},
			},
			Audience: &agents.Audience{
				AgeRanges: []agents.AgeRange{{Min: 18, Max: 24}, {Min: 45, Max: 99 - n}},
				Genders:   []string{agents.GenderFemale, agents.GenderNonBinary},
				Geo: agents.Geo{
					Countries: []string{"DE", "AT"},
					Regions:   []string{"Bavaria"},
					Cities:    []string{"Munich", fmt.Sprintf("City %d", n)},
				},
				Genres:     []string{"hip-hop"},
				Interests:  []string{"fitness"},
				Platforms:  []string{agents.PlatformIOS, agents.PlatformAndroid},
				Placements: []string{agents.PlacementPodcast, agents.PlacementMusic},
				Languages:  []string{"de"},
			},
			Budget: &agents.Budget{
				Amount:         5000 * float64(n),
				Currency:       "EUR",
				Type:           agents.BudgetLifetime,
				Min:            4000.5,
				CurrencyHint:   "€",
				CurrencySource: "written",
			},
			Schedule: &schedule,
		},
		Ran: []agents.Slot{agents.SlotGoal, agents.SlotAudience, agents.SlotBudget, agents.SlotSchedule},
		Changes: []conversation.Change{
			{Field: "budget.amount", Label: "Budget", From: fmt.Sprint(5000 * (n - 1)), To: fmt.Sprint(5000 * n)},
		},
		Notes: []string{fmt.Sprintf("note on message %d", n)},
	}
	return v
}

// deepCopy copies by value without going through JSON, so a JSON bug in a store
// cannot hide by also being in the expected value.
func deepCopy(t *testing.T, th *conversation.Thread) *conversation.Thread {
	t.Helper()
	c := &conversation.Thread{ID: th.ID}
	for _, v := range th.Versions {
		v.Brief = v.Brief.Clone()
		v.Ran = slices.Clone(v.Ran)
		v.Changes = slices.Clone(v.Changes)
		v.Notes = slices.Clone(v.Notes)
		c.Versions = append(c.Versions, v)
	}
	return c
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T for a message: %v", v, err)
	}
	return string(b)
}
