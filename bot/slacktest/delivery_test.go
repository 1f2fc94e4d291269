package slacktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/adplan/adplan/bot/slacktest"
)

// received is an envelope one of two clients received.
type received struct {
	client int // 0 or 1
	evt    socketmode.Event
}

// nextOf returns the next envelope of type typ that either client receives, skipping
// other events.
func nextOf(t *testing.T, clients []*client, typ socketmode.EventType) received {
	t.Helper()
	timeout := time.After(wait)
	for {
		var r received
		select {
		case r.evt = <-clients[0].sm.Events:
		case r.evt = <-clients[1].sm.Events:
			r.client = 1
		case <-timeout:
			t.Fatalf("no %s event within %v", typ, wait)
		}
		if r.evt.Type == typ {
			return r
		}
	}
}

// connectAll connects n socketmode clients and waits for each one's hello.
func connectAll(t *testing.T, srv *slacktest.Server, n int) []*client {
	t.Helper()
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = connect(t, srv)
		clients[i].next(t, socketmode.EventTypeHello)
	}
	if err := srv.WaitConnections(n, wait); err != nil {
		t.Fatal(err)
	}
	return clients
}

func eventIDOf(evt socketmode.Event) string {
	api, _ := evt.Data.(slackevents.EventsAPIEvent)
	cb, _ := api.Data.(*slackevents.EventsAPICallbackEvent)
	if cb == nil {
		return ""
	}
	return cb.EventID
}

func TestEnvelopesTakeTurnsOverConnections(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithRoundRobin())
	clients := connectAll(t, srv, 2)

	const n = 20
	sent := map[string]bool{}
	for i := range n {
		sent[srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", fmt.Sprintf("brief %d", i)))] = true
	}
	times := map[string]int{} // envelope ID → how often it arrived
	perClient := make([]int, len(clients))
	for len(times) < n {
		r := nextOf(t, clients, socketmode.EventTypeEventsAPI)
		id := r.evt.Request.EnvelopeID
		if !sent[id] {
			t.Fatalf("client %d got envelope %s, which was never sent", r.client, id)
		}
		times[id]++
		perClient[r.client]++
		if err := clients[r.client].sm.Ack(*r.evt.Request); err != nil {
			t.Fatal(err)
		}
	}
	for id, k := range times {
		if k != 1 {
			t.Errorf("envelope %s arrived %d times", id, k)
		}
	}
	// Two steady connections take strict turns.
	if perClient[0] != n/2 || perClient[1] != n/2 {
		t.Errorf("envelopes per connection = %v, want %d each", perClient, n/2)
	}
}

// rawClient is a bare WebSocket client of the fake's Socket Mode: unlike slack-go's, it
// neither acks nor closes its socket when told to disconnect.
type rawClient struct {
	msgs chan map[string]any // every message received, decoded
}

func dialRaw(t *testing.T, srv *slacktest.Server) *rawClient {
	t.Helper()
	_, url, err := newAPI(srv, slacktest.BotToken, slacktest.AppToken).StartSocketModeContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rawClient{msgs: make(chan map[string]any, 100)}
	go func() {
		defer close(r.msgs)
		for {
			_, data, err := ws.ReadMessage() // answers the server's pings
			if err != nil {
				return
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err == nil {
				r.msgs <- m
			}
		}
	}()
	t.Cleanup(func() {
		_ = ws.Close()
		for range r.msgs {
		}
	})
	return r
}

// next returns the raw client's next message of type typ, skipping others.
func (r *rawClient) next(t *testing.T, typ string) map[string]any {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case m, ok := <-r.msgs:
			if !ok {
				t.Fatalf("socket closed while waiting for %s", typ)
			}
			if m["type"] == typ {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s message within %v", typ, wait)
		}
	}
}

func TestEnvelopesGoToTheNewestConnectionByDefault(t *testing.T) {
	srv := slacktest.New(t)
	clients := connectAll(t, srv, 2)
	const n = 6
	for i := range n {
		srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", fmt.Sprintf("brief %d", i)))
	}
	for i := range n {
		if r := nextOf(t, clients, socketmode.EventTypeEventsAPI); r.client != 1 {
			t.Fatalf("envelope %d went to the older connection", i)
		}
	}
}

func TestRetryAvoidsTheNewestConnectionThatIgnoredIt(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithAckTimeout(100*time.Millisecond))
	clients := connectAll(t, srv, 2)
	srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "ignored"))
	if r := nextOf(t, clients, socketmode.EventTypeEventsAPI); r.client != 1 {
		t.Fatalf("the envelope went to client %d, want the newest", r.client)
	}
	if r := nextOf(t, clients, socketmode.EventTypeEventsAPI); r.client != 0 || r.evt.Request.RetryAttempt != 1 {
		t.Errorf("retry went to client %d with retry_attempt %d, want client 0, attempt 1", r.client, r.evt.Request.RetryAttempt)
	}
}

