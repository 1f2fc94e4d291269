// Command adplan-loadtest drives `adplan serve` replicas through a fake Slack at a
// given rate, with the faults a deployment meets, and reports what planners would see:
// how long from their message to the plan, and whether any message was lost, answered
// twice or answered out of order.
//
// It starts a redis-server of its own (append-only file on), the fake Slack (Socket
// Mode and Web API, bot/slacktest) and the replicas as real processes, each with a
// home and state directory of its own (so a journal of its own), and strikes with the
// faults --fault names, one after another, while the messages keep coming:
//
//	kill-replica          SIGKILL to replica 0, not started again
//	429-storm             chat.postMessage answers 429 (Retry-After 1s) for --storm-for
//	redis-down-then-kill  Redis held down (messages acked into the journal), a replica
//	                      SIGKILLed meanwhile, Redis back, the replica started again on
//	                      its journal: its journalled jobs must be answered
//	redis-full            Redis at maxmemory (noeviction) for --full-for
//	redis-no-persistence  Redis killed and started again empty: threads are rebuilt
//	                      from Slack (judged on what Slack shows; see check)
//	redis-restart         Redis killed and started again on its append-only file
//
// The default is kill-replica and redis-restart, a third and two thirds of the way.
//
//	go run ./cmd/adplan-loadtest                       # 2 replicas, 200 threads, 1,000 messages at 100/s
//	go run ./cmd/adplan-loadtest --json --messages 300 # a shorter run, as JSON
//	go run ./cmd/adplan-loadtest --fault all --replicas 3 --messages 600 --threads 120 --rate 20
//
// It exits 1 when a message was lost, duplicated or answered out of order, or when
// p99 from event to plan is above --max-p99 (not judged, unless --max-p99 is given,
// with a fault that holds answers back by design); 2 on bad flags. A failed run keeps
// its directory (replica logs, redis.log) and says where.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

func runMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("adplan-loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var asJSON bool
	var maxP99 time.Duration
	var faults faultList
	fs.Var(&faults, "fault", "a fault to strike with; repeat or comma-separate; all: every fault; none: no fault (default: kill-replica,redis-restart)")
	fs.DurationVar(&cfg.stormFor, "storm-for", 5*time.Second, "how long 429-storm answers chat.postMessage with 429")
	fs.DurationVar(&cfg.fullFor, "full-for", 3*time.Second, "how long redis-full keeps Redis full")
	fs.DurationVar(&cfg.downFor, "down-for", 2*time.Second, "how long redis-down-then-kill holds Redis down before killing the replica")
	fs.StringVar(&cfg.adplan, "adplan", "", "adplan binary the replicas run (default: built from ./cmd/adplan)")
	fs.IntVar(&cfg.replicas, "replicas", 2, "adplan serve processes sharing one Redis")
	fs.IntVar(&cfg.threads, "threads", 200, "threads: each starts with a brief, then gets follow-ups")
	fs.IntVar(&cfg.messages, "messages", 1000, "messages sent in all (briefs and follow-ups)")
	fs.IntVar(&cfg.channels, "channels", 10, "channels the threads are spread over")
	fs.Float64Var(&cfg.rate, "rate", 100, "messages a second")
	fs.Float64Var(&cfg.killAt, "kill-at", 0, "fraction of the messages after which kill-replica strikes (0: as scheduled among the faults)")
	fs.Float64Var(&cfg.restartAt, "restart-redis-at", 0, "fraction of the messages after which redis-restart strikes (0: as scheduled among the faults)")
	fs.DurationVar(&cfg.redisDown, "redis-down", 0, "how long redis-server stays down before it is started again")
	fs.StringVar(&cfg.redisBin, "redis-server", "redis-server", "redis-server binary")
	fs.StringVar(&cfg.appendFsync, "appendfsync", "always", "redis appendfsync: always, everysec or no")
	fs.DurationVar(&cfg.reclaimAfter, "reclaim-after", 0, "bot.reclaim_after of the replicas (default: adplan's own)")
	fs.DurationVar(&cfg.ackTimeout, "ack-timeout", 3*time.Second, "the fake Slack re-delivers an envelope not acknowledged this long, as Slack does")
	fs.DurationVar(&cfg.wait, "wait", 2*time.Minute, "how long to wait for the last answers after sending")
	fs.DurationVar(&maxP99, "max-p99", 500*time.Millisecond, "fail when p99 from event to plan is above this")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	explicitP99 := false
	fs.Visit(func(f *flag.Flag) { explicitP99 = explicitP99 || f.Name == "max-p99" })
	cfg.faults = defaultFaults
	if faults.names != nil {
		cfg.faults = ordered(faults.names)
	}
	killsOne := slices.Contains(cfg.faults, faultKillReplica) || slices.Contains(cfg.faults, faultRedisDownThenKill)
	switch {
	case fs.NArg() > 0:
		fmt.Fprintln(stderr, "adplan-loadtest: takes no arguments")
		return 2
	case cfg.replicas < 1 || cfg.replicas > 10:
		fmt.Fprintln(stderr, "adplan-loadtest: --replicas must be from 1 to 10 (Slack allows 10 Socket Mode connections per app)")
		return 2
	case cfg.threads < 1 || cfg.messages < cfg.threads:
		fmt.Fprintln(stderr, "adplan-loadtest: --threads must be at least 1 and --messages at least --threads")
		return 2
	case cfg.channels < 1 || cfg.rate <= 0:
		fmt.Fprintln(stderr, "adplan-loadtest: --channels and --rate must be positive")
		return 2
	case killsOne && cfg.replicas < 2:
		fmt.Fprintln(stderr, "adplan-loadtest: killing a replica needs --replicas 2 or more (or a --fault that kills none)")
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "adplan-loadtest-")
	if err != nil {
		fmt.Fprintln(stderr, "adplan-loadtest:", err)
		return 1
	}
	keep := false
	defer func() {
		if keep {
			fmt.Fprintf(stderr, "adplan-loadtest: the run failed; its logs are kept in %s (replica-N.log for each replica, redis.log)\n", dir)
			return
		}
		os.RemoveAll(dir)
	}()
	cfg.workDir = dir
	if !asJSON {
		cfg.progress = stderr
	}
	if cfg.adplan == "" {
		cfg.adplan = filepath.Join(dir, "adplan")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", cfg.adplan, "github.com/adplan/adplan/cmd/adplan").CombinedOutput(); err != nil {
			fmt.Fprintf(stderr, "adplan-loadtest: building adplan: %v\n%s", err, out)
			return 1
		}
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		keep = true
		fmt.Fprintln(stderr, "adplan-loadtest:", err)
		return 1
	}
	if !explicitP99 && holdsAnswers(cfg.faults) {
		rep.Notes = append(rep.Notes, "p99 not judged: a fault holds answers back by design (give --max-p99 to judge it)")
	} else if rep.P99MS > ms(maxP99) {
		rep.Problems = append(rep.Problems, fmt.Sprintf("p99 event to plan %.0f ms is above --max-p99 %s", rep.P99MS, maxP99))
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "adplan-loadtest:", err)
			return 1
		}
	} else {
		printReport(stdout, rep)
	}
	if len(rep.Problems) > 0 {
		keep = true
		return 1
	}
	return 0
}

