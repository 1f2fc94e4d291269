package slacktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/adplan/adplan/bot/slacktest"
)

const wait = 5 * time.Second

// client is the real slack-go Web API and Socket Mode client, running against srv.
type client struct {
	api *slack.Client
	sm  *socketmode.Client
}

func newAPI(srv *slacktest.Server, botToken, appToken string) *slack.Client {
	return slack.New(botToken, slack.OptionAppLevelToken(appToken), slack.OptionAPIURL(srv.URL()))
}

// connect runs a socketmode client until the test ends.
func connect(t *testing.T, srv *slacktest.Server) *client {
	t.Helper()
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			t.Error("socketmode client did not stop")
		}
	})
	return &client{api: api, sm: sm}
}

// next returns the client's next event of type typ, skipping the others.
func (c *client) next(t *testing.T, typ socketmode.EventType) socketmode.Event {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case evt := <-c.sm.Events:
			if evt.Type == typ {
				return evt
			}
			if evt.Type == socketmode.EventTypeErrorBadMessage || evt.Type == socketmode.EventTypeIncomingError {
				t.Logf("client event %s: %+v", evt.Type, evt.Data)
			}
		case <-timeout:
			t.Fatalf("no %s event within %v", typ, wait)
		}
	}
}

func TestHelloAndEventsAPI(t *testing.T) {
	srv := slacktest.New(t)
	c := connect(t, srv)

	hello := c.next(t, socketmode.EventTypeHello)
	if hello.Request.NumConnections != 1 || hello.Request.ConnectionInfo.AppID != slacktest.AppID {
		t.Errorf("hello = %+v", hello.Request)
	}

	ev := srv.AppMentionEvent("C1", "U1", "plan reach in Germany")
	envID := srv.SendEventsAPI(ev)
	evt := c.next(t, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != envID || evt.Request.RetryAttempt != 0 || evt.Request.AcceptsResponsePayload {
		t.Errorf("envelope = %+v, want id %s, first attempt", evt.Request, envID)
	}
	api, isAPI := evt.Data.(slackevents.EventsAPIEvent)
	if !isAPI {
		t.Fatalf("data is %T", evt.Data)
	}
	if api.Type != slackevents.CallbackEvent || api.TeamID != slacktest.TeamID || api.APIAppID != slacktest.AppID {
		t.Errorf("outer event = %+v", api)
	}
	cb, isCB := api.Data.(*slackevents.EventsAPICallbackEvent)
	if !isCB || cb.EventID == "" || cb.EventID != srv.EventID(envID) {
		t.Errorf("callback = %+v, want event_id %q", api.Data, srv.EventID(envID))
	}
	mention, isMention := api.InnerEvent.Data.(*slackevents.AppMentionEvent)
	if !isMention {
		t.Fatalf("inner event is %T", api.InnerEvent.Data)
	}
	if mention.Channel != "C1" || mention.User != "U1" || mention.TimeStamp != ev.TS() ||
		mention.Text != slacktest.Mention+" plan reach in Germany" {
		t.Errorf("mention = %+v", mention)
	}

	if err := c.sm.Ack(*evt.Request); err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(envID, wait)
	if err != nil {
		t.Fatal(err)
	}
	if ack.EnvelopeID != envID || ack.Payload != nil || ack.Latency <= 0 || srv.AckLatency(envID) != ack.Latency {
		t.Errorf("ack = %+v, AckLatency %v", ack, srv.AckLatency(envID))
	}
	if got := srv.SentAt(envID); got.IsZero() || !got.Before(ack.Time) {
		t.Errorf("SentAt = %v, ack at %v", got, ack.Time)
	}
}

func TestMessageEvents(t *testing.T) {
	tests := []struct {
		give, thread string
		wantType     string
	}{
		{give: "C1", thread: "1600000000.000100", wantType: "channel"},
		{give: "D1", wantType: "im"},
	}
	srv := slacktest.New(t)
	c := connect(t, srv)
	for _, tt := range tests {
		ev := srv.MessageEvent(tt.give, "U2", "make it 60 days", tt.thread)
		srv.SendEventsAPI(ev)
		evt := c.next(t, socketmode.EventTypeEventsAPI)
		msg, isMsg := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
		if !isMsg {
			t.Fatalf("inner event is %T", evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data)
		}
		if msg.Channel != tt.give || msg.ChannelType != tt.wantType || msg.ThreadTimeStamp != tt.thread ||
			msg.TimeStamp != ev.TS() || msg.User != "U2" || msg.Text != "make it 60 days" || msg.SubType != "" {
			t.Errorf("%s: message = %+v", tt.give, msg)
		}
	}
}

func TestSlashCommand(t *testing.T) {
	srv := slacktest.New(t)
	c := connect(t, srv)

	envID := srv.SendSlashCommand(srv.SlashCommand("C1", "U1", "€5,000 for 30 days"))
	evt := c.next(t, socketmode.EventTypeSlashCommand)
	cmd, isCmd := evt.Data.(slack.SlashCommand)
	if !isCmd {
		t.Fatalf("data is %T", evt.Data)
	}
	if cmd.Command != "/adplan" || cmd.Text != "€5,000 for 30 days" || cmd.ChannelID != "C1" ||
		cmd.UserID != "U1" || cmd.TeamID != slacktest.TeamID || !evt.Request.AcceptsResponsePayload {
		t.Errorf("command = %+v, envelope %+v", cmd, evt.Request)
	}
	if err := c.sm.Ack(*evt.Request, map[string]any{"text": "working on it"}); err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(envID, wait)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ack.Payload), "working on it") {
		t.Errorf("ack payload = %s", ack.Payload)
	}

	// The response_url works with slack-go's MsgOptionResponseURL.
	if _, _, err := c.api.PostMessage("C1", slack.MsgOptionText("guide", false),
		slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral)); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.WaitCall(slacktest.MethodResponseURL, nil, wait)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "guide" || resp.Params.Get("response_type") != slack.ResponseTypeEphemeral {
		t.Errorf("response_url call = %+v", resp)
	}
}

