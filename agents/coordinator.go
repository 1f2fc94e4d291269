package agents

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
)

// DefaultSpecialistTimeout is each specialist's deadline when none is configured.
// Rule-based specialists take microseconds; the deadline matters for model-backed ones.
const DefaultSpecialistTimeout = 2 * time.Second

// CoordinatorOptions configures a Coordinator. The zero value is usable.
type CoordinatorOptions struct {
	// Specialists, at most one per slot and at least one (rules.Specialists() are
	// the rule-based four).
	Specialists []Specialist
	// SpecialistTimeout is each specialist's deadline; 0 means DefaultSpecialistTimeout.
	SpecialistTimeout time.Duration
	// DefaultCurrency is used when neither the brief nor its market gives one; "" means USD.
	DefaultCurrency string
	// MaxMessageBytes bounds a message; 0 means DefaultMaxMessageBytes.
	MaxMessageBytes int
	// Logger receives one debug line per message; nil discards.
	Logger *slog.Logger
	// Now is the clock a message is read against when its caller gives no time;
	// nil means time.Now.
	Now func() time.Time
	// Router, when set, may widen the rules' routing (the language model router, see
	// LLM.Router); nil routes by the specialists' Touches alone.
	Router Router
}

// Router decides which slots a message needs beyond those the specialists' Touches
// chose. It may only add slots, and must return touched unchanged when it cannot tell.
type Router interface {
	Route(ctx context.Context, req Request, touched []Slot) []Slot
}

// Coordinator reads each message, decides which slots it touches and runs only those
// specialists, in parallel, each with its own deadline, then merges their readings
// into the brief.
type Coordinator struct {
	specialists     []Specialist
	timeout         time.Duration
	defaultCurrency string
	maxBytes        int
	logger          *slog.Logger
	router          Router
	now             func() time.Time
}

