package bot_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/store"
)

// The load run: go test ./bot -run TestLoad -load [-load.threads 200 -load.messages 1000 -load.rate 100]
// Two replicas share one queue in a redis-server of the test's own (AOF on); one replica
// is stopped abruptly a third of the way in and Redis is restarted two thirds of the
// way in. It reports p50/p99 from event to posted plan, and fails on any lost,
// duplicated or out-of-order answer.
var (
	loadRun      = flag.Bool("load", false, "run the load test")
	loadThreads  = flag.Int("load.threads", 200, "threads in the load run")
	loadMessages = flag.Int("load.messages", 1000, "messages (briefs and follow-ups) in the load run")
	loadRate     = flag.Float64("load.rate", 100, "messages per second")
	loadReclaim  = flag.Duration("load.reclaim", 300*time.Millisecond, "bot.reclaim_after of the replicas: how soon a stopped replica's jobs are claimed")
)

func TestLoad(t *testing.T) {
	if !*loadRun {
		t.Skip("skipping the load run; pass -load to run it")
	}
	rs := startRedisServer(t)
	st, err := store.OpenRedis(context.Background(), rs.url(), store.RedisOptions{ThreadTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := slacktest.New(t)
	a := startBot(t, srv, st, withQueue(st, *loadReclaim), func(o *bot.Options) { o.Consumer = "replica-a"; o.ShutdownGrace = time.Millisecond })
	startBot(t, srv, st, withQueue(st, *loadReclaim), func(o *bot.Options) { o.Consumer = "replica-b" })

	// Each thread gets a brief, then follow-ups that each change the budget to an
	// amount of their own, so every message makes a version and its order shows.
	threads := *loadThreads
	perThread := make([]int, threads)
	for i := range *loadMessages {
		perThread[i%threads]++
	}
	type sent struct {
		thread string
		n      int // the version this message should make
		env    string
	}
	var order []sent
	roots := make([]string, threads)
	made := make([]int, threads)
	interval := time.Duration(float64(time.Second) / *loadRate)
	start := time.Now()
	killAt, restartAt := *loadMessages/3, 2**loadMessages/3
	for i := range *loadMessages {
		k := i % threads
		if made[k] >= perThread[k] {
			continue
		}
		var env string
		if made[k] == 0 {
			m := srv.AppMentionEvent("C1", "U1", brief)
			roots[k] = m.TS()
			env = srv.SendEventsAPI(m)
		} else {
			env = srv.SendEventsAPI(srv.MessageEvent("C1", "U1", fmt.Sprintf("make it %dk", 10+made[k]), roots[k]))
		}
		made[k]++
		order = append(order, sent{thread: roots[k], n: made[k], env: env})
		switch i {
		case killAt:
			go a.stop() // replica A goes away with whatever it holds
		case restartAt:
			rs.stop()
			time.Sleep(200 * time.Millisecond)
			rs.start()
		}
		if d := time.Until(start.Add(time.Duration(i+1) * interval)); d > 0 {
			time.Sleep(d)
		}
	}
	sendTook := time.Since(start)

	// Every message must make its version, posted once.
	deadline := time.Now().Add(2 * time.Minute)
	var lat []time.Duration
	lost, dup, outOfOrder := 0, 0, 0
	for k, root := range roots {
		want := perThread[k]
		for {
			if plans := plansIn(srv, "C1", root); len(plans) >= want || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		got := versionMessages(st, root)
		if len(got) != want {
			lost += want - len(got)
		}
		for i, msg := range got {
			wantMsg := brief
			if i > 0 {
				wantMsg = fmt.Sprintf("make it %dk", 10+i)
			}
			if msg != wantMsg {
				outOfOrder++
			}
		}
		counts := map[string]int{}
		for _, p := range plansIn(srv, "C1", root) {
			counts[strings.SplitN(p, ":", 2)[0]]++
		}
		for _, c := range counts {
			if c > 1 {
				dup += c - 1
			}
		}
	}
	type slow struct {
		i   int
		lat time.Duration
	}
	var slowest []slow
	for i, s := range order {
		c, err := srv.WaitCall("chat.postMessage", func(c slacktest.Call) bool {
			return c.ThreadTS() == s.thread && strings.HasPrefix(c.Text(), fmt.Sprintf("Plan v%d:", s.n))
		}, time.Millisecond)
		if err == nil {
			d := c.Time.Sub(srv.SentAt(s.env))
			lat = append(lat, d)
			slowest = append(slowest, slow{i, d})
		}
	}
	slices.SortFunc(slowest, func(a, b slow) int { return int(b.lat - a.lat) })
	for _, s := range slowest[:min(12, len(slowest))] {
		t.Logf("slow: message %d took %s", s.i, s.lat.Round(time.Millisecond))
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(q*float64(len(lat))))]
	}
	t.Logf("load run: %d threads, %d messages sent in %s (%.0f/s); replica A stopped at message %d, Redis restarted at message %d",
		threads, len(order), sendTook.Round(time.Millisecond), float64(len(order))/sendTook.Seconds(), killAt, restartAt)
	t.Logf("answered %d, lost %d, duplicated %d, out of order %d; event to plan p50 %s, p99 %s, max %s",
		len(lat), lost, dup, outOfOrder, p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), p(1).Round(time.Millisecond))
	if lost > 0 || dup > 0 || outOfOrder > 0 {
		t.Errorf("lost %d, duplicated %d, out of order %d; want none", lost, dup, outOfOrder)
	}
	if p(0.99) > 500*time.Millisecond {
		t.Errorf("p99 event to plan %s, want under 500ms", p(0.99))
	}
}

// versionMessages returns the messages of the thread's versions, in version order.
func versionMessages(st *store.Redis, root string) []string {
	th, err := st.Load(context.Background(), slacktest.TeamID+"/C1/"+root)
	if err != nil {
		return nil
	}
	return messages(th)
}
