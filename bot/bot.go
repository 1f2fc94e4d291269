package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/planner"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// Planner makes the plan for a brief; *planner.Planner is one.
type Planner interface {
	Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error)
}

// Store keeps threads; *store.Redis and *store.Memory are. (Handled events are
// remembered by the queue.)
type Store interface {
	Load(ctx context.Context, threadID string) (*conversation.Thread, error)
	Save(ctx context.Context, t *conversation.Thread) error
}

var (
	_ Planner             = (*planner.Planner)(nil)
	_ conversation.Reader = (*agents.Coordinator)(nil)
	_ Store               = (*store.Memory)(nil)
	_ Store               = (*store.Redis)(nil)
)

// Options configures a Bot.
type Options struct {
	// API is the Web API client (bot token); Socket the Socket Mode client built on it.
	API    *slack.Client
	Socket *socketmode.Client
	Store  Store
	Reader conversation.Reader
	// Planner makes plans; Channel is the buying channel they are made for.
	Planner Planner
	Channel string
	// Workers is how many jobs are worked on at once (default 8). The queue numbers a
	// thread's messages, so they are applied in order whichever worker takes them.
	Workers int
	// EventTTL is how long a handled event id is remembered (default 1 hour; Slack
	// retries for a few minutes).
	EventTTL time.Duration
	// ShutdownGrace bounds how long in-flight work may take after Run's context ends
	// (default 10 s).
	ShutdownGrace time.Duration
	// UpdatesPerMinute and UpdateBurst bound the bot's chat.update calls (progress
	// cards, superseded plans): default 40 a minute in bursts of up to 10, under
	// Slack's Tier 3 limit of about 50 a minute per workspace. The budget is kept
	// by the Queue, so every replica on it shares one.
	UpdatesPerMinute float64
	UpdateBurst      int
	// Journal, when set, keeps on disk (fsynced) each job acknowledged while the queue
	// cannot take it, so a replica that dies before Redis is back loses nothing: it, or
	// the next replica started on the same journal, queues them. Without one such jobs
	// wait in this process's memory only.
	Journal Journal
	// SlackRetryFor bounds how long one Slack call keeps waiting out rate limits
	// (Retry-After) and server errors before the job is left in the queue for a later
	// try (default 5 minutes).
	SlackRetryFor time.Duration
	Logger        *slog.Logger
	// AllowedTeams and AllowedApps, when set, are the only workspaces and apps whose
	// events are served; others are acknowledged and ignored.
	AllowedTeams []string
	AllowedApps  []string
	// Approvers, when set, are the only users who may approve plans.
	Approvers []string
	// Queue holds the work: jobs are written to it before Slack is acknowledged and
	// taken from it by workers. Redis's is shared by every replica, so none is lost
	// when a replica dies. Without one, a store.MemoryQueue keeps jobs in this process
	// (lost with it). The queue numbers each thread's messages, and a stored version
	// records its number: give a queue that lives as long as the Store's threads
	// (Redis's with Redis's, memory with memory).
	Queue Queue
	// Consumer names this replica in the queue (default: host, pid and a random part).
	Consumer string
	// ReclaimAfter is how long a replica may go unheard (no heartbeat, its jobs not
	// renewed) before another claims its jobs (default 5 s).
	ReclaimAfter time.Duration
	// TakeWait is how long a worker's take from an empty queue blocks (default 1 s).
	// Stopping waits for the takes in flight, since a blocked Redis read does not end
	// with its context; tests shorten it.
	TakeWait time.Duration
	// Metrics and Health, when set, are kept up to date for /metrics and /readyz.
	Metrics *Metrics
	Health  *Health
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Bot answers planners in Slack: it acknowledges every envelope at once, then hands
// the work to a pool of workers keyed by thread, so no agent runs in the event loop.
type Bot struct {
	opts      Options
	log       *slog.Logger
	botUserID string
	teamID    string
	// appID is the app whose token opened the socket (the hello's connection_info),
	// "" until Slack says; with teamID it is what an event must come from when no
	// allow-list is set.
	appID   atomic.Pointer[string]
	mention *regexp.Regexp
	// The queue's roles, each used by the part of the bot that needs it.
	jobs     JobQueue
	order    ThreadOrder
	replicas Replicas
	// held are jobs acknowledged while the queue was unreachable, waiting to be queued.
	held chan job
	// parked are queued jobs waiting for their thread's earlier message.
	parked sync.WaitGroup
	// edits sends progress and superseded-plan edits, coalesced and rate limited.
	edits *edits
	// inHand are the queue entries this replica holds, renewed with every heartbeat.
	inHand jobsInHand
	// queued is what this replica queued lately, to queue again if the queue loses it.
	queued queuedLedger
	// lastQueueTrouble is when the queue last failed to answer (unix ns; 0 never).
	lastQueueTrouble atomic.Int64
}

// job is one piece of work for a thread's worker.
type job struct {
	kind     jobKind
	team     string
	channel  string
	threadTS string
	user     string
	text     string
	// postRoot asks for the brief to be posted as the thread root first (a slash
	// command has no message of its own to thread under).
	postRoot bool
	// followUpOnly drops the message when the thread holds no plan (a reply in a
	// thread the bot is not part of).
	followUpOnly bool
	version      int
	// messageTS is the message a button sat on; the press is honoured only when it is
	// one of the thread's plans.
	messageTS string
	// root marks a mention or direct message that starts its thread.
	root bool
	// sentTS is when the user sent the message (its Slack ts), so a message Slack
	// delivers late is applied in the order it was sent; "" for commands and buttons.
	sentTS string
	// requeued marks a job queued again after the queue lost its data.
	requeued bool
	eventID  string
	received time.Time
	// seq and queueID are set for jobs from the shared queue: the job's place among
	// its thread's jobs, and its entry in the queue.
	seq     int64
	queueID string
}

type jobKind int

const (
	jobMessage jobKind = iota
	jobApprove
	jobShowAssumptions
	// jobRefuse tells a user, privately, that what they sent was refused (text says
	// why); nothing else happens.
	jobRefuse
)

func (j job) threadID() string {
	return j.team + "/" + j.channel + "/" + j.threadTS
}

// isRoot reports whether the job's message starts its thread: a slash command, or a
// mention or direct message that is not itself in a thread.
func (j job) isRoot() bool { return j.postRoot || j.root }

// made reports whether version v was made by this job, in an earlier run whose worker
// died before finishing: by its place in the thread's sequence, or by when its
// message was sent (a Slack ts names one message), which also finds it when the job
// was queued again after the queue lost its data (with a new place) or in a thread
// rebuilt from Slack (where versions have no place).
func (j job) made(v conversation.Version) bool {
	if j.seq > 0 && v.Seq == j.seq {
		return true
	}
	return j.sentTS != "" && v.SentTS == j.sentTS
}

// New checks the options and builds a bot.
func New(opts Options) (*Bot, error) {
	switch {
	case opts.API == nil || opts.Socket == nil:
		return nil, errors.New("bot: a Slack Web API and a Socket Mode client are required")
	case opts.Store == nil || opts.Reader == nil || opts.Planner == nil:
		return nil, errors.New("bot: a store, a reader and a planner are required")
	}
	if opts.Workers <= 0 {
		opts.Workers = 8
	}
	if opts.EventTTL <= 0 {
		opts.EventTTL = time.Hour
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Channel == "" {
		opts.Channel = planner.DefaultChannel
	}
	if opts.Consumer == "" {
		opts.Consumer = consumerName()
	}
	if opts.ReclaimAfter <= 0 {
		opts.ReclaimAfter = defaultReclaimAfter
	}
	if opts.UpdatesPerMinute <= 0 {
		opts.UpdatesPerMinute = defaultUpdatesPerMinute
	}
	if opts.TakeWait <= 0 {
		opts.TakeWait = time.Second
	}
	if opts.SlackRetryFor <= 0 {
		opts.SlackRetryFor = DefaultSlackRetryFor
	}
	if opts.UpdateBurst <= 0 {
		opts.UpdateBurst = defaultUpdateBurst
	}
	if opts.Queue == nil {
		opts.Queue = store.NewMemoryQueue(nil)
	}
	b := &Bot{opts: opts, log: opts.Logger, held: make(chan job, 4096),
		jobs: opts.Queue, order: opts.Queue, replicas: opts.Queue}
	b.edits = newEdits(b, opts.Queue, opts.UpdatesPerMinute, opts.UpdateBurst)
	return b, nil
}

// Run connects and serves until ctx ends, then stops taking events, finishes the work
// in flight (within ShutdownGrace) and returns.
func (b *Bot) Run(ctx context.Context) error {
	auth, err := b.opts.API.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("checking the bot token with auth.test: %w", err)
	}
	b.botUserID, b.teamID = auth.UserID, auth.TeamID
	b.mention = regexp.MustCompile(`<@` + regexp.QuoteMeta(b.botUserID) + `(\|[^>]*)?>`)
	b.log.Info("connected to Slack", "team", auth.Team, "bot_user", auth.UserID)

	// Work outlives the event loop by up to ShutdownGrace, so a plan being made when
	// the signal comes is still posted.
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	var workers sync.WaitGroup
	editsDone := make(chan struct{})
	go func() { b.edits.run(workCtx); close(editsDone) }()
	stopBeat := b.consume(ctx, workCtx, &workers)
	workers.Go(func() { b.requeueHeld(workCtx) })

	socketCtx, stopSocket := context.WithCancel(ctx)
	defer stopSocket()
	socketDone := make(chan error, 1)
	go func() { socketDone <- b.opts.Socket.RunContext(socketCtx) }()

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-socketDone:
			if ctx.Err() == nil {
				runErr = fmt.Errorf("socket mode connection ended: %w", err)
			}
			socketDone = nil
			break loop
		case evt, ok := <-b.opts.Socket.Events:
			if !ok {
				break loop
			}
			b.dispatch(ctx, evt)
		}
	}
	stopSocket()
	b.opts.Health.SetConnected(false)
	close(b.held)
	drained := make(chan struct{})
	go func() {
		workers.Wait()
		b.parked.Wait()
		stopBeat()
		b.edits.close()
		<-editsDone
		close(drained)
	}()
	select {
	case <-drained:
	case <-time.After(b.opts.ShutdownGrace):
		b.log.Warn("shutdown grace ran out; abandoning work in flight")
		cancelWork()
		<-drained
	}
	b.handBack()
	if socketDone != nil {
		<-socketDone
	}
	return runErr
}

// dispatch acknowledges an envelope at once and queues its work. It never runs
// agents or calls the Web API itself.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event) {
	received := b.opts.Now()
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		b.opts.Metrics.EventReceived(KindEventsAPI)
		// Acknowledged once its job is queued (or journalled), not before: a replica
		// that dies in between has not acknowledged, so Slack sends the envelope again.
		durable := true
		defer func() {
			if durable {
				b.ack(evt, nil)
			}
		}()
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || !b.allowed(ev.TeamID, ev.APIAppID) {
			return
		}
		cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
		j, ok := b.eventJob(ev)
		if !ok {
			return
		}
		j.received = received
		id := "event:" + evt.Request.EnvelopeID
		if cb != nil && cb.EventID != "" {
			id = "event:" + cb.EventID
		}
		durable = b.enqueueOnce(ctx, id, j)
	case socketmode.EventTypeSlashCommand:
		b.opts.Metrics.EventReceived(KindSlashCommands)
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || !b.allowed(cmd.TeamID, cmd.APIAppID) {
			b.ack(evt, nil)
			return
		}
		text := strings.TrimSpace(cmd.Text)
		if text == "" || strings.EqualFold(text, "help") {
			blocks, fallback := HelpMessage()
			b.ack(evt, map[string]any{"response_type": "ephemeral", "text": fallback, "blocks": blocks})
			return
		}
		if b.enqueueOnce(ctx, requestID(cmd.TriggerID, evt), job{
			kind: jobMessage, team: cmd.TeamID, channel: cmd.ChannelID, user: cmd.UserID, text: text,
			postRoot: true, received: received,
		}) {
			b.ack(evt, nil)
		}
	case socketmode.EventTypeInteractive:
		b.opts.Metrics.EventReceived(KindInteractive)
		durable := true // acknowledged once queued, as above
		defer func() {
			if durable {
				b.ack(evt, nil)
			}
		}()
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 ||
			!b.allowed(cb.Team.ID, cb.APIAppID) {
			return
		}
		j, ok := b.actionJob(cb)
		if !ok {
			return
		}
		j.received = received
		durable = b.enqueueOnce(ctx, requestID(cb.TriggerID, evt), j)
	case socketmode.EventTypeHello:
		if evt.Request != nil && evt.Request.ConnectionInfo.AppID != "" {
			app := evt.Request.ConnectionInfo.AppID
			b.appID.Store(&app)
		}
		b.opts.Health.SetConnected(true)
		b.log.Debug("socket mode", "event", string(evt.Type))
	case socketmode.EventTypeConnected:
		b.opts.Health.SetConnected(true)
		b.log.Debug("socket mode", "event", string(evt.Type))
	case socketmode.EventTypeConnecting:
		b.opts.Health.SetConnected(false)
		b.log.Debug("socket mode", "event", string(evt.Type))
	case socketmode.EventTypeDisconnect:
		b.opts.Health.SetConnected(false)
		b.log.Info("slack asked to reconnect")
	case socketmode.EventTypeConnectionError:
		b.opts.Health.SetConnected(false)
		b.log.Warn("socket mode trouble", "event", string(evt.Type), "data", fmt.Sprint(evt.Data))
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage:
		b.log.Warn("socket mode trouble", "event", string(evt.Type), "data", fmt.Sprint(evt.Data))
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			b.ack(evt, nil)
		}
	}
}

// requestID names a slash command or button press for de-duplication: by its
// trigger_id, which Slack keeps when it sends the envelope again, else by envelope.
func requestID(triggerID string, evt socketmode.Event) string {
	if triggerID != "" {
		return "trigger:" + triggerID
	}
	return "envelope:" + evt.Request.EnvelopeID
}

// allowed reports whether events from this workspace and app are served: those the
// allow-lists name, or, where a list is empty, only the bot token's own workspace
// (auth.test) and the app whose token opened the socket (closed by default: a forged
// or misrouted envelope from elsewhere is refused).
func (b *Bot) allowed(team, app string) bool {
	if teams := b.opts.AllowedTeams; len(teams) > 0 && !slices.Contains(teams, team) {
		b.log.Warn("refusing an event from a workspace not in slack.allowed_teams", "team", team, "app", app)
		return false
	} else if len(teams) == 0 && b.teamID != "" && team != b.teamID {
		b.log.Warn("refusing an event from a workspace other than the bot's own (list others in slack.allowed_teams)", "team", team, "app", app)
		return false
	}
	if apps := b.opts.AllowedApps; len(apps) > 0 && !slices.Contains(apps, app) {
		b.log.Warn("refusing an event for an app not in slack.allowed_apps", "team", team, "app", app)
		return false
	} else if own := b.appID.Load(); len(apps) == 0 && own != nil && app != *own {
		b.log.Warn("refusing an event for an app other than the bot's own (list others in slack.allowed_apps)", "team", team, "app", app)
		return false
	}
	return true
}

