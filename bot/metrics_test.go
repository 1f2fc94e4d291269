package bot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/llm"
	"github.com/adplan/adplan/bot"
)

// scrape fetches /metrics from h as Prometheus would and returns the text.
func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics = %d %q, want 200 in the text format", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(body)
}

func TestMetricsAppearOnTheMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := bot.NewMetrics(reg)

	m.EventReceived(bot.KindEventsAPI)
	m.EventReceived(bot.KindEventsAPI)
	m.EventReceived(bot.KindSlashCommands)
	m.Acked()
	m.Acked()
	m.Acked()
	m.Deduplicated()
	m.Enqueued()
	m.Enqueued()
	m.PlanPosted()
	m.Replied()
	m.EditCoalesced()
	m.SlackError("chat.postMessage")
	m.SlackRetry("chat.update")
	m.SpecialistRun("budget", 3*time.Millisecond, nil)
	m.SpecialistRun("budget", 40*time.Millisecond, errors.New("no amount"))
	m.SpecialistRun("schedule", time.Second, context.DeadlineExceeded)
	m.StoreError("save")
	m.SetQueue(7, 1500*time.Millisecond)
	m.LLMCall("audience")
	m.LLMFallback("audience", "timeout")

	text := scrape(t, (&bot.Health{}).Handler(reg))
	for _, want := range []string{
		`adplan_events_received_total{type="events_api"} 2`,
		`adplan_events_received_total{type="slash_commands"} 1`,
		`adplan_events_received_total{type="interactive"} 0`,
		`adplan_envelopes_acked_total 3`,
		`adplan_events_deduplicated_total 1`,
		`adplan_edits_coalesced_total 1`,
		`adplan_jobs_enqueued_total 2`,
		`adplan_plans_posted_total 1`,
		`adplan_replies_posted_total 1`,
		`adplan_slack_api_errors_total{method="chat.postMessage"} 1`,
		`adplan_slack_api_retries_total{method="chat.update"} 1`,
		`adplan_specialist_runs_total{result="ok",slot="budget"} 1`,
		`adplan_specialist_runs_total{result="error",slot="budget"} 1`,
		`adplan_specialist_runs_total{result="timeout",slot="schedule"} 1`,
		`adplan_specialist_runs_total{result="ok",slot="goal"} 0`,
		`adplan_specialist_duration_seconds_count{slot="budget"} 2`,
		`adplan_specialist_duration_seconds_bucket{slot="budget",le="0.005"} 1`,
		`# TYPE adplan_specialist_duration_seconds histogram`,
		`adplan_store_errors_total{operation="save"} 1`,
		`adplan_queue_depth 7`,
		`adplan_queue_oldest_pending_seconds 1.5`,
		`adplan_llm_calls_total{slot="audience"} 1`,
		`adplan_llm_fallbacks_total{reason="timeout",slot="audience"} 1`,
		`# TYPE go_goroutines gauge`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", text)
	}
}

func TestMetricsTraceRecordsSpecialistsAndPassesOn(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := bot.NewMetrics(reg)
	var routed []agents.Slot
	var done []agents.Slot
	next := &agents.Trace{
		Routed:         func(s []agents.Slot) { routed = s },
		SpecialistDone: func(s agents.Slot, _ time.Duration, _ error) { done = append(done, s) },
	}
	tr := m.Trace(next)
	tr.Routed([]agents.Slot{agents.SlotSchedule})
	tr.SpecialistDone(agents.SlotSchedule, 2*time.Millisecond, nil)
	if len(routed) != 1 || len(done) != 1 {
		t.Errorf("the wrapped trace saw routed %v, done %v", routed, done)
	}
	if text := scrape(t, (&bot.Health{}).Handler(reg)); !strings.Contains(text, `adplan_specialist_runs_total{result="ok",slot="schedule"} 1`+"\n") {
		t.Errorf("the run was not counted:\n%s", text)
	}

	// A trace without a next still counts, and a nil *Metrics leaves next alone.
	m.Trace(nil).SpecialistDone(agents.SlotGoal, time.Millisecond, nil)
	var none *bot.Metrics
	if none.Trace(next) != next || none.Trace(nil) != nil {
		t.Error("a nil *Metrics changed the trace")
	}
}

func TestNilMetricsDoNothing(t *testing.T) {
	var m *bot.Metrics
	m.EventReceived(bot.KindInteractive)
	m.Acked()
	m.Deduplicated()
	m.Enqueued()
	m.PlanPosted()
	m.Replied()
	m.EditCoalesced()
	m.SlackError("chat.postMessage")
	m.SlackRetry("chat.postMessage")
	m.SpecialistRun("goal", time.Millisecond, nil)
	m.StoreError("load")
	m.SetQueue(1, time.Second)
	m.LLMCall("goal")
	m.LLMFallback("goal", "error")
}

func TestNewMetricsTwiceOnOneRegistryShares(t *testing.T) {
	reg := prometheus.NewRegistry()
	a, b := bot.NewMetrics(reg), bot.NewMetrics(reg)
	a.PlanPosted()
	b.PlanPosted()
	if text := scrape(t, (&bot.Health{}).Handler(reg)); !strings.Contains(text, "adplan_plans_posted_total 2\n") {
		t.Errorf("two Metrics on one registry did not share a counter:\n%s", text)
	}
	bot.NewMetrics(nil).PlanPosted() // counts, registered nowhere
}

func TestLLMCountersAreExported(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := &llm.Metrics{}
	m.Calls.Add(3)
	m.Successes.Add(2)
	bot.RegisterLLM(reg, m)
	bot.RegisterLLM(reg, m) // a second registration is harmless
	out := scrape(t, (&bot.Health{}).Handler(reg))
	for _, want := range []string{"adplan_llm_model_calls_total 3", "adplan_llm_answers_used_total 2", `adplan_llm_rule_fallbacks_total{reason="timeout"} 0`} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
