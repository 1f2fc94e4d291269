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
	"time"

	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// Judging a run: every message answered once, in the order sent, nothing lost.

// check reads every thread back from Redis and what Slack was sent. Each message must
// have made a version whose plan was posted once (or, when it arrived after messages
// sent later and changed nothing, been answered so); the versions must follow the
// order the messages were sent, and the brief must end as the last message left it.
//
// A thread whose state the store lost (hit: its brief was sent before Redis came back
// empty) holds, read back, only what was rebuilt from Slack and made since: the
// versions before the loss are gone, and numbering starts over from the rebuilt
// thread. Such a thread is judged on what Slack shows (judgeLost); only the versions
// made after the loss (those carrying a sent ts) are checked for order.
func check(ctx context.Context, srv *slacktest.Server, redisURL string, order []sent, rep *report, hit func(sent) bool) error {
	st, err := store.OpenRedis(ctx, redisURL, store.RedisOptions{})
	if err != nil {
		return fmt.Errorf("reading threads back: %w", err)
	}
	defer st.Close()
	threads, byThread := threadsOf(order)
	lost := map[string]bool{}
	for _, key := range threads {
		lost[key] = hit(byThread[key][0])
	}
	p := sortPosts(srv, rep, lost)
	var lat []time.Duration
	for _, key := range threads {
		msgs := byThread[key]
		if lost[key] {
			rep.RelaxedThreads++
			th, err := st.Load(ctx, slacktest.TeamID+"/"+key)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s: %v", key, err))
			}
			if err == nil {
				checkVersionOrder(key, th, rep, true)
				checkFinalBudget(key, th, len(msgs), rep)
			}
			lat = append(lat, p.judgeLost(key, msgs, rep)...)
			continue
		}
		th, err := st.Load(ctx, slacktest.TeamID+"/"+key)
		if err != nil {
			rep.Lost += len(msgs)
			rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s: %v", key, err))
			continue
		}
		checkVersionOrder(key, th, rep, false)
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
	byTS  map[string]slacktest.Call   // every post
	late  map[string][]slacktest.Call // thread → replies saying a message arrived late
	plans map[string][]slacktest.Call // thread → its plans, in the order posted
	// rebuilt are the notes saying a thread was read back from Slack; they quote the
	// messages no plan had answered, which the next plan takes in.
	rebuilt map[string][]slacktest.Call
}

// sortPosts sorts what the bot posted. Plans posted more than once count as
// duplicated, "can't reach my store" notices are counted, and any other reply in a
// thread that is not a progress card is an error.
func sortPosts(srv *slacktest.Server, rep *report, lost map[string]bool) posts {
	p := posts{byTS: map[string]slacktest.Call{}, late: map[string][]slacktest.Call{}, plans: map[string][]slacktest.Call{},
		rebuilt: map[string][]slacktest.Call{}}
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
			p.plans[thread] = append(p.plans[thread], c)
			if !lost[thread] { // numbering starts over in a rebuilt thread: see judgeLost
				plans[fmt.Sprintf("%s/v%d", thread, n)]++
			}
		case strings.Contains(text, "can't reach my store"):
			rep.StoreNotices++
		case strings.Contains(text, "My store is full"):
			rep.FullNotices++
		case strings.Contains(text, "I had lost this thread's state"):
			rep.RebuiltNotices++
			p.rebuilt[thread] = append(p.rebuilt[thread], c)
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
// In a thread rebuilt after the store lost it (rebuilt), versions read back from
// Slack carry no sent ts and are not checked.
func checkVersionOrder(key string, th *conversation.Thread, rep *report, rebuilt bool) {
	lastSent := ""
	for _, v := range th.Versions {
		if v.ArrivedLate || rebuilt && v.SentTS == "" {
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

// budgetOf is the budget the n-th message of a thread (from 1) sets.
func budgetOf(n int) float64 {
	if n == 1 {
		return 5000
	}
	return float64(10+n-1) * 1000
}

// amountText is a budget as a plan's summary writes it: "11,000 EUR over".
func amountText(budget float64) string {
	d := strconv.Itoa(int(budget))
	for i := len(d) - 3; i > 0; i -= 3 {
		d = d[:i] + "," + d[i:]
	}
	return " " + d + " EUR over"
}

// judgeLost judges a thread whose state the store lost on what Slack shows: each
// message must be answered by a plan carrying its budget (each message sets a budget
// of its own) or by a reply saying it arrived late; a budget posted twice is a
// duplicate; the thread's last plan must carry the last message's budget.
func (p posts) judgeLost(key string, msgs []sent, rep *report) []time.Duration {
	byAmount := map[string][]slacktest.Call{}
	for _, c := range p.plans[key] {
		for _, s := range msgs {
			if a := amountText(budgetOf(s.n)); strings.Contains(c.Text(), a) {
				byAmount[a] = append(byAmount[a], c)
				break
			}
		}
	}
	var lat []time.Duration
	lateReplies := p.late[key]
	for _, s := range msgs {
		a := amountText(budgetOf(s.n))
		switch got := byAmount[a]; {
		case len(got) > 0:
			lat = append(lat, got[0].Time.Sub(s.at))
			if len(got) > 1 {
				rep.Duplicated += len(got) - 1
				rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s (state lost): the plan for %q was posted %d times", key, s.text, len(got)))
			}
		case len(lateReplies) > 0:
			lat = append(lat, lateReplies[0].Time.Sub(s.at))
			lateReplies = lateReplies[1:]
		case p.toldRebuilt(key, s.text) != nil:
			// Its job was lost with the store's data; the thread was told so, and the
			// next plan takes it in.
			lat = append(lat, p.toldRebuilt(key, s.text).Time.Sub(s.at))
		default:
			rep.Lost++
			rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s (state lost): %q has no posted plan", key, s.text))
		}
	}
	if plans := p.plans[key]; len(plans) > 0 {
		last := msgs[len(msgs)-1]
		if !strings.Contains(plans[len(plans)-1].Text(), amountText(budgetOf(last.n))) {
			rep.OutOfOrder++
			rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s (state lost): the last plan posted, %.100q, is not for the last message %q", key, plans[len(plans)-1].Text(), last.text))
		}
	}
	return lat
}

// toldRebuilt returns the note in thread key that names text among the messages no
// plan had answered when the thread was read back from Slack, or nil.
func (p posts) toldRebuilt(key, text string) *slacktest.Call {
	for i, c := range p.rebuilt[key] {
		if strings.Contains(c.Text(), strconv.Quote(text)) {
			return &p.rebuilt[key][i]
		}
	}
	return nil
}

// checkFinalBudget counts the thread out of order when its brief does not end with
// the budget of its last message (followUp's), which it would if an earlier message
// were applied last.
func checkFinalBudget(key string, th *conversation.Thread, messages int, rep *report) {
	wantBudget := budgetOf(messages)
	if got := th.Current().Budget.Amount; got != wantBudget {
		rep.OutOfOrder++
		rep.Problems = append(rep.Problems, fmt.Sprintf("thread %s ends with a budget of %.0f; the last message said %.0f", key, got, wantBudget))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// replica is one `adplan serve` process, which may be started again (after kill) on
// the same home and state directory, so on the same journal of held jobs.
type replica struct {
	n                  int
	cfg                config
	slackURL, redisURL string
	cmd                *exec.Cmd
	opsAddr            string
	home               string // HOME; XDG_STATE_HOME is home/state, where the journal lives
	logPath            string // every life of the replica, appended
	done               chan error
	killed             bool // killed and not (yet) started again
	lives              int
}

func newReplica(cfg config, n int, slackURL, redisURL string) (*replica, error) {
	r := &replica{n: n, cfg: cfg, slackURL: slackURL, redisURL: redisURL,
		home:    filepath.Join(cfg.workDir, fmt.Sprintf("replica-%d", n)),
		logPath: filepath.Join(cfg.workDir, fmt.Sprintf("replica-%d.log", n))}
	if err := os.MkdirAll(filepath.Join(r.home, "state"), 0o700); err != nil {
		return nil, err
	}
	return r, nil
}

// start starts the replica's process: the first time, or again after kill.
func (r *replica) start() error {
	port, err := freePort()
	if err != nil {
		return err
	}
	r.opsAddr = "127.0.0.1:" + strconv.Itoa(port)
	r.done = make(chan error, 1)
	logFile, err := os.OpenFile(r.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	r.lives++
	if r.lives > 1 {
		fmt.Fprintf(logFile, "--- adplan-loadtest: replica %d started again (life %d) at %s\n", r.n, r.lives, time.Now().Format(time.RFC3339Nano))
	}
	cfg := r.cfg
	r.cmd = exec.Command(cfg.adplan, "serve")
	r.cmd.Env = append(os.Environ(),
		"HOME="+r.home, "XDG_STATE_HOME="+filepath.Join(r.home, "state"),
		"ADPLAN_SLACK_APP_TOKEN="+slacktest.AppToken, "ADPLAN_SLACK_BOT_TOKEN="+slacktest.BotToken,
		"ADPLAN_SLACK_API_URL="+r.slackURL, "ADPLAN_REDIS_URL="+r.redisURL, "ADPLAN_OPS_ADDR="+r.opsAddr,
		// The fake Slack does not limit chat.update; the run measures adplan, not Slack.
		"ADPLAN_SLACK_UPDATES_PER_MINUTE=100000",
	)
	if cfg.reclaimAfter > 0 {
		r.cmd.Env = append(r.cmd.Env, "ADPLAN_BOT_RECLAIM_AFTER="+cfg.reclaimAfter.String())
	}
	r.cmd.Stdout, r.cmd.Stderr = logFile, logFile
	if err := r.cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("starting replica %d (%s serve): %w", r.n, cfg.adplan, err)
	}
	r.killed = false
	cmd, done := r.cmd, r.done
	go func() { done <- cmd.Wait(); logFile.Close() }()
	return nil
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
	err := <-r.done
	r.done <- err
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
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
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
