// Package slacktest is a fake Slack for end-to-end tests: one httptest server that answers the
// Web API calls a bot makes and speaks Socket Mode over a real WebSocket, so the real slack-go
// client (and its socketmode client) can be driven from a test.
//
//	srv := slacktest.New(t)
//	api := slack.New(slacktest.BotToken,
//		slack.OptionAppLevelToken(slacktest.AppToken),
//		slack.OptionAPIURL(srv.URL()))
//	client := socketmode.New(api)
//	go client.RunContext(ctx)
//	env := srv.SendEventsAPI(srv.AppMentionEvent("C1", "U1", "plan something"))
//	ack, err := srv.WaitAck(env, time.Second)
//	msg, err := srv.WaitCall("chat.postMessage", nil, time.Second)
//
// As with Slack, an app may hold several Socket Mode connections at once (replicas of a bot).
// By default every envelope goes to the newest open one, so envelopes arrive in the order a
// test sends them; WithRoundRobin spreads them over all open connections as Slack does.
// Slack's other harsh habits are there on demand too: redelivery of envelopes not acked in
// time (WithAckTimeout), rate limits per method (WithRateLimit, FailNext) and socket
// rotation (SendDisconnect).
//
// New closes the server on t.Cleanup; NewServer runs it outside a test (a load generator),
// and its caller closes it. Every method is safe for concurrent use.
package slacktest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The identities of the fake workspace and of the bot installed in it.
const (
	// BotToken is the only bot token (xoxb-…) the Web API accepts.
	BotToken = "xoxb-1111-2222-slacktest"
	// AppToken is the only app-level token (xapp-…) apps.connections.open accepts.
	AppToken = "xapp-1-A1-3333-slacktest"

	TeamID     = "T1"
	TeamDomain = "adplan-test"
	AppID      = "A1"
	BotUserID  = "UBOT"
	BotID      = "BBOT"

	// VerificationToken is the (deprecated) token Slack puts in every payload.
	VerificationToken = "slacktest-verification-token"
)

// Mention is how the bot is mentioned in message text ("<@UBOT>").
const Mention = "<@" + BotUserID + ">"

// Option configures a Server.
type Option func(*Server)

// WithPingInterval sets how often the server sends WebSocket pings (default 5s). slack-go
// reconnects when it hears no ping for 30s (socketmode.OptionPingInterval).
func WithPingInterval(d time.Duration) Option { return func(s *Server) { s.pingInterval = d } }

// WithDisconnectGrace sets how long after a disconnect envelope the server waits for the client
// to close the socket before closing it itself (default 1s).
func WithDisconnectGrace(d time.Duration) Option { return func(s *Server) { s.disconnectGrace = d } }

// WithEcho makes the fake behave like a workspace where the bot subscribes to message events:
// each chat.postMessage is echoed back as a "message" event with bot_id set, and each
// chat.update as a "message" event with subtype "message_changed". The bot must ignore them.
func WithEcho() Option { return func(s *Server) { s.echo = true } }

// WithRoundRobin makes the open connections not told to disconnect take turns at
// envelopes, as Slack spreads an app's envelopes over its Socket Mode connections (up to
// 10). Then two replicas of a bot each get some of a thread's messages, and the order the
// test sent them in is no longer the order they are handled in. Without it every envelope
// goes to the newest open connection.
func WithRoundRobin() Option { return func(s *Server) { s.roundRobin = true } }

// WithAckTimeout makes the fake retry as Slack does (Slack waits 3s): an events_api,
// slash_commands or interactive envelope not acked d after it was written to a socket is
// sent again as Redeliver sends it (same payload and event_id, retry_attempt one higher,
// retry_reason "timeout", a new envelope ID), to another open connection when there is
// one, at most MaxAckRetries times per original envelope. d <= 0 (the default) turns
// automatic retries off. See Redelivered.
func WithAckTimeout(d time.Duration) Option { return func(s *Server) { s.ackTimeout = d } }

