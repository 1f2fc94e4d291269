package bot_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/bot"
	"github.com/adplan/adplan/bot/slacktest"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
	"github.com/adplan/adplan/store/queuetest"
)

// The queue tests run on the backend the others do: Redis's queue where
// ADPLAN_TEST_REDIS_URL is set, else the memory queue, the same code path. Replicas of
// a test share one backend, as they would share Redis.

// withReclaimAfter sets how long a replica may go unheard before another takes its jobs.
func withReclaimAfter(d time.Duration) func(*bot.Options) {
	return func(o *bot.Options) { o.ReclaimAfter = d }
}

func TestQueuedFollowUpsAreAnsweredOnceAndInOrder(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t)
	h := startBot(t, srv, be, withReclaimAfter(5*time.Second))
	m := srv.AppMentionEvent("C1", "U1", brief)
	env := srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 1)
	srv.Redeliver(env)
	for _, msg := range []string{"extend to 60 days", "make it 8k", "add Austria too"} {
		srv.SendEventsAPI(srv.MessageEvent("C1", "U1", msg, m.TS()))
	}
	h.waitPlan(t, "C1", m.TS(), 4)
	th := h.thread(t, "C1", m.TS())
	if got := messages(th); len(got) != 4 || got[1] != "extend to 60 days" || got[2] != "make it 8k" || got[3] != "add Austria too" {
		t.Errorf("versions %q; want the brief then the three follow-ups in order", got)
	}
	if b := th.Versions[3].Brief; b.Schedule.Days != 60 || b.Budget.Amount != 8000 || len(b.Audience.Geo.Countries) != 2 {
		t.Errorf("v4 lost a change: %d days, %v, %v", b.Schedule.Days, b.Budget.Amount, b.Audience.Geo.Countries)
	}
	if plans := plansIn(srv, "C1", m.TS()); len(plans) != 4 {
		t.Errorf("plans posted: %q", plans)
	}
	h.drained(t)
}

// TestTwoReplicasShareTheQueue runs two bots on one queue, as two replicas behind one
// Slack app, with Slack spreading envelopes over both connections: a thread's brief
// and its follow-ups, sent a moment apart, reach different replicas and the queue in
// any order. Whichever takes a job answers it; no follow-up is dropped for arriving
// before its brief, and each thread ends as its last message left it.
func TestTwoReplicasShareTheQueue(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t, slacktest.WithRoundRobin())
	a := startBot(t, srv, be, withReclaimAfter(5*time.Second), func(o *bot.Options) { o.Consumer = "replica-a" })
	startBot(t, srv, be, withReclaimAfter(5*time.Second), func(o *bot.Options) { o.Consumer = "replica-b" })
	var threads []string
	for range 6 {
		m := srv.AppMentionEvent("C1", "U1", brief)
		srv.SendEventsAPI(m)
		threads = append(threads, m.TS())
		srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
		srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "make it 8k", m.TS()))
	}
	for _, ts := range threads {
		a.waitPlan(t, "C1", ts, 3)
		th := a.thread(t, "C1", ts)
		got := messages(th)
		if len(got) != 3 || got[0] != brief || !slices.Contains(got, "extend to 60 days") || !slices.Contains(got, "make it 8k") {
			t.Errorf("thread %s versions %q", ts, got)
		}
		if b := th.Current(); b.Schedule.Days != 60 || b.Budget.Amount != 8000 {
			t.Errorf("thread %s ends with %d days and %v; want 60 days and 8000", ts, b.Schedule.Days, b.Budget.Amount)
		}
		if plans := plansIn(srv, "C1", ts); len(plans) != 3 {
			t.Errorf("thread %s plans %q", ts, plans)
		}
	}
	if srv.Connections() != 2 {
		t.Fatalf("%d connections; want the two replicas", srv.Connections())
	}
}

// stallingPlanner never finishes a plan: it stands for a replica that dies mid-plan.
type stallingPlanner struct{ started atomic.Int32 }

func (p *stallingPlanner) Plan(ctx context.Context, _ agents.Brief, _ time.Time, _ string) (agents.Plan, error) {
	p.started.Add(1)
	<-ctx.Done()
	return agents.Plan{}, ctx.Err()
}

// stuckReplica starts replica A on queue q, hands it a brief and waits until A is
// stuck planning it.
func stuckReplica(t *testing.T, srv *slacktest.Server, be backend, q bot.Queue, reclaimAfter time.Duration) (*harness, slacktest.Event) {
	t.Helper()
	stall := &stallingPlanner{}
	a := startBot(t, srv, be, withReclaimAfter(reclaimAfter), func(o *bot.Options) {
		o.Queue = q
		o.Consumer = "replica-a"
		o.Planner = stall
		o.ShutdownGrace = 50 * time.Millisecond
	})
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	eventually(t, func() bool { return stall.started.Load() > 0 }, "replica A to start planning")
	return a, m
}

