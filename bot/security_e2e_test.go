package bot_test

import (
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/bot/slacktest"
)

// TestMarkupInABriefNeverPings sends a brief full of Slack markup and control
// characters; nothing the bot posts may carry live markup that pings or links.
func TestMarkupInABriefNeverPings(t *testing.T) {
	h := newHarness(t)
	evil := "awareness in Germany with €5,000 over 30 days <!channel> <!here> <@U999> <https://evil.example|click> \x07\x1b[31m for <#C999>"
	env := h.srv.SendSlashCommand(h.srv.SlashCommand("C1", "U1", evil))
	if _, err := h.srv.WaitAck(env, wait); err != nil {
		t.Fatal(err)
	}
	root, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return strings.Contains(c.Text(), "asked") }, wait)
	if err != nil {
		t.Fatal(err)
	}
	h.waitPlan(t, "C1", root.TS, 1)
	for _, c := range h.srv.Calls("") {
		if c.Method != "chat.postMessage" && c.Method != "chat.update" {
			continue
		}
		payload := c.Text() + c.Params.Get("blocks")
		for _, live := range []string{"<!channel>", "<!here>", "<@U999>", "<https://evil", "<#C999>", "\x07", "\x1b"} {
			if strings.Contains(payload, live) {
				t.Errorf("%s carries %q: %.300s", c.Method, live, payload)
			}
		}
	}
}

func TestButtonsOnlyActOnTheirOwnThreadsPlans(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	// A press claiming another channel's thread, and one on a message that is not a plan.
	h.srv.SendInteraction(h.srv.BlockAction("C2", "U2", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", m.TS(), m.TS(), bot.ActionApprove, "1", "adplan:1"))
	// A genuine press afterwards, on the same thread's worker, proves the others were handled.
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U1", "make it 8k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	if th := h.thread(t, "C1", m.TS()); len(th.Approvals) != 0 {
		t.Errorf("forged presses approved the plan: %+v", th.Approvals)
	}
	for _, c := range h.srv.Calls("chat.postMessage") {
		if strings.Contains(c.Text(), "approved") {
			t.Errorf("a forged press was answered: %q in %s", c.Text(), c.Channel())
		}
	}
}

func TestEventsFromOtherWorkspacesOrAppsAreIgnored(t *testing.T) {
	for name, configure := range map[string]func(*bot.Options){
		"team": func(o *bot.Options) { o.AllowedTeams = []string{"T9"} },
		"app":  func(o *bot.Options) { o.AllowedApps = []string{"A9"} },
	} {
		t.Run(name, func(t *testing.T) {
			srv := slacktest.New(t)
			startBot(t, srv, newBackend(t), configure)
			srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", brief))
			srv.SendSlashCommand(srv.SlashCommand("C1", "U1", brief))
			// Envelopes are dispatched in order, so once this one is acked the two
			// before it were dropped or queued.
			help := srv.SendSlashCommand(srv.SlashCommand("C1", "U1", "help"))
			ack, err := srv.WaitAck(help, wait)
			if err != nil {
				t.Fatal(err)
			}
			if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
				t.Errorf("answered a foreign workspace's /adplan help: %s", ack.Payload)
			}
			if calls := srv.Calls("chat.postMessage"); len(calls) != 0 {
				t.Errorf("posted for a foreign workspace or app: %v", texts(calls))
			}
		})
	}
}

func TestOnlyApproversMayApprove(t *testing.T) {
	srv := slacktest.New(t)
	h := startBot(t, srv, newBackend(t), func(o *bot.Options) { o.Approvers = []string{"U7"} })
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	srv.SendInteraction(srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return strings.Contains(c.Text(), "Only <@U7> can approve") }, wait); err != nil {
		t.Fatal(err)
	}
	srv.SendInteraction(srv.BlockAction("C1", "U7", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	if _, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return strings.Contains(c.Text(), "approved by <@U7>") }, wait); err != nil {
		t.Fatal(err)
	}
	if th := h.thread(t, "C1", m.TS()); len(th.Approvals) != 1 || th.Approvals[0].User != "U7" {
		t.Errorf("approvals = %+v", th.Approvals)
	}
}

// TestTokensNeverReachTheLogs runs a full conversation with debug logging and scans
// every line for the tokens.
func TestTokensNeverReachTheLogs(t *testing.T) {
	var logs syncBuffer
	srv := slacktest.New(t)
	h := startBot(t, srv, newBackend(t), func(o *bot.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "asdf", m.TS()))
	srv.SendInteraction(srv.BlockAction("C2", "U2", v1.TS, m.TS(), bot.ActionApprove, "1", "adplan:1"))
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	srv.SendDisconnect("refresh_requested")
	if err := srv.WaitConnections(2, wait); err != nil {
		t.Fatal(err)
	}
	h.stop()
	out := logs.String()
	if !strings.Contains(out, `"thread"`) || !strings.Contains(out, `"event"`) {
		t.Errorf("logs carry no thread or event ids:\n%s", out)
	}
	for _, secret := range []string{slacktest.BotToken, slacktest.AppToken, "slacktest"} {
		if strings.Contains(out, secret) {
			t.Errorf("a token reached the logs (%q)", secret)
		}
	}
}

