package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/store/redistest"
)

// config is one load run's shape.
type config struct {
	adplan       string // the adplan binary the replicas run
	replicas     int
	threads      int
	messages     int
	channels     int
	rate         float64       // messages a second
	faults       []string      // the faults to strike with, in the order they strike (see allFaults)
	killAt       float64       // fraction of messages after which kill-replica strikes; 0: as scheduled
	restartAt    float64       // fraction after which redis-restart strikes; 0: as scheduled
	stormFor     time.Duration // how long 429-storm answers 429
	fullFor      time.Duration // how long redis-full keeps Redis full
	downFor      time.Duration // how long redis-down-then-kill holds Redis down before the SIGKILL
	redisDown    time.Duration // how long Redis stays down before it is started again
	redisBin     string
	appendFsync  string
	reclaimAfter time.Duration // 0: the replicas' default
	ackTimeout   time.Duration // the fake Slack's redelivery of unacked envelopes
	wait         time.Duration // how long to wait for the last answers
	workDir      string
	progress     io.Writer
}

// report is what a run measured; `adplan-loadtest --json` prints it.
type report struct {
	Replicas        int     `json:"replicas"`
	Threads         int     `json:"threads"`
	Messages        int     `json:"messages"`
	Rate            float64 `json:"rate"`
	SentPerSecond   float64 `json:"sent_per_second"`
	KilledAt        int     `json:"replica_killed_at_message"`  // -1: none
	RedisRestartAt  int     `json:"redis_restarted_at_message"` // -1: none
	RedisDownMS     float64 `json:"redis_down_ms"`
	Answered        int     `json:"answered"`
	Lost            int     `json:"lost"`
	Duplicated      int     `json:"duplicated"`
	OutOfOrder      int     `json:"out_of_order"`
	Errors          int     `json:"errors"`
	StoreNotices    int     `json:"store_notices"`          // "can't reach my store"
	FullNotices     int     `json:"storage_full_notices"`   // "my store is full"
	RebuiltNotices  int     `json:"thread_rebuilt_notices"` // "I had lost this thread's state"
	RateLimited     int     `json:"slack_429s"`             // chat.postMessage calls answered 429
	JournalRequeued int     `json:"journal_requeued"`       // jobs the restarted replica found in its journal
	// RelaxedThreads are the threads whose state the store lost (redis-no-persistence),
	// judged on what Slack shows rather than on the versions Redis reads back.
	RelaxedThreads int `json:"relaxed_threads"`
	// Faults are the faults as they struck, in order.
	Faults []faultRecord `json:"faults"`
	// Notes say what the run did not judge, and why.
	Notes           []string `json:"notes,omitempty"`
	SlackRedelivery int      `json:"slack_redeliveries"`
	P50MS           float64  `json:"p50_ms"`
	P90MS           float64  `json:"p90_ms"`
	P99MS           float64  `json:"p99_ms"`
	MaxMS           float64  `json:"max_ms"`
	// PerReplica is what each replica still running at the end says on /metrics.
	PerReplica []replicaFigures `json:"per_replica"`
	// Problems lists what went wrong, one line each (empty on a clean run).
	Problems []string `json:"problems"`
}

// replicaFigures are a replica's own counts, read from its /metrics.
type replicaFigures struct {
	Replica      int  `json:"replica"`
	Killed       bool `json:"killed"`
	Lives        int  `json:"lives"` // 2 for a replica started again on its journal
	Events       int  `json:"events_received"`
	Deduplicated int  `json:"events_deduplicated"`
	Plans        int  `json:"plans_posted"`
	StoreErrors  int  `json:"store_errors"`
}

const loadBrief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"

// followUp is the n-th follow-up of a thread (n from 1): each sets a budget of its
// own, so every message makes a version and the versions' order shows.
func followUp(n int) string { return fmt.Sprintf("make it %dk", 10+n) }

// sent is one message the run sent.
type sent struct {
	channel, root string
	n             int // its place among its thread's messages, from 1 (the brief)
	text          string
	at            time.Time
}

// lateReply is in the bot's answer to a message that arrived after one sent later
// and so changed nothing: such a message is answered without a plan.
const lateReply = "reached me after it"