func TestBlockAction(t *testing.T) {
	srv := slacktest.New(t)
	c := connect(t, srv)

	envID := srv.SendInteraction(srv.BlockAction("C1", "U3", "1700000000.000500", "1700000000.000400",
		"plus_30_days", "30", "revise"))
	evt := c.next(t, socketmode.EventTypeInteractive)
	cb, isCB := evt.Data.(slack.InteractionCallback)
	if !isCB {
		t.Fatalf("data is %T", evt.Data)
	}
	if cb.Type != slack.InteractionTypeBlockActions || evt.Request.AcceptsResponsePayload {
		t.Errorf("type %q, accepts_response_payload %v", cb.Type, evt.Request.AcceptsResponsePayload)
	}
	if len(cb.ActionCallback.BlockActions) != 1 {
		t.Fatalf("actions = %+v", cb.ActionCallback)
	}
	a := cb.ActionCallback.BlockActions[0]
	if a.ActionID != "plus_30_days" || a.Value != "30" || a.BlockID != "revise" || a.Type != "button" {
		t.Errorf("action = %+v", a)
	}
	if cb.Container.MessageTs != "1700000000.000500" || cb.Container.ThreadTs != "1700000000.000400" ||
		cb.Container.ChannelID != "C1" || cb.Channel.ID != "C1" || cb.User.ID != "U3" ||
		cb.Message.Timestamp != "1700000000.000500" || cb.Message.ThreadTimestamp != "1700000000.000400" ||
		!strings.HasPrefix(cb.ResponseURL, "http://") {
		t.Errorf("callback = %+v", cb)
	}
	if err := c.sm.Ack(*evt.Request); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitAck(envID, wait); err != nil {
		t.Fatal(err)
	}

	// A slack.InteractionCallback is sent as Slack would encode it.
	srv.SendInteraction(slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: "U3"}})
	evt = c.next(t, socketmode.EventTypeInteractive)
	if cb := evt.Data.(slack.InteractionCallback); cb.Type != slack.InteractionTypeViewSubmission ||
		cb.User.ID != "U3" || !evt.Request.AcceptsResponsePayload {
		t.Errorf("view submission = %+v, envelope %+v", cb, evt.Request)
	}
}

