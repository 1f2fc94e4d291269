package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/conversation/session"
	"github.com/adplan/adplan/store"
)

// saveAttempts bounds how often a message is re-applied when another replica saved
// the same thread first.
const saveAttempts = 8

// work runs one job and says how it ended: finished (answered, or failed for good),
// pending (a queued job stays to be run again) or waiting for the thread's earlier
// message. Errors are logged and, where the user is waiting, answered in the thread;
// a job never takes the worker down.
func (b *Bot) work(ctx context.Context, j job) (result outcome) {
	log := b.log.With("thread", j.threadID(), "event", j.eventID)
	defer func() {
		if p := recover(); p != nil {
			log.Error("a job panicked", "panic", fmt.Sprint(p))
			result = outcomeDone
		}
	}()
	backoff := storeFirstBackoff
	told := false
	for {
		err := b.do(ctx, j)
		var se *storeError
		if err == nil {
			log.Debug("handled", "took", time.Since(j.received))
			return outcomeDone
		}
		if errors.Is(err, errNotYet) {
			return outcomeWaiting
		}
		if su := (*slackUnavailable)(nil); errors.As(err, &su) && ctx.Err() == nil {
			// Not dropped: the job stays in the queue and is run again after
			// reclaim_after, here or on another replica, until Slack takes the plan.
			log.Warn("slack kept refusing; leaving the job in the queue for a later try", "err", err)
			return outcomePending
		}
		if !errors.As(err, &se) || ctx.Err() != nil {
			log.Error("handling a message", "err", err)
			if ctx.Err() != nil {
				return outcomePending
			}
			return outcomeDone
		}
		// The store is unreachable: nothing was saved, so the job can run again from
		// the start once it is back. Say so once, then keep trying.
		if !told {
			told = true
			if rerr := b.reply(ctx, j, storeNotice(err)); rerr != nil {
				log.Warn("telling the thread the store is down", "err", rerr)
			}
		}
		log.Warn("store unreachable; retrying", "wait", backoff, "err", err)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			log.Error("giving up on a job at shutdown: the store is unreachable", "err", err)
			return outcomePending
		}
		backoff = min(2*backoff, storeMaxBackoff)
	}
}

// outcome is how a job run ended.
type outcome int

const (
	// outcomeDone: answered, or failed for good; a queued job leaves the queue.
	outcomeDone outcome = iota
	// outcomePending: not finished (shutdown); a queued job stays for another worker.
	outcomePending
	// outcomeWaiting: an earlier message of the same thread is not answered yet.
	outcomeWaiting
)

// Retrying a job while the store is down: from 50 ms, doubling, to at most 5 s between
// tries, so a short outage (a Redis restart) costs little latency and a long one
// little load.
const (
	storeFirstBackoff = 50 * time.Millisecond
	storeMaxBackoff   = 5 * time.Second
)

// storeError marks a failure to reach the store (not a conflict, not a missing
// thread): the job is retried until the store is back.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// do runs one job once.
func (b *Bot) do(ctx context.Context, j job) error {
	if j.messageTS != "" {
		ok, err := b.pressedOnAPlan(ctx, j)
		if err != nil {
			return err
		}
		if !ok {
			b.log.Warn("refusing a button press that is not on one of the thread's plans", "thread", j.threadID(), "message", j.messageTS)
			return nil
		}
	}
	if j.kind != jobMessage && j.seq > 0 {
		applied, err := b.waitTurn(ctx, j)
		if err != nil {
			return err
		}
		th, err := b.load(ctx, j.threadID())
		if err != nil {
			return err
		}
		if b.madeBefore(j, th, applied) {
			return nil
		}
	}
	switch j.kind {
	case jobMessage:
		return b.handleMessage(ctx, j)
	case jobApprove:
		return b.handleApprove(ctx, j)
	case jobShowAssumptions:
		return b.handleShowAssumptions(ctx, j)
	case jobRefuse:
		if _, err := b.opts.API.PostEphemeralContext(ctx, j.channel, j.user, slack.MsgOptionTS(j.threadTS), slack.MsgOptionText(j.text, false)); err != nil {
			return fmt.Errorf("telling %s a press was refused: %w", j.user, err)
		}
	}
	return nil
}

