package bot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/conversation"
)

// Posting a plan exactly once: the metadata that tags it, the claim a version carries
// while it is being posted, finding a plan a dead replica posted, finishing its job,
// and reading a thread back from Slack when the store has lost it.

// planEventType names the metadata every posted plan carries: which thread and
// version it is, so a replica taking over a job can find a plan already posted.
const planEventType = "adplan_plan"

// postPlan posts version v of thread id in the job's thread, tagged with metadata:
// the thread and version, and the message it answers (its ts), so that after the
// store loses the thread a job run again can tell it was answered.
func (b *Bot) postPlan(ctx context.Context, j job, id string, v conversation.Version, prev *conversation.Version) (string, error) {
	blocks, fallback := PlanMessage(id, v, prev)
	payload := map[string]any{"thread": id, "version": v.N}
	if j.sentTS != "" {
		payload["answers"] = j.sentTS
	}
	ts, err := b.post(ctx, j.channel, slack.MsgOptionTS(j.threadTS),
		slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(fallback, false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: planEventType, EventPayload: payload}))
	if err == nil {
		b.opts.Metrics.PlanPosted()
	}
	return ts, err
}

// threadHistory reads every message of the job's thread from Slack, with metadata.
func (b *Bot) threadHistory(ctx context.Context, j job, id string) ([]slack.Message, error) {
	params := &slack.GetConversationRepliesParameters{
		ChannelID: j.channel, Timestamp: j.threadTS, Limit: 200, IncludeAllMetadata: true,
	}
	var all []slack.Message
	for {
		var msgs []slack.Message
		var more bool
		err := b.retrySlack(ctx, "conversations.replies", func() error {
			var err error
			msgs, more, params.Cursor, err = b.opts.API.GetConversationRepliesContext(ctx, params)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("reading thread %s: %w", id, err)
		}
		all = append(all, msgs...)
		if !more || params.Cursor == "" {
			return all, nil
		}
	}
}

// planOf reports whether m is a plan adplan posted for thread id, and which version.
func (b *Bot) planOf(m slack.Message, id string) (version int, ok bool) {
	md := m.Metadata
	if m.User != b.botUserID || md.EventType != planEventType || md.EventPayload["thread"] != id {
		return 0, false
	}
	v, _ := md.EventPayload["version"].(float64)
	return int(v), true
}

// findPostedPlan returns the ts of the bot's message carrying version n of thread id
// in the job's thread, or "" when there is none.
func (b *Bot) findPostedPlan(ctx context.Context, j job, id string, n int) (string, error) {
	msgs, err := b.threadHistory(ctx, j, id)
	if err != nil {
		return "", err
	}
	for _, m := range msgs {
		if v, ok := b.planOf(m, id); ok && v == n {
			return m.Timestamp, nil
		}
	}
	return "", nil
}

// slackThread is what a thread on Slack shows adplan of itself and its people.
type slackThread struct {
	// said are the people's messages, oldest first.
	said []saidOnSlack
	// answeredBy maps a message's ts to the plan that answered it (plans posted since
	// plans name the message they answer).
	answeredBy map[string]string
	// lastPlanTS and lastPlanN are the newest plan adplan posted in the thread.
	lastPlanTS string
	lastPlanN  int
}

type saidOnSlack struct{ user, text, ts string }

// readSlackThread reads what the job's thread shows on Slack.
func (b *Bot) readSlackThread(ctx context.Context, j job, id string) (slackThread, error) {
	msgs, err := b.threadHistory(ctx, j, id)
	if err != nil {
		return slackThread{}, err
	}
	st := slackThread{answeredBy: map[string]string{}}
	for _, m := range msgs {
		if v, ok := b.planOf(m, id); ok {
			// A plan adplan posted, whenever: one posted after j's message was sent
			// (the brief's plan, when people reply fast) still shows adplan plans in
			// this thread.
			if v >= st.lastPlanN {
				st.lastPlanTS, st.lastPlanN = m.Timestamp, v
			}
			if answers, ok := m.Metadata.EventPayload["answers"].(string); ok && answers != "" {
				st.answeredBy[answers] = m.Timestamp
			}
			continue
		}
		switch {
		case m.User == b.botUserID && m.Timestamp == j.threadTS:
			// A slash command's thread: the bot posted the brief as its root.
			if g := rootAskedPattern.FindStringSubmatch(m.Text); g != nil {
				st.said = append(st.said, saidOnSlack{g[1], unescape(m.Text[len(g[0]):]), m.Timestamp})
			}
		case m.User != "" && m.User != b.botUserID && m.BotID == "" && m.SubType == "":
			st.said = append(st.said, saidOnSlack{m.User, b.stripMention(unescape(m.Text)), m.Timestamp})
		}
	}
	return st, nil
}

// replay applies to th, in order, the messages st shows that include keeps. Each
// rebuilt version is taken as shown by the plan that answered it, or else by the
// thread's newest plan, which stands for the rebuilt brief (so the next plan marks it
// superseded, and a job of one of these messages run again finds it done). It returns
// how many messages it read again and those no plan answered, when the thread's plans
// say which messages they answer.
func (b *Bot) replay(ctx context.Context, th *conversation.Thread, st slackThread, include func(ts string) bool) (replayed int, unanswered []string) {
	for _, m := range st.said {
		if !include(m.ts) {
			continue
		}
		replayed++
		if _, err := th.Apply(ctx, b.opts.Reader, m.text, b.opts.Now()); err != nil {
			continue
		}
		v := &th.Versions[len(th.Versions)-1]
		v.User, v.SentTS, v.PostedAs = m.user, m.ts, st.lastPlanTS
		if ts, ok := st.answeredBy[m.ts]; ok {
			v.PostedAs = ts
		} else if len(st.answeredBy) > 0 {
			unanswered = append(unanswered, m.text)
		}
	}
	return replayed, unanswered
}

// sentAfter reports whether Slack ts a is later than b.
func sentAfter(a, b string) bool {
	af, err1 := strconv.ParseFloat(a, 64)
	bf, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return a > b
	}
	return af > bf
}

