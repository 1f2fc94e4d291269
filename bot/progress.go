package bot

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/slack-go/slack"

	"github.com/adplan/adplan/agents"
)

// progress shows, in one message in the thread, which specialists are reading the
// message and which have finished, then that the plan is being made. chat.update is
// rate limited (about one a second per message), so updates are spaced out and the
// final state is always written.
type progress struct {
	b       *Bot
	channel string
	ts      string
	started time.Time
	mu      sync.Mutex
	slots   []agents.Slot
	done    map[agents.Slot]bool
	last    time.Time
}

const progressUpdateGap = time.Second

func (b *Bot) startProgress(ctx context.Context, j job, slots []agents.Slot) *progress {
	p := &progress{b: b, channel: j.channel, done: map[agents.Slot]bool{}, started: time.Now(), slots: slots}
	blocks, fallback := ProgressMessage(slots, p.done, false)
	ts, err := b.post(ctx, j.channel, slack.MsgOptionTS(j.threadTS),
		slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(fallback, false))
	if err != nil {
		b.log.Warn("posting progress", "thread", j.threadID(), "err", err)
		return p
	}
	p.ts, p.last = ts, time.Now()
	return p
}

func (p *progress) trace() *agents.Trace {
	return &agents.Trace{
		Routed: func(slots []agents.Slot) {
			p.mu.Lock()
			p.slots = slots
			p.mu.Unlock()
		},
		SpecialistDone: func(slot agents.Slot, _ time.Duration, _ error) {
			p.mu.Lock()
			p.done[slot] = true
			due := time.Since(p.last) >= progressUpdateGap
			if due {
				p.last = time.Now()
			}
			slots, done := append([]agents.Slot(nil), p.slots...), cloneDone(p.done)
			p.mu.Unlock()
			if due {
				p.write(slots, done, false)
			}
		},
	}
}

// planning shows that the specialists are done and the plan is being made, when the
// reading took long enough for an update to be due.
func (p *progress) planning() {
	p.mu.Lock()
	due := time.Since(p.last) >= progressUpdateGap
	slots, done := append([]agents.Slot(nil), p.slots...), cloneDone(p.done)
	p.mu.Unlock()
	if due {
		p.write(slots, done, true)
	}
}

// finish turns the progress message into a one-line trace of the work.
func (p *progress) finish(planned bool) {
	if p.ts == "" {
		return
	}
	p.mu.Lock()
	slots := append([]agents.Slot(nil), p.slots...)
	p.mu.Unlock()
	blocks, fallback := ProgressDoneMessage(slots, time.Since(p.started), planned)
	p.update(blocks, fallback)
}

func (p *progress) write(slots []agents.Slot, done map[agents.Slot]bool, planning bool) {
	if p.ts == "" {
		return
	}
	blocks, fallback := ProgressMessage(slots, done, planning)
	p.update(blocks, fallback)
}

func (p *progress) update(blocks []slack.Block, fallback string) {
	p.b.edits.submit(p.channel, p.ts, blocks, fallback)
}

func cloneDone(m map[agents.Slot]bool) map[agents.Slot]bool {
	c := make(map[agents.Slot]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// printable drops control characters (keeping new lines and tabs) from text the bot
// echoes, so a brief cannot smuggle terminal or formatting codes into the channel.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
}