func (b *Bot) ack(evt socketmode.Event, payload any) {
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return
	}
	var err error
	if payload != nil {
		err = b.opts.Socket.Ack(*evt.Request, payload)
	} else {
		err = b.opts.Socket.Ack(*evt.Request)
	}
	if err != nil {
		b.log.Warn("acknowledging an envelope", "envelope", evt.Request.EnvelopeID, "err", err)
		return
	}
	b.opts.Metrics.Acked()
}

// enqueueOnce queues a job, unless Slack delivered its event before (a retry). It
// reports whether the job is kept — queued, or held in the journal — so the envelope
// may be acknowledged; false leaves it unacknowledged, and Slack sends it again.
func (b *Bot) enqueueOnce(ctx context.Context, eventID string, j job) bool {
	j.eventID = eventID
	first, err := b.enqueue(ctx, eventID, j)
	switch {
	case err == nil && first:
		b.opts.Metrics.Enqueued()
		return true
	case err == nil:
		b.opts.Metrics.Deduplicated()
		b.log.Debug("dropping a re-delivered event", "event", eventID)
		return true
	}
	// The queue is unreachable: hold the job here and keep trying to queue it, in
	// arrival order, so the thread's order is still decided by the queue.
	b.queueTrouble()
	b.opts.Metrics.StoreError("enqueue")
	if b.opts.Journal != nil {
		payload, jerr := json.Marshal(recordOf(j))
		if jerr == nil {
			jerr = b.opts.Journal.Hold(eventID, payload)
		}
		if jerr != nil {
			b.log.Error("neither the queue nor the journal can keep a job; leaving it unacknowledged for Slack to send again",
				"event", eventID, "queue_err", err, "journal_err", jerr)
			return false
		}
	}
	b.log.Warn("queueing a job; holding it until the store is back", "event", eventID, "journalled", b.opts.Journal != nil, "err", err)
	select {
	case b.held <- j:
	case <-ctx.Done():
	}
	return true
}