// MaxAckRetries is how many times WithAckTimeout retries one envelope, as Slack does.
const MaxAckRetries = 3

// WithRateLimit makes method answer HTTP 429 (with Retry-After) to a call that would be the
// (limit+1)th served within any sliding window, as Slack enforces its tiered limits per
// method per app per workspace. Calls answered 429 do not count against the window. Give
// it once per method; a later one for the same method replaces the earlier. See RateLimited.
func WithRateLimit(method string, limit int, window time.Duration) Option {
	return func(s *Server) { s.limits[method] = &rateLimit{limit: limit, window: window} }
}

// Server is a fake Slack. Create it with New in a test, or NewServer elsewhere.
type Server struct {
	// tag makes this fake's event ids unique among fakes.
	tag             string
	t               testing.TB // nil for NewServer: errors are only recorded
	http            *httptest.Server
	pingInterval    time.Duration
	disconnectGrace time.Duration
	echo            bool
	roundRobin      bool
	ackTimeout      time.Duration

	// wg counts the WebSocket handlers (hijacked, so httptest does not wait for them) and
	// the redelivery loop.
	wg   sync.WaitGroup
	done chan struct{} // closed by Close
	kick chan struct{} // wakes the redelivery loop when an envelope is written

	mu          sync.Mutex
	closed      bool
	changed     chan struct{} // closed and replaced on every change; see waitFor
	errs        []error
	calls       []Call
	acks        []Ack
	ackByEnv    map[string]Ack
	envelopes   map[string]*envelope
	pending     []*envelope // envelopes pushed while no connection was up
	unacked     []*envelope // written, awaiting their ack (only WithAckTimeout)
	redelivered int
	live        []*wsConn // open WebSocket connections, oldest first
	turn        int       // WithRoundRobin's position over the open connections
	tickets     map[string]bool
	connections int // WebSocket connections accepted so far
	tsSeq       int64
	envSeq      int
	eventSeq    int
	respSeq     int
	faults      map[string][]Fault    // by method, served in order before real answers
	limits      map[string]*rateLimit // by method, from WithRateLimit
	rateLimited map[string]int        // 429s served, by method
	storms      map[string]storm      // by method, from Storm
	store       messageStore
}

// Fault is an HTTP failure the fake serves instead of answering a Web API call: a 429
// with Retry-After (Slack's rate limit) or a 5xx.
type Fault struct {
	Status     int
	RetryAfter time.Duration
}

// FailNext makes the next len(faults) calls of method fail as given, in order, before
// the method answers normally again. Failed calls are recorded with Error set to the
// status (e.g. "http 429").
func (s *Server) FailNext(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == nil {
		s.faults = map[string][]Fault{}
	}
	s.faults[method] = append(s.faults[method], faults...)
}

// storm is a time box in which every call of a method is answered 429 (Storm).
type storm struct {
	until      time.Time
	retryAfter time.Duration
}

// Storm makes every call of method answer HTTP 429 with Retry-After retryAfter for the
// next d, as Slack does when an app is over its limit for a while, then answer normally
// again: a storm, unlike WithRateLimit, lets no call through. A later Storm for the
// same method replaces the earlier. Refused calls count in RateLimited.
func (s *Server) Storm(method string, d, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.storms == nil {
		s.storms = map[string]storm{}
	}
	s.storms[method] = storm{until: time.Now().Add(d), retryAfter: retryAfter}
}

// New starts a fake Slack for a test and closes it when the test ends. Misuse of the fake
// (Redeliver of an unknown envelope, an event that does not encode, …) fails the test
// through t.Errorf as it happens, and is also recorded for Errors.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := start(t, opts)
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a fake Slack outside a test, for a program such as a load generator.
// The caller must call Close when done with it: nothing else stops its goroutines. Misuse
// of the fake is not reported anywhere but Errors, so check that.
func NewServer(opts ...Option) *Server { return start(nil, opts) }

