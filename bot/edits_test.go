package bot

import (
	"context"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/store"
)

// TestEditsOfOneMessageCoalesce: while the sender waits for its turn under the rate
// limit, newer edits of a message replace older ones still waiting, so Slack gets the
// latest state of each message once; edits of other messages keep their order.
func TestEditsOfOneMessageCoalesce(t *testing.T) {
	srv := slacktest.New(t)
	api := slack.New(slacktest.BotToken, slack.OptionAPIURL(srv.URL()))
	reg := prometheus.NewRegistry()
	metrics := NewMetrics(reg)
	b := &Bot{opts: Options{API: api, Metrics: metrics}, log: slog.New(slog.DiscardHandler)}
	var ts [3]string
	for i := range ts {
		_, posted, err := api.PostMessage("C1", slack.MsgOptionText("card", false))
		if err != nil {
			t.Fatal(err)
		}
		ts[i] = posted
	}
	text := func(s string) []slack.Block {
		return []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, s, false, false), nil, nil)}
	}
	e := newEdits(b, store.NewMemoryQueue(nil), 600, 1) // one edit every 100 ms
	// Everything is queued before the sender starts, as when it is busy.
	e.submit("C1", ts[0], text("a1"), "a1")
	e.submit("C1", ts[1], text("b1"), "b1")
	e.submit("C1", ts[0], text("a2"), "a2")
	e.submit("C1", ts[2], text("c1"), "c1")
	e.submit("C1", ts[1], text("b2"), "b2")
	e.submit("C1", ts[0], text("a3"), "a3")
	e.close()
	e.run(context.Background())

	var got []string
	for _, c := range srv.Calls("chat.update") {
		if !c.OK() {
			t.Errorf("chat.update failed: %s", c.Error)
		}
		got = append(got, c.Text())
	}
	want := []string{"a3", "b2", "c1"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("edits sent %q; want %q, the latest of each message in first-queued order", got, want)
	}
	if n := counterValue(t, reg, "adplan_edits_coalesced_total"); n != 3 {
		t.Errorf("edits coalesced = %v; want 3", n)
	}
	e.submit("C1", ts[0], text("late"), "late") // after close: dropped, not sent
	if n := len(srv.Calls("chat.update")); n != 3 {
		t.Errorf("an edit submitted after close was sent (%d calls)", n)
	}
}

func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
