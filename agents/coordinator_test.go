package agents

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// scriptedSpecialist is a specialist whose routing and answer a test sets.
type scriptedSpecialist struct {
	slot    Slot
	word    string // Touches when the message contains it
	run     func(ctx context.Context, req Request) (Result, error)
	running *atomic.Int32
	maxSeen *atomic.Int32
}

func (s *scriptedSpecialist) Slot() Slot { return s.slot }
func (s *scriptedSpecialist) Touches(m Message) bool {
	return strings.Contains(m.Lower, s.word)
}
func (s *scriptedSpecialist) Run(ctx context.Context, req Request) (Result, error) {
	if s.running != nil {
		n := s.running.Add(1)
		defer s.running.Add(-1)
		for {
			m := s.maxSeen.Load()
			if n <= m || s.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
	}
	return s.run(ctx, req)
}

func budgetOf(amount float64) func(context.Context, Request) (Result, error) {
	return func(context.Context, Request) (Result, error) {
		return Result{Budget: &Budget{Amount: amount, Currency: "EUR", Type: BudgetLifetime, CurrencySource: "written"}, Confidence: 1}, nil
	}
}

func TestCoordinatorRunsOnlyTouchedSpecialistsInParallel(t *testing.T) {
	var running, maxSeen atomic.Int32
	// Each specialist waits until all three have started, which only happens when
	// they run at the same time; run one after another they would time out.
	var started atomic.Int32
	wait := func(res Result) func(ctx context.Context, _ Request) (Result, error) {
		return func(ctx context.Context, _ Request) (Result, error) {
			started.Add(1)
			for started.Load() < 3 {
				select {
				case <-ctx.Done():
					return Result{}, ctx.Err()
				case <-time.After(time.Millisecond):
				}
			}
			return res, nil
		}
	}
	specs := []Specialist{
		&scriptedSpecialist{slot: SlotSchedule, word: "days", run: wait(Result{Schedule: &Schedule{Days: 30}}), running: &running, maxSeen: &maxSeen},
		&scriptedSpecialist{slot: SlotBudget, word: "€", run: wait(Result{Budget: &Budget{Amount: 5000, Currency: "EUR", CurrencySource: "written"}}), running: &running, maxSeen: &maxSeen},
		&scriptedSpecialist{slot: SlotAudience, word: "germany", run: wait(Result{Audience: &Audience{Geo: Geo{Countries: []string{"DE"}}}}), running: &running, maxSeen: &maxSeen},
		&scriptedSpecialist{slot: SlotGoal, word: "awareness", run: func(context.Context, Request) (Result, error) {
			t.Error("the goal specialist ran for a message that does not touch the goal")
			return Result{}, nil
		}},
	}
	c, err := NewCoordinator(CoordinatorOptions{Specialists: specs, SpecialistTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), Brief{}, "Germany with €5,000 over 30 days", false, time.Now())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if want := []Slot{SlotAudience, SlotBudget, SlotSchedule}; !slices.Equal(r.Ran, want) {
		t.Errorf("Ran = %v, want %v (slot order, goal not run)", r.Ran, want)
	}
	if maxSeen.Load() != 3 {
		t.Errorf("at most %d specialists ran at once, want 3", maxSeen.Load())
	}
	if r.Brief.Schedule.Days != 30 || r.Brief.Budget.Amount != 5000 || r.Brief.Audience.Geo.Countries[0] != "DE" || r.Brief.Goal != nil {
		t.Errorf("merged brief = %+v", r.Brief)
	}
}

func TestCoordinatorFollowUpKeepsUntouchedSlots(t *testing.T) {
	var gotReq Request
	specs := []Specialist{
		&scriptedSpecialist{slot: SlotBudget, word: "8k", run: func(_ context.Context, req Request) (Result, error) {
			gotReq = req
			return budgetOf(8000)(nil, req)
		}},
	}
	c, err := NewCoordinator(CoordinatorOptions{Specialists: specs})
	if err != nil {
		t.Fatal(err)
	}
	current := Brief{
		Budget:   &Budget{Amount: 5000, Currency: "EUR", Type: BudgetLifetime, CurrencySource: "written"},
		Schedule: &Schedule{Start: NewDate(2026, 11, 23), End: NewDate(2026, 12, 22), Days: 30},
	}
	r, err := c.Read(context.Background(), current, "make it 8k", true, time.Now())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if !gotReq.FollowUp || gotReq.Current.Budget.Amount != 5000 {
		t.Errorf("specialist saw FollowUp=%v Current=%+v, want the current brief as a follow-up", gotReq.FollowUp, gotReq.Current.Budget)
	}
	if r.Brief.Budget.Amount != 8000 || r.Brief.Schedule.Days != 30 {
		t.Errorf("brief after follow-up = budget %+v, schedule %+v", r.Brief.Budget, r.Brief.Schedule)
	}
	if current.Budget.Amount != 5000 {
		t.Error("Read changed the caller's brief")
	}
}

func TestCoordinatorSpecialistFailureLeavesBriefAlone(t *testing.T) {
	tests := []struct {
		name string
		run  func(ctx context.Context, req Request) (Result, error)
		want string
	}{
		{name: "error", run: func(context.Context, Request) (Result, error) {
			return Result{}, errors.New("rate table missing")
		}, want: "rate table missing"},
		{name: "panic", run: func(context.Context, Request) (Result, error) {
			panic("index out of range")
		}, want: "panicked"},
		{name: "ignores its deadline", run: func(context.Context, Request) (Result, error) {
			time.Sleep(300 * time.Millisecond)
			return Result{Budget: &Budget{Amount: 1}}, nil
		}, want: "no answer within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs := []Specialist{
				&scriptedSpecialist{slot: SlotBudget, word: "budget", run: tt.run},
				&scriptedSpecialist{slot: SlotSchedule, word: "days", run: func(context.Context, Request) (Result, error) {
					return Result{Schedule: &Schedule{Days: 10}}, nil
				}},
			}
			c, err := NewCoordinator(CoordinatorOptions{Specialists: specs, SpecialistTimeout: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Read(context.Background(), Brief{}, "budget for 10 days", false, time.Now())
			var se *SpecialistError
			if !errors.As(err, &se) || se.Slot != SlotBudget || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read error = %v, want a budget SpecialistError containing %q", err, tt.want)
			}
		})
	}
}

