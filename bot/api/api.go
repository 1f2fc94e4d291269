// Package api is adplan's HTTP surface: plan a brief, hold a conversation that revises
// it, read a thread back, plan many briefs at once — every call through
// conversation/session, the code path the CLI's chat and the Slack bot share. The
// routes, bodies and errors are described by openapi.json (served at /openapi.json).
//
// Callers authenticate with a bearer token from the http.tokens setting; a thread
// belongs to the token's name that started it, and to no other. Each token has its own
// rate limit. Errors are RFC 9457 problem documents. Other packages mount routes beside
// these with Handle, behind the same token check with RequireToken (the owner is in
// the request's context: Owner).
package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/adplan/adplan/conversation/session"
)

// OpenAPI is the OpenAPI 3.1 document of the API, served at /openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// DefaultMaxBodyBytes bounds a request body when Options.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// MaxBatch is the most briefs one POST /v1/plans:batch takes.
const MaxBatch = 1000

// Token is a bearer token and the name its threads belong to.
type Token struct {
	Name  string
	Token string
}

// Options configure a Server.
type Options struct {
	// Service plans and keeps threads.
	Service *session.Service
	// Tokens are the accepted bearer tokens; with none, every call but /openapi.json
	// and /metrics is refused.
	Tokens []Token
	// MaxBodyBytes bounds a request body (0: DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// RateLimit is the requests a second each token may make, with bursts of
	// RateBurst (0: no limit).
	RateLimit float64
	RateBurst int
	// Logger gets one line per request, with its id (nil: discarded).
	Logger *slog.Logger
	// Registerer gets the request counters (nil: none).
	Registerer prometheus.Registerer
	// Metrics, when set, is served at GET /metrics (the ops endpoint's Prometheus handler).
	Metrics http.Handler
	// Now is the rate limiter's clock (nil: time.Now).
	Now func() time.Time
}

