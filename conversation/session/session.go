// Package session is the one place every surface — the CLI's chat, the HTTP API, MCP,
// AdCP — turns a message into a version of a thread and that version into a plan, so
// they cannot drift apart. The Slack bot keeps its own queue and ordering but plans
// through PlanLatest, the same code path.
//
// Threads a Service starts belong to an owner (an API token's name, "cli"); they are
// stored under a key made of the owner and an unguessable id, so another owner, or an
// id nobody was given, finds nothing: ErrNotFound, never someone else's thread.
package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/conversation"
	"github.com/adplan/adplan/store"
)

// Planner plans a brief, or revises the previous plan moving only what changed;
// *planner.Planner is one.
type Planner interface {
	Plan(ctx context.Context, b agents.Brief, now time.Time, channel string) (agents.Plan, error)
	Revise(ctx context.Context, b agents.Brief, prev *agents.Plan, now time.Time, channel string) (agents.Plan, error)
}

// Store keeps threads; *store.Memory and *store.Redis are. Save is compare-and-set on
// Thread.Rev (store.ErrConflict); Load of an unknown id is store.ErrNotFound.
type Store interface {
	Load(ctx context.Context, id string) (*conversation.Thread, error)
	Save(ctx context.Context, t *conversation.Thread) error
}

var (
	// ErrNotFound means the owner has no thread with that id: it never existed, was
	// forgotten, or belongs to another owner.
	ErrNotFound = errors.New("no such thread")
	// ErrUnreadable wraps the reading error of a brief that cannot be read (empty, too
	// long, not text, nothing a specialist understood). Nothing is stored.
	ErrUnreadable = errors.New("cannot read this brief")
	// ErrUnplannable wraps the planner's error for a brief that was read but cannot be
	// planned (a budget over the limit, nothing the channel can buy).
	ErrUnplannable = errors.New("planning")
)

// saveAttempts bounds how often Say reloads and re-applies a message when other
// writers keep saving the thread first.
const saveAttempts = 8

// Turn is one message's outcome: exactly the fields of a line of `adplan chat --json`
// (DESIGN.md), plus Thread, the id to send follow-ups to.
type Turn struct {
	// Turn counts messages: in chat, this message's number in the session; in a
	// Service's thread, the versions kept so far plus one for a message that made none.
	Turn        int                   `json:"turn"`
	Ran         []agents.Slot         `json:"ran"`
	Brief       agents.Brief          `json:"brief"`
	Plan        *agents.Plan          `json:"plan"`
	PlanChanges []agents.PlanChange   `json:"plan_changes"`
	PlanError   string                `json:"plan_error,omitempty"`
	Version     int                   `json:"version"`
	Changes     []conversation.Change `json:"changes"`
	Notes       []string              `json:"notes"`
	Warnings    []string              `json:"warnings"`
	Error       string                `json:"error,omitempty"`
	// Unread quotes the words of this message nobody read; Question is what adplan
	// asks back about a field it guessed (each field once a thread). Added since
	// DESIGN.md.
	Unread   []string         `json:"unread"`
	Question *agents.Question `json:"question,omitempty"`
	// Thread is the thread's id (not in chat's lines, which have one thread).
	Thread string `json:"thread,omitempty"`
}

// NothingChanged is the note a Turn carries when the message was read but left the
// brief as it was.
const NothingChanged = "Nothing changed: the brief already says that."