func TestDisconnectedConnectionGetsNoEnvelopes(t *testing.T) {
	// An hour's grace keeps the told-to-disconnect socket open while envelopes are sent.
	srv := slacktest.New(t, slacktest.WithRoundRobin(), slacktest.WithDisconnectGrace(time.Hour))
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)
	raw := dialRaw(t, srv)
	raw.next(t, "hello")

	// Both connections take turns…
	for i := range 2 {
		srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", fmt.Sprintf("before %d", i)))
	}
	c.next(t, socketmode.EventTypeEventsAPI)
	raw.next(t, slacktest.EnvelopeEventsAPI)

	// …until the newest, the raw one, is told to disconnect: it keeps its socket open
	// but is sent nothing more, so the other gets every envelope.
	srv.SendDisconnect("refresh_requested")
	if m := raw.next(t, "disconnect"); m["reason"] != "refresh_requested" {
		t.Errorf("disconnect = %v", m)
	}
	sent := map[string]bool{}
	for i := range 4 {
		sent[srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", fmt.Sprintf("after %d", i)))] = true
	}
	for range 4 {
		evt := c.next(t, socketmode.EventTypeEventsAPI)
		if !sent[evt.Request.EnvelopeID] {
			t.Errorf("unexpected envelope %s", evt.Request.EnvelopeID)
		}
		delete(sent, evt.Request.EnvelopeID)
	}
}

func TestUnackedEnvelopeIsRedeliveredToAnotherConnection(t *testing.T) {
	const ackTimeout = 300 * time.Millisecond
	srv := slacktest.New(t, slacktest.WithRoundRobin(), slacktest.WithAckTimeout(ackTimeout))
	clients := connectAll(t, srv, 2)

	// Two envelopes: one to each connection. Only the second is acked, and the turn is the
	// first connection's again when the first envelope's retry is due.
	envID := srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", "1700000000.000100"))
	other := srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "make it 8k", "1700000000.000100"))
	var first received
	for range 2 {
		r := nextOf(t, clients, socketmode.EventTypeEventsAPI)
		switch r.evt.Request.EnvelopeID {
		case envID:
			first = r // not acked
		case other:
			if err := clients[r.client].sm.Ack(*r.evt.Request); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("got envelope %s, want %s or %s", r.evt.Request.EnvelopeID, envID, other)
		}
	}
	eventID := eventIDOf(first.evt)
	otherAck, err := srv.WaitAck(other, wait)
	if err != nil {
		t.Fatal(err)
	}

	retry := nextOf(t, clients, socketmode.EventTypeEventsAPI)
	req := retry.evt.Request
	if req.EnvelopeID == envID || req.RetryAttempt != 1 || req.RetryReason != "timeout" {
		t.Errorf("retry envelope = %+v, want a new id, retry_attempt 1, retry_reason timeout", req)
	}
	if got := eventIDOf(retry.evt); eventID == "" || got != eventID || srv.EventID(req.EnvelopeID) != eventID {
		t.Errorf("retry event_id = %q, want %q", got, eventID)
	}
	if retry.client == first.client {
		t.Errorf("the retry went to client %d again, with another connection open", retry.client)
	}
	if err := clients[retry.client].sm.Ack(*req); err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(req.EnvelopeID, wait)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Redelivered(); n < 1 {
		t.Errorf("Redelivered = %d after a retry arrived", n)
	}
	// An ack in time ends the retries; a machine too slow to ack in time is not a failure.
	if ack.Latency < ackTimeout && otherAck.Latency < ackTimeout {
		if got := srv.SentAt(req.EnvelopeID); got.IsZero() {
			t.Error("SentAt of the retry is zero")
		}
		waitPast(srv.SentAt(req.EnvelopeID).Add(2 * ackTimeout))
		if n := srv.Redelivered(); n != 1 {
			t.Errorf("Redelivered = %d, want 1: an acked retry was retried", n)
		}
	}
}

