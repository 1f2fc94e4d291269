package agents_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/rules"
)

// scriptedSpecialist is a specialist whose routing and answer a test sets.
type scriptedSpecialist struct {
	slot    agents.Slot
	word    string // Touches when the message contains it
	run     func(ctx context.Context, req agents.Request) (agents.Result, error)
	running *atomic.Int32
	maxSeen *atomic.Int32
}

func (s *scriptedSpecialist) Slot() agents.Slot { return s.slot }
func (s *scriptedSpecialist) Touches(m agents.Message) bool {
	return strings.Contains(m.Lower, s.word)
}
func (s *scriptedSpecialist) Run(ctx context.Context, req agents.Request) (agents.Result, error) {
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

func budgetOf(amount float64) func(context.Context, agents.Request) (agents.Result, error) {
	return func(context.Context, agents.Request) (agents.Result, error) {
		return agents.Result{Budget: &agents.Budget{Amount: amount, Currency: "EUR", Type: agents.BudgetLifetime, CurrencySource: "written"}, Confidence: 1}, nil
	}
}

func TestCoordinatorRunsOnlyTouchedSpecialistsInParallel(t *testing.T) {
	var running, maxSeen atomic.Int32
	// Each specialist waits until all three have started, which only happens when
	// they run at the same time; run one after another they would time out.
	var started atomic.Int32
	wait := func(res agents.Result) func(ctx context.Context, _ agents.Request) (agents.Result, error) {
		return func(ctx context.Context, _ agents.Request) (agents.Result, error) {
			started.Add(1)
			for started.Load() < 3 {
				select {
				case <-ctx.Done():
					return agents.Result{}, ctx.Err()
				case <-time.After(time.Millisecond):
				}
			}
			return res, nil
		}
	}
	specs := []agents.Specialist{
		&scriptedSpecialist{slot: agents.SlotSchedule, word: "days", run: wait(agents.Result{Schedule: &agents.Schedule{Days: 30}}), running: &running, maxSeen: &maxSeen},
		&scriptedSpecialist{slot: agents.SlotBudget, word: "€", run: wait(agents.Result{Budget: &agents.Budget{Amount: 5000, Currency: "EUR", CurrencySource: "written"}}), running: &running, maxSeen: &maxSeen},
		&scriptedSpecialist{slot: agents.SlotAudience, word: "germany", run: wait(agents.Result{Audience: &agents.Audience{Geo: agents.Geo{Countries: []string{"DE"}}}}), running: &running, maxSeen: &maxSeen},
		&scriptedSpecialist{slot: agents.SlotGoal, word: "awareness", run: func(context.Context, agents.Request) (agents.Result, error) {
			t.Error("the goal specialist ran for a message that does not touch the goal")
			return agents.Result{}, nil
		}},
	}
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: specs, SpecialistTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), agents.Brief{}, "Germany with €5,000 over 30 days", false, time.Now())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if want := []agents.Slot{agents.SlotAudience, agents.SlotBudget, agents.SlotSchedule}; !slices.Equal(r.Ran, want) {
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
	var gotReq agents.Request
	specs := []agents.Specialist{
		&scriptedSpecialist{slot: agents.SlotBudget, word: "8k", run: func(_ context.Context, req agents.Request) (agents.Result, error) {
			gotReq = req
			return budgetOf(8000)(nil, req)
		}},
	}
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: specs})
	if err != nil {
		t.Fatal(err)
	}
	current := agents.Brief{
		Budget:   &agents.Budget{Amount: 5000, Currency: "EUR", Type: agents.BudgetLifetime, CurrencySource: "written"},
		Schedule: &agents.Schedule{Start: agents.NewDate(2026, 11, 23), End: agents.NewDate(2026, 12, 22), Days: 30},
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
	testOver := make(chan struct{})
	t.Cleanup(func() { close(testOver) })
	tests := []struct {
		name string
		run  func(ctx context.Context, req agents.Request) (agents.Result, error)
		want string
	}{
		{name: "error", run: func(context.Context, agents.Request) (agents.Result, error) {
			return agents.Result{}, errors.New("rate table missing")
		}, want: "rate table missing"},
		{name: "panic", run: func(context.Context, agents.Request) (agents.Result, error) {
			panic("index out of range")
		}, want: "panicked"},
		{name: "ignores its deadline", run: func(context.Context, agents.Request) (agents.Result, error) {
			// It answers only once the test is over, whatever the machine's load.
			<-testOver
			return agents.Result{Budget: &agents.Budget{Amount: 1}}, nil
		}, want: "no answer within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs := []agents.Specialist{
				&scriptedSpecialist{slot: agents.SlotBudget, word: "budget", run: tt.run},
				&scriptedSpecialist{slot: agents.SlotSchedule, word: "days", run: func(context.Context, agents.Request) (agents.Result, error) {
					return agents.Result{Schedule: &agents.Schedule{Days: 10}}, nil
				}},
			}
			c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: specs, SpecialistTimeout: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Read(context.Background(), agents.Brief{}, "budget for 10 days", false, time.Now())
			var se *agents.SpecialistError
			if !errors.As(err, &se) || se.Slot != agents.SlotBudget || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read error = %v, want a budget SpecialistError containing %q", err, tt.want)
			}
		})
	}
}

// fallbackSpecialist is a scripted specialist with a fallback reading, as the model
// specialists have the rules'.
type fallbackSpecialist struct {
	scriptedSpecialist
	fallback agents.Result
	causes   atomic.Int32
}