func TestCoordinatorRejectsUnreadableInput(t *testing.T) {
	c, err := NewCoordinator(CoordinatorOptions{Specialists: []Specialist{
		&scriptedSpecialist{slot: SlotBudget, word: "€", run: budgetOf(5)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		give string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"blank", "  \n\t ", ErrEmpty},
		{"too long", strings.Repeat("spend €5 ", 20000), ErrTooLong},
		{"invalid UTF-8", "\xff\xfe\x00budget", ErrNotText},
		{"binary", "\x00\x01\x02\x03\x04\x05\x06€", ErrNotText},
		{"nothing read", "hello there, how are you?", ErrNothingRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Read(context.Background(), Brief{}, tt.give, false, time.Now())
			if !errors.Is(err, tt.want) {
				t.Errorf("Read(%q) error = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func TestCoordinatorNamesTheLanguageItCannotRead(t *testing.T) {
	c, err := NewCoordinator(CoordinatorOptions{Specialists: []Specialist{
		&scriptedSpecialist{slot: SlotBudget, word: "€", run: budgetOf(5)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Read(context.Background(), Brief{}, "Wir wollen die Markenbekanntheit steigern, und zwar mit einer Kampagne für die Jugend", false, time.Now())
	if !errors.Is(err, ErrNothingRead) || !strings.Contains(err.Error(), "German") {
		t.Errorf("Read of a German brief = %v, want ErrNothingRead naming German", err)
	}
}

func TestNewCoordinatorRejectsTwoSpecialistsForOneSlot(t *testing.T) {
	_, err := NewCoordinator(CoordinatorOptions{Specialists: []Specialist{
		&scriptedSpecialist{slot: SlotBudget}, &scriptedSpecialist{slot: SlotBudget},
	}})
	if err == nil {
		t.Fatal("NewCoordinator accepted two budget specialists")
	}
}

func TestCoordinatorReportsProgressToATrace(t *testing.T) {
	c, err := NewCoordinator(CoordinatorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var routed []Slot
	var mu sync.Mutex
	done := map[Slot]bool{}
	ctx := WithTrace(context.Background(), &Trace{
		Routed: func(s []Slot) { routed = s },
		SpecialistDone: func(s Slot, _ time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("%s failed: %v", s, err)
			}
			done[s] = true
		},
	})
	if _, err := c.Read(ctx, Brief{}, "what about 90 days and 15k?", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if want := []Slot{SlotBudget, SlotSchedule}; !slices.Equal(routed, want) || len(done) != 2 || !done[SlotBudget] || !done[SlotSchedule] {
		t.Errorf("trace saw routed %v and done %v; want %v both done", routed, done, want)
	}
}
