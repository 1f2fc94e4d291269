package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/bot/slacktest"
)

// TestABusyThreadStaysUnderChatUpdatesLimit: twenty follow-ups typed into one thread at
// once need about forty edits (each progress card's end state, each superseded plan).
// The fake Slack refuses more than 15 chat.update calls in any second, as Slack refuses
// calls over a method's tier; the bot, allowed 10 a second in bursts of 5, is never
// refused, every plan still arrives in order, every progress card ends in its done
// state and every plan but the last ends marked superseded.
func TestABusyThreadStaysUnderChatUpdatesLimit(t *testing.T) {
	busyThread(t, func(srv *slacktest.Server, limit func(*bot.Options)) *harness {
		return startBot(t, srv, newBackend(t), limit)
	})
}

// TestTwoReplicasShareOneChatUpdateBudget: the same busy thread served by two
// replicas, Slack spreading its messages over both. Each alone keeps to the budget,
// but Slack counts their calls together: the budget is kept by the queue they share
// (Redis's in production) for both.
func TestTwoReplicasShareOneChatUpdateBudget(t *testing.T) {
	be := newBackend(t)
	busyThread(t, func(srv *slacktest.Server, limit func(*bot.Options)) *harness {
		a := startBot(t, srv, be, limit, func(o *bot.Options) { o.Consumer = "replica-a" })
		startBot(t, srv, be, limit, func(o *bot.Options) { o.Consumer = "replica-b" })
		return a
	}, slacktest.WithRoundRobin())
}

func busyThread(t *testing.T, start func(*slacktest.Server, func(*bot.Options)) *harness, opts ...slacktest.Option) {
	srv := slacktest.New(t, append(opts, slacktest.WithRateLimit("chat.update", 15, time.Second))...)
	h := start(srv, func(o *bot.Options) {
		o.UpdatesPerMinute = 600
		o.UpdateBurst = 5
	})
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	const followUps = 20
	for i := range followUps {
		srv.SendEventsAPI(srv.MessageEvent("C1", "U1", fmt.Sprintf("make it %dk", 10+i), m.TS()))
	}
	// Every message is answered: with a plan, or — when Slack's spreading made it
	// arrive after a later one that already set the budget — with a word that it
	// changed nothing. The thread ends on what was said last.
	late := func() int {
		n := 0
		for _, c := range srv.Messages("C1", m.TS()) {
			if strings.Contains(c.Text(), "reached me after it") {
				n++
			}
		}
		return n
	}
	calls := func() int { return len(srv.Calls("")) } // every Web API call the replicas make
	eventuallyProgressing(t, func() bool { return len(plansIn(srv, "C1", m.TS()))+late() >= followUps+1 }, calls, "every message to be answered")
	th := h.thread(t, "C1", m.TS())
	if got := messages(th); len(got) != followUps+1-late() || th.Current().Budget.Amount != float64(10+followUps-1)*1000 {
		t.Fatalf("thread versions %q with %d late replies; budget %v", got, late(), th.Current().Budget.Amount)
	}
	versions := len(th.Versions)

	// The plans and progress cards, by ts, and the last edit each received.
	plans, cards := map[string]int{}, map[string]bool{}
	for _, c := range srv.Messages("C1", m.TS()) {
		if c.Method != "chat.postMessage" || !c.OK() {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(c.Text(), "Plan v%d:", &n); err == nil {
			plans[c.TS] = n
		} else if strings.Contains(c.Text(), "Reading") || strings.Contains(c.Text(), "Working") {
			cards[c.TS] = true
		}
	}
	lastEdit := func() map[string]string {
		last := map[string]string{}
		for _, c := range srv.Calls("chat.update") {
			if c.OK() {
				last[c.Params.Get("ts")] = c.Text()
			}
		}
		return last
	}
	settled := func() bool {
		last := lastEdit()
		for ts, n := range plans {
			if n < versions && !strings.Contains(last[ts], fmt.Sprintf("superseded by v%d", n+1)) {
				return false
			}
		}
		for ts := range cards {
			if !strings.HasPrefix(last[ts], ":white_check_mark: Read by") && !strings.HasPrefix(last[ts], ":speech_balloon: Nothing to plan") {
				return false
			}
		}
		return true
	}
	eventuallyProgressing(t, settled, calls, "every older plan to be marked superseded and every progress card to end done")
	if len(cards) != followUps+1 {
		t.Errorf("%d progress cards; want one per message (%d)", len(cards), followUps+1)
	}
	if n := srv.RateLimited("chat.update"); n != 0 {
		t.Errorf("Slack refused %d chat.update calls as over its rate limit; want none", n)
	}
}