// deadQueue is the queue as a replica killed with SIGKILL leaves it: nothing is
// handed back when it goes.
type deadQueue struct{ bot.Queue }

func (deadQueue) HandBack(context.Context, string) (int, error) { return 0, nil }

// TestAJobLeftByADeadReplicaIsFinishedByAnother: replica A takes a brief and dies
// without handing it back; replica B claims the job once A has gone unheard for
// bot.reclaim_after, and posts the plan, once.
func TestAJobLeftByADeadReplicaIsFinishedByAnother(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t)
	a, m := stuckReplica(t, srv, be, deadQueue{be.queue}, 400*time.Millisecond)
	a.stop() // A goes away with the job in hand

	b := startBot(t, srv, be, withReclaimAfter(400*time.Millisecond), func(o *bot.Options) { o.Consumer = "replica-b" })
	b.waitPlan(t, "C1", m.TS(), 1)
	if plans := plansIn(srv, "C1", m.TS()); len(plans) != 1 {
		t.Errorf("plans posted: %q; want exactly one", plans)
	}
	if th := b.thread(t, "C1", m.TS()); len(th.Versions) != 1 || th.Versions[0].Plan == nil {
		t.Errorf("thread after the hand-over: %d versions", len(th.Versions))
	}
	b.drained(t)
}

// TestAStoppingReplicaHandsBackItsJobs: replica A is stopped (SIGTERM) while a plan
// is stuck; what it could not finish in its grace goes back to the queue at once, so
// replica B takes it although B would reclaim an idle job only after an hour.
func TestAStoppingReplicaHandsBackItsJobs(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t)
	a, m := stuckReplica(t, srv, be, be.queue, time.Hour)
	b := startBot(t, srv, be, withReclaimAfter(time.Hour), func(o *bot.Options) { o.Consumer = "replica-b" })
	a.stop()

	b.waitPlan(t, "C1", m.TS(), 1)
	if plans := plansIn(srv, "C1", m.TS()); len(plans) != 1 {
		t.Errorf("plans posted: %q; want exactly one", plans)
	}
	if alive, err := be.queue.Alive(context.Background(), "replica-a"); err != nil || alive {
		t.Errorf("replica A still counts as alive after it stopped (%v)", err)
	}
}

// slowPlanner plans like next, after delay, and counts how often it was asked.
type slowPlanner struct {
	next  bot.Planner
	delay time.Duration
	calls atomic.Int32
}

func (p *slowPlanner) Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error) {
	p.calls.Add(1)
	select {
	case <-time.After(p.delay):
	case <-ctx.Done():
		return agents.Plan{}, ctx.Err()
	}
	return p.next.Plan(ctx, b, now, channel)
}

// TestAReplicaKeepsAJobThatTakesLongerThanReclaimAfter: a plan that takes far longer
// than bot.reclaim_after (a slow model) is not taken from the live replica working on
// it, because that replica renews the jobs it holds; it is planned once, posted once.
//
// Renewals go every reclaim_after/4, so the job is taken from A only if A's heartbeat
// stalls for over 3/4 of reclaim_after: at 1 s that is a stall no busy test machine
// shows (at 200 ms, one did), and the plan, at 4 reclaim_afters, still gives a wrongful
// reclaim (due within 1.25 reclaim_afters of A's last renewal) time to happen.
func TestAReplicaKeepsAJobThatTakesLongerThanReclaimAfter(t *testing.T) {
	const reclaimAfter = time.Second
	be := newBackend(t)
	srv := slacktest.New(t)
	var slow *slowPlanner
	replica := func(name string) func(*bot.Options) {
		return func(o *bot.Options) {
			o.Consumer = name
			if slow == nil {
				slow = &slowPlanner{next: o.Planner, delay: 4 * reclaimAfter}
			}
			o.Planner = slow
		}
	}
	a := startBot(t, srv, be, withReclaimAfter(reclaimAfter), replica("replica-a"))
	startBot(t, srv, be, withReclaimAfter(reclaimAfter), replica("replica-b"))
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	a.waitPlan(t, "C1", m.TS(), 1)
	// A wrongful second run would have started while A was still planning (the job
	// leaves the queue once A is done), so it has been counted by now.
	a.drained(t)
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("the plan was made %d times; want once", n)
	}
	if plans := plansIn(srv, "C1", m.TS()); len(plans) != 1 {
		t.Errorf("plans posted: %q; want exactly one", plans)
	}
}

// gatedPlanner plans like next once release is closed, and tells started of every
// call as it begins.
type gatedPlanner struct {
	next    bot.Planner
	started chan int32
	release chan struct{}
	calls   atomic.Int32
}

func (p *gatedPlanner) Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error) {
	p.started <- p.calls.Add(1)
	select {
	case <-p.release:
	case <-ctx.Done():
		return agents.Plan{}, ctx.Err()
	}
	return p.next.Plan(ctx, b, now, channel)
}

// laggingQueue is a memory queue whose renewals never land — a heartbeat that came
// too late, taken to the limit — and which tells when the reclaimer has handed back a
// job and when, after that, it asks again.
type laggingQueue struct {
	*store.MemoryQueue
	mu        sync.Mutex
	handed    chan struct{} // closed once Reclaim returns a job
	askedNext chan struct{} // closed at the first Reclaim after that
	gotJob    bool
	asked     bool
}

func (q *laggingQueue) Renew(ctx context.Context, consumer string, jobIDs ...string) (int, error) {
	return len(jobIDs), nil
}

func (q *laggingQueue) Reclaim(ctx context.Context, consumer string, minIdle time.Duration, count int) ([]store.Job, error) {
	q.mu.Lock()
	if q.gotJob && !q.asked {
		q.asked = true
		close(q.askedNext)
	}
	q.mu.Unlock()
	jobs, err := q.MemoryQueue.Reclaim(ctx, consumer, minIdle, count)
	q.mu.Lock()
	if len(jobs) > 0 && !q.gotJob {
		q.gotJob = true
		close(q.handed)
	}
	q.mu.Unlock()
	return jobs, err
}

// TestAReplicaDoesNotRunAgainAJobItIsRunning: a worker's job goes unrenewed past
// reclaim_after (its heartbeat late on a busy machine), so the reclaimer of the same
// replica claims it. The replica leaves it to the worker running it instead of
// planning it a second time. The queue's clock is moved by hand, so nothing here
// depends on how fast the machine is.
func TestAReplicaDoesNotRunAgainAJobItIsRunning(t *testing.T) {
	clock := queuetest.NewFakeClock(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
	q := &laggingQueue{MemoryQueue: store.NewMemoryQueue(clock.Now), handed: make(chan struct{}), askedNext: make(chan struct{})}
	be := backend{store: store.NewMemory(), queue: q}
	srv := slacktest.New(t)
	var gate *gatedPlanner
	h := startBot(t, srv, be, withReclaimAfter(100*time.Millisecond), func(o *bot.Options) {
		gate = &gatedPlanner{next: o.Planner, started: make(chan int32, 4), release: make(chan struct{})}
		o.Planner = gate
	})
	released := false
	release := func() {
		if !released {
			released = true
			close(gate.release)
		}
	}
	defer release()
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	select {
	case <-gate.started:
	case <-time.After(wait):
		t.Fatal("the plan was never started")
	}
	// The worker is planning; its job now looks idle far beyond reclaim_after.
	clock.Advance(time.Hour)
	select {
	case <-q.handed:
	case <-time.After(wait):
		t.Fatal("the reclaimer never claimed the idle job")
	}
	// The reclaimer runs what it claims before asking again: once it asks again, it
	// has dealt with the job; or it is planning it a second time.
	select {
	case <-q.askedNext:
	case n := <-gate.started:
		t.Fatalf("the job was planned again (call %d) while its worker was still planning it", n)
	case <-time.After(wait):
		t.Fatal("the reclaimer never asked for jobs again")
	}
	release()
	h.waitPlan(t, "C1", m.TS(), 1)
	h.drained(t)
	if n := gate.calls.Load(); n != 1 {
		t.Errorf("the plan was made %d times; want once", n)
	}
	if plans := plansIn(srv, "C1", m.TS()); len(plans) != 1 {
		t.Errorf("plans posted: %q; want exactly one", plans)
	}
}

// forgetfulStore stands for a replica that dies right after Slack accepted its plan:
// saving where the plan was posted never completes.
type forgetfulStore struct{ bot.Store }

func (s forgetfulStore) Save(ctx context.Context, th *conversation.Thread) error {
	for _, v := range th.Versions {
		if v.PostedAs != "" && !strings.HasPrefix(v.PostedAs, "posting:") {
			<-ctx.Done()
			return ctx.Err()
		}
	}
	return s.Store.Save(ctx, th)
}

// TestAPlanPostedByAReplicaThatDiedIsNotPostedAgain: replica A posts plan v1 and goes
// away before it can record where. Replica B, finishing A's job, finds the plan in the
// thread by the metadata it carries and records it instead of posting it again.
func TestAPlanPostedByAReplicaThatDiedIsNotPostedAgain(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t)
	a := startBot(t, srv, be, withReclaimAfter(time.Hour), func(o *bot.Options) {
		o.Consumer = "replica-a"
		o.Store = forgetfulStore{be.store}
		o.ShutdownGrace = 50 * time.Millisecond
	})
	m := srv.AppMentionEvent("C1", "U1", brief)
	srv.SendEventsAPI(m)
	posted := a.waitPlan(t, "C1", m.TS(), 1)
	a.stop()

	b := startBot(t, srv, be, withReclaimAfter(time.Hour), func(o *bot.Options) { o.Consumer = "replica-b" })
	eventually(t, func() bool {
		th, err := be.store.Load(context.Background(), slacktest.TeamID+"/C1/"+m.TS())
		return err == nil && len(th.Versions) == 1 && th.Versions[0].PostedAs == posted.TS
	}, "replica B to record where A posted plan v1")
	b.drained(t)
	if plans := plansIn(srv, "C1", m.TS()); len(plans) != 1 {
		t.Errorf("plans posted: %q; want exactly one", plans)
	}
	// The thread goes on from the plan A posted.
	srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	b.waitPlan(t, "C1", m.TS(), 2)
	if _, err := srv.WaitCall("chat.update", func(c slacktest.Call) bool {
		return c.Params.Get("ts") == posted.TS && strings.Contains(c.Text(), "superseded by v2")
	}, wait); err != nil {
		t.Errorf("the plan A posted was not marked superseded by v2: %v", err)
	}
}