func TestWebAPI(t *testing.T) {
	srv := slacktest.New(t)
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)

	auth, err := api.AuthTest()
	if err != nil {
		t.Fatal(err)
	}
	if auth.UserID != slacktest.BotUserID || auth.BotID != slacktest.BotID || auth.TeamID != slacktest.TeamID {
		t.Errorf("auth.test = %+v", auth)
	}

	blocks := slack.MsgOptionBlocks(slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Plan v1", false, false)))
	ch, root, err := api.PostMessage("C1", slack.MsgOptionText("@alice asked: reach", false))
	if err != nil || ch != "C1" || root == "" {
		t.Fatalf("post root: %q %q %v", ch, root, err)
	}
	_, reply, err := api.PostMessage("C1", slack.MsgOptionText("plan", false), slack.MsgOptionTS(root), blocks)
	if err != nil {
		t.Fatal(err)
	}
	if reply <= root {
		t.Errorf("ts %q not after %q", reply, root)
	}
	if _, _, err := api.PostMessage("C2", slack.MsgOptionText("elsewhere", false)); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages("C1", root)
	if len(msgs) != 2 || msgs[0].TS != root || msgs[1].TS != reply || msgs[1].ThreadTS() != root {
		t.Fatalf("thread = %+v", msgs)
	}
	got, err := msgs[1].Blocks()
	if err != nil || len(got.BlockSet) != 1 || got.BlockSet[0].BlockType() != slack.MBTHeader {
		t.Errorf("blocks = %+v, %v", got, err)
	}

	if _, _, _, err := api.UpdateMessage("C1", reply, slack.MsgOptionText("superseded by v2", false)); err != nil {
		t.Errorf("chat.update: %v", err)
	}
	if _, _, _, err := api.UpdateMessage("C1", "1.000001", slack.MsgOptionText("x", false)); err == nil ||
		err.Error() != "message_not_found" {
		t.Errorf("chat.update of an unknown ts: %v", err)
	}
	ephemeral, err := api.PostEphemeral("C1", "U1", slack.MsgOptionText("guide", false))
	if err != nil || ephemeral == "" {
		t.Errorf("chat.postEphemeral: %q %v", ephemeral, err)
	}

	_, stream, err := api.StartStream("C1", slack.MsgOptionTS(root), slack.MsgOptionMarkdownText("Working"))
	if err != nil || stream == "" {
		t.Fatalf("chat.startStream: %q %v", stream, err)
	}
	if _, _, err := api.AppendStream("C1", stream, slack.MsgOptionMarkdownText("…")); err != nil {
		t.Errorf("chat.appendStream: %v", err)
	}
	if _, _, err := api.StopStream("C1", stream); err != nil {
		t.Errorf("chat.stopStream: %v", err)
	}

	if info, err := api.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "D9"}); err != nil || !info.IsIM {
		t.Errorf("conversations.info: %+v %v", info, err)
	}
	if user, err := api.GetUserInfo("U1"); err != nil || user.ID != "U1" || user.Name == "" {
		t.Errorf("users.info: %+v %v", user, err)
	}
	if _, err := api.GetEmoji(); err == nil || err.Error() != "unknown_method" {
		t.Errorf("emoji.list: %v", err)
	}
	if calls := srv.Calls("emoji.list"); len(calls) != 1 || calls[0].OK() {
		t.Errorf("recorded emoji.list = %+v", calls)
	}
	for _, m := range []string{"chat.update", "chat.postEphemeral", "chat.startStream", "chat.appendStream", "chat.stopStream"} {
		if len(srv.Calls(m)) == 0 {
			t.Errorf("no %s recorded", m)
		}
	}

	srv.Reset()
	if n := len(srv.Calls("")); n != 0 {
		t.Errorf("after Reset, %d calls", n)
	}
}

func TestWrongTokens(t *testing.T) {
	srv := slacktest.New(t)

	_, _, err := newAPI(srv, "xoxb-wrong", slacktest.AppToken).PostMessage("C1", slack.MsgOptionText("hi", false))
	if err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong bot token: %v", err)
	}
	// The app token is for apps.connections.open only.
	_, _, err = newAPI(srv, slacktest.AppToken, slacktest.AppToken).PostMessage("C1", slack.MsgOptionText("hi", false))
	if err == nil || err.Error() != "invalid_auth" {
		t.Errorf("app token on chat.postMessage: %v", err)
	}
	if len(srv.Messages("C1", "")) != 0 {
		t.Error("a refused message was listed")
	}

	for _, appToken := range []string{"xapp-wrong", slacktest.BotToken} {
		sm := socketmode.New(newAPI(srv, slacktest.BotToken, appToken))
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		go func() {
			for range sm.Events { // RunContext blocks on a full Events channel
			}
		}()
		err := sm.RunContext(ctx)
		cancel()
		close(sm.Events)
		if err == nil || err.Error() != "invalid_auth" {
			t.Errorf("app token %q: RunContext = %v, want invalid_auth", appToken, err)
		}
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("%d connections with wrong tokens", n)
	}
}

