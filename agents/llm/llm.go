package llm

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/audience"
	"github.com/adplan/adplan/agents/rules"
	"github.com/tmc/langchaingo/llms"
)

// Language model specialists. Each slot gets a hybrid specialist that wraps the
// rule-based one:
//
//   - Touches is the rule-based Touches: routing stays cheap, and a model router (see
//     Router) is consulted only where the rules route too little.
//   - Run runs the rules first. In hybrid mode the model is asked only when the rules
//     read nothing (an empty result with no note), read with a confidence below
//     ConfidenceThreshold, or the message is not in English (the rules' tables are
//     English, so their reading of it is partial); a clear brief costs no model call. In always mode the
//     model is asked for every slot the coordinator runs.
//   - The model gets its slot's prompt (prompts/<slot>.txt) and, as data, the message,
//     the slot as it stands, the rules' reading and the reference date, and answers
//     JSON in the shape of `adplan parse` for its slot. The answer passes strict
//     validation (llm_validate.go); whatever fails it, and any timeout or provider
//     error, falls back to the rules' reading, is logged and counted in Metrics.
//   - When the model has not answered by the coordinator's deadline, the coordinator
//     takes the specialist's Fallback, the rules' reading, and the fallback is counted
//     then (FallbackTimeout): nothing rests on Run noticing its deadline in time.
//   - Model calls share one semaphore (MaxConcurrency) and one circuit breaker.

// ConfidenceThreshold is the rule confidence below which hybrid mode asks the model.
// Rule readings at or above it (every clear phrase the tables know) are used as they are.
const ConfidenceThreshold = 0.7

// Confidence is the confidence reported for a validated model reading.
const Confidence = 0.8

// Client modes.
const (
	// ModeHybrid asks the model only where the rules fall short.
	ModeHybrid = "hybrid"
	// ModeAlways asks the model for every slot the coordinator runs.
	ModeAlways = "always"
)

// Defaults for Options.
const (
	DefaultTimeout         = 10 * time.Second
	DefaultMaxConcurrency  = 4
	DefaultBreakerFailures = 3
	DefaultBreakerCooldown = 30 * time.Second
)

// deadlineMargin is kept back from the caller's deadline by the router's and the note
// writer's calls, so that one that runs out of time still leaves its caller room to do
// without it. A specialist's call keeps no margin: it runs to the coordinator's
// deadline, and the coordinator then uses the specialist's Fallback.
const deadlineMargin = 50 * time.Millisecond

// maxTokens bounds an answer; every answer is a small JSON object or a short note.
const maxTokens = 1024

//go:embed prompts/*.txt
var promptFS embed.FS

// Options configures the language model behind the specialists.
type Options struct {
	// Model is the langchaingo model (cmd/adplan builds it for the configured
	// provider); required.
	Model llms.Model
	// Timeout bounds one model call, including the wait for a free slot under
	// MaxConcurrency; 0 means DefaultTimeout. A call never runs past the deadline of
	// the context it is made in, less a small margin to fall back in.
	Timeout time.Duration
	// MaxConcurrency bounds the model calls in flight at once, across specialists,
	// router and note writer; 0 means DefaultMaxConcurrency.
	MaxConcurrency int
	// Mode is ModeHybrid (the default) or ModeAlways.
	Mode string
	// Logger receives one line per fallback (warn) and per accepted answer (debug);
	// nil discards.
	Logger *slog.Logger
	// Metrics counts calls, answers and fallbacks; nil makes a new set (see Client.Metrics).
	Metrics *Metrics
	// BreakerFailures is how many consecutive failed calls open the circuit breaker;
	// 0 means DefaultBreakerFailures.
	BreakerFailures int
	// BreakerCooldown is how long an open breaker skips the model before letting one
	// trial call through; 0 means DefaultBreakerCooldown.
	BreakerCooldown time.Duration
	// Now is the clock the breaker's cool-down is measured on; nil means time.Now.
	Now func() time.Time
}

// Client is a language model wired into the engine: its specialists, router and note
// writer share one concurrency bound, one circuit breaker and one set of metrics.
type Client struct {
	model   llms.Model
	timeout time.Duration
	mode    string
	logger  *slog.Logger
	metrics *Metrics
	sem     chan struct{}
	breaker *breaker
	prompts map[string]string
}