// pressedOnAPlan reports whether a button press came from one of the thread's own plan
// messages. The thread is taken from the message the button sits on, never from the
// payload's values, and a press on anything else is refused.
func (b *Bot) pressedOnAPlan(ctx context.Context, j job) (bool, error) {
	th, err := b.load(ctx, j.threadID())
	if err != nil {
		return false, err
	}
	for _, v := range th.Versions {
		if v.PostedAs == j.messageTS {
			return true, nil
		}
	}
	// A plan just posted is recorded a moment later: while a live replica is still
	// recording one, the press may be on it, and waits its turn instead of being
	// refused.
	for _, v := range th.Versions {
		if !isPostingClaim(v.PostedAs) {
			continue
		}
		alive, err := b.claimOwnerAlive(ctx, v.PostedAs)
		if err != nil {
			return false, err
		}
		if alive {
			return false, errNotYet
		}
	}
	return false, nil
}

// handleMessage reads a brief or a follow-up, plans it, saves the new version, posts
// the plan in the thread and marks the previous plan superseded.
func (b *Bot) handleMessage(ctx context.Context, j job) error {
	if j.postRoot {
		ts, err := b.post(ctx, j.channel,
			slack.MsgOptionText(fmt.Sprintf("<@%s> asked: %s", j.user, escape(clip(printable(j.text), 2900))), false))
		if err != nil {
			return fmt.Errorf("posting the brief as the thread root: %w", err)
		}
		j.threadTS = ts
	}
	id := j.threadID()
	applied, err := b.waitTurn(ctx, j)
	if err != nil {
		return err
	}
	th, err := b.load(ctx, id)
	if err != nil {
		return err
	}
	if b.madeBefore(j, th, applied) {
		return b.finishApplied(ctx, j, th)
	}
	if j.requeued {
		if done, err := b.answeredBeforeLoss(ctx, j, th); done || err != nil {
			return err
		}
	}
	if j.followUpOnly && th.Latest() == nil {
		if goOn, err := b.threadWithoutState(ctx, j, th); !goOn {
			return err
		}
	}

	progress, answered, err := b.startReading(ctx, j, th)
	if answered {
		return err
	}
	var v conversation.Version
	for attempt := 1; ; attempt++ {
		followUp := th.Latest() != nil
		traced := agents.WithTrace(ctx, b.opts.Metrics.Trace(progress.trace()))
		v, err = th.ApplySent(traced, b.opts.Reader, j.text, j.sentTS, b.opts.Now())
		if errors.Is(err, conversation.ErrNoChange) {
			progress.finish(false)
			if v.ArrivedLate {
				return b.reply(ctx, j, fmt.Sprintf("%s Nothing changed.", v.Notes[len(v.Notes)-1]))
			}
			return b.reply(ctx, j, "That is what the plan already says, so nothing changed.")
		}
		if err != nil {
			progress.finish(false)
			return b.reply(ctx, j, UnreadableMessage(err, followUp))
		}
		progress.planning()
		latest := &th.Versions[len(th.Versions)-1]
		latest.Seq, latest.User = j.seq, j.user
		// Claim the posting with the version itself, so a worker that runs this job
		// again (a reclaim) waits for this one instead of posting the plan twice.
		latest.PostedAs = postingClaim(b.opts.Consumer, b.opts.Now())
		b.plan(ctx, th)
		v = *latest
		err = b.opts.Store.Save(ctx, th)
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrConflict) {
			b.opts.Metrics.StoreError("save")
			progress.finish(false)
			return &storeError{fmt.Errorf("saving thread %s: %w", id, err)}
		}
		if attempt == saveAttempts {
			progress.finish(false)
			return fmt.Errorf("saving thread %s: gave up after %d conflicting writers: %w", id, attempt, err)
		}
		var goOn bool
		if th, goOn, err = b.reloadAfterConflict(ctx, j, id); !goOn {
			progress.finish(false)
			return err
		}
	}

	var prev *conversation.Version
	if v.N > 1 {
		p := th.Versions[v.N-2]
		prev = &p
	}
	ts, err := b.postPlan(ctx, j, id, v, prev)
	if err != nil {
		var su *slackUnavailable
		if errors.As(err, &su) {
			// Slack still refuses after the retry time: let go of the posting claim so
			// whoever runs the job next posts the plan, and keep the job.
			progress.finish(false)
			if rerr := b.releasePostingClaim(ctx, id, v.N); rerr != nil {
				b.log.Warn("releasing a posting claim", "thread", id, "version", v.N, "err", rerr)
			}
		}
		return fmt.Errorf("posting plan v%d: %w", v.N, err)
	}
	progress.finish(true)
	// The plan is posted: where it went must be saved, or a worker running this job
	// again would post it twice. Keep trying while the store is down.
	if err := b.untilStored(ctx, func() error { return b.recordPostedAs(ctx, j.channel, id, v.N, ts) }); err != nil {
		b.log.Error("recording where the plan was posted", "thread", id, "version", v.N, "err", err)
	}
	if prev != nil && prev.PostedAs != "" && !isPostingClaim(prev.PostedAs) {
		sblocks, sfallback := SupersededMessage(*prev, v.N)
		b.edits.submit(j.channel, prev.PostedAs, sblocks, sfallback)
	}
	if v.Question != nil {
		return b.reply(ctx, j, escape(v.Question.Text))
	}
	if v.N == 1 && v.Plan != nil {
		if q := GapQuestion(*v.Plan); q != "" {
			return b.reply(ctx, j, q)
		}
	}
	return nil
}

