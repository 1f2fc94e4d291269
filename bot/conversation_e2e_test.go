package bot_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/bot/slacktest"
)

func TestSlashCommandPostsTheBriefAndThePlanInItsThread(t *testing.T) {
	h := newHarness(t)
	env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", brief))
	if _, err := h.srv.WaitAck(env, wait); err != nil {
		t.Fatal(err)
	}
	root, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.Channel() == "C1" && c.ThreadTS() == "" && strings.Contains(c.Text(), "asked")
	}, wait)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<@U1> asked: " + brief; root.Text() != want {
		t.Errorf("thread root = %q, want %q", root.Text(), want)
	}
	plan := h.waitPlan(t, "C1", root.TS, 1)
	types := blockTypes(t, plan)
	for _, want := range []string{"header", "table", "actions"} {
		if !slices.Contains(types, want) {
			t.Errorf("plan blocks %v lack a %s block", types, want)
		}
	}
	if !strings.Contains(plan.Text(), "REACH") || !strings.Contains(plan.Text(), "5,000 EUR") {
		t.Errorf("plan fallback text = %q", plan.Text())
	}
	// Where the plan was posted is saved right after posting it.
	eventually(t, func() bool {
		th := h.thread(t, "C1", root.TS)
		return len(th.Versions) == 1 && th.Versions[0].PostedAs == plan.TS && th.Versions[0].Plan != nil
	}, "the stored thread to record where plan v1 was posted")
}