// TestAFollowUpThatArrivesBeforeItsBriefWaitsForIt: Slack delivers a thread's first
// follow-up before the brief that started the thread (it retried the brief after the
// replica holding it died). The follow-up waits for the brief's plan instead of being
// taken for chatter in a thread adplan is not part of, then revises it.
func TestAFollowUpThatArrivesBeforeItsBriefWaitsForIt(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t)
	h := startBot(t, srv, be, withReclaimAfter(5*time.Second))
	m := srv.AppMentionEvent("C1", "U1", brief)
	early := srv.SendEventsAPI(srv.MessageEvent("C1", "U1", "extend to 60 days", m.TS()))
	// Acknowledged once queued: the follow-up is first in the queue, for a worker to
	// take and find no plan in its thread.
	if _, err := srv.WaitAck(early, wait); err != nil {
		t.Fatal(err)
	}
	srv.SendEventsAPI(m)
	h.waitPlan(t, "C1", m.TS(), 2)
	th := h.thread(t, "C1", m.TS())
	if got := messages(th); len(got) != 2 || got[0] != brief || got[1] != "extend to 60 days" {
		t.Errorf("versions %q; want the brief, then the follow-up", got)
	}
	if d := th.Current().Schedule.Days; d != 60 {
		t.Errorf("the plan runs %d days; want 60", d)
	}
}

// gatedQueue holds every Enqueue until its gate opens.
type gatedQueue struct {
	bot.Queue
	gate chan struct{}
}

func (q gatedQueue) Enqueue(ctx context.Context, eventID, thread string, payload []byte, ttl time.Duration) (bool, error) {
	<-q.gate
	return q.Queue.Enqueue(ctx, eventID, thread, payload, ttl)
}

// TestAnEnvelopeIsAcknowledgedOnlyOnceItsJobIsQueued: a replica that dies between
// receiving an envelope and queueing its job must not have acknowledged it, so that
// Slack sends it again; the ack follows the write to the queue.
func TestAnEnvelopeIsAcknowledgedOnlyOnceItsJobIsQueued(t *testing.T) {
	be := newBackend(t)
	srv := slacktest.New(t)
	gate := make(chan struct{})
	var opened sync.Once
	open := func() { opened.Do(func() { close(gate) }) }
	h := startBot(t, srv, be, withReclaimAfter(5*time.Second), func(o *bot.Options) { o.Queue = gatedQueue{be.queue, gate} })
	t.Cleanup(open) // registered after the bot's, so it runs first and the bot can stop
	m := srv.AppMentionEvent("C1", "U1", brief)
	env := srv.SendEventsAPI(m)
	if _, err := srv.WaitAck(env, 300*time.Millisecond); err == nil {
		t.Fatal("the envelope was acknowledged before its job was queued")
	}
	open()
	if _, err := srv.WaitAck(env, wait); err != nil {
		t.Fatalf("no ack once the job was queued: %v", err)
	}
	h.waitPlan(t, "C1", m.TS(), 1)
}