// New wires a model into the engine.
func New(opts Options) (*Client, error) {
	if opts.Model == nil {
		return nil, errors.New("no language model given")
	}
	l := &Client{
		model:   opts.Model,
		timeout: opts.Timeout,
		mode:    strings.ToLower(strings.TrimSpace(opts.Mode)),
		logger:  opts.Logger,
		metrics: opts.Metrics,
	}
	switch l.mode {
	case "":
		l.mode = ModeHybrid
	case ModeHybrid, ModeAlways:
	default:
		return nil, fmt.Errorf("language model mode %q is neither %s nor %s", opts.Mode, ModeHybrid, ModeAlways)
	}
	if l.timeout <= 0 {
		l.timeout = DefaultTimeout
	}
	n := opts.MaxConcurrency
	if n <= 0 {
		n = DefaultMaxConcurrency
	}
	l.sem = make(chan struct{}, n)
	if l.logger == nil {
		l.logger = slog.New(slog.DiscardHandler)
	}
	if l.metrics == nil {
		l.metrics = &Metrics{}
	}
	l.breaker = newBreaker(opts.BreakerFailures, opts.BreakerCooldown, l.metrics, opts.Now)
	prompts, err := loadPrompts()
	if err != nil {
		return nil, err
	}
	l.prompts = prompts
	return l, nil
}

// NewSpecialists returns the four hybrid specialists over one model.
func NewSpecialists(opts Options) ([]agents.Specialist, error) {
	l, err := New(opts)
	if err != nil {
		return nil, err
	}
	return l.Specialists(), nil
}

// Metrics returns the counters every call of this Client updates.
func (l *Client) Metrics() *Metrics { return l.metrics }

// Mode is ModeHybrid or ModeAlways.
func (l *Client) Mode() string { return l.mode }

// Specialists returns a hybrid specialist for each slot, wrapping the rule-based ones.
func (l *Client) Specialists() []agents.Specialist {
	ruleBased := rules.Specialists()
	out := make([]agents.Specialist, len(ruleBased))
	for i, r := range ruleBased {
		out[i] = &specialist{llm: l, rules: r}
	}
	return out
}

func loadPrompts() (map[string]string, error) {
	names := []string{string(agents.SlotGoal), string(agents.SlotAudience), string(agents.SlotBudget), string(agents.SlotSchedule), "router", "note"}
	out := make(map[string]string, len(names))
	for _, n := range names {
		b, err := promptFS.ReadFile("prompts/" + n + ".txt")
		if err != nil {
			return nil, fmt.Errorf("reading prompt %s: %w", n, err)
		}
		text := string(b)
		if !strings.Contains(text, "[adplan:"+n+"]") {
			return nil, fmt.Errorf("prompt %s lacks its marker [adplan:%s]", n, n)
		}
		if n == string(agents.SlotAudience) {
			v := audience.Vocab()
			text = strings.NewReplacer("{{GENRES}}", strings.Join(v.Genres(), ", "),
				"{{INTERESTS}}", strings.Join(v.Interests(), ", ")).Replace(text)
		}
		out[n] = text
	}
	return out, nil
}

// specialist is a rule-based specialist with a language model behind it.
type specialist struct {
	llm   *Client
	rules agents.Specialist
}

var _ agents.FallbackSpecialist = (*specialist)(nil)

func (s *specialist) Slot() agents.Slot { return s.rules.Slot() }

// Touches is the rules' routing; the Client router widens it where the rules fall short.
// A message in another language touches every slot: the rules read only its numbers,
// dates and names, and the model reads it in full.
func (s *specialist) Touches(m agents.Message) bool { return s.rules.Touches(m) || foreign(m) }

// foreign reports whether the message is written in a language other than English.
func foreign(m agents.Message) bool {
	lang := agents.DetectLanguage(m.Lower)
	return lang != "" && lang != "en"
}