func start(t testing.TB, opts []Option) *Server {
	tag := make([]byte, 3)
	rand.Read(tag)
	s := &Server{
		tag:             strings.ToUpper(hex.EncodeToString(tag)),
		t:               t,
		pingInterval:    5 * time.Second,
		disconnectGrace: time.Second,
		done:            make(chan struct{}),
		kick:            make(chan struct{}, 1),
		changed:         make(chan struct{}),
		ackByEnv:        map[string]Ack{},
		envelopes:       map[string]*envelope{},
		tickets:         map[string]bool{},
		limits:          map[string]*rateLimit{},
		rateLimited:     map[string]int{},
		store:           newMessageStore(),
	}
	for _, opt := range opts {
		opt(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveWebAPI)
	mux.HandleFunc("/link/", s.serveSocket)
	mux.HandleFunc("/response/", s.serveResponseURL)
	s.http = httptest.NewServer(mux)
	if s.ackTimeout > 0 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.retryUnacked()
		}()
	}
	return s
}

// errorf records misuse of the fake and, under New, fails the test with it.
func (s *Server) errorf(format string, args ...any) {
	err := fmt.Errorf("slacktest: "+format, args...)
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.mu.Unlock()
	if s.t != nil {
		s.t.Errorf("%v", err)
	}
}

// Errors returns every misuse of the fake so far (Redeliver of an unknown envelope, an
// event or envelope that does not encode, SendDisconnect with no connection), oldest
// first. Under New each was also reported through t.Errorf.
func (s *Server) Errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

// URL is the Web API root, ending in "/", for slack.OptionAPIURL.
func (s *Server) URL() string { return s.http.URL + "/api/" }

// Close closes every WebSocket connection and the HTTP server, stops automatic
// redelivery and waits for the server's goroutines to end. New registers it with
// t.Cleanup; a NewServer caller must call it. Calling it twice is harmless.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	conns := append([]*wsConn(nil), s.live...)
	s.notifyLocked()
	s.mu.Unlock()

	for _, c := range conns {
		_ = c.ws.Close()
	}
	s.http.Close()
	s.wg.Wait()
}

// Reset forgets the recorded Web API calls, acks and envelopes, and the messages posted
// (so chat.update and conversations.replies no longer find them). Envelopes awaiting
// their ack are no longer retried. Connections, rate-limit windows and the errors
// recorded stay, and timestamps keep increasing.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.acks = nil
	s.ackByEnv = map[string]Ack{}
	s.envelopes = map[string]*envelope{}
	s.unacked = nil
	s.store = newMessageStore()
	s.notifyLocked()
}

// NextTS returns a new message timestamp ("1700000000.000100", "1700000000.000200", …). The
// fake's user events and the bot's posted messages share this clock, so ts order is post order.
func (s *Server) NextTS() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextTSLocked()
}

func (s *Server) nextTSLocked() string {
	s.tsSeq++
	micros := s.tsSeq * 100
	return fmt.Sprintf("%d.%06d", 1700000000+micros/1e6, micros%1e6)
}

// notifyLocked wakes every waiter. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor waits until cond (called with s.mu held) is true, the timeout passes or the server
// closes. It wakes on every recorded change; it never polls.
func (s *Server) waitFor(timeout time.Duration, what string, cond func() bool) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		closed, changed := s.closed, s.changed
		s.mu.Unlock()
		if closed {
			return fmt.Errorf("slacktest: server closed while waiting for %s", what)
		}
		select {
		case <-changed:
		case <-timer.C:
			return fmt.Errorf("slacktest: timed out after %v waiting for %s", timeout, what)
		}
	}
}

// Connections is how many Socket Mode WebSocket connections the server has accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

// WaitConnections waits until the server has accepted at least n WebSocket connections (and sent
// each its hello).
func (s *Server) WaitConnections(n int, timeout time.Duration) error {
	return s.waitFor(timeout, fmt.Sprintf("%d Socket Mode connections", n), func() bool {
		return s.connections >= n
	})
}

func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }
