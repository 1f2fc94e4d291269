package llm

import (
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/llmtest"
)

// callLatency is how long the test server takes to answer each model call.
const callLatency = 300 * time.Millisecond

// latencyRig is an always-mode engine over a test server answering every call after
// callLatency, with the first brief read once for follow-ups.
func latencyRig(tb testing.TB) (*llmRig, agents.Brief) {
	rig := newLLMRig(tb, providerOpenAI, ModeAlways)
	rig.srv.AnswerTexts(llmtest.ClearAnswers)
	first := rig.read(tb, agents.Brief{}, llmtest.ClearBrief, false)
	rig.srv.SetDelay(callLatency)
	return rig, first.Brief
}

// BenchmarkLLMLatency measures a message's latency against one model call's: a first
// brief making four model calls (always mode) and a one-slot follow-up making one. The
// calls run in parallel, so both stay near one call's latency; x_call is the ratio.
//
//	go test ./agents -run '^$' -bench LLMLatency -benchtime 5x
func BenchmarkLLMLatency(b *testing.B) {
	rig, first := latencyRig(b)
	for _, bc := range []struct {
		name     string
		current  agents.Brief
		text     string
		followUp bool
		calls    int
	}{
		{"first_brief_4_calls", agents.Brief{}, llmtest.ClearBrief, false, 4},
		{"follow_up_1_call", first, llmtest.ExtendFollowUp, true, 1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rig.srv.Reset()
			var worst time.Duration
			for b.Loop() {
				start := time.Now()
				rig.read(b, bc.current, bc.text, bc.followUp)
				worst = max(worst, time.Since(start))
			}
			if n := rig.srv.Count(""); n != bc.calls*b.N {
				b.Fatalf("%d model calls in %d reads, want %d each", n, b.N, bc.calls)
			}
			b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(callLatency), "x_call")
			b.ReportMetric(float64(worst)/float64(callLatency), "worst_x_call")
		})
	}
}

// BenchmarkLLMLatencyRouted is the hybrid cost of a first brief whose slots the rules
// leave unrouted: one router call, then the specialists' calls in parallel, so about
// two calls' latency.
func BenchmarkLLMLatencyRouted(b *testing.B) {
	rig := newLLMRig(b, providerOpenAI, ModeHybrid)
	rig.srv.AnswerTexts(llmtest.NoiseAnswers)
	rig.srv.SetDelay(callLatency)
	for b.Loop() {
		rig.read(b, agents.Brief{}, llmtest.NoiseBrief, false)
	}
	if n := rig.srv.Count(""); n != 3*b.N {
		b.Fatalf("%d model calls in %d reads, want 3 each", n, b.N)
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(callLatency), "x_call")
}