// reloadAfterConflict reads thread id again after someone else saved it first, so
// this message is applied on top of their version and no version is lost or forked.
// goOn is false when the job ends here, with err: what they saved is this very job
// (run twice after a reclaim), now finished; or the store lost the thread meanwhile
// (Redis back empty) and it could not be rebuilt from Slack — a follow-up is never
// read as a brief of its own.
func (b *Bot) reloadAfterConflict(ctx context.Context, j job, id string) (th *conversation.Thread, goOn bool, err error) {
	if th, err = b.load(ctx, id); err != nil {
		return nil, false, err
	}
	if slices.ContainsFunc(th.Versions, j.made) {
		return th, false, b.finishApplied(ctx, j, th)
	}
	if j.followUpOnly && th.Latest() == nil {
		goOn, err = b.threadWithoutState(ctx, j, th)
		return th, goOn, err
	}
	return th, true, nil
}

// threadWithoutState handles a follow-up in a thread the store holds nothing of. If
// adplan has posted plans in it, the store lost them (Redis restarted empty, or the
// thread expired): the thread is rebuilt from Slack's own history rather than fall
// silent, and goOn is true. Otherwise the brief may still be on its way (errNotYet),
// or the thread is not one adplan plans in.
func (b *Bot) threadWithoutState(ctx context.Context, j job, th *conversation.Thread) (goOn bool, err error) {
	rebuilt, err := b.rebuildFromSlack(ctx, j, th)
	if err != nil {
		b.log.Warn("reading the thread's history to rebuild it", "thread", th.ID, "err", err)
	}
	switch {
	case rebuilt:
		return true, nil
	case b.mayAwaitRoot(j):
		return false, errNotYet // the brief that starts the thread is still on its way
	case err != nil:
		return false, b.reply(ctx, j, "I have lost this thread's plan and could not read the thread back from Slack. Please send the brief again in a new message.")
	}
	return false, nil // not a thread adplan plans in
}

// planOnly lets a Planner that cannot revise (a test double) plan every version from
// scratch through session.PlanLatest.
type planOnly struct{ Planner }

func (p planOnly) Revise(ctx context.Context, b agents.Brief, _ *agents.Plan, now time.Time, channel string) (agents.Plan, error) {
	return p.Plan(ctx, b, now, channel)
}

// plan makes the plan of the thread's latest version, as a revision of the one
// before it when the planner can, and records it (or why there is none) on the
// version: session.PlanLatest, the code path every surface shares.
func (b *Bot) plan(ctx context.Context, th *conversation.Thread) {
	p, ok := b.opts.Planner.(session.Planner)
	if !ok {
		p = planOnly{b.opts.Planner}
	}
	_, _, _ = session.PlanLatest(ctx, p, th, b.opts.Now(), b.opts.Channel)
}

// startReading checks the message and posts the progress card naming the specialists
// that will read it. answered is true when the message was answered at once instead
// (unreadable, or nothing in it to read), with err the reply's error.
func (b *Bot) startReading(ctx context.Context, j job, th *conversation.Thread) (p *progress, answered bool, err error) {
	router, ok := b.opts.Reader.(interface {
		Check(text string) error
		Route(agents.Message) []agents.Slot
	})
	if !ok {
		return b.startProgress(ctx, j, nil), false, nil
	}
	if err := router.Check(j.text); err != nil {
		return nil, true, b.reply(ctx, j, UnreadableMessage(err, th.Latest() != nil))
	}
	slots := router.Route(agents.NewMessage(j.text, b.opts.Now()))
	if len(slots) == 0 {
		// Nothing to read: answer at once, without a progress card.
		_, err := th.Apply(ctx, b.opts.Reader, j.text, b.opts.Now())
		return nil, true, b.reply(ctx, j, UnreadableMessage(err, th.Latest() != nil))
	}
	return b.startProgress(ctx, j, slots), false, nil
}

