package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
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
	killAt       float64       // fraction of messages after which one replica is SIGKILLed; 0: never
	restartAt    float64       // fraction after which Redis is SIGKILLed and started again; 0: never
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
	StoreNotices    int     `json:"store_notices"`
	SlackRedelivery int     `json:"slack_redeliveries"`
	P50MS           float64 `json:"p50_ms"`
	P90MS           float64 `json:"p90_ms"`
	P99MS           float64 `json:"p99_ms"`
	MaxMS           float64 `json:"max_ms"`
	// PerReplica is what each replica still running at the end says on /metrics.
	PerReplica []replicaFigures `json:"per_replica"`
	// Problems lists what went wrong, one line each (empty on a clean run).
	Problems []string `json:"problems"`
}

// replicaFigures are a replica's own counts, read from its /metrics.
type replicaFigures struct {
	Replica      int  `json:"replica"`
	Killed       bool `json:"killed"`
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
	if err := check(ctx, srv, rs.URL(), order, rep); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	}
	rep.SlackRedelivery = srv.Redelivered()
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
		r, err := startReplica(cfg, i, srv.URL(), redisURL)
		if err != nil {
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
}

// send sends the messages at the configured rate, round-robin over the threads: each
// thread's first message is a mention with the brief, the rest follow-ups in its
// thread. The faults strike after the messages the configuration names. It returns
// the messages in the order they were sent.
func (lr *loadRun) send() []sent {
	cfg, srv := lr.cfg, lr.srv
	killAt, restartAt := at(cfg.killAt, cfg.messages), at(cfg.restartAt, cfg.messages)
	roots := make([]string, cfg.threads)
	made := make([]int, cfg.threads)
	var order []sent
	var faults sync.WaitGroup
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
		switch i {
		case killAt:
			lr.rep.KilledAt = i
			lr.say("message %d: SIGKILL to replica 0", i)
			lr.replicas[0].kill()
		case restartAt:
			lr.rep.RedisRestartAt = i
			lr.say("message %d: SIGKILL to redis-server, then starting it again", i)
			faults.Go(lr.restartRedis)
		}
		if d := time.Until(start.Add(time.Duration(i+1) * interval)); d > 0 {
			time.Sleep(d)
		}
	}
	took := time.Since(start)
	lr.rep.SentPerSecond = float64(len(order)) / took.Seconds()
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
		lr.rep.Problems = append(lr.rep.Problems, "restarting redis-server: "+err.Error())
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

// check reads every thread back from Redis and what Slack was sent. Each message must
// have made a version whose plan was posted once (or, when it arrived after messages
// sent later and changed nothing, been answered so); the versions must follow the
// order the messages were sent, and the brief must end as the last message left it.
func check(ctx context.Context, srv *slacktest.Server, redisURL string, order []sent, rep *report) error {
	st, err := store.OpenRedis(ctx, redisURL, store.RedisOptions{})
	if err != nil {
		return fmt.Errorf("reading threads back: %w", err)
	}
	defer st.Close()
	p := sortPosts(srv, rep)
	threads, byThread := threadsOf(order)
	var lat []time.Duration
	for _, key := range threads {
		msgs := byThread[key]
		th, err := st.Load(ctx, slacktest.TeamID+"/"+key)
		if err != nil {
			rep.Lost += len(msgs)
			rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s: %v", key, err))
			continue
		}
		checkVersionOrder(key, th, rep)
		lat = append(lat, p.answers(key, th, msgs, rep)...)
		checkFinalBudget(key, th, len(msgs), rep)
	}
	rep.Answered = len(lat)
	slices.Sort(lat)
	q := func(f float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return ms(lat[min(len(lat)-1, int(f*float64(len(lat))))])
	}
	rep.P50MS, rep.P90MS, rep.P99MS, rep.MaxMS = q(0.5), q(0.9), q(0.99), q(1)
	return nil
}

// posts are the bot's successful chat.postMessage calls, sorted by what they say.
type posts struct {
	byTS map[string]slacktest.Call   // every post
	late map[string][]slacktest.Call // thread → replies saying a message arrived late
}

