package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/adplan/adplan/bot/api"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
)

type httpBenchFlags struct {
	on          bool
	concurrency int
	rate        float64
}

// httpBench is what `adplan bench --http` measures.
type httpBench struct {
	Concurrency int     `json:"concurrency"`
	Rate        float64 `json:"rate,omitempty"`
	Requests    int     `json:"requests"`
	Errors      int     `json:"errors"`
	// InProcessPlansPerSecond reads and plans the same briefs through the session
	// service, Concurrency at a time, without HTTP.
	InProcessPlansPerSecond float64 `json:"in_process_plans_per_second"`
	PlansPerSecond          float64 `json:"plans_per_second"`
	P50MS                   float64 `json:"p50_ms"`
	P99MS                   float64 `json:"p99_ms"`
}

// benchHTTP serves the API on a loopback port and sends it n POST /v1/plans requests.
func (a *app) benchHTTP(ctx context.Context, n int, f httpBenchFlags) (httpBench, error) {
	p, err := a.planner()
	if err != nil {
		return httpBench{}, err
	}
	svc := &session.Service{Reader: a.coordinator, Planner: p, Store: store.NewMemory(),
		Now: func() time.Time { return a.now }, Channel: a.cfg.Planner.Channel}
	briefs := strings.Split(strings.TrimSpace(benchBriefs), "\n")
	r := httpBench{Concurrency: f.concurrency, Rate: f.rate, Requests: n}

	// In-process: the same reading and planning, as many at once, without HTTP.
	start := time.Now()
	if err := fanOut(n, f.concurrency, func(i int) error {
		_, err := svc.Plan(ctx, briefs[i%len(briefs)])
		return err
	}); err != nil {
		return r, err
	}
	r.InProcessPlansPerSecond = float64(n) / time.Since(start).Seconds()

	tok := make([]byte, 16)
	_, _ = rand.Read(tok)
	token := hex.EncodeToString(tok)
	srv, err := api.New(api.Options{Service: svc, Tokens: []api.Token{{Name: "bench", Token: token}}})
	if err != nil {
		return r, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return r, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)}
	served := make(chan struct{})
	go func() { defer close(served); _ = hs.Serve(ln) }()
	defer func() { hs.Close(); <-served }()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: f.concurrency, MaxConnsPerHost: f.concurrency}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	url := "http://" + ln.Addr().String() + "/v1/plans"
	bodies := make([][]byte, len(briefs))
	for i, b := range briefs {
		bodies[i], _ = json.Marshal(api.PlanRequest{Brief: &b})
	}
	post := func(i int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(bodies[i%len(bodies)]))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("POST /v1/plans: %s", res.Status)
		}
		return err
	}
	// Warm the connections and the server's buffers.
	for i := range f.concurrency {
		if err := post(i); err != nil {
			return r, err
		}
	}

	took := make([]time.Duration, n)
	var mu sync.Mutex
	start = time.Now()
	interval := time.Duration(0)
	if f.rate > 0 {
		interval = time.Duration(float64(time.Second) / f.rate)
	}
	err = fanOut(n, f.concurrency, func(i int) error {
		due := time.Now()
		if interval > 0 {
			// Paced: request i is due at start + i×interval; latency counts from then,
			// so a server that falls behind is not excused by the client waiting.
			due = start.Add(time.Duration(i) * interval)
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
		}
		if err := post(i); err != nil {
			mu.Lock()
			r.Errors++
			mu.Unlock()
		}
		took[i] = time.Since(due)
		return ctx.Err()
	})
	if err != nil {
		return r, err
	}
	r.PlansPerSecond = float64(n-r.Errors) / time.Since(start).Seconds()
	r.P50MS, r.P99MS = ms(percentile(took, 0.5)), ms(percentile(took, 0.99))
	return r, nil
}

// fanOut runs f(0) … f(n-1), c at a time, in order of i; the first error stops it.
func fanOut(n, c int, f func(i int) error) error {
	next := make(chan int)
	errs := make(chan error, c)
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}