// load returns the stored thread, or a new one when none is stored.
func (b *Bot) load(ctx context.Context, id string) (*conversation.Thread, error) {
	th, err := b.opts.Store.Load(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return conversation.New(id), nil
	}
	if err != nil {
		b.opts.Metrics.StoreError("load")
		return nil, &storeError{fmt.Errorf("loading thread %s: %w", id, err)}
	}
	return th, nil
}

// update applies change to the stored thread and saves it, reloading and trying
// again when another writer saved first.
func (b *Bot) update(ctx context.Context, id string, change func(*conversation.Thread) error) error {
	for attempt := 1; ; attempt++ {
		th, err := b.load(ctx, id)
		if err != nil {
			return err
		}
		if err := change(th); err != nil {
			return err
		}
		err = b.opts.Store.Save(ctx, th)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, store.ErrConflict):
			b.opts.Metrics.StoreError("save")
			return &storeError{fmt.Errorf("saving thread %s: %w", id, err)}
		case attempt == saveAttempts:
			return fmt.Errorf("saving thread %s: gave up after %d conflicting writers: %w", id, attempt, err)
		}
	}
}

func (b *Bot) handleApprove(ctx context.Context, j job) error {
	if len(b.opts.Approvers) > 0 && !slices.Contains(b.opts.Approvers, j.user) {
		who := make([]string, len(b.opts.Approvers))
		for i, u := range b.opts.Approvers {
			who[i] = "<@" + u + ">"
		}
		return b.reply(ctx, j, fmt.Sprintf("Only %s can approve plans here, so nothing was recorded.", strings.Join(who, ", ")))
	}
	id := j.threadID()
	var approved conversation.Approval
	err := b.update(ctx, id, func(th *conversation.Thread) error {
		a, err := th.Approve(j.user, b.opts.Now())
		approved = a
		return err
	})
	if err != nil {
		return err
	}
	note := ""
	if j.version != 0 && j.version != approved.Version {
		note = fmt.Sprintf(" (the button was under v%d; v%d is the latest)", j.version, approved.Version)
	}
	return b.reply(ctx, j, fmt.Sprintf(":white_check_mark: Plan v%d approved by <@%s>%s.", approved.Version, j.user, note))
}

func (b *Bot) handleShowAssumptions(ctx context.Context, j job) error {
	th, err := b.load(ctx, j.threadID())
	if err != nil {
		return err
	}
	v := th.Latest()
	if j.version > 0 && j.version <= len(th.Versions) {
		v = &th.Versions[j.version-1]
	}
	if v == nil || v.Plan == nil {
		return b.reply(ctx, j, "There is no plan in this thread yet.")
	}
	_, err = b.opts.API.PostEphemeralContext(ctx, j.channel, j.user, slack.MsgOptionTS(j.threadTS),
		slack.MsgOptionText(AssumptionsText(*v.Plan), false))
	if err != nil {
		return fmt.Errorf("showing assumptions: %w", err)
	}
	return nil
}

// reply posts a short text in the job's thread.
func (b *Bot) reply(ctx context.Context, j job, text string) error {
	_, err := b.post(ctx, j.channel, slack.MsgOptionTS(j.threadTS), slack.MsgOptionText(text, false))
	if err != nil {
		return fmt.Errorf("replying in thread %s: %w", j.threadID(), err)
	}
	b.opts.Metrics.Replied()
	return nil
}

// untilStored runs save until it succeeds, retrying with backoff while the store is
// unreachable; it gives up only when ctx ends or save fails for another reason.
func (b *Bot) untilStored(ctx context.Context, save func() error) error {
	backoff := storeFirstBackoff
	for {
		err := save()
		var se *storeError
		if err == nil || !errors.As(err, &se) && !isUnreachable(err) {
			return err
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		}
		backoff = min(2*backoff, storeMaxBackoff)
	}
}

// isUnreachable reports whether err is a failure to reach the store rather than an
// answer from it (a conflict or a missing thread).
func isUnreachable(err error) bool {
	return err != nil && !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound)
}