// Server is the HTTP API.
type Server struct {
	opts     Options
	mux      *http.ServeMux
	handler  http.Handler
	log      *slog.Logger
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// New builds the API's handler. Token names must be non-empty words (letters, digits,
// '.', '_', '-') and tokens unique and at least 16 characters.
func New(opts Options) (*Server, error) {
	if opts.Service == nil {
		return nil, errors.New("api: no session service")
	}
	if err := CheckTokens(opts.Tokens); err != nil {
		return nil, err
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RateLimit > 0 && opts.RateBurst < 1 {
		opts.RateBurst = max(1, int(math.Ceil(opts.RateLimit)))
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), log: opts.Logger, limiters: map[string]*rate.Limiter{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "adplan", Subsystem: "http", Name: "requests_total",
		Help: "HTTP API requests by route (the pattern matched, \"unmatched\" for none) and status code.",
	}, []string{"route", "status"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "adplan", Subsystem: "http", Name: "request_duration_seconds",
		Help:    "HTTP API request durations by route.",
		Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route"})
	if r := opts.Registerer; r != nil {
		for _, c := range []prometheus.Collector{s.requests, s.duration} {
			if err := r.Register(c); err != nil {
				return nil, fmt.Errorf("api: registering metrics: %w", err)
			}
		}
	}

	s.mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(OpenAPI)
	})
	if opts.Metrics != nil {
		s.mux.Handle("GET /metrics", opts.Metrics)
	}
	s.mux.Handle("POST /v1/plans", s.RequireToken(http.HandlerFunc(s.postPlan)))
	s.mux.Handle("POST /v1/plans:batch", s.RequireToken(http.HandlerFunc(s.postBatch)))
	s.mux.Handle("POST /v1/threads", s.RequireToken(http.HandlerFunc(s.postThread)))
	s.mux.Handle("GET /v1/threads/{id}", s.RequireToken(http.HandlerFunc(s.getThread)))
	s.mux.Handle("POST /v1/threads/{id}/messages", s.RequireToken(http.HandlerFunc(s.postMessage)))
	s.mux.Handle("GET /v1/threads/{id}/versions/{n}", s.RequireToken(http.HandlerFunc(s.getVersion)))
	s.handler = s.observe(s.route())
	return s, nil
}

// Handler serves the API: its routes, /openapi.json and /metrics.
func (s *Server) Handler() http.Handler { return s.handler }

// Handle mounts h at pattern (a Go 1.22 ServeMux pattern) beside the API's routes,
// with the same request ids, logs, metrics and problem documents for unknown routes;
// wrap h in RequireToken for the API's bearer tokens and rate limit.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// CheckTokens reports what is wrong with a token list: a name that is not a word, a
// token shorter than 16 characters, or one used twice.
func CheckTokens(tokens []Token) error {
	seen := map[string]bool{}
	for i, t := range tokens {
		if !validName(t.Name) {
			return fmt.Errorf("http.tokens[%d]: name %q must be 1 to 64 letters, digits, '.', '_' or '-'", i, t.Name)
		}
		if len(t.Token) < 16 || strings.ContainsAny(t.Token, " \t\r\n") {
			return fmt.Errorf("http.tokens[%d] (%s): the token must be at least 16 characters, without spaces", i, t.Name)
		}
		if seen[t.Token] {
			return fmt.Errorf("http.tokens[%d] (%s): the same token is given to two names", i, t.Name)
		}
		seen[t.Token] = true
	}
	return nil
}

func validName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for _, c := range n {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

type ownerKey struct{}

// Owner is the name of the token that authenticated the request (RequireToken puts it
// in the context), or "".
func Owner(ctx context.Context) string {
	o, _ := ctx.Value(ownerKey{}).(string)
	return o
}

// Authenticate returns the name of the token in r's Authorization: Bearer header.
func (s *Server) Authenticate(r *http.Request) (owner string, ok bool) {
	scheme, tok, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	for _, t := range s.opts.Tokens {
		// Compare every token in constant time, so timing tells nothing of a prefix.
		if subtle.ConstantTimeCompare([]byte(tok), []byte(t.Token)) == 1 {
			owner = t.Name
		}
	}
	return owner, owner != ""
}

// RequireToken lets a request through to h only with a known bearer token (401
// otherwise) within the token's rate limit (429 with Retry-After otherwise), with the
// token's name in the context (Owner).
func (s *Server) RequireToken(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		owner, ok := s.Authenticate(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="adplan"`)
			writeProblem(w, r, http.StatusUnauthorized, "a bearer token is required: send Authorization: Bearer <token>, a token from the http.tokens setting")
			return
		}
		if wait := s.limit(owner); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeProblem(w, r, http.StatusTooManyRequests, fmt.Sprintf("token %s is over its rate limit of %g requests a second; retry after %s", owner, s.opts.RateLimit, wait.Round(time.Millisecond)))
			return
		}
		if rec, ok := w.(*recorder); ok {
			rec.owner = owner
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ownerKey{}, owner)))
	})
}

// limit takes one request from owner's budget; it returns how long to wait when
// there is none (and takes nothing).
func (s *Server) limit(owner string) time.Duration {
	if s.opts.RateLimit <= 0 {
		return 0
	}
	s.mu.Lock()
	l := s.limiters[owner]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(s.opts.RateLimit), s.opts.RateBurst)
		s.limiters[owner] = l
	}
	s.mu.Unlock()
	now := s.opts.Now()
	res := l.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// route dispatches to the mux, answering requests no route takes (404, or 405 with
// Allow) with a problem document instead of the mux's plain text.
func (s *Server) route() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := s.mux.Handler(r)
		if pattern != "" {
			s.mux.ServeHTTP(w, r)
			return
		}
		// No route: let the mux say which status (and Allow) it would give.
		probe := &headerProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		status := probe.status
		if status == 0 || status == http.StatusOK {
			status = http.StatusNotFound
		}
		if allow := probe.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		switch status {
		case http.StatusMethodNotAllowed:
			writeProblem(w, r, status, fmt.Sprintf("%s does not take %s (it takes %s)", r.URL.Path, r.Method, probe.header.Get("Allow")))
		case http.StatusNotFound:
			writeProblem(w, r, status, fmt.Sprintf("there is nothing at %s: the routes are in /openapi.json", r.URL.Path))
		default:
			writeProblem(w, r, status, http.StatusText(status))
		}
	})
}

// headerProbe records the status and headers a handler would send, discarding the body.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

type requestIDKey struct{}

// RequestID is the request's id (X-Request-Id, the caller's when it sent a usable one).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// observe gives every request an id (echoed in X-Request-Id), recovers a panic as a
// 500 problem, counts the request by route and status and logs it.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !usableRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving a request", "request_id", id, "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				if !rec.wrote {
					writeProblem(rec, r, http.StatusInternalServerError, "adplan failed on this request; it has been logged as "+id)
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			took := time.Since(start)
			s.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			s.duration.WithLabelValues(route).Observe(took.Seconds())
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			if !s.log.Enabled(r.Context(), level) {
				return
			}
			s.log.Log(r.Context(), level, "http request", "request_id", id, "method", r.Method, "path", r.URL.Path,
				"route", route, "status", status, "owner", rec.owner, "bytes", rec.bytes, "took", took.Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}

// usableRequestID accepts a caller's request id of 1 to 128 visible ASCII characters.
func usableRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// recorder notes the status, size and owner of a response for the log and metrics.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
	owner  string
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
