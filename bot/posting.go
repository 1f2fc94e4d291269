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

// postPlan posts version v of thread id in the job's thread, tagged with metadata.
func (b *Bot) postPlan(ctx context.Context, j job, id string, v conversation.Version, prev *conversation.Version) (string, error) {
	blocks, fallback := PlanMessage(id, v, prev)
	ts, err := b.post(ctx, j.channel, slack.MsgOptionTS(j.threadTS),
		slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(fallback, false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: planEventType,
			EventPayload: map[string]any{"thread": id, "version": v.N}}))
	if err == nil {
		b.opts.Metrics.PlanPosted()
	}
	return ts, err
}

// findPostedPlan returns the ts of the bot's message carrying version n of thread id
// in the job's thread, or "" when there is none.
func (b *Bot) findPostedPlan(ctx context.Context, j job, id string, n int) (string, error) {
	params := &slack.GetConversationRepliesParameters{
		ChannelID: j.channel, Timestamp: j.threadTS, Limit: 200, IncludeAllMetadata: true,
	}
	for {
		var msgs []slack.Message
		var more bool
		err := b.retrySlack(ctx, "conversations.replies", func() error {
			var err error
			msgs, more, params.Cursor, err = b.opts.API.GetConversationRepliesContext(ctx, params)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("reading thread %s: %w", id, err)
		}
		for _, m := range msgs {
			md := m.Metadata
			if m.User != b.botUserID || md.EventType != planEventType || md.EventPayload["thread"] != id {
				continue
			}
			// JSON numbers decode as float64.
			if v, ok := md.EventPayload["version"].(float64); ok && int(v) == n {
				return m.Timestamp, nil
			}
		}
		if !more || params.Cursor == "" {
			return "", nil
		}
	}
}

// rebuildFromSlack re-reads, into th, the messages a thread's people sent before j's
// message, when the thread holds plans adplan posted: the store has lost the thread,
// Slack has not. It reports whether it rebuilt anything, and tells the thread so.
func (b *Bot) rebuildFromSlack(ctx context.Context, j job, th *conversation.Thread) (bool, error) {
	params := &slack.GetConversationRepliesParameters{
		ChannelID: j.channel, Timestamp: j.threadTS, Limit: 200, IncludeAllMetadata: true,
	}
	type said struct{ user, text string }
	var earlier []said
	lastPlanTS, lastPlanN := "", 0
	for {
		var msgs []slack.Message
		var more bool
		err := b.retrySlack(ctx, "conversations.replies", func() error {
			var err error
			msgs, more, params.Cursor, err = b.opts.API.GetConversationRepliesContext(ctx, params)
			return err
		})
		if err != nil {
			return false, fmt.Errorf("reading thread %s: %w", th.ID, err)
		}
		for _, m := range msgs {
			md := m.Metadata
			if m.User == b.botUserID && md.EventType == planEventType && md.EventPayload["thread"] == th.ID {
				// A plan adplan posted, whenever: one posted after j's message was
				// sent (the brief's plan, when people reply fast) still shows adplan
				// plans in this thread.
				if v, ok := md.EventPayload["version"].(float64); ok && int(v) >= lastPlanN {
					lastPlanTS, lastPlanN = m.Timestamp, int(v)
				}
				continue
			}
			if j.sentTS != "" && m.Timestamp >= j.sentTS || m.Timestamp == j.messageTS && j.messageTS != "" {
				continue // j's own message, or one sent after it: applied in turn
			}
			switch {
			case m.User == b.botUserID && m.Timestamp == j.threadTS:
				// A slash command's thread: the bot posted the brief as its root.
				if g := rootAskedPattern.FindStringSubmatch(m.Text); g != nil {
					earlier = append(earlier, said{g[1], unescape(m.Text[len(g[0]):])})
				}
			case m.User != "" && m.User != b.botUserID && m.BotID == "" && m.SubType == "":
				earlier = append(earlier, said{m.User, b.stripMention(unescape(m.Text))})
			}
		}
		if !more || params.Cursor == "" {
			break
		}
	}
	if lastPlanN == 0 || len(earlier) == 0 {
		return false, nil
	}
	for _, m := range earlier {
		if _, err := th.Apply(ctx, b.opts.Reader, m.text, b.opts.Now()); err == nil {
			th.Versions[len(th.Versions)-1].User = m.user
		}
	}
	latest := th.Latest()
	if latest == nil {
		return false, nil
	}
	// The newest plan in the thread stands for the rebuilt brief, so the next plan
	// marks it superseded; its details (versions, plans) are not in Slack to restore.
	latest.PostedAs = lastPlanTS
	b.log.Info("rebuilt a thread the store had lost from Slack's history", "thread", th.ID, "messages", len(earlier), "versions", len(th.Versions))
	note := fmt.Sprintf("I had lost this thread's state, so I read its %d earlier message(s) again from the thread before this one.", len(earlier))
	if err := b.reply(ctx, j, note); err != nil {
		b.log.Warn("telling the thread it was rebuilt", "thread", th.ID, "err", err)
	}
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
