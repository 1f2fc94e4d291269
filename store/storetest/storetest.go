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
	Save(ctx context.Context, t *conversation.Thread) error
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
		{"RevisionCountsSaves", testRevisionCountsSaves},
		{"StoredCopyIsIndependent", testStoredCopyIsIndependent},
		{"Conflict", testConflict},
		{"UpdateWithoutVersionConflicts", testUpdateWithoutVersionConflicts},
		{"SaveInvalid", testSaveInvalid},
		{"RacingSavesOneWinnerPerRound", testRacingSavesOneWinnerPerRound},
		{"RacingUpdatesLoseNothing", testRacingUpdatesLoseNothing},
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
		// give builds the thread; it is called twice, for the thread saved and the one
		// expected, so nothing the store does to the first can leak into the second.
		give func() *conversation.Thread
	}{
		{
			name: "three versions with plans, posted and approved",
			give: func() *conversation.Thread { return Thread("C1/1700000000.000100", 3) },
		},
		{
			name: "one version, open schedule, empty slots, no plan",
			give: func() *conversation.Thread {
				return &conversation.Thread{
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
				}
			},
		},
		{
			name: "a plan that failed, a version not yet posted, no approvals",
			give: func() *conversation.Thread {
				th := Thread("C1/1700000000.000300", 2)
				th.Versions[0].Plan = nil
				th.Versions[0].PlanError = "no market sells VIDEO on the self-serve channel"
				th.Versions[1].PostedAs = ""
				th.Approvals = nil
				return th
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			give, want := tt.give(), tt.give()
			want.Rev = 1
			if err := s.Save(ctx, give); err != nil {
				t.Fatalf("Save: %v", err)
			}
			if give.Rev != 1 {
				t.Errorf("after the first Save, Rev = %d; want 1", give.Rev)
			}
			got, err := s.Load(ctx, give.ID)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the thread:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

// testRevisionCountsSaves: Rev moves on every save, including saves that change
// nothing, and what Load returns carries it.
func testRevisionCountsSaves(t *testing.T, s Store) {
	ctx := t.Context()
	th := Thread("C1/1700000000.000400", 1)
	for want := 1; want <= 3; want++ {
		if err := s.Save(ctx, th); err != nil {
			t.Fatalf("Save %d: %v", want, err)
		}
		if th.Rev != want {
			t.Errorf("after save %d, the caller's Rev = %d; want %d", want, th.Rev, want)
		}
		got, err := s.Load(ctx, th.ID)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got.Rev != want {
			t.Errorf("after save %d, the loaded Rev = %d; want %d", want, got.Rev, want)
		}
	}
}

func testStoredCopyIsIndependent(t *testing.T, s Store) {
	ctx := t.Context()
	th := Thread("C1/1", 2)
	want := Thread("C1/1", 2)
	want.Rev = 1
	if err := s.Save(ctx, th); err != nil {
		t.Fatalf("Save: %v", err)
	}
	// A caller that keeps editing its thread after Save, or edits what Load gave it,
	// must not change what the next Load sees.
	th.Versions[0].Brief.Goal.MaxShare[agents.FormatVideo] = 0.9
	th.Versions[1].Message = "changed after save"
	th.Versions[1].Plan.LineItems[0].Budget = 1
	th.Versions[1].Plan.SpotifyAdsAPI.Campaign["name"] = "changed after save"
	th.Approvals[0].User = "U_CHANGED"
	loaded, err := s.Load(ctx, "C1/1")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	loaded.Versions[0].Brief.Audience.Geo.Countries[0] = "XX"
	loaded.Versions[0].PostedAs = "changed after load"
	loaded.Versions[1].Plan.Warnings[0] = "changed after load"
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
	// Two saves: the stored thread is at revision 2.
	for range 2 {
		if err := s.Save(ctx, stored); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	want := Thread("C1/2", 2)
	want.Rev = 2

	tests := []struct {
		name string
		give int // the revision the caller loaded
	}{
		{name: "creating a thread that exists", give: 0},
		{name: "loaded before the last save", give: 1},
		{name: "a revision never stored", give: 3},
		{name: "far ahead", give: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			give := Thread("C1/2", 3)
			give.Rev = tt.give
			err := s.Save(ctx, give)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("Save(Rev=%d) with revision 2 stored = %v; want ErrConflict", tt.give, err)
			}
			if !strings.Contains(err.Error(), "C1/2") {
				t.Errorf("error %q does not name the thread", err)
			}
			if give.Rev != tt.give {
				t.Errorf("a conflicting Save changed the caller's Rev from %d to %d", tt.give, give.Rev)
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
		give := Thread("C1/3", 2)
		give.Rev = 1
		if err := s.Save(ctx, give); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("Save(Rev=1) of a missing thread = %v; want ErrConflict", err)
		}
		if got, err := s.Load(ctx, "C1/3"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after a conflicting Save, Load = %v, %v; want ErrNotFound", got, err)
		}
	})

	t.Run("the stored revision still saves", func(t *testing.T) {
		next := Thread("C1/2", 3)
		next.Rev = 2
		if err := s.Save(ctx, next); err != nil {
			t.Fatalf("Save(Rev=2) with revision 2 stored: %v", err)
		}
		if next.Rev != 3 {
			t.Errorf("after Save, Rev = %d; want 3", next.Rev)
		}
		got, err := s.Load(ctx, "C1/2")
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(got.Versions) != 3 || got.Rev != 3 {
			t.Errorf("stored thread has %d versions at revision %d; want 3 at 3", len(got.Versions), got.Rev)
		}
	})
}

// testUpdateWithoutVersionConflicts is the bot recording the ts it posted plan v1 as
// while a planner presses "Looks good": neither adds a version, so only the revision
// tells that the second writer loaded a thread that has changed since.
func testUpdateWithoutVersionConflicts(t *testing.T, s Store) {
	ctx := t.Context()
	const id = "C3/1700000000.000500"
	first := Thread(id, 1)
	first.Versions[0].PostedAs = ""
	first.Approvals = nil
	if err := s.Save(ctx, first); err != nil {
		t.Fatalf("Save: %v", err)
	}
	poster, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	approver, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

	poster.Latest().PostedAs = "1700000000.000501"
	if err := s.Save(ctx, poster); err != nil {
		t.Fatalf("saving the posted ts: %v", err)
	}
	if _, err := approver.Approve("U01APPROVER", at); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	if err := s.Save(ctx, approver); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("saving an approval over a thread updated since = %v; want ErrConflict", err)
	}
	got, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.Latest().PostedAs != "1700000000.000501" || len(got.Approvals) != 0 {
		t.Fatalf("after the conflict: posted as %q with %d approvals; want the poster's ts and none",
			got.Latest().PostedAs, len(got.Approvals))
	}

	// The approver does what the bot does on ErrConflict: reload and re-apply.
	if _, err := got.Approve("U01APPROVER", at); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	if err := s.Save(ctx, got); err != nil {
		t.Fatalf("saving the approval again: %v", err)
	}
	final, err := s.Load(ctx, id)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := conversation.Approval{User: "U01APPROVER", Version: 1, At: at}
	if final.Rev != 3 || final.Latest().PostedAs != "1700000000.000501" || !slices.Equal(final.Approvals, []conversation.Approval{want}) {
		t.Errorf("final thread: revision %d, posted as %q, approvals %+v; want 3, the poster's ts and %+v",
			final.Rev, final.Latest().PostedAs, final.Approvals, want)
	}
}

func testSaveInvalid(t *testing.T, s Store) {
	negative := Thread("C1/4", 1)
	negative.Rev = -1
	tests := []struct {
		name string
		give *conversation.Thread
	}{
		{name: "nil thread", give: nil},
		{name: "empty id", give: Thread("", 1)},
		{name: "negative revision", give: negative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Save(t.Context(), tt.give)
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
// with twenty: all load the same revision, all try to save their change over it.
// Round 0 creates the thread; odd rounds add a version, even ones an approval, which
// leaves the version count alone.
func testRacingSavesOneWinnerPerRound(t *testing.T, s Store) {
	const (
		id      = "C2/1700000000.000300"
		workers = 20
		rounds  = 5
	)
	ctx := t.Context()
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	change := func(round, w int, th *conversation.Thread) error {
		label := fmt.Sprintf("round %d worker %d", round, w)
		if round%2 == 0 && round > 0 {
			_, err := th.Approve(label, at)
			return err
		}
		th.Versions = append(th.Versions, version(len(th.Versions)+1, label))
		return nil
	}
	for round := range rounds {
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
				if round == 0 && errors.Is(err, store.ErrNotFound) {
					th, err = conversation.New(id), nil
				}
				if err != nil {
					errs[w] = fmt.Errorf("loading: %w", err)
					return
				}
				<-release
				if err := change(round, w, th); err != nil {
					errs[w] = err
					return
				}
				errs[w] = s.Save(ctx, th)
			}()
		}
		loaded.Wait()
		close(release)
		done.Wait()

		winner := -1
		for w, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: workers %d and %d both saved over revision %d", round, winner, w, round)
			case err == nil:
				winner = w
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("round %d worker %d: %v; want nil or ErrConflict", round, w, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no worker saved", round)
		}
		th, err := s.Load(ctx, id)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if th.Rev != round+1 {
			t.Fatalf("round %d: revision %d stored; want %d", round, th.Rev, round+1)
		}
		approvals := round / 2
		if got, want := len(th.Versions)+len(th.Approvals), round+1; got != want || len(th.Approvals) != approvals {
			t.Fatalf("round %d: %d versions and %d approvals stored; want %d and %d", round, len(th.Versions), len(th.Approvals), want-approvals, approvals)
		}
		got, want := th.Latest().Message, fmt.Sprintf("round %d worker %d", round, winner)
		if round%2 == 0 && round > 0 {
			got = th.Approvals[len(th.Approvals)-1].User
		}
		if got != want {
			t.Errorf("round %d: the last change is %q; want the winner's %q", round, got, want)
		}
	}
}

// testRacingUpdatesLoseNothing has every worker retry on ErrConflict, as the bot
// does: half add a version, half an approval, and every one of them must end up
// stored exactly once.
func testRacingUpdatesLoseNothing(t *testing.T, s Store) {
	const (
		id         = "C2/1700000000.000400"
		workers    = 20
		maxRetries = 10 * workers
	)
	ctx := t.Context()
	seed := Thread(id, 1)
	seed.Approvals = nil
	if err := s.Save(ctx, seed); err != nil {
		t.Fatalf("Save: %v", err)
	}
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			errs[w] = updateWithRetry(ctx, s, id, maxRetries, func(th *conversation.Thread) error {
				if w%2 == 1 {
					_, err := th.Approve(fmt.Sprintf("worker %d", w), at)
					return err
				}
				th.Versions = append(th.Versions, version(len(th.Versions)+1, fmt.Sprintf("worker %d", w)))
				return nil
			})
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
	if th.Rev != 1+workers {
		t.Errorf("revision %d stored after %d updates of revision 1; want %d", th.Rev, workers, 1+workers)
	}
	var gotVersions, gotApprovals, wantVersions, wantApprovals []string
	for i, v := range th.Versions {
		if v.N != i+1 {
			t.Errorf("version %d has N=%d", i+1, v.N)
		}
		if i > 0 {
			gotVersions = append(gotVersions, v.Message)
		}
	}
	for _, a := range th.Approvals {
		gotApprovals = append(gotApprovals, a.User)
	}
	for w := range workers {
		if w%2 == 1 {
			wantApprovals = append(wantApprovals, fmt.Sprintf("worker %d", w))
		} else {
			wantVersions = append(wantVersions, fmt.Sprintf("worker %d", w))
		}
	}
	for _, l := range [][]string{gotVersions, gotApprovals, wantVersions, wantApprovals} {
		slices.Sort(l)
	}
	if !slices.Equal(gotVersions, wantVersions) {
		t.Errorf("versions stored = %q; want each version-adding worker's exactly once: %q", gotVersions, wantVersions)
	}
	if !slices.Equal(gotApprovals, wantApprovals) {
		t.Errorf("approvals stored = %q; want each approving worker's exactly once: %q", gotApprovals, wantApprovals)
	}
}

// updateWithRetry is the bot's loop: load, change, save; on ErrConflict, again.
func updateWithRetry(ctx context.Context, s Store, id string, maxRetries int, change func(*conversation.Thread) error) error {
	for range maxRetries {
		th, err := s.Load(ctx, id)
		if err != nil {
			return err
		}
		if err := change(th); err != nil {
			return err
		}
		err = s.Save(ctx, th)
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("still conflicting after %d tries", maxRetries)
}

func testMarkEvent(t *testing.T, s Store) {
	// Retries are checked under an hour's ttl and expiry after waiting past a short
	// one, so no step depends on how fast the machine is.
	const short = 50 * time.Millisecond
	ctx := t.Context()
	steps := []struct {
		name string
		wait time.Duration
		give string
		ttl  time.Duration
		want bool
	}{
		{name: "first delivery", give: "Ev01", ttl: time.Hour, want: true},
		{name: "Slack's retry", give: "Ev01", ttl: time.Hour, want: false},
		{name: "another retry", give: "Ev01", ttl: time.Hour, want: false},
		{name: "another event", give: "Ev02", ttl: time.Hour, want: true},
		{name: "an event remembered briefly", give: "Ev03", ttl: short, want: true},
		{name: "after its ttl", wait: 2 * short, give: "Ev03", ttl: time.Hour, want: true},
		{name: "retry after re-marking", give: "Ev03", ttl: time.Hour, want: false},
		{name: "the first, still remembered", give: "Ev01", ttl: time.Hour, want: false},
	}
	for _, tt := range steps {
		time.Sleep(tt.wait) // only ever to let a ttl pass: a busy machine lets more pass
		got, err := s.MarkEvent(ctx, tt.give, tt.ttl)
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
		if err := s.Save(ctx, th); err != nil {
			t.Fatalf("Save %s: %v", th.ID, err)
		}
	}
	if err := s.Save(ctx, Thread("C5/10", 1)); !errors.Is(err, store.ErrConflict) {
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
	th := Thread("C6/1", 1)
	calls := []struct {
		name string
		call func() error
	}{
		{name: "Ping", call: func() error { return s.Ping(ctx) }},
		{name: "Load", call: func() error { _, err := s.Load(ctx, "C6/1"); return err }},
		{name: "Save", call: func() error { return s.Save(ctx, th) }},
		{name: "MarkEvent", call: func() error { _, err := s.MarkEvent(ctx, "Ev06", time.Minute); return err }},
	}
	for _, tt := range calls {
		if err := tt.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v; want context.Canceled", tt.name, err)
		}
	}
	if th.Rev != 0 {
		t.Errorf("a cancelled Save set Rev to %d", th.Rev)
	}
	if got, err := s.Load(t.Context(), "C6/1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled Save stored something: Load = %v, %v", got, err)
	}
	if first, err := s.MarkEvent(t.Context(), "Ev06", time.Minute); err != nil || !first {
		t.Errorf("a cancelled MarkEvent recorded the event: MarkEvent = %t, %v", first, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T for a message: %v", v, err)
	}
	return string(b)
}