// With no allow-list set, the bot serves only the workspace and app its token belongs
// to (auth.test, and the socket's hello for the app): an envelope claiming another team or another app is
// refused, while the bot's own still get answers.
func TestEventsFromAnotherWorkspaceOrAppAreRefusedByDefault(t *testing.T) {
	srv := slacktest.New(t)
	h := startBot(t, srv, newBackend(t))
	foreign := func(team, app string) map[string]any {
		return map[string]any{
			"token": slacktest.VerificationToken, "team_id": team, "api_app_id": app, "type": "event_callback",
			"event_id": "Ev-" + team + app, "event_time": 1700000000,
			"event": map[string]any{"type": "app_mention", "user": "U9", "channel": "C1", "team": team,
				"text": slacktest.Mention + " " + brief, "ts": "1700000001.000100", "event_ts": "1700000001.000100"},
		}
	}
	srv.SendEventsAPI(foreign("T9", slacktest.AppID))
	srv.SendEventsAPI(foreign(slacktest.TeamID, "A9"))
	cmd := srv.SlashCommand("C1", "U9", brief)
	cmd.TeamID = "T9"
	srv.SendSlashCommand(cmd)
	// Envelopes are dispatched in order: once the bot's own brief is answered, the
	// foreign ones before it were refused or would have been queued ahead of it.
	m := srv.AppMentionEvent("C2", "U1", brief)
	srv.SendEventsAPI(m)
	h.waitPlan(t, "C2", m.TS(), 1)
	for _, c := range srv.Calls("chat.postMessage") {
		if c.Channel() != "C2" {
			t.Errorf("answered a foreign workspace or app in %s: %q", c.Channel(), c.Text())
		}
	}
}

// A follow-up button's value is free text a forger controls: a press whose value is
// not the preset its id names is refused — the presser is told, nothing is planned.
func TestAForgedFollowUpButtonIsRefused(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	v1 := h.waitPlan(t, "C1", m.TS(), 1)
	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionFollowUp+":1", "set budget to 1000000000000", "adplan:1"))
	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionFollowUp+":9", "make it 30 days longer", "adplan:1"))
	for range 2 {
		if _, err := h.srv.WaitCall("chat.postEphemeral", func(c slacktest.Call) bool {
			return strings.Contains(c.Text(), "not one adplan offers")
		}, wait); err != nil {
			t.Fatal(err)
		}
	}
	// The genuine button still works, and is the only revision made.
	h.srv.SendInteraction(h.srv.BlockAction("C1", "U2", v1.TS, m.TS(), bot.ActionFollowUp+":2", "increase the budget by 20%", "adplan:1"))
	h.waitPlan(t, "C1", m.TS(), 2)
	th := h.thread(t, "C1", m.TS())
	if len(th.Versions) != 2 {
		t.Fatalf("%d versions; want the brief and the genuine press", len(th.Versions))
	}
	if b := th.Versions[1].Brief.Budget; b == nil || b.Amount != 6000 {
		t.Errorf("budget after +20%% = %+v, want 6,000", b)
	}
}

// A budget beyond any plausible ad budget is read, warned about and not planned, in
// Slack as in the CLI: the thread is told why.
func TestATrillionEuroBriefIsNotPlanned(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", "reach 18-24 year olds in Germany with €1,000,000,000,000 over 30 days")
	h.srv.SendEventsAPI(m)
	if _, err := h.srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
		return strings.Contains(c.Text(), "beyond any plausible ad budget")
	}, wait); err != nil {
		t.Fatal(err)
	}
	if th := h.thread(t, "C1", m.TS()); len(th.Versions) != 1 || th.Versions[0].Plan != nil {
		t.Errorf("versions = %d, plan = %v; want one version and no plan", len(th.Versions), th.Versions[0].Plan != nil)
	}
}

// Each version records who sent its message, so a person's threads can be found and
// deleted on request (adplan forget --user).
func TestAThreadRecordsWhoWroteEachMessage(t *testing.T) {
	h := newHarness(t)
	m := h.srv.AppMentionEvent("C1", "U1", brief)
	h.srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	h.srv.SendEventsAPI(h.srv.MessageEvent("C1", "U2", "make it 8k", m.TS()))
	h.waitPlan(t, "C1", m.TS(), 2)
	th := h.thread(t, "C1", m.TS())
	if got := th.Participants(); !slices.Equal(got, []string{"U1", "U2"}) {
		t.Errorf("participants = %q, want U1 then U2", got)
	}
}
