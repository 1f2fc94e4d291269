package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// The Socket Mode envelope types.
const (
	EnvelopeEventsAPI     = "events_api"
	EnvelopeSlashCommands = "slash_commands"
	EnvelopeInteractive   = "interactive"
)

// Ack is an acknowledgement the client sent over the socket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack carried none
	Time       time.Time       // when it arrived
	// Latency is the time from the envelope's write to the socket to the ack's arrival.
	Latency time.Duration
}

// envelope is a Socket Mode request as Slack sends it.
type envelope struct {
	EnvelopeID             string          `json:"envelope_id"`
	Type                   string          `json:"type"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
	Payload                json.RawMessage `json:"payload"`

	eventID     string    // events_api only
	sentAt      time.Time // last write to a socket
	conn        *wsConn   // the connection of that write
	watched     bool      // in Server.unacked
	autoRetries int       // automatic redeliveries before this one, in its chain
}

// acked reports whether Slack expects an ack of an envelope of type typ, and so retries it.
func acked(typ string) bool {
	return typ == EnvelopeEventsAPI || typ == EnvelopeSlashCommands || typ == EnvelopeInteractive
}

// SendOption adjusts an envelope before it is sent.
type SendOption func(*envelope)

// WithRetry marks the envelope as Slack's attempt number attempt, for reason ("timeout", …).
func WithRetry(attempt int, reason string) SendOption {
	return func(e *envelope) { e.RetryAttempt, e.RetryReason = attempt, reason }
}

// WithAcceptsResponsePayload sets accepts_response_payload.
func WithAcceptsResponsePayload(accepts bool) SendOption {
	return func(e *envelope) { e.AcceptsResponsePayload = accepts }
}

// WithEnvelopeID sets the envelope ID instead of a fresh one.
func WithEnvelopeID(id string) SendOption { return func(e *envelope) { e.EnvelopeID = id } }

// Send wraps payload in a Socket Mode envelope of envelopeType and writes it to the newest
// open connection (with WithRoundRobin, to the one whose turn it is), or, when none is up,
// queues it for the next connection (after its hello). It returns the envelope ID.
func (s *Server) Send(envelopeType string, payload json.RawMessage, opts ...SendOption) string {
	env := &envelope{Type: envelopeType, Payload: payload}
	env.AcceptsResponsePayload = envelopeType == EnvelopeSlashCommands
	for _, opt := range opts {
		opt(env)
	}
	return s.send(env, nil)
}

// send registers env under a fresh ID unless it has one and delivers it, to a connection
// other than avoid when another is open.
func (s *Server) send(env *envelope, avoid *wsConn) string {
	s.mu.Lock()
	if env.EnvelopeID == "" {
		s.envSeq++
		env.EnvelopeID = fmt.Sprintf("5e1acc0d-0000-4000-8000-%012d", s.envSeq)
	}
	s.envelopes[env.EnvelopeID] = env
	s.mu.Unlock()
	s.deliver(env, avoid)
	return env.EnvelopeID
}

// SendEventsAPI sends an events_api envelope. event is the inner event (an Event from
// MessageEvent or AppMentionEvent, a map, a slackevents struct, or JSON), which is wrapped in
// an event_callback (token, team_id, api_app_id, event, type, event_id, event_time,
// authorizations) as Slack does; a payload that already is an event_callback is sent as it is.
func (s *Server) SendEventsAPI(event any, opts ...SendOption) string {
	inner, err := toMap(event)
	if err != nil {
		s.errorf("SendEventsAPI: %v", err)
		return ""
	}
	callback := inner
	if inner["type"] != "event_callback" {
		s.mu.Lock()
		s.eventSeq++
		// Slack's event ids are unique across the whole platform; the tag keeps two
		// fakes sharing one store (two replicas) from minting the same ids.
		eventID := fmt.Sprintf("Ev%s%06d", s.tag, s.eventSeq)
		s.mu.Unlock()
		callback = map[string]any{
			"token": VerificationToken, "team_id": TeamID, "context_team_id": TeamID,
			"api_app_id": AppID, "event": inner, "type": "event_callback",
			"event_id": eventID, "event_time": eventTime(inner),
			"authorizations": []map[string]any{{
				"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID,
				"is_bot": true, "is_enterprise_install": false,
			}},
			"is_ext_shared_channel": false,
			"event_context":         "4-" + eventID,
		}
	}
	payload, err := json.Marshal(callback)
	if err != nil {
		s.errorf("SendEventsAPI: %v", err)
		return ""
	}
	eventID, _ := callback["event_id"].(string)
	return s.Send(EnvelopeEventsAPI, payload, append(opts, withEventID(eventID))...)
}

func withEventID(id string) SendOption { return func(e *envelope) { e.eventID = id } }

// SendSlashCommand sends a slash_commands envelope. A slack.SlashCommand (see SlashCommand) is
// encoded as Slack does, every field a string (is_enterprise_install "false"); anything else is
// sent as its JSON.
func (s *Server) SendSlashCommand(cmd any, opts ...SendOption) string {
	var v any = cmd
	switch c := cmd.(type) {
	case slack.SlashCommand:
		v = slashPayload(c)
	case *slack.SlashCommand:
		v = slashPayload(*c)
	}
	payload, err := toJSON(v)
	if err != nil {
		s.errorf("SendSlashCommand: %v", err)
		return ""
	}
	return s.Send(EnvelopeSlashCommands, payload, opts...)
}

// SendInteraction sends an interactive envelope: callback is a slack.InteractionCallback, an
// Event from BlockAction, a map or JSON. accepts_response_payload is false for block_actions
// and true for the rest (view submissions, shortcuts), as with Slack.
func (s *Server) SendInteraction(callback any, opts ...SendOption) string {
	if c, isCallback := callback.(slack.InteractionCallback); isCallback {
		callback = &c // its MarshalJSON has a pointer receiver
	}
	payload, err := toJSON(callback)
	if err != nil {
		s.errorf("SendInteraction: %v", err)
		return ""
	}
	var head struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(payload, &head)
	opts = append([]SendOption{WithAcceptsResponsePayload(head.Type != string(slack.InteractionTypeBlockActions))}, opts...)
	return s.Send(EnvelopeInteractive, payload, opts...)
}

// Redeliver sends an earlier envelope again as Slack's retry: the same payload (so the same
// event_id) with retry_attempt one higher and retry_reason "timeout", under a new envelope ID,
// which it returns.
func (s *Server) Redeliver(envelopeID string) string {
	s.mu.Lock()
	old := s.envelopes[envelopeID]
	s.mu.Unlock()
	if old == nil {
		s.errorf("Redeliver: no envelope %q", envelopeID)
		return ""
	}
	return s.send(retryOf(old, old.autoRetries), nil)
}

// retryOf is Slack's next attempt at old: the same payload under a new envelope ID.
func retryOf(old *envelope, autoRetries int) *envelope {
	return &envelope{
		Type: old.Type, AcceptsResponsePayload: old.AcceptsResponsePayload,
		RetryAttempt: old.RetryAttempt + 1, RetryReason: "timeout", Payload: old.Payload,
		eventID: old.eventID, autoRetries: autoRetries,
	}
}

// Redelivered is how many envelopes WithAckTimeout has sent again because their ack was
// late (Redeliver's retries are not counted).
func (s *Server) Redelivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.redelivered
}

// retryUnacked is the WithAckTimeout loop: it sends again each envelope whose ack is late,
// until the server closes.
func (s *Server) retryUnacked() {
	timer := time.NewTimer(s.ackTimeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		now := time.Now()
		var due []*envelope
		var avoid []*wsConn
		next := time.Duration(-1) // until the next ack is due; -1 while none is awaited
		waiting := s.unacked[:0]
		for _, env := range s.unacked {
			if _, ok := s.ackByEnv[env.EnvelopeID]; ok {
				env.watched = false
				continue
			}
			if left := env.sentAt.Add(s.ackTimeout).Sub(now); left > 0 {
				waiting = append(waiting, env)
				if next < 0 || left < next {
					next = left
				}
				continue
			}
			env.watched = false
			if env.autoRetries < MaxAckRetries {
				due = append(due, retryOf(env, env.autoRetries+1))
				avoid = append(avoid, env.conn)
				s.redelivered++
			}
		}
		clear(s.unacked[len(waiting):]) // let the dropped envelopes go
		s.unacked = waiting
		s.mu.Unlock()

		for i, env := range due {
			s.send(env, avoid[i])
		}
		var expired <-chan time.Time
		if next >= 0 {
			timer.Reset(next)
			expired = timer.C
		}
		select {
		case <-s.done:
			return
		case <-s.kick: // a newly written envelope to watch
		case <-expired:
		}
	}
}

// EventID is the event_id inside an events_api envelope ("" for other envelopes).
func (s *Server) EventID(envelopeID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if env := s.envelopes[envelopeID]; env != nil {
		return env.eventID
	}
	return ""
}

// SentAt is when the envelope was last written to a socket (zero while it is queued).
func (s *Server) SentAt(envelopeID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if env := s.envelopes[envelopeID]; env != nil {
		return env.sentAt
	}
	return time.Time{}
}

// SendDisconnect sends {"type":"disconnect","reason":reason} on the newest connection not
// yet told to disconnect, as Slack does before it rotates a socket ("refresh_requested",
// "warning", "link_disabled"), and closes that socket once the client has (or after the
// disconnect grace). From now on envelopes go to the other open connections, among them the
// client's next one.
func (s *Server) SendDisconnect(reason string) {
	s.mu.Lock()
	c := s.newestLocked()
	if c != nil {
		c.disconnected = true
	}
	s.mu.Unlock()
	if c == nil {
		s.errorf("SendDisconnect: no open connection")
		return
	}
	msg := map[string]any{
		"type": "disconnect", "reason": reason,
		"debug_info": map[string]any{"host": "applink-slacktest"},
	}
	if err := c.writeJSON(msg); err != nil {
		_ = c.ws.Close()
	}
	close(c.disconnect)
}

// DropConnections closes every open socket at once, with no disconnect envelope and
// no close frame, as a network failure or a Slack host going away would. Envelopes
// sent from now on wait for the client's next connection.
func (s *Server) DropConnections() {
	s.mu.Lock()
	var conns []*wsConn
	for _, c := range s.live {
		if !c.disconnected {
			c.disconnected = true
			conns = append(conns, c)
		}
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.UnderlyingConn().Close()
	}
}

// WaitAck waits for the client's ack of an envelope.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) (Ack, error) {
	var ack Ack
	err := s.waitFor(timeout, "the ack of envelope "+envelopeID, func() bool {
		var found bool
		ack, found = s.ackByEnv[envelopeID]
		return found
	})
	return ack, err
}

// AckLatency is the time from the envelope's write to the socket to the arrival of its ack; 0
// when it has not been acked.
func (s *Server) AckLatency(envelopeID string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ackByEnv[envelopeID].Latency
}

// Acks returns every ack received, in arrival order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// wsConn is one Socket Mode connection.
type wsConn struct {
	ws         *websocket.Conn
	wmu        sync.Mutex    // serialises data writes (gorilla allows one writer)
	disconnect chan struct{} // closed by SendDisconnect
	done       chan struct{} // closed when the read loop ends
	// disconnected is set (under Server.mu) once the socket is told to disconnect, has
	// failed a write or has been closed: no envelope is written to it after that.
	disconnected bool
}

func (c *wsConn) writeJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.write(b)
}

// write writes one text message; c.wmu must be held.
func (c *wsConn) write(b []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// newestLocked is the newest connection not told to disconnect, nil when there is none.
func (s *Server) newestLocked() *wsConn {
	for i := len(s.live) - 1; i >= 0; i-- {
		if !s.live[i].disconnected {
			return s.live[i]
		}
	}
	return nil
}

// pickLocked chooses the connection for the next envelope among those open and not told to
// disconnect: the newest, or with WithRoundRobin each in turn. avoid is passed over when
// another connection is open. nil when none is.
func (s *Server) pickLocked(avoid *wsConn) *wsConn {
	open := make([]*wsConn, 0, len(s.live))
	for _, c := range s.live {
		if !c.disconnected && c != avoid {
			open = append(open, c)
		}
	}
	if len(open) == 0 {
		if avoid == nil || avoid.disconnected {
			return nil
		}
		return avoid // still open: a closed socket is marked disconnected before it leaves s.live
	}
	if !s.roundRobin {
		return open[len(open)-1]
	}
	s.turn++
	return open[s.turn%len(open)]
}

// deliver writes env to the connection pickLocked chooses (other than avoid when it can),
// trying another when a write fails, or queues it until a connection is up.
func (s *Server) deliver(env *envelope, avoid *wsConn) {
	for {
		s.mu.Lock()
		c := s.pickLocked(avoid)
		if c == nil {
			if !s.closed {
				s.pending = append(s.pending, env)
			}
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		c.wmu.Lock()
		written := s.writeEnvelope(c, env)
		c.wmu.Unlock()
		if written {
			return
		}
	}
}

// writeEnvelope writes env to c, which the caller has locked. It reports false when the
// write failed, leaving env for the caller to deliver elsewhere; c is then closed and marked
// disconnected. An envelope that does not encode is reported and dropped (true).
func (s *Server) writeEnvelope(c *wsConn, env *envelope) bool {
	b, err := json.Marshal(env)
	if err != nil {
		s.errorf("encoding envelope: %v", err)
		return true
	}
	s.mu.Lock()
	env.sentAt = time.Now()
	env.conn = c
	s.mu.Unlock()
	if err := c.write(b); err != nil {
		_ = c.ws.Close()
		s.mu.Lock()
		c.disconnected = true
		s.mu.Unlock()
		return false
	}
	if s.ackTimeout > 0 && acked(env.Type) {
		s.mu.Lock()
		if !env.watched && !s.closed {
			env.watched = true
			s.unacked = append(s.unacked, env)
		}
		s.mu.Unlock()
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return true
}

var upgrader = websocket.Upgrader{
	// slack-go dials with "Origin: https://api.slack.com".
	CheckOrigin: func(*http.Request) bool { return true },
}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	ticket := r.URL.Query().Get("ticket")
	valid := s.tickets[ticket]
	delete(s.tickets, ticket) // a ticket is good for one connection
	if valid {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if !valid {
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	defer s.wg.Done()

	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &wsConn{ws: ws, disconnect: make(chan struct{}), done: make(chan struct{})}
	defer ws.Close()

	// hello first, then whatever was queued, before anyone else may write to c.
	c.wmu.Lock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.wmu.Unlock()
		return
	}
	s.live = append(s.live, c)
	s.connections++
	hello := map[string]any{
		"type": "hello", "num_connections": len(s.live),
		"debug_info": map[string]any{
			"host": "applink-slacktest", "build_number": 1, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	}
	queued := s.pending
	s.pending = nil
	s.mu.Unlock()
	b, _ := json.Marshal(hello)
	if err := c.write(b); err == nil {
		_ = ws.WriteControl(websocket.PingMessage, []byte("hello"), time.Now().Add(5*time.Second))
	}
	var unsent []*envelope
	for _, env := range queued {
		if !s.writeEnvelope(c, env) {
			unsent = append(unsent, env)
		}
	}
	c.wmu.Unlock()
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
	for _, env := range unsent {
		s.deliver(env, nil)
	}

	keeperDone := make(chan struct{})
	go func() {
		defer close(keeperDone)
		s.keep(c)
	}()
	s.readAcks(c)
	s.mu.Lock()
	c.disconnected = true // the socket is gone: no more envelopes for it
	s.mu.Unlock()
	close(c.done)
	<-keeperDone

	s.mu.Lock()
	for i, l := range s.live {
		if l == c {
			s.live = append(s.live[:i], s.live[i+1:]...)
			break
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
}

// keep pings c as Slack does, and closes it a grace period after a disconnect envelope.
func (s *Server) keep(c *wsConn) {
	ticker := time.NewTicker(s.pingInterval)
	defer ticker.Stop()
	disconnect := c.disconnect
	var grace <-chan time.Time
	for {
		select {
		case <-c.done:
			return
		case <-ticker.C:
			_ = c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second))
		case <-disconnect:
			disconnect = nil
			timer := time.NewTimer(s.disconnectGrace)
			defer timer.Stop()
			grace = timer.C
		case <-grace:
			grace = nil
			_ = c.ws.Close()
		}
	}
}

// readAcks records the client's acks until the connection ends.
func (s *Server) readAcks(c *wsConn) {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		var res struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(data, &res); err != nil || res.EnvelopeID == "" {
			continue
		}
		ack := Ack{EnvelopeID: res.EnvelopeID, Payload: res.Payload, Time: now}
		s.mu.Lock()
		if env := s.envelopes[res.EnvelopeID]; env != nil && !env.sentAt.IsZero() {
			ack.Latency = now.Sub(env.sentAt)
		}
		s.acks = append(s.acks, ack)
		if _, seen := s.ackByEnv[ack.EnvelopeID]; !seen {
			s.ackByEnv[ack.EnvelopeID] = ack
		}
		s.notifyLocked()
		s.mu.Unlock()
	}
}

func toJSON(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case json.RawMessage:
		return v, nil
	case []byte:
		return v, nil
	case string:
		return json.RawMessage(v), nil
	}
	return json.Marshal(v)
}

func toMap(v any) (map[string]any, error) {
	if e, isEvent := v.(Event); isEvent {
		v = map[string]any(e)
	}
	if m, isMap := v.(map[string]any); isMap {
		return m, nil
	}
	b, err := toJSON(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("event is not a JSON object: %w", err)
	}
	return m, nil
}

func slashPayload(c slack.SlashCommand) map[string]string {
	return map[string]string{
		"token": c.Token, "team_id": c.TeamID, "team_domain": c.TeamDomain,
		"channel_id": c.ChannelID, "channel_name": c.ChannelName,
		"user_id": c.UserID, "user_name": c.UserName, "command": c.Command, "text": c.Text,
		"api_app_id": c.APIAppID, "is_enterprise_install": fmt.Sprint(c.IsEnterpriseInstall),
		"response_url": c.ResponseURL, "trigger_id": c.TriggerID,
	}
}
