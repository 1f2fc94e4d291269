package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/llm"
)

// Event kinds EventReceived counts, as Socket Mode names its envelopes.
const (
	KindEventsAPI     = "events_api"
	KindSlashCommands = "slash_commands"
	KindInteractive   = "interactive"
)

// metricsPrefix starts every adplan metric's name.
const metricsPrefix = "adplan"

// Results of a specialist run, as adplan_specialist_runs_total labels them.
const (
	specialistOK       = "ok"
	specialistFailed   = "error"
	specialistTimedOut = "timeout"
)

// Metrics counts what the bot does, for Prometheus. Every method is safe on a nil
// *Metrics and then does nothing, so tests and callers need not build one.
type Metrics struct {
	eventsReceived    *prometheus.CounterVec
	acked             prometheus.Counter
	deduplicated      prometheus.Counter
	enqueued          prometheus.Counter
	requeued          prometheus.Counter
	plansPosted       prometheus.Counter
	repliesPosted     prometheus.Counter
	editsCoalesced    prometheus.Counter
	slackErrors       *prometheus.CounterVec
	slackRetries      *prometheus.CounterVec
	specialistRuns    *prometheus.CounterVec
	specialistSeconds *prometheus.HistogramVec
	storeErrors       *prometheus.CounterVec
	queueDepth        prometheus.Gauge
	queueOldest       prometheus.Gauge
	llmCalls          *prometheus.CounterVec
	llmFallbacks      *prometheus.CounterVec
}

// NewMetrics builds the bot's collectors and registers them, with the Go runtime
// and process collectors, on reg. A nil reg registers nothing (the metrics still
// count). Registering twice on one registry reuses the collectors already there.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	counter := func(name, help string) prometheus.Counter {
		return register(reg, prometheus.NewCounter(prometheus.CounterOpts{Namespace: metricsPrefix, Name: name, Help: help}))
	}
	counterVec := func(name, help string, labels ...string) *prometheus.CounterVec {
		return register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: metricsPrefix, Name: name, Help: help}, labels))
	}
	gauge := func(name, help string) prometheus.Gauge {
		return register(reg, prometheus.NewGauge(prometheus.GaugeOpts{Namespace: metricsPrefix, Name: name, Help: help}))
	}
	m := &Metrics{
		eventsReceived: counterVec("events_received_total", "Socket Mode envelopes received, by type (events_api, slash_commands, interactive).", "type"),
		acked:          counter("envelopes_acked_total", "Socket Mode envelopes acknowledged."),
		deduplicated:   counter("events_deduplicated_total", "Events dropped because Slack delivered them before."),
		enqueued:       counter("jobs_enqueued_total", "Jobs handed to a thread's worker."),
		requeued:       counter("jobs_requeued_total", "Jobs queued again after the queue came back without its data."),
		plansPosted:    counter("plans_posted_total", "Plan versions posted in a thread."),
		repliesPosted:  counter("replies_posted_total", "Short replies posted in a thread (questions, errors, approvals)."),
		editsCoalesced: counter("edits_coalesced_total", "Message edits (progress, superseded plans) replaced by a newer edit of the same message before they were sent."),
		slackErrors:    counterVec("slack_api_errors_total", "Slack Web API calls that failed, by method.", "method"),
		slackRetries:   counterVec("slack_api_retries_total", "Slack Web API calls retried (rate limits, transient errors), by method.", "method"),
		specialistRuns: counterVec("specialist_runs_total", "Specialist runs, by slot and result (ok, error, timeout).", "slot", "result"),
		specialistSeconds: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: metricsPrefix, Name: "specialist_duration_seconds",
			Help:    "How long a specialist took to read a message, by slot.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"slot"})),
		storeErrors:  counterVec("store_errors_total", "Store operations that failed, by operation.", "operation"),
		queueDepth:   gauge("queue_depth", "Jobs queued and not yet finished (waiting for a worker or being worked on)."),
		queueOldest:  gauge("queue_oldest_pending_seconds", "Age of the oldest job not yet finished (0 when none is)."),
		llmCalls:     counterVec("llm_calls_total", "Language model calls, by slot.", "slot"),
		llmFallbacks: counterVec("llm_fallbacks_total", "Times a slot fell back to the rules instead of the model, by slot and reason.", "slot", "reason"),
	}
	// Series that are known up front show as 0 before the first event, so rates and
	// alerts work from the start.
	for _, kind := range []string{KindEventsAPI, KindSlashCommands, KindInteractive} {
		m.eventsReceived.WithLabelValues(kind)
	}
	for _, s := range agents.Slots {
		m.specialistSeconds.WithLabelValues(string(s))
		for _, r := range []string{specialistOK, specialistFailed, specialistTimedOut} {
			m.specialistRuns.WithLabelValues(string(s), r)
		}
	}
	register(reg, collectors.NewGoCollector())
	register(reg, collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// register registers c on reg, or returns the equal collector already registered
// there. It panics on any other conflict, a programming error like MustRegister's.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}

// EventReceived counts an envelope of kind (KindEventsAPI, KindSlashCommands, KindInteractive).
func (m *Metrics) EventReceived(kind string) {
	if m != nil {
		m.eventsReceived.WithLabelValues(kind).Inc()
	}
}

// Acked counts an acknowledged envelope.
func (m *Metrics) Acked() {
	if m != nil {
		m.acked.Inc()
	}
}

// Deduplicated counts an event dropped as a re-delivery.
func (m *Metrics) Deduplicated() {
	if m != nil {
		m.deduplicated.Inc()
	}
}

// Enqueued counts a job handed to a worker.
func (m *Metrics) Enqueued() {
	if m != nil {
		m.enqueued.Inc()
	}
}

// Requeued counts jobs queued again after the queue lost its data.
func (m *Metrics) Requeued(n int) {
	if m != nil {
		m.requeued.Add(float64(n))
	}
}

// PlanPosted counts a plan version posted in a thread.
func (m *Metrics) PlanPosted() {
	if m != nil {
		m.plansPosted.Inc()
	}
}

// Replied counts a short reply posted in a thread.
func (m *Metrics) Replied() {
	if m != nil {
		m.repliesPosted.Inc()
	}
}

// EditCoalesced counts an edit replaced by a newer one of the same message.
func (m *Metrics) EditCoalesced() {
	if m != nil {
		m.editsCoalesced.Inc()
	}
}

// SlackError counts a failed Web API call, such as "chat.postMessage".
func (m *Metrics) SlackError(method string) {
	if m != nil {
		m.slackErrors.WithLabelValues(method).Inc()
	}
}

// SlackRetry counts a Web API call made again.
func (m *Metrics) SlackRetry(method string) {
	if m != nil {
		m.slackRetries.WithLabelValues(method).Inc()
	}
}

// SpecialistRun records one specialist's run: how long it took and whether it
// succeeded, failed or ran out of time.
func (m *Metrics) SpecialistRun(slot string, took time.Duration, err error) {
	if m == nil {
		return
	}
	result := specialistOK
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		result = specialistTimedOut
	case err != nil:
		result = specialistFailed
	}
	m.specialistRuns.WithLabelValues(slot, result).Inc()
	m.specialistSeconds.WithLabelValues(slot).Observe(took.Seconds())
}

