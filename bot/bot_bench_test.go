package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/store/redistest"
)

// BenchmarkEventToPlan measures, through the fake Slack, the time from an event's
// delivery on the socket to the plan's chat.postMessage (target: p50 under 50 ms, p99
// under 200 ms, with real Redis: set ADPLAN_TEST_REDIS_URL), and how fast envelopes
// are acknowledged (target: p99 under 20 ms). "store" runs on the tests' backend
// (memory unless ADPLAN_TEST_REDIS_URL is set); "queue" writes every job to Redis's
// work queue before the ack, as replicas do.
func BenchmarkEventToPlan(b *testing.B) {
	b.Run("store", func(b *testing.B) { benchmarkEventToPlan(b, newHarness(b)) })
	b.Run("queue", func(b *testing.B) {
		r := openRedis(b, redistest.URL(b))
		benchmarkEventToPlan(b, startBot(b, slacktest.New(b), backend{store: r, queue: r}))
	})
}

func benchmarkEventToPlan(b *testing.B, h *harness) {
	var toPlan, toAck []time.Duration
	for b.Loop() {
		m := h.srv.AppMentionEvent("C1", "U1", brief)
		env := h.srv.SendEventsAPI(m)
		plan, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
			return c.ThreadTS() == m.TS() && strings.HasPrefix(c.Text(), "Plan v1:")
		}, wait)
		if err != nil {
			b.Fatal(err)
		}
		toPlan = append(toPlan, plan.Time.Sub(h.srv.SentAt(env)))
		if _, err := h.srv.WaitAck(env, wait); err != nil {
			b.Fatal(err)
		}
		toAck = append(toAck, h.srv.AckLatency(env))
	}
	report := func(name string, d []time.Duration) {
		slices.Sort(d)
		b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, name+"-p99-ms")
	}
	report("plan", toPlan)
	report("ack", toAck)
}
