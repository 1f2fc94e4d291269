package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The faults a run can strike with (--fault), in the order they strike when several
// are chosen. Each is judged on its own: the run checks the fault really happened
// (a 429 served, a job journalled, …) besides checking that nothing was lost.
const (
	faultKillReplica       = "kill-replica"         // SIGKILL to replica 0, not started again
	faultStorm             = "429-storm"            // chat.postMessage answers 429 to every call for --storm-for
	faultRedisDownThenKill = "redis-down-then-kill" // Redis down, a replica SIGKILLed, Redis back, the replica started again on its journal
	faultRedisFull         = "redis-full"           // Redis at maxmemory (noeviction) for --full-for
	faultNoPersistence     = "redis-no-persistence" // Redis killed and started again empty
	faultRedisRestart      = "redis-restart"        // Redis killed and started again on its append-only file
)

// allFaults is every fault, in the order they strike.
var allFaults = []string{faultKillReplica, faultStorm, faultRedisDownThenKill, faultRedisFull, faultNoPersistence, faultRedisRestart}

// defaultFaults are a run's faults when --fault is not given.
var defaultFaults = []string{faultKillReplica, faultRedisRestart}

// faultList is --fault: repeatable, comma-separated, "all" for every fault.
type faultList struct{ names []string }

func (f *faultList) String() string { return strings.Join(f.names, ",") }

func (f *faultList) Set(v string) error {
	for name := range strings.SplitSeq(v, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "all":
			f.names = append(f.names, allFaults...)
		case name == "none":
			// no fault: an empty list that still counts as given
			if f.names == nil {
				f.names = []string{}
			}
		case slices.Contains(allFaults, name):
			f.names = append(f.names, name)
		default:
			return fmt.Errorf("unknown fault %q (one of %s, all, none)", name, strings.Join(allFaults, ", "))
		}
	}
	return nil
}

// ordered returns the chosen faults once each, in the order they strike.
func ordered(names []string) []string {
	var out []string
	for _, f := range allFaults {
		if slices.Contains(names, f) {
			out = append(out, f)
		}
	}
	return out
}

// faultRecord is one fault as it struck.
type faultRecord struct {
	Name      string  `json:"name"`
	AtMessage int     `json:"at_message"`    // messages sent when it struck
	EndedAt   int     `json:"ended_at"`      // messages sent when it was over
	TookMS    float64 `json:"took_ms"`       // from striking to being over
	Detail    string  `json:"detail"`        // what it did and what showed it worked
	Late      bool    `json:"after_sending"` // struck after the last message: nothing more came during it
}

// strikeAt is the message after which the i-th of n faults strikes: evenly spaced, so
// the default two strike a third and two thirds of the way, as they always have.
// An explicit --kill-at or --restart-redis-at moves its fault.
func (lr *loadRun) strikeAt(name string, i, n int) int {
	switch {
	case name == faultKillReplica && lr.cfg.killAt > 0:
		return at(lr.cfg.killAt, lr.cfg.messages)
	case name == faultRedisRestart && lr.cfg.restartAt > 0:
		return at(lr.cfg.restartAt, lr.cfg.messages)
	}
	return at(float64(i+1)/float64(n+1), lr.cfg.messages)
}

// strike runs one fault, while the messages keep coming.
func (lr *loadRun) strike(name string) {
	rec := faultRecord{Name: name, AtMessage: int(lr.sentCount.Load())}
	start := time.Now()
	switch name {
	case faultKillReplica:
		lr.rep.KilledAt = rec.AtMessage - 1
		lr.say("message %d: SIGKILL to replica 0", rec.AtMessage-1)
		lr.replicas[0].kill()
		rec.Detail = "replica 0 killed (SIGKILL), not started again"
	case faultRedisRestart:
		lr.rep.RedisRestartAt = rec.AtMessage - 1
		lr.say("message %d: SIGKILL to redis-server, then starting it again", rec.AtMessage-1)
		lr.restartRedis()
		rec.Detail = fmt.Sprintf("redis-server killed and started again on its append-only file (down %.0f ms)", lr.rep.RedisDownMS)
	case faultStorm:
		lr.say("message %d: chat.postMessage answers 429 (Retry-After 1s) for %s", rec.AtMessage-1, lr.cfg.stormFor)
		before := lr.srv.RateLimited("chat.postMessage")
		lr.srv.Storm("chat.postMessage", lr.cfg.stormFor, time.Second)
		time.Sleep(lr.cfg.stormFor)
		n := lr.srv.RateLimited("chat.postMessage") - before
		rec.Detail = fmt.Sprintf("%d chat.postMessage calls answered 429 in %s", n, lr.cfg.stormFor)
		if n == 0 {
			lr.problem("429-storm: no chat.postMessage call was answered 429: the storm tested nothing")
		}
	case faultRedisDownThenKill:
		rec.Detail = lr.redisDownThenKill(rec.AtMessage - 1)
	case faultRedisFull:
		rec.Detail = lr.redisFull(rec.AtMessage - 1)
	case faultNoPersistence:
		lr.say("message %d: SIGKILL to redis-server, then starting it again EMPTY (no append-only file)", rec.AtMessage-1)
		lr.mu.Lock()
		lr.wipedAt = time.Now()
		lr.mu.Unlock()
		lr.rs.Kill()
		if err := lr.rs.RestartEmpty(); err != nil {
			lr.problem("restarting redis-server empty: " + err.Error())
		}
		rec.Detail = "redis-server killed and started again empty: every thread's state, the queue and the de-duplication keys are gone"
	}
	rec.TookMS = ms(time.Since(start))
	rec.EndedAt = int(lr.sentCount.Load())
	rec.Late = rec.AtMessage >= lr.cfg.messages
	lr.mu.Lock()
	lr.rep.Faults = append(lr.rep.Faults, rec)
	lr.mu.Unlock()
}