func run(ctx context.Context, cfg config) (*report, error) {
	say := func(format string, args ...any) {
		if cfg.progress != nil {
			fmt.Fprintf(cfg.progress, format+"\n", args...)
		}
	}
	rs, err := redistest.Start(redistest.Options{Bin: cfg.redisBin, Dir: cfg.workDir, AppendFsync: cfg.appendFsync})
	if err != nil {
		return nil, err
	}
	defer rs.Kill()
	srv := slacktest.NewServer(slacktest.WithRoundRobin(), slacktest.WithAckTimeout(cfg.ackTimeout))
	defer srv.Close()
	if len(cfg.faults) > 0 {
		say("faults, in order: %s", strings.Join(cfg.faults, ", "))
	}
	replicas, err := startReplicas(ctx, cfg, srv, rs.URL())
	defer stopReplicas(replicas)
	if err != nil {
		return nil, err
	}
	say("%d replicas ready (Socket Mode connected, Redis reachable); sending %d messages to %d threads at %.0f/s",
		cfg.replicas, cfg.messages, cfg.threads, cfg.rate)

	lr := &loadRun{
		cfg: cfg, say: say, rs: rs, srv: srv, replicas: replicas,
		rep: &report{Replicas: cfg.replicas, Threads: cfg.threads, Messages: cfg.messages, Rate: cfg.rate, KilledAt: -1, RedisRestartAt: -1},
	}
	order := lr.send()
	lr.waitForAnswers(order)
	rep := lr.rep
	hit := func(s sent) bool { return !lr.wipedAt.IsZero() && s.at.Before(lr.wipedAt) }
	if err := check(ctx, srv, rs.URL(), order, rep, hit); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	rep.SlackRedelivery = srv.Redelivered()
	rep.RateLimited = srv.RateLimited("chat.postMessage")
	if n, ok := lr.journalRequeued(); ok {
		rep.JournalRequeued = n
		if n == 0 {
			rep.Problems = append(rep.Problems, "redis-down-then-kill: the replica started again found no job in its journal: the fault tested nothing")
		}
	}
	if slices.Contains(cfg.faults, faultRedisFull) && rep.FullNotices == 0 {
		rep.Notes = append(rep.Notes, "redis-full: no thread was told the store is full (every job written while full was kept without a notice)")
	}
	for _, err := range srv.Errors() {
		rep.Problems = append(rep.Problems, "fake Slack: "+err.Error())
	}
	lr.readReplicas(ctx)
	if rep.Lost+rep.Duplicated+rep.OutOfOrder+rep.Errors > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("lost %d, duplicated %d, out of order %d, errors %d",
			rep.Lost, rep.Duplicated, rep.OutOfOrder, rep.Errors))
	}
	return rep, nil
}

// startReplicas starts the replicas and waits until every one is connected to the
// fake Slack and ready. It returns those it started even on an error, for the
// caller to stop; the error carries the end of their logs.
func startReplicas(ctx context.Context, cfg config, srv *slacktest.Server, redisURL string) ([]*replica, error) {
	var replicas []*replica
	for i := range cfg.replicas {
		r, err := newReplica(cfg, i, srv.URL(), redisURL)
		if err != nil {
			return replicas, err
		}
		if err := r.start(); err != nil {
			return replicas, err
		}
		replicas = append(replicas, r)
	}
	if err := srv.WaitConnections(cfg.replicas, 60*time.Second); err != nil {
		return replicas, fmt.Errorf("replicas connecting to Slack: %w%s", err, logsOf(replicas))
	}
	for _, r := range replicas {
		if err := r.waitReady(ctx, 60*time.Second); err != nil {
			return replicas, fmt.Errorf("replica %d: %w%s", r.n, err, logsOf(replicas))
		}
	}
	return replicas, nil
}

// stopReplicas stops the replicas, the last started first.
func stopReplicas(replicas []*replica) {
	for _, r := range slices.Backward(replicas) {
		r.stop()
	}
}

// loadRun is one run once its replicas are ready: what it drives and what it found.
type loadRun struct {
	cfg      config
	say      func(format string, args ...any)
	rs       *redistest.Server
	srv      *slacktest.Server
	replicas []*replica
	rep      *report

	sentCount atomic.Int64 // messages sent so far
	mu        sync.Mutex   // guards rep.Problems and rep.Faults while faults run, and wipedAt
	wipedAt   time.Time    // when redis-no-persistence killed Redis (zero: never)
	victim    *replica     // redis-down-then-kill's replica, started again
}