// sortPosts sorts what the bot posted. Plans posted more than once count as
// duplicated, "can't reach my store" notices are counted, and any other reply in a
// thread that is not a progress card is an error.
func sortPosts(srv *slacktest.Server, rep *report) posts {
	p := posts{byTS: map[string]slacktest.Call{}, late: map[string][]slacktest.Call{}}
	plans := map[string]int{} // "thread/vN" → posts
	for _, c := range srv.Calls("chat.postMessage") {
		if !c.OK() {
			continue
		}
		p.byTS[c.TS] = c
		thread, text := c.Channel()+"/"+c.ThreadTS(), c.Text()
		var n int
		_, notPlan := fmt.Sscanf(text, "Plan v%d:", &n)
		switch {
		case notPlan == nil:
			plans[fmt.Sprintf("%s/v%d", thread, n)]++
		case strings.Contains(text, "can't reach my store"):
			rep.StoreNotices++
		case strings.Contains(text, lateReply):
			p.late[thread] = append(p.late[thread], c)
		case strings.HasPrefix(text, "Reading ") || strings.HasPrefix(text, "Making the plan"):
			// a progress card
		case c.ThreadTS() != "":
			rep.Errors++
			rep.Problems = append(rep.Problems, fmt.Sprintf("unexpected reply in %s: %.120q", thread, text))
		}
	}
	for _, n := range plans {
		rep.Duplicated += n - 1
	}
	return p
}

// threadsOf groups the sent messages by thread ("channel/root"), the threads in the
// order they were started.
func threadsOf(order []sent) (threads []string, byThread map[string][]sent) {
	byThread = map[string][]sent{}
	for _, s := range order {
		key := s.channel + "/" + s.root
		if s.n == 1 {
			threads = append(threads, key)
		}
		byThread[key] = append(byThread[key], s)
	}
	return threads, byThread
}

// checkVersionOrder counts a version out of order when it was sent no later than the
// one before it; versions of messages that arrived late stand aside.
func checkVersionOrder(key string, th *conversation.Thread, rep *report) {
	lastSent := ""
	for _, v := range th.Versions {
		if v.ArrivedLate {
			continue
		}
		if lastSent != "" && v.SentTS <= lastSent {
			rep.OutOfOrder++
			rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s: version %d (%q) was sent before version %d", key, v.N, v.Message, v.N-1))
		}
		lastSent = v.SentTS
	}
}

// answers returns how long each of the thread's messages took to be answered: by
// the post of its version's plan or, for a message that made no version, by the
// thread's next reply saying it arrived late. A message with neither is lost.
func (p posts) answers(key string, th *conversation.Thread, msgs []sent, rep *report) []time.Duration {
	versionOf := map[string]int{}
	for i, v := range th.Versions {
		versionOf[v.Message] = i
	}
	var lat []time.Duration
	lateReplies := p.late[key]
	for _, s := range msgs {
		i, ok := versionOf[s.text]
		switch {
		case ok && p.byTS[th.Versions[i].PostedAs].TS != "":
			lat = append(lat, p.byTS[th.Versions[i].PostedAs].Time.Sub(s.at))
		case !ok && len(lateReplies) > 0:
			lat = append(lat, lateReplies[0].Time.Sub(s.at))
			lateReplies = lateReplies[1:]
		default:
			rep.Lost++
			state := "no version"
			if ok {
				state = fmt.Sprintf("version %d, posted as %q", th.Versions[i].N, th.Versions[i].PostedAs)
			}
			rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s: %q has no posted plan (%s)", key, s.text, state))
		}
	}
	return lat
}

