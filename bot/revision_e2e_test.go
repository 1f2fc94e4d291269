package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/bot/slacktest"
)

// A follow-up in Slack revises the plan as a revision, not from scratch: ad sets it
// did not touch stay, and one the budget can no longer pay for is named with why and
// what would keep it.
func TestAFollowUpInSlackMovesOnlyWhatItTouches(t *testing.T) {
	srv := slacktest.New(t)
	h := startBot(t, srv, newBackend(t))
	m := srv.AppMentionEvent("C1", "U1", "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days")
	srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "make it 1200", m.TS()))
	v3 := h.waitPlan(t, "C1", m.TS(), 3)

	th := h.thread(t, "C1", m.TS())
	ids := func(n int) []string {
		var out []string
		for _, li := range th.Versions[n-1].Plan.LineItems {
			out = append(out, li.ID)
		}
		slices.Sort(out)
		return out
	}
	if v1, v2 := ids(1), ids(2); !slices.Equal(v1, v2) {
		t.Errorf("extending the flight changed the ad sets from %q to %q", v1, v2)
	}
	dropped := th.Versions[2].Plan.Dropped
	if len(dropped) == 0 || !slices.ContainsFunc(dropped, func(d agents.AdSetChange) bool { return d.KeepWith > 1200 }) {
		t.Fatalf("v3 dropped %+v; want ad sets dropped with the budget that keeps them", dropped)
	}
	if raw := blocksJSON(t, mustBlocks(t, v3)); !strings.Contains(raw, "dropped ad set "+dropped[0].ID+": its minimum is") || !strings.Contains(raw, "keeps it") {
		t.Errorf("plan v3 does not say why %s was dropped:\n%s", dropped[0].ID, raw)
	}
}