func TestDisconnectReconnects(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithDisconnectGrace(200*time.Millisecond))
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)

	srv.SendDisconnect("refresh_requested")
	if err := srv.WaitConnections(2, wait); err != nil {
		t.Fatal(err)
	}
	c.next(t, socketmode.EventTypeHello)

	envID := srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "after reconnect"))
	evt := c.next(t, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != envID {
		t.Errorf("got envelope %s, want %s", evt.Request.EnvelopeID, envID)
	}
	if err := c.sm.Ack(*evt.Request); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitAck(envID, wait); err != nil {
		t.Fatal(err)
	}
	if n := srv.Connections(); n != 2 {
		t.Errorf("Connections = %d, want 2", n)
	}
}

func TestRedeliver(t *testing.T) {
	srv := slacktest.New(t)
	c := connect(t, srv)

	first := srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "60 days", "1700000000.000100"))
	evt := c.next(t, socketmode.EventTypeEventsAPI)
	eventID := evt.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent).EventID

	retry := srv.Redeliver(first)
	if retry == "" || retry == first {
		t.Fatalf("Redeliver = %q", retry)
	}
	evt = c.next(t, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != retry || evt.Request.RetryAttempt != 1 || evt.Request.RetryReason != "timeout" {
		t.Errorf("retry envelope = %+v", evt.Request)
	}
	if got := evt.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent).EventID; got != eventID ||
		srv.EventID(retry) != eventID {
		t.Errorf("retry event_id = %q, want %q", got, eventID)
	}
	if got := srv.Redeliver(retry); got == "" {
		t.Fatal("second Redeliver failed")
	}
	if evt := c.next(t, socketmode.EventTypeEventsAPI); evt.Request.RetryAttempt != 2 {
		t.Errorf("second retry attempt = %d", evt.Request.RetryAttempt)
	}
}

func TestQueuedUntilConnected(t *testing.T) {
	srv := slacktest.New(t)
	envID := srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "early"))
	if !srv.SentAt(envID).IsZero() {
		t.Error("sent with no connection")
	}
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)
	if evt := c.next(t, socketmode.EventTypeEventsAPI); evt.Request.EnvelopeID != envID {
		t.Errorf("got %s, want %s", evt.Request.EnvelopeID, envID)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := slacktest.New(t)
	api := newAPI(srv, slacktest.BotToken, slacktest.AppToken)
	const n = 20
	waited := make(chan error, 1)
	go func() {
		_, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool { return c.Text() == "msg 17" }, wait)
		waited <- err
	}()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, _, err := api.PostMessage("C1", slack.MsgOptionText(fmt.Sprintf("msg %d", i), false)); err != nil {
				t.Error(err)
			}
			srv.NextTS()
			_ = srv.Calls("")
		})
	}
	wg.Wait()
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range srv.Messages("C1", "") {
		if seen[m.TS] {
			t.Errorf("ts %s given twice", m.TS)
		}
		seen[m.TS] = true
	}
	if len(seen) != n {
		t.Errorf("%d messages, want %d", len(seen), n)
	}
	if _, err := srv.WaitCall("chat.delete", nil, 50*time.Millisecond); err == nil {
		t.Error("WaitCall found a call that was never made")
	}
}

func TestEcho(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithEcho())
	c := connect(t, srv)
	_, ts, err := c.api.PostMessage("C1", slack.MsgOptionText("plan v1", false), slack.MsgOptionTS("1700000000.000100"))
	if err != nil {
		t.Fatal(err)
	}
	evt := c.next(t, socketmode.EventTypeEventsAPI)
	msg := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if msg.BotID != slacktest.BotID || msg.User != slacktest.BotUserID || msg.TimeStamp != ts ||
		msg.ThreadTimeStamp != "1700000000.000100" || msg.Text != "plan v1" {
		t.Errorf("echo = %+v", msg)
	}
	if _, _, _, err := c.api.UpdateMessage("C1", ts, slack.MsgOptionText("superseded", false)); err != nil {
		t.Fatal(err)
	}
	evt = c.next(t, socketmode.EventTypeEventsAPI)
	msg = evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	if msg.SubType != slack.MsgSubTypeMessageChanged || msg.Message == nil || msg.Message.Text != "superseded" {
		t.Errorf("edit echo = %+v", msg)
	}
}