func TestSlashCommandWithoutABriefAnswersWithAGuide(t *testing.T) {
	h := newHarness(t)
	for _, text := range []string{"", "help"} {
		env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", text))
		ack, err := h.srv.WaitAck(env, wait)
		if err != nil {
			t.Fatal(err)
		}
		var payload struct {
			ResponseType string          `json:"response_type"`
			Text         string          `json:"text"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(ack.Payload, &payload); err != nil || payload.ResponseType != "ephemeral" || payload.Text == "" || len(payload.Blocks) < 10 {
			t.Errorf("/adplan %q acked with %s (%v); want an ephemeral guide", text, ack.Payload, err)
		}
	}
	if n := len(h.srv.Calls("chat.postMessage")); n != 0 {
		t.Errorf("the guide posted %d messages in the channel", n)
	}
}

func TestMentionAndDirectMessageGetAPlanInAThread(t *testing.T) {
	h := newHarness(t)
	mention := h.srv.AppMentionEvent("C2", "U1", "reach podcast listeners in the UK with £8,000 over 6 weeks")
	h.srv.SendEventsAPI(mention)
	h.waitPlan(t, "C2", mention.TS(), 1)

	dm := h.srv.MessageEvent("D1", "U1", "app installs from iPhone users in the US, $20k, Q1", "")
	h.srv.SendEventsAPI(dm)
	plan := h.waitPlan(t, "D1", dm.TS(), 1)
	if !strings.Contains(plan.Text(), "APP_INSTALLS") {
		t.Errorf("DM plan = %q", plan.Text())
	}
}

func TestFollowUpsReviseThePlanRunningOnlyWhatTheyTouch(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)

	steps := []struct {
		give    string
		wantRan []agents.Slot
		check   func(b agents.Brief) bool
	}{
		{"extend to 60 days", []agents.Slot{agents.SlotSchedule}, func(b agents.Brief) bool { return b.Schedule.Days == 60 && b.Budget.Amount == 5000 }},
		{"make it 8k", []agents.Slot{agents.SlotBudget}, func(b agents.Brief) bool { return b.Budget.Amount == 8000 && b.Schedule.Days == 60 }},
		{"add Austria too", []agents.Slot{agents.SlotAudience}, func(b agents.Brief) bool {
			return slices.Equal(b.Audience.Geo.Countries, []string{"DE", "AT"}) && b.Budget.Amount == 8000
		}},
	}
	prevTS := v1.TS
	for i, st := range steps {
		h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", st.give, m.TS()))
		plan := h.waitPlan(t, "C1", m.TS(), i+2)
		th := h.thread(t, "C1", m.TS())
		v := th.Versions[i+1]
		if !slices.Equal(v.Ran, st.wantRan) || !st.check(v.Brief) {
			t.Errorf("%q: ran %v, brief %+v %+v %+v", st.give, v.Ran, v.Brief.Budget, v.Brief.Schedule, v.Brief.Audience)
		}
		blocks, _ := json.Marshal(mustBlocks(t, plan))
		if !strings.Contains(string(blocks), "What changed") {
			t.Errorf("plan v%d has no What changed section", i+2)
		}
		if _, err := h.srv.WaitCall("chat.update", func(c slacktest.Call) bool {
			return c.Params.Get("ts") == prevTS && strings.Contains(c.Text(), "superseded by v"+itoa(i+2))
		}, wait); err != nil {
			t.Errorf("plan v%d was not marked superseded by v%d: %v", i+1, i+2, err)
		}
		prevTS = plan.TS
	}
}

func TestButtonsReviseAndApprove(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)

	// The first quick-revision button, as the plan offers it.
	var actionID, value, blockID string
	for _, b := range mustBlocks(t, v1).BlockSet {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, el := range a.Elements.ElementSet {
				if btn, ok := el.(*slack.ButtonBlockElement); ok && strings.Contains(btn.Text.Text, "30 days") {
					actionID, value, blockID = btn.ActionID, btn.Value, a.BlockID
				}
			}
		}
	}
	if actionID == "" {
		t.Fatal("plan v1 has no +30 days button")
	}
	env := h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), actionID, value, blockID))
	if _, err := h.srv.WaitAck(env, wait); err != nil {
		t.Fatal(err)
	}
	h.waitPlan(t, "C1", m.TS(), 2)
	if th := h.thread(t, "C1", m.TS()); th.Versions[1].Brief.Schedule.Days != 60 {
		t.Errorf("+30 days gave a %d-day flight", th.Versions[1].Brief.Schedule.Days)
	}

	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionApprove, "2", "adplan:2"))
	if _, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.Contains(c.Text(), "approved by <@U2>")
	}, wait); err != nil {
		t.Fatal(err)
	}
	th := h.thread(t, "C1", m.TS())
	if len(th.Approvals) != 1 || th.Approvals[0].User != "U2" || th.Approvals[0].Version != 2 {
		t.Errorf("approvals = %+v", th.Approvals)
	}
}

func TestUnreadableMessageGetsAFriendlyAnswer(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", "asdf")
	h.srv.SendEventsAPI(m)
	reply, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return c.ThreadTS() == m.TS() }, wait)
	if err != nil {
		t.Fatal(err)
	}
	if txt := reply.Text(); strings.Contains(txt, "nothing in the message") || !strings.Contains(strings.ToLower(txt), "budget") {
		t.Errorf("reply to asdf = %q; want a friendly note of what a brief needs", txt)
	}
	if _, err := h.store.Load(context.Background(), slacktest.TeamID+"/C1/"+m.TS()); err == nil {
		t.Error("an unreadable message was stored as a thread")
	}
}

func TestABriefWithGapsGetsAPlanAndOneQuestion(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", "awareness in Germany")
	h.srv.SendEventsAPI(m)
	plan := h.waitPlan(t, "C1", m.TS(), 1)
	q, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.HasSuffix(strings.TrimSpace(c.Text()), "?")
	}, wait)
	if err != nil {
		t.Fatalf("no question after a plan with assumptions: %v", err)
	}
	if !strings.Contains(strings.ToLower(q.Text()), "budget") || q.Time.Before(plan.Time) {
		t.Errorf("question %q; want one about the budget, after the plan", q.Text())
	}
	blocks, _ := json.Marshal(mustBlocks(t, plan))
	if !strings.Contains(string(blocks), "assumed") {
		t.Errorf("the plan does not label its assumptions")
	}
}

func TestAHugeMessageGetsAShortAnswer(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", strings.Repeat("grow awareness in Germany with €5,000 ", 1100)[:40000])
	h.srv.SendEventsAPI(m)
	reply, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return c.ThreadTS() == m.TS() }, wait)
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Text()) > 500 || !strings.Contains(strings.ToLower(reply.Text()), "long") {
		t.Errorf("reply to a 40,000-character message = %q", reply.Text())
	}
}

// TestAMessageDeliveredLateIsAppliedInTheOrderItWasSent: "make it 8k" was sent before
// "make it 9k" but Slack delivered it after (it retried it once the replica holding it
// had died). The plan keeps 9k, what was said last, and the thread is told why.
func TestAMessageDeliveredLateIsAppliedInTheOrderItWasSent(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	early := h.srv.MessageEvent("C1", "U1", "make it 8k", m.TS())
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "make it 9k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	h.srv.SendEventsAPI(early)
	if _, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return c.ThreadTS() == m.TS() && strings.Contains(c.Text(), `sent before "make it 9k"`)
	}, wait); err != nil {
		t.Fatalf("no answer to the late message: %v", err)
	}
	th := h.thread(t, "C1", m.TS())
	if got := th.Current().Budget.Amount; got != 9000 || len(th.Versions) != 2 {
		t.Errorf("after the late 8k: budget %v in %d versions; want 9000 in 2", got, len(th.Versions))
	}
	if plans := plansIn(h.srv, "C1", m.TS()); len(plans) != 2 {
		t.Errorf("plans posted %q; want 2", plans)
	}
}