func printReport(w io.Writer, r *report) {
	fmt.Fprintf(w, "%d replicas, %d threads, %d messages at %.0f/s (sent at %.1f/s)\n", r.Replicas, r.Threads, r.Messages, r.Rate, r.SentPerSecond)
	for _, f := range r.Faults {
		late := ""
		if f.Late {
			late = " (after the last message)"
		}
		fmt.Fprintf(w, "fault %s at message %d, over at message %d (%.0f ms)%s: %s\n", f.Name, f.AtMessage, f.EndedAt, f.TookMS, late, f.Detail)
	}
	fmt.Fprintf(w, "answered %d, lost %d, duplicated %d, out of order %d, errors %d\n", r.Answered, r.Lost, r.Duplicated, r.OutOfOrder, r.Errors)
	fmt.Fprintf(w, "event to plan: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", r.P50MS, r.P90MS, r.P99MS, r.MaxMS)
	fmt.Fprintf(w, "notices: \"can't reach my store\" %d, \"my store is full\" %d, \"I had lost this thread's state\" %d\n", r.StoreNotices, r.FullNotices, r.RebuiltNotices)
	fmt.Fprintf(w, "Slack re-deliveries %d, chat.postMessage 429s %d, jobs found in a journal %d, threads judged on Slack after a loss %d\n",
		r.SlackRedelivery, r.RateLimited, r.JournalRequeued, r.RelaxedThreads)
	for _, f := range r.PerReplica {
		if f.Killed {
			fmt.Fprintf(w, "replica %d: killed\n", f.Replica)
			continue
		}
		if f.Lives > 1 {
			fmt.Fprintf(w, "replica %d (started again): ", f.Replica)
		} else {
			fmt.Fprintf(w, "replica %d: ", f.Replica)
		}
		fmt.Fprintf(w, "%d events received (%d de-duplicated), %d plans posted, %d store errors\n",
			f.Events, f.Deduplicated, f.Plans, f.StoreErrors)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	for _, p := range r.Problems {
		fmt.Fprintln(w, "PROBLEM:", p)
	}
	if len(r.Problems) == 0 {
		fmt.Fprintln(w, "ok")
	}
}