func TestSendRaw(t *testing.T) {
	srv := slacktest.New(t)
	c := connect(t, srv)
	payload := json.RawMessage(`{"type":"event_callback","token":"x","team_id":"T1","api_app_id":"A1",` +
		`"event_id":"EvRAW","event_time":1700000000,"event":{"type":"app_mention","user":"U1","text":"raw","channel":"C1","ts":"1.000100"}}`)
	envID := srv.Send(slacktest.EnvelopeEventsAPI, payload, slacktest.WithRetry(3, "http_error"), slacktest.WithEnvelopeID("env-raw"))
	evt := c.next(t, socketmode.EventTypeEventsAPI)
	if envID != "env-raw" || evt.Request.EnvelopeID != envID || evt.Request.RetryAttempt != 3 || evt.Request.RetryReason != "http_error" {
		t.Errorf("envelope = %+v", evt.Request)
	}
	if cb := evt.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent); cb.EventID != "EvRAW" {
		t.Errorf("event_id = %q", cb.EventID)
	}
}

// TestNoLeaks checks that the server's goroutines are gone once a test using it has ended.
func TestNoLeaks(t *testing.T) {
	t.Run("use", func(t *testing.T) {
		srv := slacktest.New(t, slacktest.WithPingInterval(10*time.Millisecond), slacktest.WithDisconnectGrace(time.Hour),
			slacktest.WithAckTimeout(10*time.Millisecond))
		c := connect(t, srv)
		c.next(t, socketmode.EventTypeHello)
		srv.SendDisconnect("refresh_requested")
		if err := srv.WaitConnections(2, wait); err != nil {
			t.Fatal(err)
		}
		srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "x"))
		c.next(t, socketmode.EventTypeEventsAPI)
		c.next(t, socketmode.EventTypeEventsAPI) // its retry: the redelivery loop is running
		_, _ = srv.WaitAck("never", time.Millisecond)
	})
	waitNoServerGoroutines(t)
}

// waitNoServerGoroutines fails the test unless every goroutine of a slacktest.Server ends
// within the generous wait.
func waitNoServerGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "bot/slacktest.(*Server)") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server goroutines still running:\n%s", stacks)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWaitAfterClose(t *testing.T) {
	srv := slacktest.New(t)
	srv.Close()
	if _, err := srv.WaitAck("x", wait); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("WaitAck after Close = %v", err)
	}
	if _, err := newAPI(srv, slacktest.BotToken, slacktest.AppToken).AuthTest(); err == nil {
		t.Error("Web API still answers after Close")
	}
}

// recordingTB stands for a test: it keeps what New reports through Errorf instead of
// failing the real test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestNewServerRecordsMisuse(t *testing.T) {
	srv := slacktest.NewServer()
	if auth, err := newAPI(srv, slacktest.BotToken, slacktest.AppToken).AuthTest(); err != nil || auth.UserID != slacktest.BotUserID {
		t.Errorf("auth.test = %+v, %v", auth, err)
	}
	if errs := srv.Errors(); len(errs) != 0 {
		t.Errorf("Errors before any misuse = %v", errs)
	}
	if got := srv.Redeliver("no-such-envelope"); got != "" {
		t.Errorf("Redeliver of an unknown envelope = %q", got)
	}
	srv.SendDisconnect("refresh_requested") // no connection
	if got := srv.SendEventsAPI("not json"); got != "" {
		t.Errorf("SendEventsAPI of a bad event = %q", got)
	}
	errs := srv.Errors()
	want := []string{"Redeliver: no envelope \"no-such-envelope\"", "SendDisconnect: no open connection", "SendEventsAPI:"}
	if len(errs) != len(want) {
		t.Fatalf("Errors = %v, want %d", errs, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), "slacktest: "+w) {
			t.Errorf("error %d = %q, want it to start with %q", i, errs[i], "slacktest: "+w)
		}
	}

	// Its caller closes it; then every goroutine it started is gone.
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)
	srv.Close()
	srv.Close()
	waitNoServerGoroutines(t)
}

func TestNewReportsMisuseToTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	srv := slacktest.New(rec)
	srv.Redeliver("no-such-envelope")
	rec.mu.Lock()
	reported := append([]string(nil), rec.errors...)
	rec.mu.Unlock()
	if len(reported) != 1 || !strings.Contains(reported[0], `Redeliver: no envelope "no-such-envelope"`) {
		t.Errorf("t.Errorf got %q", reported)
	}
	if errs := srv.Errors(); len(errs) != 1 || errs[0].Error() != reported[0] {
		t.Errorf("Errors = %v, reported %q", errs, reported)
	}
}