// Run reads with the rules and, where the mode says so, with the model; any failure
// of the model leaves the rules' reading. When ctx's deadline passes before the model
// answers, Run fails, counting nothing: the caller whose deadline it was falls back
// (Fallback) and counts it, once.
func (s *specialist) Run(ctx context.Context, req agents.Request) (agents.Result, error) {
	rule, err := s.rules.Run(ctx, req)
	if err != nil {
		return rule, err
	}
	if !s.llm.wants(rule) && !foreign(req.Message) {
		return rule, nil
	}
	if suspectInjection(req.Message) {
		s.llm.fellBack(ctx, string(s.Slot()), errInjection)
		return rule, nil
	}
	res, err := s.llm.read(ctx, s.Slot(), req, rule)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return agents.Result{}, err
		}
		s.llm.fellBack(ctx, string(s.Slot()), err)
		return rule, nil
	}
	return res, nil
}

// Fallback is the rules' reading, for when Run missed the coordinator's deadline
// (cause): the model did not answer in time, and that is counted as a timeout.
func (s *specialist) Fallback(ctx context.Context, req agents.Request, cause error) (agents.Result, error) {
	s.llm.fellBack(ctx, string(s.Slot()), &failure{reason: FallbackTimeout, err: cause})
	// The rules read without waiting on anything; ctx may have ended already.
	return s.rules.Run(context.WithoutCancel(ctx), req)
}

// wants reports whether the model is asked after the rules read r.
func (l *Client) wants(r agents.Result) bool {
	if l.mode == ModeAlways {
		return true
	}
	readNothing := r.Empty() && len(r.Notes) == 0
	return readNothing || r.Confidence < ConfidenceThreshold
}

// llmData is the user turn of a specialist's prompt: the brief as data.
type llmData struct {
	Today    string `json:"today"`
	Weekday  string `json:"weekday"`
	FollowUp bool   `json:"follow_up"`
	Current  any    `json:"current"`
	Rules    any    `json:"rules_read"`
	Message  string `json:"message"`
}

// slotValue returns the slot's value in b as an interface holding nil when unset.
func slotValue(slot agents.Slot, b agents.Brief) any {
	switch slot {
	case agents.SlotGoal:
		if b.Goal != nil {
			return b.Goal
		}
	case agents.SlotAudience:
		if b.Audience != nil {
			return b.Audience
		}
	case agents.SlotBudget:
		if b.Budget != nil {
			return b.Budget
		}
	case agents.SlotSchedule:
		if b.Schedule != nil {
			return b.Schedule
		}
	}
	return nil
}

func resultBrief(r agents.Result) agents.Brief {
	return agents.Brief{Goal: r.Goal, Audience: r.Audience, Budget: r.Budget, Schedule: r.Schedule}
}

// read asks the model for the slot and validates its answer.
func (l *Client) read(ctx context.Context, slot agents.Slot, req agents.Request, rule agents.Result) (agents.Result, error) {
	now := req.Now
	data := llmData{
		Today:    agents.DateOf(now).String(),
		Weekday:  now.Weekday().String(),
		FollowUp: req.FollowUp,
		Rules:    slotValue(slot, resultBrief(rule)),
		Message:  req.Message.Text,
	}
	if req.FollowUp {
		data.Current = slotValue(slot, req.Current)
	}
	text, err := l.call(ctx, string(slot), data, 0)
	if err != nil {
		return agents.Result{}, err
	}
	check := llmCheck{slot: slot, req: req, now: now, rule: rule}
	res, err := check.answer(text)
	if err != nil {
		return agents.Result{}, err
	}
	l.metrics.Successes.Add(1)
	if res.Empty() {
		// The model found nothing for the slot either: the rules' reading stands.
		l.logger.LogAttrs(ctx, slog.LevelDebug, "language model read nothing", slog.String("slot", string(slot)))
		return rule, nil
	}
	l.logger.LogAttrs(ctx, slog.LevelDebug, "language model reading used", slog.String("slot", string(slot)))
	res.Confidence = Confidence
	if !rule.Empty() {
		res.Notes = append(res.Notes, rule.Notes...)
	}
	return res, nil
}