func (s *fallbackSpecialist) Fallback(_ context.Context, _ agents.Request, cause error) (agents.Result, error) {
	if errors.Is(cause, context.DeadlineExceeded) {
		s.causes.Add(1)
	}
	return s.fallback, nil
}

// TestCoordinatorFallsBackWhenASpecialistMissesItsDeadline: a specialist with a
// fallback that misses the deadline — answering only once the test is over, or
// failing because the deadline passed — gives its fallback reading, not an error;
// one that fails otherwise still fails the message.
func TestCoordinatorFallsBackWhenASpecialistMissesItsDeadline(t *testing.T) {
	testOver := make(chan struct{})
	t.Cleanup(func() { close(testOver) })
	tests := []struct {
		name      string
		run       func(ctx context.Context, req agents.Request) (agents.Result, error)
		wantErr   string
		fallsBack bool
	}{
		{name: "ignores its deadline", run: func(context.Context, agents.Request) (agents.Result, error) {
			<-testOver
			return agents.Result{Budget: &agents.Budget{Amount: 1}}, nil
		}, fallsBack: true},
		{name: "fails at its deadline", run: func(ctx context.Context, _ agents.Request) (agents.Result, error) {
			<-ctx.Done()
			return agents.Result{}, ctx.Err()
		}, fallsBack: true},
		{name: "fails otherwise", run: func(context.Context, agents.Request) (agents.Result, error) {
			return agents.Result{}, errors.New("rate table missing")
		}, wantErr: "rate table missing"},
		{name: "answers in time", run: budgetOf(7000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			budget := &fallbackSpecialist{
				scriptedSpecialist: scriptedSpecialist{slot: agents.SlotBudget, word: "budget", run: tt.run},
				fallback:           agents.Result{Budget: &agents.Budget{Amount: 5000, Currency: "EUR", Type: agents.BudgetLifetime, CurrencySource: "written"}, Confidence: 1},
			}
			specs := []agents.Specialist{budget}
			// Short, so the first two cases are quick; nothing depends on its length.
			timeout := 20 * time.Millisecond
			if !tt.fallsBack {
				timeout = time.Minute
			}
			c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: specs, SpecialistTimeout: timeout})
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Read(context.Background(), agents.Brief{}, "budget €5,000", false, time.Now())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Read error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			want, causes := 7000.0, int32(0)
			if tt.fallsBack {
				want, causes = 5000, 1
			}
			if r.Brief.Budget == nil || r.Brief.Budget.Amount != want {
				t.Errorf("budget = %+v, want %v", r.Brief.Budget, want)
			}
			if n := budget.causes.Load(); n != causes {
				t.Errorf("fell back %d times for a missed deadline, want %d", n, causes)
			}
		})
	}
}

func TestCoordinatorRejectsUnreadableInput(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{
		&scriptedSpecialist{slot: agents.SlotBudget, word: "€", run: budgetOf(5)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		give string
		want error
	}{
		{"empty", "", agents.ErrEmpty},
		{"blank", "  \n\t ", agents.ErrEmpty},
		{"too long", strings.Repeat("spend €5 ", 20000), agents.ErrTooLong},
		{"invalid UTF-8", "\xff\xfe\x00budget", agents.ErrNotText},
		{"binary", "\x00\x01\x02\x03\x04\x05\x06€", agents.ErrNotText},
		{"nothing read", "hello there, how are you?", agents.ErrNothingRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Read(context.Background(), agents.Brief{}, tt.give, false, time.Now())
			if !errors.Is(err, tt.want) {
				t.Errorf("Read(%q) error = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func TestCoordinatorNamesTheLanguageItCannotRead(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{
		&scriptedSpecialist{slot: agents.SlotBudget, word: "€", run: budgetOf(5)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Read(context.Background(), agents.Brief{}, "Wir wollen die Markenbekanntheit steigern, und zwar mit einer Kampagne für die Jugend", false, time.Now())
	if !errors.Is(err, agents.ErrNothingRead) || !strings.Contains(err.Error(), "German") {
		t.Errorf("Read of a German brief = %v, want ErrNothingRead naming German", err)
	}
}

func TestNewCoordinatorRejectsTwoSpecialistsForOneSlot(t *testing.T) {
	_, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{
		&scriptedSpecialist{slot: agents.SlotBudget}, &scriptedSpecialist{slot: agents.SlotBudget},
	}})
	if err == nil {
		t.Fatal("NewCoordinator accepted two budget specialists")
	}
}

func TestCoordinatorReportsProgressToATrace(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: rules.Specialists()})
	if err != nil {
		t.Fatal(err)
	}
	var routed []agents.Slot
	var mu sync.Mutex
	done := map[agents.Slot]bool{}
	ctx := agents.WithTrace(context.Background(), &agents.Trace{
		Routed: func(s []agents.Slot) { routed = s },
		SpecialistDone: func(s agents.Slot, _ time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("%s failed: %v", s, err)
			}
			done[s] = true
		},
	})
	if _, err := c.Read(ctx, agents.Brief{}, "what about 90 days and 15k?", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if want := []agents.Slot{agents.SlotBudget, agents.SlotSchedule}; !slices.Equal(routed, want) || len(done) != 2 || !done[agents.SlotBudget] || !done[agents.SlotSchedule] {
		t.Errorf("trace saw routed %v and done %v; want %v both done", routed, done, want)
	}
}