// Service turns messages into versions and plans, keeping threads in Store.
type Service struct {
	Reader  conversation.Reader // *agents.Coordinator
	Planner Planner
	Store   Store
	Now     func() time.Time // nil: time.Now
	Channel string           // the planner.channel setting
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Plan reads text as a brief and plans it: the same result as `adplan plan --json
// TEXT`, the reading's notes before the plan's warnings. A brief that cannot be read is
// ErrUnreadable, one that cannot be planned ErrUnplannable.
func (s *Service) Plan(ctx context.Context, text string) (agents.Plan, error) {
	now := s.now()
	reading, err := s.Reader.Read(ctx, agents.Brief{}, text, false, now)
	if err != nil {
		if ctx.Err() != nil {
			return agents.Plan{}, ctx.Err()
		}
		return agents.Plan{}, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	plan, err := s.Planner.Plan(ctx, reading.Brief, now, s.Channel)
	if err != nil {
		if ctx.Err() != nil {
			return agents.Plan{}, ctx.Err()
		}
		return agents.Plan{}, fmt.Errorf("%w: %w", ErrUnplannable, err)
	}
	plan.Warnings = append(reading.Notes, plan.Warnings...)
	return plan, nil
}

// Start reads text as the brief of a new thread owned by owner, plans it and stores
// the thread under a new unguessable id (Turn.Thread). A brief that cannot be read
// stores nothing: the Turn says why (Error) and the error wraps ErrUnreadable.
func (s *Service) Start(ctx context.Context, owner, text string) (Turn, error) {
	if err := checkOwner(owner); err != nil {
		return Turn{}, err
	}
	id, err := newID()
	if err != nil {
		return Turn{}, err
	}
	now := s.now()
	th := conversation.New(key(owner, id))
	v, err := th.Apply(ctx, s.Reader, text, now)
	if err != nil {
		if ctx.Err() != nil {
			return Turn{}, ctx.Err()
		}
		t := TurnOf(th, v, err)
		t.Turn = 1
		// The reading error itself, as `adplan plan` words it ("cannot read this
		// brief: …"); the Turn keeps chat's wording ("reading message: …").
		if read := errors.Unwrap(err); read != nil {
			err = read
		}
		return t, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	plan, changes, _ := PlanLatest(ctx, s.Planner, th, now, s.Channel)
	if ctx.Err() != nil {
		return Turn{}, ctx.Err()
	}
	if err := s.Store.Save(ctx, th); err != nil {
		return Turn{}, fmt.Errorf("saving thread: %w", err)
	}
	t := TurnOf(th, v, nil)
	t.Turn, t.Plan, t.PlanChanges, t.PlanError, t.Thread = len(th.Versions), plan, changes, th.Latest().PlanError, id
	return t, nil
}

// Say applies text as a follow-up to the owner's thread: a new version, what changed
// and its plan, revised from the one before. A message that cannot be read, or changes
// nothing, makes no version: the Turn says so (Error, or the NothingChanged note) and
// carries the plan as it stands, as chat does. When another writer saves the thread
// first, Say reads it again and applies the message on top of theirs.
func (s *Service) Say(ctx context.Context, owner, thread, text string) (Turn, error) {
	k, err := lookupKey(owner, thread)
	if err != nil {
		return Turn{}, err
	}
	for attempt := 1; ; attempt++ {
		th, err := s.load(ctx, k)
		if err != nil {
			return Turn{}, err
		}
		now := s.now()
		v, err := th.Apply(ctx, s.Reader, text, now)
		if err != nil {
			if ctx.Err() != nil {
				return Turn{}, ctx.Err()
			}
			t := TurnOf(th, v, err)
			t.Turn, t.Plan, t.Thread = len(th.Versions)+1, currentPlan(th), thread
			return t, nil
		}
		plan, changes, _ := PlanLatest(ctx, s.Planner, th, now, s.Channel)
		if ctx.Err() != nil {
			return Turn{}, ctx.Err()
		}
		err = s.Store.Save(ctx, th)
		if err == nil {
			t := TurnOf(th, v, nil)
			t.Turn, t.Plan, t.PlanChanges, t.PlanError, t.Thread = len(th.Versions), plan, changes, th.Latest().PlanError, thread
			return t, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return Turn{}, fmt.Errorf("saving thread: %w", err)
		}
		if attempt == saveAttempts {
			return Turn{}, fmt.Errorf("saving thread: gave up after %d conflicting writers: %w", attempt, err)
		}
	}
}

// Thread returns the owner's thread, its ID the public id (as Start gave it).
func (s *Service) Thread(ctx context.Context, owner, thread string) (*conversation.Thread, error) {
	k, err := lookupKey(owner, thread)
	if err != nil {
		return nil, err
	}
	th, err := s.load(ctx, k)
	if err != nil {
		return nil, err
	}
	th.ID = thread
	return th, nil
}

func (s *Service) load(ctx context.Context, k string) (*conversation.Thread, error) {
	th, err := s.Store.Load(ctx, k)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("loading thread: %w", err)
	case th.Latest() == nil:
		// Start stores a thread only with its first version, so an empty one was
		// not made here.
		return nil, ErrNotFound
	}
	return th, nil
}

// PlanLatest plans th's latest version — as a revision of the plan of the version
// before it when there is one, so a follow-up moves only what it touches — and records
// the plan (Plan) or why there is none (PlanError) on that version. It returns the plan
// (nil when there is none), how it moved from the previous plan (empty, never nil,
// when there is no previous plan) and the planning error.
func PlanLatest(ctx context.Context, p Planner, th *conversation.Thread, now time.Time, channel string) (*agents.Plan, []agents.PlanChange, error) {
	latest := th.Latest()
	if latest == nil {
		return nil, []agents.PlanChange{}, errors.New("planning: the thread has no brief yet")
	}
	var prev *agents.Plan
	if n := len(th.Versions); n > 1 {
		prev = th.Versions[n-2].Plan
	}
	var (
		plan agents.Plan
		err  error
	)
	if prev == nil {
		plan, err = p.Plan(ctx, latest.Brief, now, channel)
	} else {
		plan, err = p.Revise(ctx, latest.Brief, prev, now, channel)
	}
	if err != nil {
		latest.Plan, latest.PlanError = nil, err.Error()
		return nil, []agents.PlanChange{}, err
	}
	latest.Plan, latest.PlanError = &plan, ""
	changes := []agents.PlanChange{}
	if prev != nil {
		changes = nonNil(agents.PlanChangeDetails(*prev, plan))
	}
	return &plan, changes, nil
}

// TurnOf describes the thread after a message: v and err are what Thread.Apply
// returned for it. The plan fields, Turn and Thread are left for the caller.
func TurnOf(th *conversation.Thread, v conversation.Version, err error) Turn {
	brief := th.Current()
	out := Turn{
		Ran:         nonNil(v.Ran),
		Brief:       brief,
		PlanChanges: []agents.PlanChange{},
		Version:     len(th.Versions),
		Changes:     nonNil(v.Changes),
		Notes:       nonNil(v.Notes),
		Warnings:    nonNil(brief.Problems()),
		Unread:      nonNil(v.Unread),
		Question:    v.Question,
	}
	switch {
	case errors.Is(err, conversation.ErrNoChange):
		out.Notes = append(out.Notes, NothingChanged)
	case err != nil:
		out.Error = err.Error()
	}
	return out
}

// currentPlan is the plan of th's latest version (nil before the first, or when it
// could not be planned).
func currentPlan(th *conversation.Thread) *agents.Plan {
	if v := th.Latest(); v != nil {
		return v.Plan
	}
	return nil
}

// key is where the owner's thread id is stored: owners never share a key, and the
// prefix keeps these threads apart from the bot's (keyed by Slack channel and ts).
func key(owner, id string) string { return "api/" + owner + "/" + id }

// lookupKey is the store key of a thread id a caller sent: an id Start cannot have
// made is not found without asking the store.
func lookupKey(owner, id string) (string, error) {
	if err := checkOwner(owner); err != nil {
		return "", err
	}
	if !ValidID(id) {
		return "", ErrNotFound
	}
	return key(owner, id), nil
}

// checkOwner refuses owners that could make two owners' keys meet ("a/b" + "c" and
// "a" + "b/c"); owners are configured names, so this is a programming error.
func checkOwner(owner string) error {
	if owner == "" || strings.ContainsAny(owner, "/ ") {
		return fmt.Errorf("session: owner %q must be a non-empty name without '/' or spaces", owner)
	}
	return nil
}

const idBytes = 16

// newID returns 128 random bits, hex-encoded.
func newID() (string, error) {
	b := make([]byte, idBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a thread id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// ValidID reports whether id has the shape of an id Start makes (32 lower-case hex
// digits).
func ValidID(id string) bool {
	if len(id) != 2*idBytes {
		return false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