// complete sends one prompt, the system text for role and data as the user turn, and
// returns the model's text, giving up deadlineMargin before ctx's deadline. Errors are
// *failure.
func (l *Client) complete(ctx context.Context, role string, data any) (string, error) {
	return l.call(ctx, role, data, deadlineMargin)
}

// call is complete giving up margin before ctx's deadline. A call cut off by a
// deadline, the model's timeout or the caller's, is a timeout; one whose caller went
// away is canceled.
func (l *Client) call(ctx context.Context, role string, data any, margin time.Duration) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", ctxFailure(err)
	}
	user, err := json.Marshal(data)
	if err != nil {
		return "", &failure{reason: FallbackProviderError, err: fmt.Errorf("encoding the prompt data: %w", err)}
	}
	start := time.Now()
	deadline := start.Add(l.timeout)
	if d, ok := ctx.Deadline(); ok && d.Add(-margin).Before(deadline) {
		deadline = d.Add(-margin)
	}
	callCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	trial, ok := l.breaker.allow()
	if !ok {
		return "", &failure{reason: FallbackBreakerOpen, err: errors.New("the circuit breaker is open after repeated failures")}
	}
	select {
	case l.sem <- struct{}{}:
	case <-callCtx.Done():
		l.breaker.abandon(trial)
		if canceled(ctx) {
			return "", &failure{reason: FallbackCanceled, err: ctx.Err()}
		}
		return "", &failure{reason: FallbackTimeout, err: errors.New("no free slot for a model call in time")}
	}
	defer func() { <-l.sem }()

	l.metrics.Calls.Add(1)
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, l.prompts[role]),
		llms.TextParts(llms.ChatMessageTypeHuman, "<data>\n"+string(user)+"\n</data>"),
	}
	resp, err := l.model.GenerateContent(callCtx, msgs, llms.WithTemperature(0), llms.WithMaxTokens(maxTokens))
	switch {
	case canceled(ctx):
		// The caller gave up (another specialist failed, the user went away): not
		// the provider's fault.
		l.breaker.abandon(trial)
		return "", &failure{reason: FallbackCanceled, err: ctx.Err()}
	case callCtx.Err() != nil:
		l.breaker.done(trial, true)
		return "", &failure{reason: FallbackTimeout, err: fmt.Errorf("no answer within %s", deadline.Sub(start).Round(time.Millisecond))}
	case err != nil:
		l.breaker.done(trial, true)
		return "", &failure{reason: FallbackProviderError, err: err}
	case resp == nil || len(resp.Choices) == 0 || resp.Choices[0] == nil:
		l.breaker.done(trial, true)
		return "", &failure{reason: FallbackProviderError, err: errors.New("the provider returned no answer")}
	}
	l.breaker.done(trial, false)
	return resp.Choices[0].Content, nil
}

// canceled reports whether ctx ended otherwise than by its deadline passing.
func canceled(ctx context.Context) bool {
	return ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded)
}

// ctxFailure is why a call was not made when its context had already ended.
func ctxFailure(err error) *failure {
	if errors.Is(err, context.DeadlineExceeded) {
		return &failure{reason: FallbackTimeout, err: err}
	}
	return &failure{reason: FallbackCanceled, err: err}
}

// fellBack logs and counts a model reading that was not used.
func (l *Client) fellBack(ctx context.Context, role string, err error) {
	var f *failure
	if !errors.As(err, &f) {
		f = &failure{reason: FallbackProviderError, err: err}
	}
	l.metrics.fallback(f.reason)
	level := slog.LevelWarn
	if f.reason == FallbackCanceled || f.reason == FallbackBreakerOpen {
		level = slog.LevelDebug
	}
	l.logger.LogAttrs(ctx, level, "language model answer not used; keeping the rules' reading",
		slog.String("role", role), slog.String("reason", f.reason.String()), slog.String("error", f.err.Error()))
}