// redisDownThenKill holds Redis down while messages are acknowledged into the
// victim's journal, SIGKILLs the victim while Redis is still down, starts Redis again
// and then the victim on the same state directory, so on the same journal file.
func (lr *loadRun) redisDownThenKill(i int) string {
	victim := lr.replicas[0]
	if victim.killed {
		victim = lr.replicas[len(lr.replicas)-1]
	}
	lr.victim = victim
	lr.say("message %d: SIGKILL to redis-server, held down %s", i, lr.cfg.downFor)
	lr.rs.Kill()
	time.Sleep(lr.cfg.downFor)
	lr.say("message %d: SIGKILL to replica %d while Redis is down", int(lr.sentCount.Load())-1, victim.n)
	victim.kill()
	time.Sleep(500 * time.Millisecond)
	if err := lr.rs.Restart(); err != nil {
		lr.problem("restarting redis-server: " + err.Error())
	}
	if err := victim.start(); err != nil {
		lr.problem(fmt.Sprintf("starting replica %d again: %v", victim.n, err))
		return "replica not started again"
	}
	if err := victim.waitReady(context.Background(), 60*time.Second); err != nil {
		lr.problem(fmt.Sprintf("replica %d started again: %v", victim.n, err))
	}
	lr.say("message %d: redis-server back, replica %d started again on its journal", int(lr.sentCount.Load())-1, victim.n)
	return fmt.Sprintf("redis-server down %s; replica %d SIGKILLed while it was down, started again on the same journal", lr.cfg.downFor, victim.n)
}

// journalledPattern is the line a replica logs when it finds jobs a previous run
// left in its journal (text or JSON log).
var journalledPattern = regexp.MustCompile(`queueing jobs a previous run held in the journal.*?jobs"?[=:](\d+)`)

// journalRequeued is how many jobs the restarted victim found in its journal.
func (lr *loadRun) journalRequeued() (int, bool) {
	if lr.victim == nil {
		return 0, false
	}
	n := 0
	for _, m := range journalledPattern.FindAllStringSubmatch(lr.victim.logs(), -1) {
		v, _ := strconv.Atoi(m[1])
		n += v
	}
	return n, true
}

// redisFull sets Redis's maxmemory to 1 byte, with noeviction, so every write is
// refused as when Redis is full, for --full-for, then lifts it.
func (lr *loadRun) redisFull(i int) string {
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: lr.rs.Addr()})
	defer c.Close()
	lr.say("message %d: redis-server full (maxmemory 1, noeviction) for %s", i, lr.cfg.fullFor)
	if err := c.ConfigSet(ctx, "maxmemory-policy", "noeviction").Err(); err != nil {
		lr.problem("redis-full: " + err.Error())
		return "not done"
	}
	if err := c.ConfigSet(ctx, "maxmemory", "1").Err(); err != nil {
		lr.problem("redis-full: " + err.Error())
		return "not done"
	}
	refused := c.Set(ctx, "adplan-loadtest:full-probe", "x", time.Minute).Err()
	time.Sleep(lr.cfg.fullFor)
	if err := c.ConfigSet(ctx, "maxmemory", "0").Err(); err != nil {
		lr.problem("redis-full: lifting maxmemory: " + err.Error())
	}
	if refused == nil || !strings.Contains(refused.Error(), "OOM") {
		lr.problem(fmt.Sprintf("redis-full: a write while full was not refused with OOM (%v): the fault tested nothing", refused))
	}
	return fmt.Sprintf("maxmemory 1 (noeviction) for %s; a probe write got %q", lr.cfg.fullFor, fmt.Sprint(refused))
}

// problem adds a problem to the report; faults run beside the sender.
func (lr *loadRun) problem(p string) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	lr.rep.Problems = append(lr.rep.Problems, p)
}

// holdsAnswers reports whether a fault holds answers back by design (seconds of
// 429s, Redis down or full), so p99 says nothing about adplan's speed.
func holdsAnswers(faults []string) bool {
	return slices.ContainsFunc(faults, func(f string) bool {
		return f == faultStorm || f == faultRedisDownThenKill || f == faultRedisFull
	})
}