// checkFinalBudget counts the thread out of order when its brief does not end with
// the budget of its last message (followUp's), which it would if an earlier message
// were applied last.
func checkFinalBudget(key string, th *conversation.Thread, messages int, rep *report) {
	wantBudget := 5000.0
	if messages > 1 {
		wantBudget = float64(10+messages-1) * 1000
	}
	if got := th.Current().Budget.Amount; got != wantBudget {
		rep.OutOfOrder++
		rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s ends with a budget of %.0f; the last message said %.0f", key, got, wantBudget))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// replica is one `adplan serve` process.
type replica struct {
	n       int
	cmd     *exec.Cmd
	opsAddr string
	logPath string
	done    chan error
	killed  bool
}

func startReplica(cfg config, n int, slackURL, redisURL string) (*replica, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	r := &replica{n: n, opsAddr: "127.0.0.1:" + strconv.Itoa(port), logPath: filepath.Join(cfg.workDir, fmt.Sprintf("replica-%d.log", n)), done: make(chan error, 1)}
	logFile, err := os.Create(r.logPath)
	if err != nil {
		return nil, err
	}
	r.cmd = exec.Command(cfg.adplan, "serve")
	r.cmd.Env = append(os.Environ(),
		"HOME="+cfg.workDir,
		"ADPLAN_SLACK_APP_TOKEN="+slacktest.AppToken, "ADPLAN_SLACK_BOT_TOKEN="+slacktest.BotToken,
		"ADPLAN_SLACK_API_URL="+slackURL, "ADPLAN_REDIS_URL="+redisURL, "ADPLAN_OPS_ADDR="+r.opsAddr,
		// The fake Slack does not limit chat.update; the run measures adplan, not Slack.
		"ADPLAN_SLACK_UPDATES_PER_MINUTE=100000",
	)
	if cfg.reclaimAfter > 0 {
		r.cmd.Env = append(r.cmd.Env, "ADPLAN_BOT_RECLAIM_AFTER="+cfg.reclaimAfter.String())
	}
	r.cmd.Stdout, r.cmd.Stderr = logFile, logFile
	if err := r.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting replica %d (%s serve): %w", n, cfg.adplan, err)
	}
	go func() { r.done <- r.cmd.Wait(); logFile.Close() }()
	return r, nil
}

func (r *replica) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+r.opsAddr+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case err := <-r.done:
			r.done <- err
			return fmt.Errorf("ended before it was ready: %v", err)
		case <-ctx.Done():
			return errors.New("not ready (/readyz) in time")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// figures reads the replica's counts from its /metrics.
func (r *replica) figures(ctx context.Context) (replicaFigures, error) {
	f := replicaFigures{Replica: r.n}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+r.opsAddr+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return f, fmt.Errorf("reading /metrics: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return f, fmt.Errorf("reading /metrics: %w", err)
	}
	sum := func(prefix string) int {
		total := 0.0
		for line := range strings.Lines(string(body)) {
			if name, value, ok := strings.Cut(strings.TrimSpace(line), " "); ok && strings.HasPrefix(name, prefix) {
				v, _ := strconv.ParseFloat(value, 64)
				total += v
			}
		}
		return int(total)
	}
	f.Events = sum("adplan_events_received_total")
	f.Deduplicated = sum("adplan_events_deduplicated_total")
	f.Plans = sum("adplan_plans_posted_total")
	f.StoreErrors = sum("adplan_store_errors_total")
	return f, nil
}

// kill ends the replica with SIGKILL: no shutdown, no hand-back.
func (r *replica) kill() {
	r.killed = true
	_ = r.cmd.Process.Kill()
}

// exited returns why the replica ended, or nil while it runs.
func (r *replica) exited() error {
	select {
	case err := <-r.done:
		r.done <- err
		if err == nil {
			err = errors.New("exit status 0")
		}
		return err
	default:
		return nil
	}
}

// stop ends the replica with SIGTERM, as an orchestrator does, and waits for it.
func (r *replica) stop() {
	_ = r.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-r.done:
		r.done <- err
	case <-time.After(20 * time.Second):
		_ = r.cmd.Process.Kill()
	}
}

func (r *replica) logs() string {
	b, _ := os.ReadFile(r.logPath)
	return string(b)
}

func logsOf(replicas []*replica) string {
	var b strings.Builder
	for _, r := range replicas {
		if r != nil {
			fmt.Fprintf(&b, "\n--- replica %d log (last 2 KB):\n%s", r.n, tail(r.logs(), 2048))
		}
	}
	return b.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