// injectionRE finds text addressed to a language model rather than to a planner:
// "ignore the above", "disregard previous instructions", "system prompt", "you are now
// an assistant", "reply with JSON", a closing data tag or an answer in adplan's own
// shape. A message holding one is read by the rules alone. This is a first line only:
// whatever slips past it still meets the validators, and a budget still has to be
// stated in the message and agree with a confident rule reading.
var injectionRE = regexp.MustCompile(`(?i)` + strings.Join([]string{
	`\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|previous\s+|prior\s+|above\s+|earlier\s+|preceding\s+|your\s+|these\s+|those\s+)+(instructions?|prompts?|rules|text|above|messages?|context)\b`,
	`\b(system|developer)\s+(prompt|message|instructions?)\b`,
	`\byou\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|language\s+model|llm|chatbot|gpt)\b`,
	`\b(answer|respond|reply|output)\s+(only\s+)?(with|in)\s+(this\s+)?json\b`,
	`</?\s*data\s*>`,
	`\{\s*"(goal|audience|budget|schedule|slots)"\s*:`,
}, "|"))

// suspectInjection reports whether a message holds text addressed to a model.
func suspectInjection(m agents.Message) bool { return injectionRE.MatchString(m.Text) }

var errInjection = &failure{reason: FallbackInjection, err: errors.New("the message holds text addressed to a language model; read by the rules alone")}

// failure is why a model reading was not used.
type failure struct {
	reason FallbackReason
	err    error
}

func (f *failure) Error() string { return f.reason.String() + ": " + f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func invalid(format string, args ...any) error {
	return &failure{reason: FallbackInvalid, err: fmt.Errorf(format, args...)}
}

// Router returns the model router for CoordinatorOptions.Router.
func (l *Client) Router() agents.Router { return router{l} }

// router asks the model which slots a message speaks to, but only where the rules
// fall short: when they route nothing, or on a first brief when they leave slots
// unrouted. It may only add slots; a follow-up the rules route, and a first brief they
// route fully, cost no call. The same holds in both modes.
type router struct{ llm *Client }

type routerData struct {
	FollowUp   bool     `json:"follow_up"`
	Routed     []string `json:"already_routed"`
	Candidates []string `json:"candidates"`
	Message    string   `json:"message"`
}

func (r router) Route(ctx context.Context, req agents.Request, touched []agents.Slot) []agents.Slot {
	if len(touched) == len(agents.Slots) || req.FollowUp && len(touched) > 0 {
		return touched
	}
	if suspectInjection(req.Message) {
		r.llm.fellBack(ctx, "router", errInjection)
		return touched
	}
	data := routerData{Routed: []string{}, FollowUp: req.FollowUp, Message: req.Message.Text}
	for _, s := range agents.Slots {
		if slices.Contains(touched, s) {
			data.Routed = append(data.Routed, string(s))
		} else {
			data.Candidates = append(data.Candidates, string(s))
		}
	}
	text, err := r.llm.complete(ctx, "router", data)
	if err != nil {
		r.llm.fellBack(ctx, "router", err)
		return touched
	}
	added, err := parseRoute(text, data.Candidates)
	if err != nil {
		r.llm.fellBack(ctx, "router", err)
		return touched
	}
	r.llm.metrics.Successes.Add(1)
	out := make([]agents.Slot, 0, len(agents.Slots))
	for _, s := range agents.Slots {
		if slices.Contains(touched, s) || slices.Contains(added, s) {
			out = append(out, s)
		}
	}
	if len(added) > 0 {
		r.llm.logger.LogAttrs(ctx, slog.LevelDebug, "language model routed", slog.Any("added", added))
	}
	return out
}

// parseRoute reads {"slots": [...]}: known slot names among the candidates only.
func parseRoute(text string, candidates []string) ([]agents.Slot, error) {
	var ans struct {
		Slots []string `json:"slots"`
	}
	if err := decodeStrict(text, &ans); err != nil {
		return nil, err
	}
	var out []agents.Slot
	for _, s := range ans.Slots {
		s = strings.ToLower(strings.TrimSpace(s))
		if !slices.Contains(candidates, s) {
			if slices.Contains(agents.Slots, agents.Slot(s)) {
				continue // already routed by the rules
			}
			return nil, invalid("the router named %q, which is not a part of a brief", s)
		}
		if !slices.Contains(out, agents.Slot(s)) {
			out = append(out, agents.Slot(s))
		}
	}
	return out, nil
}