// NewCoordinator builds a coordinator. It fails when two specialists claim one slot.
func NewCoordinator(opts CoordinatorOptions) (*Coordinator, error) {
	specs := opts.Specialists
	if len(specs) == 0 {
		return nil, errors.New("a coordinator needs at least one specialist")
	}
	seen := map[Slot]bool{}
	for _, s := range specs {
		if seen[s.Slot()] {
			return nil, fmt.Errorf("two specialists for slot %q", s.Slot())
		}
		seen[s.Slot()] = true
	}
	c := &Coordinator{
		specialists:     slices.Clone(specs),
		timeout:         opts.SpecialistTimeout,
		defaultCurrency: opts.DefaultCurrency,
		maxBytes:        opts.MaxMessageBytes,
		logger:          opts.Logger,
		router:          opts.Router,
		now:             opts.Now,
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.timeout <= 0 {
		c.timeout = DefaultSpecialistTimeout
	}
	if c.defaultCurrency == "" {
		c.defaultCurrency = "USD"
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	slices.SortFunc(c.specialists, func(a, b Specialist) int {
		return slices.Index(Slots, a.Slot()) - slices.Index(Slots, b.Slot())
	})
	return c, nil
}

// Reading is what the coordinator made of one message.
type Reading struct {
	// Brief is the brief after the message.
	Brief Brief
	// Ran names, in slot order, exactly the specialists that ran.
	Ran []Slot
	// Confidence is each ran specialist's confidence in its reading.
	Confidence map[Slot]float64
	// Notes are what the specialists saw but could not use, for the user.
	Notes []string
	// Message is the message as read, to quote its spans from.
	Message Message
	// Sources say which words of the message each field that changed was read from.
	Sources []Source
	// Unread are the stretches of the message holding words no specialist that ran
	// read (grammar and words that merely ask for a campaign aside); Message.Quote
	// gives their text.
	Unread []Span
	// Question is the one thing worth asking back, when a field that moves the whole
	// plan had to be guessed; nil when nothing was.
	Question *Question
	// Language is the ISO 639-1 code of the language the message is written in,
	// "en" for English, "und" for a script adplan cannot read, or "" when too short
	// to tell.
	Language string
}

// Trace receives progress while a message is read, so a surface can show it (the
// Slack bot's task cards). Attach one to a context with WithTrace, as net/http/httptrace
// does for HTTP requests.
type Trace struct {
	// Routed is called once with the slots that will run.
	Routed func(slots []Slot)
	// SpecialistDone is called as each specialist finishes, from its own goroutine.
	SpecialistDone func(slot Slot, took time.Duration, err error)
}

type traceKey struct{}

// WithTrace returns a context whose reads report to t.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

func traceFrom(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}

// SpecialistError says which specialist failed and why; the brief is left as it was.
type SpecialistError struct {
	Slot Slot
	Err  error
}

func (e *SpecialistError) Error() string {
	return fmt.Sprintf("reading the %s: %v", e.Slot, e.Err)
}

func (e *SpecialistError) Unwrap() error { return e.Err }

// Check reports whether text is a message the coordinator would read at all (not
// empty, not over the size limit, not binary), so a surface can answer at once.
func (c *Coordinator) Check(text string) error {
	return CheckText(text, c.maxBytes)
}

// Route returns the slots a message touches, in slot order.
func (c *Coordinator) Route(m Message) []Slot {
	var slots []Slot
	for _, s := range c.specialists {
		if s.Touches(m) {
			slots = append(slots, s.Slot())
		}
	}
	return slots
}

// Read reads one message against the current brief. followUp says whether the message
// revises current (a thread reply) or starts a brief. A message no specialist could
// read returns ErrNothingRead (wrapped with a hint when it looks like another
// language) and current is untouched. A zero now means the coordinator's clock.
func (c *Coordinator) Read(ctx context.Context, current Brief, text string, followUp bool, now time.Time) (Reading, error) {
	if err := CheckText(text, c.maxBytes); err != nil {
		return Reading{}, err
	}
	if now.IsZero() {
		now = c.now()
	}
	msg := NewMessage(text, now)
	var active []Specialist
	for _, s := range c.specialists {
		if s.Touches(msg) {
			active = append(active, s)
		}
	}
	req := Request{Message: msg, Current: current.Clone(), FollowUp: followUp, Now: now}
	if c.router != nil {
		active = c.widen(ctx, req, active)
	}
	if len(active) == 0 {
		return Reading{}, nothingRead(msg, followUp)
	}
	trace := traceFrom(ctx)
	if trace != nil && trace.Routed != nil {
		slots := make([]Slot, len(active))
		for i, s := range active {
			slots[i] = s.Slot()
		}
		trace.Routed(slots)
	}

	results := make([]Result, len(active))
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range active {
		g.Go(func() error {
			start := time.Now()
			r, err := c.runOne(gctx, s, req)
			if trace != nil && trace.SpecialistDone != nil {
				trace.SpecialistDone(s.Slot(), time.Since(start), err)
			}
			if err != nil {
				return &SpecialistError{Slot: s.Slot(), Err: err}
			}
			results[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Reading{}, err
	}

	reading := Reading{Brief: current.Clone(), Confidence: make(map[Slot]float64, len(active)), Message: msg}
	for i, s := range active {
		r := results[i]
		reading.Ran = append(reading.Ran, s.Slot())
		reading.Confidence[s.Slot()] = r.Confidence
		reading.Notes = append(reading.Notes, r.Notes...)
		reading.Sources = append(reading.Sources, r.Sources...)
		mergeResult(&reading.Brief, s.Slot(), r)
	}
	reading.Unread = unreadSpans(msg.Lower, reading.Sources)
	reading.Language = DetectLanguage(msg.Lower)
	if reading.Brief.Budget != nil {
		var countries []string
		if reading.Brief.Audience != nil {
			countries = reading.Brief.Audience.Geo.Countries
		}
		ResolveBudgetCurrency(reading.Brief.Budget, countries, c.defaultCurrency)
	}
	if note := marketCurrencyNote(reading.Brief, reading.Ran); note != "" {
		reading.Notes = append(reading.Notes, note)
	}
	reading.Question = question(reading.Brief, reading.Ran)
	if !followUp && reading.Brief.IsEmpty() {
		return Reading{}, nothingRead(msg, followUp)
	}
	if lang := guessForeignLanguage(msg.Lower); lang != "" {
		reading.Notes = append(reading.Notes, fmt.Sprintf("This looks like %s; adplan reads briefs in English, so parts of it may have been missed.", lang))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "message read",
		slog.Any("ran", reading.Ran), slog.Bool("follow_up", followUp))
	return reading, nil
}

// widen adds the specialists of the slots the router adds to active, in slot order.
func (c *Coordinator) widen(ctx context.Context, req Request, active []Specialist) []Specialist {
	touched := make([]Slot, len(active))
	for i, s := range active {
		touched[i] = s.Slot()
	}
	slots := c.router.Route(ctx, req, touched)
	var out []Specialist
	for _, s := range c.specialists {
		if slices.Contains(slots, s.Slot()) || slices.Contains(touched, s.Slot()) {
			out = append(out, s)
		}
	}
	return out
}

// runOne runs one specialist under its own deadline. A specialist that ignores its
// context still cannot hold the message past the deadline: its goroutine ends when
// the specialist returns, and its late result is dropped. When the deadline passes
// before Run answers, or Run fails because it passed, a FallbackSpecialist's
// Fallback reading is used instead of an error.
func (c *Coordinator) runOne(parent context.Context, s Specialist, req Request) (Result, error) {
	ctx, cancel := context.WithTimeout(parent, c.timeout)
	defer cancel()
	type outcome struct {
		r   Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if p := recover(); p != nil {
				o.err = fmt.Errorf("specialist panicked: %v", p)
			}
			done <- o
		}()
		o.r, o.err = s.Run(ctx, req)
	}()
	fs, canFallBack := s.(FallbackSpecialist)
	select {
	case o := <-done:
		if o.err == nil || !canFallBack || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return o.r, o.err
		}
		// Run gave up because its deadline passed.
	case <-ctx.Done():
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Result{}, ctx.Err()
		}
		// A reading that came with the deadline is used all the same.
		select {
		case o := <-done:
			if o.err == nil {
				return o.r, nil
			}
		default:
		}
		if !canFallBack {
			return Result{}, fmt.Errorf("no answer within %s: %w", c.timeout, ctx.Err())
		}
	}
	return c.fallback(parent, fs, req, fmt.Errorf("no answer within %s: %w", c.timeout, context.DeadlineExceeded))
}

// fallback returns fs's fallback reading, a panic in it turned into an error.
func (c *Coordinator) fallback(ctx context.Context, fs FallbackSpecialist, req Request, cause error) (r Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = Result{}, fmt.Errorf("specialist panicked falling back: %v", p)
		}
	}()
	return fs.Fallback(ctx, req, cause)
}

// mergeResult copies the slot's value from r into b. A specialist writes only its own
// slot, so parallel results never overwrite each other.
func mergeResult(b *Brief, slot Slot, r Result) {
	switch slot {
	case SlotGoal:
		if r.Goal != nil {
			b.Goal = r.Goal
		}
	case SlotAudience:
		if r.Audience != nil {
			b.Audience = r.Audience
		}
	case SlotBudget:
		if r.Budget != nil {
			b.Budget = r.Budget
		}
	case SlotSchedule:
		if r.Schedule != nil {
			b.Schedule = r.Schedule
		}
	}
}

func nothingRead(msg Message, followUp bool) error {
	if lang := guessForeignLanguage(msg.Lower); lang != "" {
		return fmt.Errorf("%w: it looks like %s, and adplan reads briefs in English", ErrNothingRead, lang)
	}
	if followUp {
		return fmt.Errorf("%w: to revise the plan, say what to change (\"extend to 60 days\", \"make it 8k\", \"add Austria\", \"no video\")", ErrNothingRead)
	}
	return fmt.Errorf("%w: say what you want to achieve, for whom, with what budget and when", ErrNothingRead)
}
