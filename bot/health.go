package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/adplan/adplan/store"
)

// DefaultCheckTimeout bounds each readiness check when Health.CheckTimeout is 0.
const DefaultCheckTimeout = 2 * time.Second

// Health says whether the bot can take work: whether Socket Mode is connected and
// whether its dependencies (Redis) answer. The zero value is ready to use; every
// method is safe on a nil *Health and then does nothing.
type Health struct {
	// CheckTimeout bounds each readiness check (default DefaultCheckTimeout).
	CheckTimeout time.Duration
	// Logger receives why a check failed; /readyz itself names only the check.
	Logger *slog.Logger

	connected atomic.Bool
	waiting   atomic.Pointer[string]
	mu        sync.Mutex
	checks    []readinessCheck
}

// SetWaiting says what the process is still waiting for before it can be ready
// ("redis: waiting at start-up (attempt 3)"); /readyz shows it as it is, so it must
// hold no secret. "" clears it.
func (h *Health) SetWaiting(why string) {
	if h == nil {
		return
	}
	if why == "" {
		h.waiting.Store(nil)
		return
	}
	h.waiting.Store(&why)
}

type readinessCheck struct {
	name  string
	check func(ctx context.Context) error
}

// SetConnected records whether the Socket Mode connection is up.
func (h *Health) SetConnected(up bool) {
	if h != nil {
		h.connected.Store(up)
	}
}

// Connected reports whether the Socket Mode connection is up.
func (h *Health) Connected() bool {
	return h != nil && h.connected.Load()
}

// AddCheck adds a readiness check, such as a Redis ping. The check must return when
// its context ends.
func (h *Health) AddCheck(name string, check func(ctx context.Context) error) {
	if h == nil || check == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks = append(h.checks, readinessCheck{name: name, check: check})
}

// Ready runs every check at once, each within CheckTimeout, and returns what is not
// ready as one line each ("slack: socket mode not connected", "redis: timed out"),
// or nothing when all is well. The lines never hold a check's error text, which
// could carry an address or a credential; that goes to Logger.
func (h *Health) Ready(ctx context.Context) []string {
	if h == nil {
		return []string{"slack: socket mode not connected"}
	}
	var failed []string
	if w := h.waiting.Load(); w != nil {
		failed = append(failed, *w)
	}
	if !h.connected.Load() {
		failed = append(failed, "slack: socket mode not connected")
	}
	h.mu.Lock()
	checks := append([]readinessCheck(nil), h.checks...)
	h.mu.Unlock()
	timeout := h.CheckTimeout
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	results := make([]string, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			err := runCheck(cctx, c.check)
			switch {
			case err == nil:
				return
			case errors.Is(err, context.DeadlineExceeded):
				results[i] = c.name + ": timed out after " + timeout.String()
			case errors.Is(err, store.ErrStorageFull):
				results[i] = c.name + ": storage full (writes refused)"
			default:
				results[i] = c.name + ": failed"
			}
			if h.Logger != nil {
				h.Logger.Warn("readiness check failed", "check", c.name, "err", err)
			}
		})
	}
	wg.Wait()
	for _, r := range results {
		if r != "" {
			failed = append(failed, r)
		}
	}
	return failed
}

// runCheck runs check, returning when ctx ends even if the check does not; a panic
// counts as a failure. A check that ignores its context finishes on its own.
func runCheck(ctx context.Context, check func(context.Context) error) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- check(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Handler serves the operations endpoints:
//
//	/healthz  200 "ok" while the process runs
//	/readyz   200 "ready" when Socket Mode is connected and every check passes,
//	          else 503 with what is not ready, one line each
//	/metrics  reg in the Prometheus exposition format (omitted when reg is nil)
func (h *Health) Handler(reg prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writePlain(w, http.StatusOK, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if failed := h.Ready(r.Context()); len(failed) > 0 {
			writePlain(w, http.StatusServiceUnavailable, "not ready\n"+strings.Join(failed, "\n")+"\n")
			return
		}
		writePlain(w, http.StatusOK, "ready\n")
	})
	if reg != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	}
	return mux
}

func writePlain(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}