// rebuildFromSlack re-reads, into th, the messages a thread's people sent before j's
// message, when the thread holds plans adplan posted: the store has lost the thread,
// Slack has not. It reports whether it rebuilt anything, and tells the thread so,
// naming the messages it had not answered (their jobs were lost with the store's
// data): the plan for j's message answers them too.
func (b *Bot) rebuildFromSlack(ctx context.Context, j job, th *conversation.Thread) (bool, error) {
	st, err := b.readSlackThread(ctx, j, th.ID)
	if err != nil {
		return false, err
	}
	if st.lastPlanN == 0 {
		return false, nil
	}
	// The messages sent before j's: j's and later ones are applied in turn.
	n, unanswered := b.replay(ctx, th, st, func(ts string) bool {
		return ts != j.messageTS && (j.sentTS == "" || sentAfter(j.sentTS, ts))
	})
	if n == 0 || th.Latest() == nil {
		return false, nil
	}
	b.log.Info("rebuilt a thread the store had lost from Slack's history", "thread", th.ID, "messages", n, "versions", len(th.Versions), "unanswered", len(unanswered))
	note := fmt.Sprintf("I had lost this thread's state, so I read its %d earlier message(s) again from the thread before this one.", n)
	if len(unanswered) > 0 {
		quoted := make([]string, len(unanswered))
		for i, u := range unanswered {
			quoted[i] = strconv.Quote(clip(printable(u), 200))
		}
		note += fmt.Sprintf(" %d of them have no plan of their own in this thread; the plan for your latest message takes them in: %s.", len(unanswered), strings.Join(quoted, ", "))
	}
	if err := b.reply(ctx, j, escape(note)); err != nil {
		b.log.Warn("telling the thread it was rebuilt", "thread", th.ID, "err", err)
	}
	return true, nil
}

// answeredBeforeLoss handles a job queued again after the queue lost its data: when
// the thread on Slack shows a plan that answered j's message, the message is put back
// in the thread's state (rebuilt from Slack when the store lost that too) as shown by
// that plan, and done is true; nothing is posted again.
func (b *Bot) answeredBeforeLoss(ctx context.Context, j job, th *conversation.Thread) (done bool, err error) {
	if j.sentTS == "" {
		return false, nil
	}
	st, err := b.readSlackThread(ctx, j, th.ID)
	if err != nil {
		return false, err
	}
	ts, ok := st.answeredBy[j.sentTS]
	if !ok {
		return false, nil
	}
	if th.Latest() == nil {
		// Put back every message up to the newest one answered, so the thread's other
		// jobs queued again find theirs done without reading Slack again.
		newest := j.sentTS
		for answered := range st.answeredBy {
			if sentAfter(answered, newest) {
				newest = answered
			}
		}
		b.replay(ctx, th, st, func(ts string) bool { return !sentAfter(ts, newest) })
	} else if _, err := th.ApplySent(ctx, b.opts.Reader, j.text, j.sentTS, b.opts.Now()); err == nil {
		th.Latest().PostedAs = ts
	}
	if th.Latest() != nil {
		if err := b.opts.Store.Save(ctx, th); err != nil {
			b.opts.Metrics.StoreError("save")
			return false, &storeError{fmt.Errorf("saving thread %s: %w", th.ID, err)}
		}
	}
	b.log.Info("a job queued again had been answered before the queue lost it", "thread", th.ID, "event", j.eventID, "plan", ts)
	return true, nil
}