// StoreError counts a failed store operation, such as "load", "save" or "mark_event".
func (m *Metrics) StoreError(op string) {
	if m != nil {
		m.storeErrors.WithLabelValues(op).Inc()
	}
}

// SetQueue sets how many jobs wait for a worker and how long the oldest has waited.
func (m *Metrics) SetQueue(depth int, oldest time.Duration) {
	if m == nil {
		return
	}
	m.queueDepth.Set(float64(depth))
	m.queueOldest.Set(max(oldest, 0).Seconds())
}

// LLMCall counts a language model call made for slot.
func (m *Metrics) LLMCall(slot string) {
	if m != nil {
		m.llmCalls.WithLabelValues(slot).Inc()
	}
}

// LLMFallback counts slot falling back to the rules, and why ("timeout", "error",
// "invalid_answer", …).
func (m *Metrics) LLMFallback(slot, reason string) {
	if m != nil {
		m.llmFallbacks.WithLabelValues(slot, reason).Inc()
	}
}

// Trace returns an agents.Trace that records every specialist run, then passes
// each call on to next (which may be nil). A context holds one trace, so wrap the
// bot's own (the progress card's) rather than attaching a second:
//
//	ctx = agents.WithTrace(ctx, b.opts.Metrics.Trace(progress.trace()))
//
// On a nil *Metrics it returns next unchanged.
func (m *Metrics) Trace(next *agents.Trace) *agents.Trace {
	if m == nil {
		return next
	}
	t := &agents.Trace{
		SpecialistDone: func(slot agents.Slot, took time.Duration, err error) {
			m.SpecialistRun(string(slot), took, err)
			if next != nil && next.SpecialistDone != nil {
				next.SpecialistDone(slot, took, err)
			}
		},
	}
	if next != nil {
		t.Routed = next.Routed
	}
	return t
}

// RegisterLLM exports a language model's counters (llm.Metrics keeps them as
// atomics) to reg: model calls, answers used, breaker openings, notes kept and
// dropped, and fallbacks to the rules by reason.
func RegisterLLM(reg prometheus.Registerer, m *llm.Metrics) {
	if reg == nil || m == nil {
		return
	}
	counter := func(name, help string, read func() int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(read()) })
	}
	cs := []prometheus.Collector{
		counter("adplan_llm_model_calls_total", "Calls made to the language model.", m.Calls.Load),
		counter("adplan_llm_answers_used_total", "Model answers that passed validation and were used.", m.Successes.Load),
		counter("adplan_llm_breaker_opens_total", "Times the circuit breaker stopped calling a failing provider.", m.BreakerOpens.Load),
		counter("adplan_llm_notes_kept_total", "Planner's notes kept.", m.NotesKept.Load),
		counter("adplan_llm_notes_dropped_total", "Planner's notes dropped for stating a number the plan lacks.", m.NotesDropped.Load),
	}
	for _, r := range llm.FallbackReasons() {
		cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "adplan_llm_rule_fallbacks_total", Help: "Model answers not used, by reason; the rules' reading was kept.",
			ConstLabels: prometheus.Labels{"reason": r.String()},
		}, func() float64 { return float64(m.Fallbacks(r)) }))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				panic(fmt.Sprintf("registering LLM metrics: %v", err))
			}
		}
	}
}
