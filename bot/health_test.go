package bot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/adplan/adplan/bot"
)

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestHealthzIsAlwaysOK(t *testing.T) {
	h := &bot.Health{}
	h.AddCheck("redis", func(context.Context) error { return errors.New("down") })
	srv := httptest.NewServer(h.Handler(prometheus.NewRegistry()))
	defer srv.Close()
	for _, up := range []bool{false, true} {
		h.SetConnected(up)
		if code, body := get(t, srv, "/healthz"); code != http.StatusOK || body != "ok\n" {
			t.Errorf("connected %v: /healthz = %d %q, want 200 ok", up, code, body)
		}
	}
}

func TestReadyzNeedsAConnectionAndEveryCheck(t *testing.T) {
	var redisDown atomic.Bool
	redisDown.Store(true)
	// The check answers at once; the timeout is long so a busy machine never makes
	// it read "timed out" instead of "failed".
	h := &bot.Health{CheckTimeout: time.Minute}
	h.AddCheck("redis", func(context.Context) error {
		if redisDown.Load() {
			return errors.New("dial tcp: connect: connection refused (password hunter2)")
		}
		return nil
	})
	srv := httptest.NewServer(h.Handler(prometheus.NewRegistry()))
	defer srv.Close()

	tests := []struct {
		name      string
		connected bool
		redisDown bool
		wantCode  int
		wantIn    []string
		wantNot   []string
	}{
		{"neither", false, true, 503, []string{"slack: socket mode not connected", "redis: failed"}, []string{"hunter2"}},
		{"connected, redis down", true, true, 503, []string{"redis: failed"}, []string{"slack", "hunter2", "refused"}},
		{"redis up, not connected", false, false, 503, []string{"slack: socket mode not connected"}, []string{"redis"}},
		{"both", true, false, 200, []string{"ready"}, []string{"not ready"}},
		{"disconnected again", false, false, 503, []string{"slack"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.SetConnected(tt.connected)
			redisDown.Store(tt.redisDown)
			code, body := get(t, srv, "/readyz")
			if code != tt.wantCode {
				t.Errorf("/readyz = %d %q, want %d", code, body, tt.wantCode)
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(body, s) {
					t.Errorf("/readyz body %q lacks %q", body, s)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(body, s) {
					t.Errorf("/readyz body %q holds %q", body, s)
				}
			}
		})
	}
}

// TestReadyzTimesOutASlowCheck runs in a synctest bubble: its clock moves only once
// every check is blocked, so the checks that answer at once always answer within the
// 50 ms, and the stuck and slow ones always time out, however busy the machine.
func TestReadyzTimesOutASlowCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := &bot.Health{CheckTimeout: 50 * time.Millisecond}
		h.SetConnected(true)
		release := make(chan struct{})
		defer close(release)
		h.AddCheck("stuck", func(context.Context) error { <-release; return nil }) // ignores its context
		h.AddCheck("slow", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
		h.AddCheck("fine", func(context.Context) error { return nil })
		h.AddCheck("panics", func(context.Context) error { panic("boom") })
		handler := h.Handler(nil)
		start := time.Now()
		code, body := serve(handler, "/readyz")
		// The bubble's clock: the stuck check did not hold the answer past its timeout.
		if took := time.Since(start); took != 50*time.Millisecond {
			t.Errorf("/readyz took %v with a 50ms check timeout", took)
		}
		if code != 503 || !strings.Contains(body, "stuck: timed out") || !strings.Contains(body, "slow: timed out") ||
			!strings.Contains(body, "panics: failed") || strings.Contains(body, "fine") {
			t.Errorf("/readyz = %d %q", code, body)
		}
		if code, _ := serve(handler, "/metrics"); code != http.StatusNotFound {
			t.Errorf("/metrics without a gatherer = %d, want 404", code)
		}
	})
}

// serve answers one GET of path in this goroutine, without a network.
func serve(h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestNilHealthIsSafe(t *testing.T) {
	var h *bot.Health
	h.SetConnected(true)
	h.AddCheck("redis", func(context.Context) error { return nil })
	if h.Connected() || len(h.Ready(context.Background())) == 0 {
		t.Error("a nil *Health claims to be connected or ready")
	}
}