// Journal keeps jobs acknowledged while the queue cannot take them;
// *store.Journal is one.
type Journal interface {
	Hold(eventID string, payload []byte) error
	Held() ([]store.HeldJob, error)
	Release(eventID string) error
}

var _ Journal = (*store.Journal)(nil)

// journalled is what the journal still holds — left by this replica's previous run,
// which died before the queue took them — for requeueHeld to queue first.
func (b *Bot) journalled() []job {
	if b.opts.Journal == nil {
		return nil
	}
	held, err := b.opts.Journal.Held()
	if err != nil {
		b.log.Error("reading the journal of held jobs", "err", err)
		return nil
	}
	if len(held) > 0 {
		b.log.Info("queueing jobs a previous run held in the journal", "jobs", len(held))
	}
	var jobs []job
	for _, h := range held {
		var rec jobRecord
		if err := json.Unmarshal(h.Payload, &rec); err != nil {
			b.log.Error("dropping a journalled job that cannot be decoded", "event", h.EventID, "err", err)
			_ = b.opts.Journal.Release(h.EventID)
			continue
		}
		jobs = append(jobs, rec.job(store.Job{EventID: h.EventID}))
	}
	return jobs
}

// eventJob turns a mention, a direct message or a thread reply into work; anything
// else (the bot's own messages, edits, joins, channel chatter) is ignored.
func (b *Bot) eventJob(ev slackevents.EventsAPIEvent) (job, bool) {
	team := ev.TeamID
	if team == "" {
		team = b.teamID
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.User == "" || e.User == b.botUserID || e.BotID != "" {
			return job{}, false
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		return job{kind: jobMessage, team: team, channel: e.Channel, threadTS: thread, user: e.User, text: b.stripMention(e.Text),
			sentTS: e.TimeStamp, root: e.ThreadTimeStamp == ""}, true
	case *slackevents.MessageEvent:
		if e.SubType != "" || e.BotID != "" || e.User == "" || e.User == b.botUserID {
			return job{}, false
		}
		isDM := e.ChannelType == "im"
		if !isDM && b.mention.MatchString(e.Text) {
			return job{}, false // the app_mention event answers it
		}
		switch {
		case e.ThreadTimeStamp != "":
			return job{kind: jobMessage, team: team, channel: e.Channel, threadTS: e.ThreadTimeStamp, user: e.User,
				text: b.stripMention(e.Text), followUpOnly: !isDM, sentTS: e.TimeStamp}, true
		case isDM:
			return job{kind: jobMessage, team: team, channel: e.Channel, threadTS: e.TimeStamp, user: e.User, text: b.stripMention(e.Text),
				sentTS: e.TimeStamp, root: true}, true
		}
	}
	return job{}, false
}

func (b *Bot) stripMention(text string) string {
	return strings.TrimSpace(b.mention.ReplaceAllString(text, ""))
}

// actionJob turns a button press under a plan into work.
func (b *Bot) actionJob(cb slack.InteractionCallback) (job, bool) {
	act := cb.ActionCallback.BlockActions[0]
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	thread := cb.Container.ThreadTs
	if thread == "" {
		thread = cb.Message.ThreadTimestamp
	}
	if thread == "" || channel == "" {
		return job{}, false
	}
	team := cb.Team.ID
	if team == "" {
		team = b.teamID
	}
	j := job{team: team, channel: channel, threadTS: thread, user: cb.User.ID, messageTS: cb.Container.MessageTs}
	if j.messageTS == "" {
		j.messageTS = cb.Message.Timestamp
	}
	if v, ok := strings.CutPrefix(act.BlockID, "adplan:"); ok {
		fmt.Sscan(v, &j.version)
	}
	switch actionKind(act.ActionID) {
	case ActionFollowUp:
		// The revision is the preset the button's id names, never the payload's
		// value: a press can be forged, and its value is free text.
		preset, ok := quickRevisionFor(act.ActionID)
		if !ok || act.Value != clip(preset, maxValueChars) {
			b.log.Warn("refusing a follow-up button that is not one adplan offers", "team", team, "user", j.user, "action", act.ActionID, "value", clip(act.Value, 80))
			j.kind, j.text = jobRefuse, "That button is not one adplan offers, so nothing was changed."
			return j, true
		}
		j.kind, j.text, j.followUpOnly = jobMessage, preset, true
	case ActionApprove:
		j.kind = jobApprove
	case ActionShowAssumptions:
		j.kind = jobShowAssumptions
	default:
		return job{}, false
	}
	return j, true
}