// send sends the messages at the configured rate, round-robin over the threads: each
// thread's first message is a mention with the brief, the rest follow-ups in its
// thread. The faults strike after the messages the configuration names. It returns
// the messages in the order they were sent.
func (lr *loadRun) send() []sent {
	var faults sync.WaitGroup
	cfg, srv := lr.cfg, lr.srv
	// The faults strike one after another, each at its message but never before the
	// one before it is over.
	next, striking := 0, make(chan struct{})
	close(striking)
	strikeNext := func() {
		name := cfg.faults[next]
		next++
		done := make(chan struct{})
		striking = done
		faults.Go(func() { defer close(done); lr.strike(name) })
	}
	over := func() bool {
		select {
		case <-striking:
			return true
		default:
			return false
		}
	}
	roots := make([]string, cfg.threads)
	made := make([]int, cfg.threads)
	var order []sent
	interval := time.Duration(float64(time.Second) / cfg.rate)
	start := time.Now()
	for i := range cfg.messages {
		k := i % cfg.threads
		channel := "C" + strconv.Itoa(1+k%cfg.channels)
		now := time.Now()
		text := loadBrief
		if made[k] == 0 {
			m := srv.AppMentionEvent(channel, "U"+strconv.Itoa(k), text)
			roots[k] = m.TS()
			srv.SendEventsAPI(m)
		} else {
			text = followUp(made[k])
			srv.SendEventsAPI(srv.MessageEvent(channel, "U"+strconv.Itoa(k), text, roots[k]))
		}
		made[k]++
		order = append(order, sent{channel: channel, root: roots[k], n: made[k], text: text, at: now})
		lr.sentCount.Store(int64(i + 1))
		if next < len(cfg.faults) && i >= lr.strikeAt(cfg.faults[next], next, len(cfg.faults)) && over() {
			strikeNext()
			if cfg.faults[next-1] == faultKillReplica {
				<-striking // the kill is instant: the next message goes to the survivors
			}
		}
		if d := time.Until(start.Add(time.Duration(i+1) * interval)); d > 0 {
			time.Sleep(d)
		}
	}
	took := time.Since(start)
	lr.rep.SentPerSecond = float64(len(order)) / took.Seconds()
	for next < len(cfg.faults) {
		<-striking
		lr.say("fault %s strikes after the last message (lower --rate or raise --messages to have messages come during it)", cfg.faults[next])
		strikeNext()
	}
	faults.Wait()
	lr.say("sent %d messages in %s; waiting for the answers", len(order), took.Round(time.Millisecond))
	return order
}

// restartRedis kills redis-server and starts it again after cfg.redisDown, while
// the messages keep coming.
func (lr *loadRun) restartRedis() {
	down := time.Now()
	lr.rs.Kill()
	time.Sleep(lr.cfg.redisDown)
	if err := lr.rs.Restart(); err != nil {
		lr.problem("restarting redis-server: " + err.Error())
	}
	lr.rep.RedisDownMS = ms(time.Since(down))
}

// waitForAnswers waits until every thread has as many answers as it was sent
// messages, or cfg.wait has passed.
func (lr *loadRun) waitForAnswers(order []sent) {
	want := map[string]int{} // plans each thread should end with
	for _, s := range order {
		want[s.channel+"/"+s.root] = max(want[s.channel+"/"+s.root], s.n)
	}
	deadline := time.Now().Add(lr.cfg.wait)
	for time.Now().Before(deadline) && !allAnswered(lr.srv, want) {
		time.Sleep(50 * time.Millisecond)
	}
	// Give a stray second post the time a reclaim would take before counting.
	time.Sleep(time.Second)
}

// readReplicas adds each replica's own figures to the report, and a problem for a
// replica that ended during the run or logged a token.
func (lr *loadRun) readReplicas(ctx context.Context) {
	rep := lr.rep
	for _, r := range lr.replicas {
		if r.killed {
			rep.PerReplica = append(rep.PerReplica, replicaFigures{Replica: r.n, Killed: true})
			continue
		}
		figures, err := r.figures(ctx)
		figures.Lives = r.lives
		if err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("replica %d: %v", r.n, err))
		}
		rep.PerReplica = append(rep.PerReplica, figures)
		if err := r.exited(); err != nil {
			rep.Problems = append(rep.Problems, fmt.Sprintf("replica %d ended during the run: %v", r.n, err))
		}
		if logs := r.logs(); strings.Contains(logs, "xoxb-") || strings.Contains(logs, "xapp-") {
			rep.Problems = append(rep.Problems, fmt.Sprintf("replica %d logged a token", r.n))
		}
	}
}

// at is the index of the message a fraction of the way through, or -1 for none.
func at(fraction float64, messages int) int {
	if fraction <= 0 {
		return -1
	}
	return min(int(fraction*float64(messages)), messages-1)
}

func allAnswered(srv *slacktest.Server, want map[string]int) bool {
	got := map[string]int{}
	for _, c := range srv.Calls("chat.postMessage") {
		// A plan, or the answer to a message that arrived late and changed nothing.
		if c.OK() && (strings.HasPrefix(c.Text(), "Plan v") || strings.Contains(c.Text(), lateReply)) {
			got[c.Channel()+"/"+c.ThreadTS()]++
		}
	}
	for k, n := range want {
		if got[k] < n {
			return false
		}
	}
	return true
}
