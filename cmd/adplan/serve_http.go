package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/bot/api"
	"github.com/adplan/adplan/conversation/session"
)

// newAPI builds the HTTP API over the engine and the store serve shares with Slack.
// Other surfaces mount their routes on it (Handle, behind RequireToken) before
// serveAPI starts serving it.
func (a *app) newAPI(p *planner.Planner, st session.Store, reg *prometheus.Registry, log *slog.Logger) (*api.Server, error) {
	now := time.Now
	if a.fixedNow {
		now = func() time.Time { return a.now }
	}
	tokens := make([]api.Token, len(a.cfg.HTTP.Tokens))
	for i, t := range a.cfg.HTTP.Tokens {
		tokens[i] = api.Token{Name: t.Name, Token: t.Token}
	}
	return api.New(api.Options{
		Service:      &session.Service{Reader: a.coordinator, Planner: p, Store: st, Now: now, Channel: a.cfg.Planner.Channel},
		Tokens:       tokens,
		MaxBodyBytes: a.cfg.HTTP.MaxBodyBytes,
		RateLimit:    a.cfg.HTTP.RateLimit,
		RateBurst:    a.cfg.HTTP.RateBurst,
		Logger:       log.With("component", "http"),
		Registerer:   reg,
		Metrics:      promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
	})
}

// apiShutdownGrace bounds how long requests in flight may finish when serve stops.
const apiShutdownGrace = 10 * time.Second

// serveAPI listens on addr and serves h until the returned stop is called, which
// lets requests in flight finish (for up to apiShutdownGrace) and waits.
func serveAPI(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("serving the HTTP API", "addr", ln.Addr().String(), "err", err)
		}
	}()
	log.Info("serving the HTTP API", "addr", ln.Addr().String(), "openapi", "http://"+ln.Addr().String()+"/openapi.json")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), apiShutdownGrace)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
		<-done
	}, nil
}
