package agents

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// Slot names one part of a Brief, and the specialist that reads it.
type Slot string

// The four slots, in the order they are reported.
const (
	SlotGoal     Slot = "goal"
	SlotAudience Slot = "audience"
	SlotBudget   Slot = "budget"
	SlotSchedule Slot = "schedule"
)

// Slots lists every slot in report order.
var Slots = []Slot{SlotGoal, SlotAudience, SlotBudget, SlotSchedule}

// SlotList names slots for people: "budget, schedule", or "no specialist".
func SlotList(slots []Slot) string {
	if len(slots) == 0 {
		return "no specialist"
	}
	names := make([]string, len(slots))
	for i, s := range slots {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Specialist reads one slot of a brief from a message.
type Specialist interface {
	// Slot is the part of the brief this specialist owns.
	Slot() Slot
	// Touches reports, cheaply and without side effects, whether a message speaks
	// to this slot. The coordinator runs a specialist only when it does.
	Touches(m Message) bool
	// Run reads the message and returns the slot's new value. On a follow-up it
	// revises req.Current's slot ("double the budget") instead of starting afresh.
	Run(ctx context.Context, req Request) (Result, error)
}

// FallbackSpecialist is a specialist with a reading to fall back on when Run misses
// the coordinator's deadline: a model-backed specialist's rule-based reading. The
// coordinator then uses Fallback's reading instead of failing the message, so a slow
// model costs the rules' reading, never the message, however late Run notices its
// deadline.
type FallbackSpecialist interface {
	Specialist
	// Fallback returns the reading to use in place of Run's; cause says why Run's was
	// not used. It must answer at once, without waiting on anything (no model call),
	// and may be called with a context that has ended.
	Fallback(ctx context.Context, req Request, cause error) (Result, error)
}

// Message is one message from the user, with the normalised form every
// specialist matches against computed once.
type Message struct {
	// Text is the message as written.
	Text string
	// Lower is Text lower-cased, with typographic dashes, quotes and spaces made plain
	// and runs of white space collapsed to one space.
	Lower string
	// Now is the reference time relative dates in the message are read against, so
	// that Touches, like Run, never reads the wall clock.
	Now time.Time
}

// NewMessage normalises text once for all specialists; now is the time the message
// is read at.
func NewMessage(text string, now time.Time) Message {
	return Message{Text: text, Lower: Normalize(text), Now: now}
}

// Request is what a specialist reads.
type Request struct {
	Message Message
	// Current is the brief before this message; the zero Brief for a first brief.
	Current Brief
	// FollowUp is true when the message revises an existing brief.
	FollowUp bool
	// Now is the reference time every relative date is read against; the
	// coordinator always sets it (from its clock when the caller gives none).
	Now time.Time
}

// Result is a specialist's reading. Exactly the field of the specialist's own slot is
// set when it read something; all are nil when it found nothing to change.
type Result struct {
	Goal     *Goal
	Audience *Audience
	Budget   *Budget
	Schedule *Schedule
	// Confidence is how sure the specialist is of its reading, 0..1; a later LLM
	// variant is consulted only below a threshold.
	Confidence float64
	// Notes say what the specialist saw but could not use, in words for the user
	// ("ignored a negative budget of -500 USD").
	Notes []string
	// Sources are the words the reading came from, each tied to the field it set
	// (see Source); every word the specialist used, so that the coordinator can tell
	// the user which words nobody read.
	Sources []Source
}

// Empty reports whether the result changes nothing.
func (r Result) Empty() bool {
	return r.Goal == nil && r.Audience == nil && r.Budget == nil && r.Schedule == nil
}

var textReplacer = strings.NewReplacer(
	"\u2013", "-", "\u2014", "-", "\u2012", "-", "\u2212", "-", "\u2010", "-", "\u2011", "-",
	"\u2018", "'", "\u2019", "'", "\u201c", "\"", "\u201d", "\"",
	"\u00a0", " ", "\u202f", " ", "\u2009", " ",
)

// Normalize lower-cases text, makes typographic dashes, quotes and spaces plain
// and collapses runs of white space.
func Normalize(text string) string {
	text = textReplacer.Replace(text)
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