// rootAskedPattern is the root the bot posts for a slash command's brief.
var rootAskedPattern = regexp.MustCompile(`^<@([A-Z0-9]+)> asked: `)

// unescape undoes Slack's escaping of &, < and > in message text.
func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// releasePostingClaim clears version n's posting claim when it is still this
// replica's, so the plan is posted by the next run of its job.
func (b *Bot) releasePostingClaim(ctx context.Context, id string, n int) error {
	return b.update(ctx, id, func(th *conversation.Thread) error {
		if n <= len(th.Versions) {
			if v := &th.Versions[n-1]; strings.HasPrefix(v.PostedAs, postingPrefix+b.opts.Consumer+"@") {
				v.PostedAs = ""
			}
		}
		return nil
	})
}

// recordPostedAs stores where version n was posted, retrying over concurrent updates,
// and marks that plan superseded when a later version was saved meanwhile. The worker
// saving the later version marks its predecessor only when it can see where that was
// posted; while the predecessor's posting is still a claim, this is the one place
// that knows both, and the store's conflict check makes sure one of the two sees it.
func (b *Bot) recordPostedAs(ctx context.Context, channel, id string, n int, ts string) error {
	var v conversation.Version
	var later bool
	err := b.update(ctx, id, func(th *conversation.Thread) error {
		if n > len(th.Versions) {
			return fmt.Errorf("thread %s has no version %d", id, n)
		}
		th.Versions[n-1].PostedAs = ts
		v, later = th.Versions[n-1], len(th.Versions) > n
		return nil
	})
	if err == nil && later {
		blocks, fallback := SupersededMessage(v, n+1)
		b.edits.submit(channel, ts, blocks, fallback)
	}
	return err
}

// finishApplied completes a queued job whose version was already saved by a worker
// that died before answering: it posts that version's plan if it was never posted.
func (b *Bot) finishApplied(ctx context.Context, j job, th *conversation.Thread) error {
	for i := len(th.Versions) - 1; i >= 0; i-- {
		v := th.Versions[i]
		if !j.made(v) {
			continue
		}
		if claimed, _ := parsePostingClaim(v.PostedAs); claimed {
			alive, err := b.claimOwnerAlive(ctx, v.PostedAs)
			if err != nil {
				return err
			}
			if alive {
				return errNotYet // the replica that made it is posting it
			}
		} else if v.PostedAs != "" {
			return nil
		}
		// The replica that claimed the posting is gone, but it may have posted the
		// plan before it could record where: Slack keeps the version in the message's
		// metadata, so look before posting again.
		ts, err := b.findPostedPlan(ctx, j, th.ID, v.N)
		if err != nil {
			b.log.Warn("looking for a plan already posted; posting it", "thread", th.ID, "version", v.N, "err", err)
		}
		if ts == "" {
			var prev *conversation.Version
			if v.N > 1 {
				p := th.Versions[v.N-2]
				prev = &p
			}
			if ts, err = b.postPlan(ctx, j, th.ID, v, prev); err != nil {
				return fmt.Errorf("posting plan v%d after a restart: %w", v.N, err)
			}
		} else {
			b.log.Info("found the plan already posted; not posting it again", "thread", th.ID, "version", v.N, "ts", ts)
		}
		return b.recordPostedAs(ctx, j.channel, th.ID, v.N, ts)
	}
	return nil
}

// A version being posted carries a claim in PostedAs until its message ts replaces it:
// "posting:<consumer>@<unix ms>".
const postingPrefix = "posting:"

func postingClaim(consumer string, at time.Time) string {
	return postingPrefix + consumer + "@" + strconv.FormatInt(at.UnixMilli(), 10)
}

func isPostingClaim(s string) bool { return strings.HasPrefix(s, postingPrefix) }

// parsePostingClaim reports whether s is a posting claim, and when it was made.
func parsePostingClaim(s string) (bool, time.Time) {
	if !isPostingClaim(s) {
		return false, time.Time{}
	}
	at := s[strings.LastIndexByte(s, '@')+1:]
	ms, err := strconv.ParseInt(at, 10, 64)
	if err != nil {
		return true, time.Time{}
	}
	return true, time.UnixMilli(ms)
}
