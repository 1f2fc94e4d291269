// Package llmtest is a language model server for tests: a local HTTP server speaking
// the OpenAI chat completions API (which vLLM, LM Studio, llama.cpp and Azure also
// speak) and the Anthropic messages API, so that tests run the real langchaingo
// clients against it. It answers from canned texts chosen by the marker each adplan
// prompt starts with ("[adplan:budget]"), can delay or fail answers, and records every
// request with the time it arrived and was answered.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The markers adplan's prompts carry, one per prompt file.
const (
	MarkerGoal     = "goal"
	MarkerAudience = "audience"
	MarkerBudget   = "budget"
	MarkerSchedule = "schedule"
	MarkerRouter   = "router"
	MarkerNote     = "note"
)

// APIKey is the key the server expects; any other is refused with 401, as a provider would.
const APIKey = "llmtest-key"

// Answer is what the server replies to one prompt.
type Answer struct {
	// Text is the model's reply.
	Text string
	// Delay holds the reply back; the request's own cancellation ends the wait.
	Delay time.Duration
	// Status, when not 0 or 200, fails the request with that HTTP status.
	Status int
}

// Request is one request the server received.
type Request struct {
	// API is "openai" or "anthropic".
	API string
	// Marker is the prompt's marker ("budget"), or "" when it had none.
	Marker string
	// System and User are the texts of the system and user turns.
	System, User string
	// Model is the model the client asked for.
	Model string
	// Start is when the request arrived and End when its answer was written (or it
	// was abandoned).
	Start, End time.Time
}

// Server is the test server. Its zero value is not usable; call NewServer.
type Server struct {
	srv *httptest.Server
	tb  testing.TB

	mu       sync.Mutex
	answers  map[string]Answer
	fallback *Answer
	delay    time.Duration
	requests []Request
	inFlight int
	maxIn    int
	// gate, when set, holds every reply until gateN requests have arrived (-1: until
	// released).
	gate    chan struct{}
	gateN   int
	arrived int
}

// HoldLimit bounds how long HoldUntil holds a reply: past it the test fails, saying
// how many of the requests it waited for came, and the reply goes, so a test whose
// calls never all come fails instead of hanging. It is far longer than any wait a
// working test has, on however busy a machine.
const HoldLimit = 30 * time.Second

// NewServer starts a server that is closed when the test ends. It answers nothing
// until told with Answer or AnswerAll; a prompt without an answer gets a 404.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{answers: map[string]Answer{}, tb: tb}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.openAI)
	mux.HandleFunc("POST /anthropic/v1/messages", s.anthropic)
	s.srv = httptest.NewServer(mux)
	tb.Cleanup(s.srv.Close)
	return s
}

// OpenAIBaseURL is the base URL to give an OpenAI client (llm.base_url).
func (s *Server) OpenAIBaseURL() string { return s.srv.URL + "/v1" }

// AnthropicBaseURL is the base URL to give an Anthropic client.
func (s *Server) AnthropicBaseURL() string { return s.srv.URL + "/anthropic/v1" }

// Answer sets the reply to prompts carrying marker.
func (s *Server) Answer(marker string, a Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[marker] = a
}

// AnswerText sets a plain text reply to prompts carrying marker.
func (s *Server) AnswerText(marker, text string) { s.Answer(marker, Answer{Text: text}) }

// AnswerAll sets the reply to every prompt that has no answer of its own.
func (s *Server) AnswerAll(a Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fallback = &a
}

// SetDelay holds back every reply by d, on top of the answer's own delay.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// HoldUntil holds back every reply until n requests have arrived since the call (or
// their clients give up), so that a test can have n calls in flight at once without
// relying on a delay being long enough. A reply held for HoldLimit fails the test.
func (s *Server) HoldUntil(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate, s.gateN, s.arrived = make(chan struct{}), n, 0
}

// Hold holds back every reply until release is called (or their clients give up).
func (s *Server) Hold() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gate := make(chan struct{})
	s.gate, s.gateN, s.arrived = gate, -1, 0
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			close(gate)
			if s.gate == gate {
				s.gate = nil
			}
		})
	}
}

// Requests returns the requests received so far, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests carried marker; "" counts them all.
func (s *Server) Count(marker string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if marker == "" || r.Marker == marker {
			n++
		}
	}
	return n
}

// MaxInFlight is the largest number of requests the server was answering at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxIn
}

// Reset forgets the requests received so far and the concurrency high-water mark.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.maxIn = 0
}

