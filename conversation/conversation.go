// Package conversation holds a thread's state: the brief as it stands, every version
// of it, what changed between versions and which specialists ran for each. A
// follow-up is a revision of the current brief, never a fresh one.
package conversation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
)

// ErrNoChange means the message was read but left the brief exactly as it was.
var ErrNoChange = errors.New("the message does not change the brief")

// Reader reads one message against the current brief; *agents.Coordinator is one.
type Reader interface {
	Read(ctx context.Context, current agents.Brief, text string, followUp bool, now time.Time) (agents.Reading, error)
}

var _ Reader = (*agents.Coordinator)(nil)

// Thread is one conversation: a first brief and the follow-ups that revised it.
type Thread struct {
	ID string `json:"id"`
	// Rev counts saves; a store saves only over the revision the caller loaded, so two
	// writers of one thread can never overwrite each other.
	Rev       int        `json:"rev"`
	Versions  []Version  `json:"versions"`
	Approvals []Approval `json:"approvals,omitempty"`
	// Bookings are buying agents' requests to book a version (AdCP create_media_buy),
	// each awaiting a person's approval. Added for the MCP/AdCP surface.
	Bookings []Booking `json:"bookings,omitempty"`
}

// Participants are the users who sent a message in the thread or approved a plan.
func (t *Thread) Participants() []string {
	var users []string
	add := func(u string) {
		if u != "" && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	for _, v := range t.Versions {
		add(v.User)
	}
	for _, a := range t.Approvals {
		add(a.User)
	}
	return users
}

// Approval records who signed off which version.
type Approval struct {
	User    string    `json:"user"`
	Version int       `json:"version"`
	At      time.Time `json:"at"`
}

// Version is the brief after one message.
type Version struct {
	// N counts versions from 1.
	N       int    `json:"n"`
	Message string `json:"message"`
	// User is who sent the message (a Slack user id), so a person's threads can be
	// found and deleted on request; "" where the surface has no users.
	User  string       `json:"user,omitempty"`
	At    time.Time    `json:"at"`
	Brief agents.Brief `json:"brief"`
	// Ran names exactly the specialists that ran for this message.
	Ran []agents.Slot `json:"ran"`
	// Changes lists what differs from the previous version (everything stated, for N=1).
	Changes []Change `json:"changes"`
	// Notes are the specialists' remarks on this message.
	Notes []string `json:"notes,omitempty"`
	// Unread quotes, as written, the words of the message no specialist read, so a
	// surface can say "I did not understand: …" instead of dropping them silently.
	Unread []string `json:"unread,omitempty"`
	// Question is what to ask back about a field the reading had to guess; nil when
	// nothing was guessed or the thread has asked about that field before.
	Question *agents.Question `json:"question,omitempty"`
	// Plan is the plan made for this version's brief, when one could be made.
	Plan *agents.Plan `json:"plan,omitempty"`
	// PlanError says why no plan could be made.
	PlanError string `json:"plan_error,omitempty"`
	// Seq is the place, among its thread's queued jobs, of the job that made this
	// version (0 when it was not queued), so a job run again can tell it is done.
	Seq int64 `json:"seq,omitempty"`
	// PostedAs is where a surface showed this version (a Slack message ts), so a later
	// version can mark it superseded.
	PostedAs string `json:"posted_as,omitempty"`
	// SentTS is when the message was sent, as its surface orders messages (a Slack
	// message ts); "" when the surface gives no order.
	SentTS string `json:"sent_ts,omitempty"`
	// ArrivedLate marks a message that reached the thread after messages sent later
	// than it (Slack delivered it again after a replica died holding it): it was
	// applied in the order the messages were sent, not the order they arrived.
	ArrivedLate bool `json:"arrived_late,omitempty"`
}

// MaxSeq is the highest queued-job sequence among the versions (0 when none was queued).
func (t *Thread) MaxSeq() int64 {
	var m int64
	for _, v := range t.Versions {
		m = max(m, v.Seq)
	}
	return m
}

// Approve records that user approved the latest version; it fails before the first.
func (t *Thread) Approve(user string, at time.Time) (Approval, error) {
	v := t.Latest()
	if v == nil {
		return Approval{}, errors.New("there is no plan to approve yet")
	}
	a := Approval{User: user, Version: v.N, At: at}
	t.Approvals = append(t.Approvals, a)
	return a, nil
}

// New starts an empty thread.
func New(id string) *Thread {
	return &Thread{ID: id}
}

// Latest returns the newest version, or nil before the first brief.
func (t *Thread) Latest() *Version {
	if len(t.Versions) == 0 {
		return nil
	}
	return &t.Versions[len(t.Versions)-1]
}

// Current returns a copy of the brief as it stands (the zero Brief before the first).
func (t *Thread) Current() agents.Brief {
	if v := t.Latest(); v != nil {
		return v.Brief.Clone()
	}
	return agents.Brief{}
}

// ApplySent is Apply for a message its surface sent at sentTS (a Slack ts). A message
// sent before messages the thread has already applied arrived late; it is applied in
// the order the messages were sent: the brief is read again from the version before
// it, with it and then the later messages, so what was said last still stands.
func (t *Thread) ApplySent(ctx context.Context, r Reader, text, sentTS string, now time.Time) (Version, error) {
	later := slices.IndexFunc(t.Versions, func(v Version) bool { return sentBefore(sentTS, v.SentTS) })
	if sentTS == "" || later < 1 {
		v, err := t.Apply(ctx, r, text, now)
		if err == nil {
			t.Latest().SentTS = sentTS
			v.SentTS = sentTS
		}
		return v, err
	}
	prev := t.Current()
	reading, err := r.Read(ctx, t.Versions[later-1].Brief.Clone(), text, true, now)
	if err != nil {
		return Version{}, fmt.Errorf("reading message: %w", err)
	}
	brief, ran := reading.Brief, reading.Ran
	for _, v := range t.Versions[later:] {
		again, err := r.Read(ctx, brief, v.Message, true, now)
		if err != nil {
			return Version{}, fmt.Errorf("reading %q again after a message that arrived late: %w", v.Message, err)
		}
		brief = again.Brief
		for _, s := range again.Ran {
			if !slices.Contains(ran, s) {
				ran = append(ran, s)
			}
		}
	}
	v := Version{
		N: len(t.Versions) + 1, Message: text, At: now, Brief: brief, Ran: ran,
		Changes: Diff(prev, brief), SentTS: sentTS, ArrivedLate: true, Unread: reading.UnreadText(),
		Notes: append(reading.Notes, fmt.Sprintf("This message was sent before %q but reached me after it, so I applied it first: what you said last still stands.",
			t.Versions[later].Message)),
	}
	if len(v.Changes) == 0 {
		return v, ErrNoChange
	}
	t.Versions = append(t.Versions, v)
	return v, nil
}

// asked reports whether an earlier version of the thread asked about field: a
// question is asked once, and a user who let it pass keeps the reading it named.
func (t *Thread) asked(field string) bool {
	return slices.ContainsFunc(t.Versions, func(v Version) bool { return v.Question != nil && v.Question.Field == field })
}

// sentBefore reports whether Slack ts a is earlier than ts b ("1700000000.000100" <
// "1700000000.000200"); an empty ts is never before anything, nor anything before it.
func sentBefore(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	as, af, _ := strings.Cut(a, ".")
	bs, bf, _ := strings.Cut(b, ".")
	if len(as) != len(bs) {
		return len(as) < len(bs)
	}
	if as != bs {
		return as < bs
	}
	return af < bf
}

// Apply reads text as the thread's next message — the brief when the thread is empty,
// a revision otherwise — and appends the new version. On any error the thread is
// left exactly as it was; with ErrNoChange the returned Version says what ran but is
// not appended.
func (t *Thread) Apply(ctx context.Context, r Reader, text string, now time.Time) (Version, error) {
	prev := t.Current()
	followUp := len(t.Versions) > 0
	reading, err := r.Read(ctx, prev, text, followUp, now)
	if err != nil {
		return Version{}, fmt.Errorf("reading message: %w", err)
	}
	changes := Diff(prev, reading.Brief)
	v := Version{
		N:       len(t.Versions) + 1,
		Message: text,
		At:      now,
		Brief:   reading.Brief,
		Ran:     reading.Ran,
		Changes: changes,
		Notes:   reading.Notes,
		Unread:  reading.UnreadText(),
	}
	if q := reading.Question; q != nil && !t.asked(q.Field) {
		v.Question = q
	}
	if followUp && len(changes) == 0 {
		return v, ErrNoChange
	}
	t.Versions = append(t.Versions, v)
	return v, nil
}
