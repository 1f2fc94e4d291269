package llm

import (
	"sync"
	"sync/atomic"
	"time"
)

// FallbackReason says why a model's answer was not used.
type FallbackReason uint8

// Why a model's answer was not used.
const (
	// FallbackTimeout: no answer within llm.timeout (or the caller's deadline).
	FallbackTimeout FallbackReason = iota
	// FallbackProviderError: the provider failed (HTTP error, refused key, empty answer).
	FallbackProviderError
	// FallbackMalformed: the answer is not one JSON object of the asked shape, or has
	// text where a number belongs.
	FallbackMalformed
	// FallbackInvalid: well-formed, but a value fails validation (an unknown currency,
	// a date in the past, ages outside 13..99, an amount the message never states).
	FallbackInvalid
	// FallbackDisagrees: in always mode, the model's budget contradicts a confident
	// reading of the rules.
	FallbackDisagrees
	// FallbackBreakerOpen: the model was skipped while the circuit breaker was open.
	FallbackBreakerOpen
	// FallbackCanceled: the caller gave up before the answer came.
	FallbackCanceled
	// FallbackInjection: the message holds text addressed to a language model ("ignore
	// the above ..."), so the model was not asked.
	FallbackInjection
	fallbackReasonCount
)

var fallbackNames = [fallbackReasonCount]string{
	"timeout", "provider_error", "malformed", "invalid", "disagrees", "breaker_open", "canceled", "injection",
}

// String is the reason's metric label ("timeout").
func (r FallbackReason) String() string {
	if r < fallbackReasonCount {
		return fallbackNames[r]
	}
	return "unknown"
}

// FallbackReasons lists every reason, for exporting the counters.
func FallbackReasons() []FallbackReason {
	out := make([]FallbackReason, fallbackReasonCount)
	for i := range out {
		out[i] = FallbackReason(i)
	}
	return out
}

// Metrics counts what the language model did. Safe for concurrent use; the zero
// value is ready.
type Metrics struct {
	// Calls is the number of requests sent to the provider.
	Calls atomic.Int64
	// Successes is the number of answers that passed validation and were used (an
	// answer that reads nothing for its slot counts too).
	Successes atomic.Int64
	// BreakerOpens is how often the circuit breaker opened.
	BreakerOpens atomic.Int64
	// NotesKept and NotesDropped count the planner's notes; a note is dropped when it
	// states a number the plan does not hold, or breaks the note's form.
	NotesKept    atomic.Int64
	NotesDropped atomic.Int64

	fallbacks [fallbackReasonCount]atomic.Int64
}

func (m *Metrics) fallback(r FallbackReason) {
	if r < fallbackReasonCount {
		m.fallbacks[r].Add(1)
	}
}

// Fallbacks returns how many answers were not used for reason r.
func (m *Metrics) Fallbacks(r FallbackReason) int64 {
	if r >= fallbackReasonCount {
		return 0
	}
	return m.fallbacks[r].Load()
}

// MetricsSnapshot is a copy of the counters at one moment.
type MetricsSnapshot struct {
	Calls, Successes, BreakerOpens, NotesKept, NotesDropped int64
	// Fallbacks by reason label ("timeout", "invalid", ...).
	Fallbacks map[string]int64
}

// Snapshot copies the counters.
func (m *Metrics) Snapshot() MetricsSnapshot {
	s := MetricsSnapshot{
		Calls: m.Calls.Load(), Successes: m.Successes.Load(), BreakerOpens: m.BreakerOpens.Load(),
		NotesKept: m.NotesKept.Load(), NotesDropped: m.NotesDropped.Load(),
		Fallbacks: make(map[string]int64, fallbackReasonCount),
	}
	for _, r := range FallbackReasons() {
		s.Fallbacks[r.String()] = m.Fallbacks(r)
	}
	return s
}

// breaker is a circuit breaker over one provider: after `threshold` consecutive
// failed calls (errors and timeouts; a wrong answer is the model's, not the
// provider's) it opens and every call is skipped for `cooldown`; then it lets one
// trial call through (half-open). The trial's success closes it; its failure opens it
// for another cool-down.
type breaker struct {
	threshold int
	cooldown  time.Duration
	metrics   *Metrics
	now       func() time.Time

	mu        sync.Mutex
	failures  int
	open      bool
	openUntil time.Time
	trialOut  bool
}

func newBreaker(threshold int, cooldown time.Duration, m *Metrics, now func() time.Time) *breaker {
	if threshold <= 0 {
		threshold = DefaultBreakerFailures
	}
	if cooldown <= 0 {
		cooldown = DefaultBreakerCooldown
	}
	if now == nil {
		now = time.Now
	}
	return &breaker{threshold: threshold, cooldown: cooldown, metrics: m, now: now}
}

// allow reports whether a call may go ahead, and whether it is the half-open trial.
func (b *breaker) allow() (trial, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return false, true
	}
	if b.trialOut || b.now().Before(b.openUntil) {
		return false, false
	}
	b.trialOut = true
	return true, true
}

// done records a call's outcome.
func (b *breaker) done(trial, failed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if trial {
		b.trialOut = false
	}
	if !failed {
		b.failures, b.open = 0, false
		return
	}
	b.failures++
	switch {
	case trial:
		b.openUntil = b.now().Add(b.cooldown)
		b.metrics.BreakerOpens.Add(1)
	case !b.open && b.failures >= b.threshold:
		b.open = true
		b.openUntil = b.now().Add(b.cooldown)
		b.metrics.BreakerOpens.Add(1)
	}
}

// abandon releases a trial that was never made.
func (b *breaker) abandon(trial bool) {
	if !trial {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trialOut = false
}

// isOpen reports whether calls are being skipped now.
func (b *breaker) isOpen() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open && (b.trialOut || b.now().Before(b.openUntil))
}