var markerRE = regexp.MustCompile(`\[adplan:([a-z]+)\]`)

// begin records a request and returns its answer and index, and the gate it must
// pass before answering (nil for none).
func (s *Server) begin(api, model, system, user string) (Answer, int, bool, *held) {
	marker := ""
	if m := markerRE.FindStringSubmatch(system + "\n" + user); m != nil {
		marker = m[1]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{API: api, Marker: marker, System: system, User: user, Model: model, Start: time.Now()})
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	a, ok := s.answers[marker]
	if !ok && s.fallback != nil {
		a, ok = *s.fallback, true
	}
	a.Delay += s.delay
	var gate *held
	if s.gate != nil {
		gate = &held{c: s.gate, n: s.gateN}
		s.arrived++
		if s.arrived == s.gateN {
			close(s.gate)
			s.gate = nil
		}
	}
	return a, len(s.requests) - 1, ok, gate
}

// held is the gate a reply waits at: closed when released, or when n requests came
// (n > 0).
type held struct {
	c chan struct{}
	n int
}

// pass waits at the gate, if any, unless the client gives up first. A HoldUntil gate
// that holds the reply for HoldLimit fails the test and opens, letting every reply go.
func (s *Server) pass(r *http.Request, gate *held) bool {
	if gate == nil {
		return true
	}
	var limit <-chan time.Time
	if gate.n > 0 {
		t := time.NewTimer(HoldLimit)
		defer t.Stop()
		limit = t.C
	}
	select {
	case <-gate.c:
		return true
	case <-r.Context().Done():
		return false
	case <-limit:
		s.mu.Lock()
		arrived := s.arrived
		if s.gate == gate.c {
			close(s.gate)
			s.gate = nil
		}
		s.mu.Unlock()
		s.tb.Errorf("llmtest: held a reply for %s waiting for %d requests in flight; %d came", HoldLimit, gate.n, arrived)
		return true
	}
}

func (s *Server) end(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[i].End = time.Now()
	s.inFlight--
}

// wait holds the reply back for d unless the client gives up first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// content reads a message content that is either a string or a list of parts.
func content(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "type": "llmtest_error"}})
}

func (s *Server) openAI(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+APIKey {
		writeError(w, http.StatusUnauthorized, "invalid api key")
		return
	}
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request: "+err.Error())
		return
	}
	var system, user []string
	for _, m := range req.Messages {
		if m.Role == "system" {
			system = append(system, content(m.Content))
		} else {
			user = append(user, content(m.Content))
		}
	}
	a, i, ok, gate := s.begin("openai", req.Model, strings.Join(system, "\n"), strings.Join(user, "\n"))
	defer s.end(i)
	if !s.pass(r, gate) || !wait(r, a.Delay) {
		return
	}
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "llmtest: no answer for this prompt")
		return
	case a.Status != 0 && a.Status != http.StatusOK:
		writeError(w, a.Status, fmt.Sprintf("llmtest: failing with %d", a.Status))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": fmt.Sprintf("chatcmpl-%d", i), "object": "chat.completion", "created": time.Now().Unix(),
		"model": req.Model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": a.Text},
		}},
		"usage": map[string]int{"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
	})
}

func (s *Server) anthropic(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Api-Key") != APIKey {
		writeError(w, http.StatusUnauthorized, "invalid x-api-key")
		return
	}
	var req struct {
		Model    string          `json:"model"`
		System   json.RawMessage `json:"system"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request: "+err.Error())
		return
	}
	var user []string
	for _, m := range req.Messages {
		user = append(user, content(m.Content))
	}
	system := ""
	if len(req.System) > 0 {
		system = content(req.System)
	}
	a, i, ok, gate := s.begin("anthropic", req.Model, system, strings.Join(user, "\n"))
	defer s.end(i)
	if !s.pass(r, gate) || !wait(r, a.Delay) {
		return
	}
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "llmtest: no answer for this prompt")
		return
	case a.Status != 0 && a.Status != http.StatusOK:
		writeError(w, a.Status, fmt.Sprintf("llmtest: failing with %d", a.Status))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": fmt.Sprintf("msg_%d", i), "type": "message", "role": "assistant", "model": req.Model,
		"content":     []any{map[string]string{"type": "text", "text": a.Text}},
		"stop_reason": "end_turn",
		"usage":       map[string]int{"input_tokens": 10, "output_tokens": 10},
	})
}
