package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"github.com/spf13/cobra"

	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/config"
	"github.com/adplan/adplan/store"
)

func newServeCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the Slack bot over Socket Mode, and the HTTP API",
		Long: `Connect to Slack over Socket Mode and answer planners: /adplan <brief>, mentions, direct
messages, follow-ups in a plan's thread, and the buttons under each plan. With http.addr
($ADPLAN_HTTP_ADDR, e.g. 127.0.0.1:8080) it also serves the HTTP API (/v1/plans,
/v1/threads, /openapi.json; bearer tokens from http.tokens, $ADPLAN_HTTP_TOKENS), sharing
the engine and the store with Slack; with http.addr and no Slack tokens, only the API.

Needs the app-level token ($ADPLAN_SLACK_APP_TOKEN, xapp-…) and the bot token
($ADPLAN_SLACK_BOT_TOKEN, xoxb-…); the README walks through creating the app from
slack-app-manifest.yaml. Threads are kept in Redis when $ADPLAN_REDIS_URL is set, else in
memory (they then do not survive a restart). /healthz, /readyz (Socket Mode connected and the
store reachable) and /metrics (Prometheus) are served on ops.addr ($ADPLAN_OPS_ADDR, default
127.0.0.1:9090; "off" turns them off). SIGINT or SIGTERM stops it cleanly: it stops
taking events, finishes the plans in flight and closes the connection.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("serve takes no arguments")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			serveSlack := a.cfg.ServesSlack()
			if serveSlack {
				if err := a.cfg.CheckSlack(); err != nil {
					return &exitError{code: exitUsage, err: err}
				}
			}
			log := a.cfg.Logger(a.stderr)
			planner, err := a.planner()
			if err != nil {
				return err
			}
			// go-redis reports dial failures through its own logger; send them to ours.
			redis.SetLogger(redisLogger{log})
			reg := prometheus.NewRegistry()
			metrics := bot.NewMetrics(reg)
			bot.RegisterLLM(reg, a.llm.Metrics)
			health := &bot.Health{Logger: log}
			// Not ready from the moment the signal comes, while in-flight work drains.
			stopUnready := context.AfterFunc(cmd.Context(), func() { health.SetConnected(false) })
			defer stopUnready()
			// The ops endpoints come first, so /readyz can say what start-up waits for.
			if addr := a.cfg.Ops.Addr; addr != "" {
				stopOps, err := serveOps(addr, health.Handler(reg), log)
				if err != nil {
					return &exitError{code: exitFailure, err: fmt.Errorf("config: ops.addr: %w", err)}
				}
				defer stopOps()
			}

			var st bot.Store
			var queue bot.Queue
			var journal bot.Journal
			if url := a.cfg.Store.RedisURL; url != "" {
				r, err := waitForRedis(cmd.Context(), a.cfg.Store, health, log)
				if err != nil {
					if cmd.Context().Err() != nil {
						log.Info("adplan stopped before Redis answered")
						return nil
					}
					return &exitError{code: exitFailure, err: fmt.Errorf("config: redis.url: %w", err)}
				}
				defer r.Close()
				// With Redis, acknowledged requests wait in its work queue, so a replica
				// that dies leaves them for another instead of losing them.
				st, queue = r, r
				// A write, not only a ping: a full Redis answers pings.
				health.AddCheck(storeKind(url), r.Probe)
				if j := openJournal(a.cfg.Store.Journal, log); j != nil {
					defer j.Close()
					journal = j
				}
			} else {
				log.Warn("no redis.url set: threads are kept in memory and will not survive a restart; set ADPLAN_REDIS_URL for that")
				// Work waits in this process, on the same path it takes through Redis;
				// threads expire as in Redis, and at most store.DefaultMaxMemoryThreads are kept.
				st, queue = store.NewMemoryWith(store.MemoryOptions{ThreadTTL: a.cfg.Store.ThreadTTL}), store.NewMemoryQueue(nil)
			}

			if addr := a.cfg.HTTP.Addr; addr != "" {
				srv, err := a.newAPI(planner, st, reg, log)
				if err != nil {
					return err
				}
				// MCP: Streamable HTTP at /mcp, behind the API's tokens (cmd/adplan/mcp.go).
				a.mountMCP(srv, planner, st, addr, log)
				stopAPI, err := serveAPI(addr, srv.Handler(), log)
				if err != nil {
					return &exitError{code: exitFailure, err: fmt.Errorf("config: http.addr: %w", err)}
				}
				defer stopAPI()
			}
			if !serveSlack {
				// Only the HTTP API: nothing to connect to, so ready once it listens.
				health.SetConnected(cmd.Context().Err() == nil)
				log.Info("adplan serving the HTTP API without Slack (no Slack tokens set)", "store", storeKind(a.cfg.Store.RedisURL))
				<-cmd.Context().Done()
				log.Info("adplan stopped")
				return nil
			}

			opts := []slack.Option{slack.OptionAppLevelToken(a.cfg.Slack.AppToken)}
			if a.cfg.Slack.APIURL != "" {
				opts = append(opts, slack.OptionAPIURL(a.cfg.Slack.APIURL))
			}
			api := slack.New(a.cfg.Slack.BotToken, opts...)
			b, err := bot.New(bot.Options{
				API: api, Socket: socketmode.New(api), Store: st, Reader: a.coordinator,
				Planner: planner, Channel: a.cfg.Planner.Channel, Workers: a.cfg.Bot.Workers, Logger: log,
				Metrics: metrics, Health: health, Queue: queue,
				ShutdownGrace: a.cfg.Bot.ShutdownGrace, ReclaimAfter: a.cfg.Bot.ReclaimAfter,
				AllowedTeams: a.cfg.Slack.AllowedTeams, AllowedApps: a.cfg.Slack.AllowedApps, Approvers: a.cfg.Bot.Approvers,
				UpdatesPerMinute: float64(a.cfg.Slack.UpdatesPerMinute),
				SlackRetryFor:    a.cfg.Slack.RetryFor,
				Journal:          journal,
			})
			if err != nil {
				return err
			}
			log.Info("adplan serving Slack", "workers", a.cfg.Bot.Workers, "store", storeKind(a.cfg.Store.RedisURL))
			if err := b.Run(cmd.Context()); err != nil && !errors.Is(err, cmd.Context().Err()) {
				return err
			}
			log.Info("adplan stopped")
			return nil
		},
	}
}

// openJournal opens the journal of held jobs at path ("" the default place): the
// first of journal.db, journal-2.db, … journal-9.db no other process holds, so
// replicas on one machine (or one volume) each have one, and a restarted replica
// takes over a dead one's. nil, with a warning, when none can be opened or path is
// "off": jobs then wait in memory only.
func openJournal(path string, log *slog.Logger) *store.Journal {
	if path == "off" {
		return nil
	}
	if path == "" {
		dir := os.Getenv("XDG_STATE_HOME")
		if dir == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				log.Warn("no journal for held jobs: no home directory; set bot.journal", "err", err)
				return nil
			}
			dir = filepath.Join(home, ".local", "state")
		}
		path = filepath.Join(dir, "adplan", "journal.db")
	}
	var lastErr error
	for i := 1; i <= 9; i++ {
		p := path
		if i > 1 {
			p = strings.TrimSuffix(path, filepath.Ext(path)) + "-" + strconv.Itoa(i) + filepath.Ext(path)
		}
		j, err := store.OpenJournal(p)
		if err == nil {
			log.Info("jobs acknowledged while Redis cannot take them are kept in the journal", "path", p)
			return j
		}
		lastErr = err
	}
	log.Warn("no journal for held jobs: while Redis is unreachable they wait in memory only", "err", lastErr)
	return nil
}

// Start-up retries Redis from redisFirstBackoff, doubling up to redisMaxBackoff.
const (
	redisFirstBackoff = 500 * time.Millisecond
	redisMaxBackoff   = 30 * time.Second
)

// waitForRedis connects to the Redis of cfg, retrying with backoff while it does not
// answer — for cfg.StartupWait, or until ctx ends when that is 0 — and says in health
// what it waits for, so an orchestrator starting Redis and the bot together sees why
// the bot is not ready yet instead of a crash loop.
func waitForRedis(ctx context.Context, cfg config.Store, health *bot.Health, log *slog.Logger) (*store.Redis, error) {
	defer health.SetWaiting("")
	start, backoff := time.Now(), redisFirstBackoff
	for attempt := 1; ; attempt++ {
		r, err := store.OpenRedis(ctx, cfg.RedisURL, store.RedisOptions{ThreadTTL: cfg.ThreadTTL, Prefix: cfg.KeyPrefix})
		if err == nil {
			if attempt > 1 {
				log.Info("redis answers; starting", "attempts", attempt, "waited", time.Since(start).Round(time.Millisecond))
			}
			return r, nil
		}
		if ctx.Err() != nil || (cfg.StartupWait > 0 && time.Since(start)+backoff > cfg.StartupWait) {
			return nil, err
		}
		health.SetWaiting(fmt.Sprintf("redis: waiting at start-up, attempt %d failed, next in %s", attempt, backoff))
		log.Warn("redis does not answer yet; retrying", "attempt", attempt, "next_in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, redisMaxBackoff)
	}
}

// opsShutdownGrace bounds how long a scrape in flight may finish when serve stops.
const opsShutdownGrace = 5 * time.Second

// serveOps listens on addr and serves h there until the returned stop is called,
// which shuts the server down and waits for it.
func serveOps(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("serving /healthz, /readyz and /metrics", "addr", ln.Addr().String(), "err", err)
		}
	}()
	log.Info("serving /healthz, /readyz and /metrics", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), opsShutdownGrace)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
		<-done
	}, nil
}

func storeKind(url string) string {
	if url == "" {
		return "memory"
	}
	return "redis"
}

// redisLogger hands go-redis's log lines to slog, so they share the format and level
// of everything else.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "redis")
}