func TestRetriesStopAtThreeAndSpareAckedEnvelopes(t *testing.T) {
	const ackTimeout = 300 * time.Millisecond
	srv := slacktest.New(t, slacktest.WithAckTimeout(ackTimeout))
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)

	ackedEnv := srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "acked"))
	evt := c.next(t, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != ackedEnv {
		t.Fatalf("got %s, want %s", evt.Request.EnvelopeID, ackedEnv)
	}
	ackedEvent := eventIDOf(evt)
	if err := c.sm.Ack(*evt.Request); err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(ackedEnv, wait)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Latency >= ackTimeout {
		t.Skipf("the ack took %v, longer than the ack timeout (%v): this machine is too slow for the test", ack.Latency, ackTimeout)
	}

	ignored := srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "ignored"))
	evt = c.next(t, socketmode.EventTypeEventsAPI)
	ignoredEvent := eventIDOf(evt)
	seen := map[string]bool{ignored: true}
	var last string
	for attempt := 1; attempt <= slacktest.MaxAckRetries; attempt++ {
		evt := c.next(t, socketmode.EventTypeEventsAPI) // never acked
		req := evt.Request
		if got := eventIDOf(evt); got == ackedEvent {
			t.Fatalf("the acked event was redelivered (attempt %d)", req.RetryAttempt)
		} else if got != ignoredEvent {
			t.Fatalf("retry %d carries event %q, want %q", attempt, got, ignoredEvent)
		}
		if req.RetryAttempt != attempt || req.RetryReason != "timeout" || seen[req.EnvelopeID] {
			t.Errorf("retry %d = %+v", attempt, req)
		}
		seen[req.EnvelopeID] = true
		last = req.EnvelopeID
	}
	// A fourth retry would be due an ack timeout after the third was written.
	waitPast(srv.SentAt(last).Add(3 * ackTimeout))
	select {
	case evt := <-c.sm.Events:
		if evt.Type == socketmode.EventTypeEventsAPI {
			t.Errorf("a retry after the third: envelope %s, retry_attempt %d", evt.Request.EnvelopeID, evt.Request.RetryAttempt)
		}
	default:
	}
	if n := srv.Redelivered(); n != slacktest.MaxAckRetries {
		t.Errorf("Redelivered = %d, want %d", n, slacktest.MaxAckRetries)
	}
}

func TestSlashCommandsAndInteractionsAreRetried(t *testing.T) {
	srv := slacktest.New(t, slacktest.WithAckTimeout(100*time.Millisecond))
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)
	tests := []struct {
		name string
		send func() string
		typ  socketmode.EventType
	}{
		{"slash command", func() string { return srv.SendSlashCommand(srv.SlashCommand("C1", "U1", "brief")) },
			socketmode.EventTypeSlashCommand},
		{"block action", func() string {
			return srv.SendInteraction(srv.BlockAction("C1", "U1", "1700000000.000500", "", "approve", "1", "b"))
		}, socketmode.EventTypeInteractive},
	}
	for _, tt := range tests {
		envID := tt.send()
		first := c.next(t, tt.typ)
		retry := c.next(t, tt.typ)
		if first.Request.EnvelopeID != envID || retry.Request.EnvelopeID == envID ||
			retry.Request.RetryAttempt != 1 || retry.Request.RetryReason != "timeout" ||
			retry.Request.AcceptsResponsePayload != first.Request.AcceptsResponsePayload ||
			string(retry.Request.Payload) != string(first.Request.Payload) {
			t.Errorf("%s: first %+v, retry %+v", tt.name, first.Request, retry.Request)
		}
		// Ack the rest, so the next case starts clean.
		for _, req := range []*socketmode.Request{first.Request, retry.Request} {
			if err := c.sm.Ack(*req); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := srv.WaitAck(retry.Request.EnvelopeID, wait); err != nil {
			t.Fatal(err)
		}
		drain(c)
	}
}

func TestNoRetriesByDefault(t *testing.T) {
	srv := slacktest.New(t)
	c := connect(t, srv)
	c.next(t, socketmode.EventTypeHello)
	envID := srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "never acked"))
	c.next(t, socketmode.EventTypeEventsAPI)
	// Slack retries after 3s; the fake without WithAckTimeout never does.
	waitPast(srv.SentAt(envID).Add(500 * time.Millisecond))
	if n := srv.Redelivered(); n != 0 {
		t.Errorf("Redelivered = %d without WithAckTimeout", n)
	}
	select {
	case evt := <-c.sm.Events:
		if evt.Type == socketmode.EventTypeEventsAPI {
			t.Errorf("redelivered without WithAckTimeout: %+v", evt.Request)
		}
	default:
	}
}

// waitPast sleeps until t has passed. It only ever waits at least so long: a test uses
// it to give something that must not happen the time to happen.
func waitPast(t time.Time) {
	time.Sleep(time.Until(t))
}

// drain discards the events c has received and not read.
func drain(c *client) {
	for {
		select {
		case <-c.sm.Events:
		default:
			return
		}
	}
}
