package goal

import (
	"fmt"
	"slices"
	"strings"

	"github.com/adplan/adplan/agents"
)

type opKind int

const (
	opSet     opKind = iota // exactly these formats
	opExclude               // not these formats
	opInclude               // these formats beside audio, or beside what is allowed
	opLift                  // lift any restriction on these formats
	opCap                   // cap these formats' share at share
	opUncap                 // remove the cap on these formats
	opBuy                   // formats the brief names as what it buys ("audio ads")
	opRest                  // these formats take what the caps leave ("rest audio")
)

type goalOp struct {
	kind   opKind
	bits   uint8
	share  float64
	reason string // note for a cap read from vague words or a bare share
	vague  bool   // a cap read from vague words: never loosens a tighter cap
}

// apply revises g by the reading and returns it with the notes for the user and the
// reading's confidence.
func (r reading) apply(g agents.Goal, followUp bool) (agents.Goal, []string, float64) {
	rev := revision{allowed: bitsOf(g.Formats), notes: slices.Clone(r.notes), confidence: r.confidence, followUp: followUp}
	rev.keepCaps(g)
	var rest uint8
	for _, op := range r.ops {
		if op.kind == opRest {
			rest |= op.bits
			continue
		}
		rev.applyOp(op)
	}
	rev.giveRest(rest)
	before := g.Objective
	g.Objective = rev.reviseObjective(r, g.Objective, followUp)
	// When this message changed the objective and said nothing about formats, the new
	// objective wins over the older limits; otherwise both stay and a note tells the
	// user they conflict.
	lift := followUp && g.Objective != before && len(r.ops) == 0
	rev.fitFormatsTo(g.Objective, lift)
	g.Formats, g.MaxShare = rev.formats()
	g.Channel = rev.reviseChannel(r, g.Channel)
	return g, rev.notes, rev.confidence
}

// reviseChannel returns the buying channel after the reading: the one it names, or
// none when it rejects the current one.
func (rev *revision) reviseChannel(r reading, current string) string {
	switch {
	case r.channel != "":
		if r.otherChannel != "" {
			rev.note(fmt.Sprintf("A campaign buys through one channel: planned for %s; %s was also mentioned.", r.channel, r.otherChannel))
			rev.confidence = min(rev.confidence, 0.8)
		}
		return r.channel
	case r.rejectedChannel != "" && current == r.rejectedChannel:
		rev.note(fmt.Sprintf("Dropped the %s channel; the configured one applies.", current))
		return ""
	}
	return current
}

// revision is a goal's formats and caps being revised by one reading.
type revision struct {
	allowed uint8
	// caps holds each format's cap by its place in formatBits; 0 is none, since a cap
	// is always above 0.
	caps       [formatCount]float64
	notes      []string
	confidence float64
	followUp   bool
	// bought is set once a first brief's bought format restricted the formats, so
	// that the next one is allowed beside it.
	bought bool
}

// keepCaps starts from the caps of g that still mean something: a cap of a format
// that is not allowed, or of 0 or 1 and more, restricts nothing.
func (rev *revision) keepCaps(g agents.Goal) {
	for i, f := range formatBits {
		if v, ok := g.MaxShare[f.name]; ok && v > 0 && v < 1 && rev.allowed&f.bit != 0 {
			rev.caps[i] = v
		}
	}
}

func (rev *revision) note(n string) {
	if !slices.Contains(rev.notes, n) {
		rev.notes = append(rev.notes, n)
	}
}

func (rev *revision) uncap(bits uint8) {
	for i, f := range formatBits {
		if bits&f.bit != 0 {
			rev.caps[i] = 0
		}
	}
}

// applyOp applies one format limit.
func (rev *revision) applyOp(op goalOp) {
	switch op.kind {
	case opSet:
		rev.allowed = op.bits
	case opExclude:
		if rev.allowed&^op.bits == 0 {
			rev.note(fmt.Sprintf("Ignored excluding %s: no format would be left.", goalNames(op.bits)))
			rev.confidence = min(rev.confidence, 0.7)
			return
		}
		rev.allowed &^= op.bits
	case opInclude:
		if rev.allowed == anyFormat {
			// See the package readings: "include video" on any format means audio
			// plus video; a format with a cap is in use, so it stays.
			rev.allowed = audio | op.bits
			for i, f := range formatBits {
				if rev.caps[i] != 0 {
					rev.allowed |= f.bit
				}
			}
		} else {
			rev.allowed |= op.bits
		}
	case opLift:
		rev.allowed |= op.bits
		rev.uncap(op.bits)
	case opUncap:
		rev.uncap(op.bits)
	case opCap:
		rev.applyCap(op)
	case opBuy:
		// See bought_formats in data/goal_words.json.
		switch {
		case rev.followUp:
			if rev.allowed != anyFormat {
				rev.allowed |= op.bits
			}
		case rev.bought:
			rev.allowed |= op.bits
		default:
			rev.allowed = op.bits
			rev.bought = true
		}
	}
}

// giveRest applies "rest audio" once every other limit is read: the formats given the
// rest of the budget are allowed beside those capped ("max 20% video, rest audio" is
// audio and video) and, when nothing else restricts the formats, no others.
func (rev *revision) giveRest(bits uint8) {
	if bits == 0 {
		return
	}
	if rev.allowed != anyFormat {
		rev.allowed |= bits
		return
	}
	allowed := bits
	for i, f := range formatBits {
		if rev.caps[i] != 0 {
			allowed |= f.bit
		}
	}
	rev.allowed = allowed
}

// applyCap caps formats' share. A share of 0 excludes them (unless nothing would be
// left), and a cap on a format that is not allowed allows it again.
func (rev *revision) applyCap(op goalOp) {
	if op.share <= 0 {
		if rev.allowed&^op.bits != 0 {
			rev.allowed &^= op.bits
		}
		return
	}
	if op.reason != "" {
		rev.note(op.reason)
		rev.confidence = min(rev.confidence, 0.8)
	}
	if rev.allowed&op.bits != op.bits {
		rev.note(fmt.Sprintf("Allowed %s again, within its cap.", goalNames(op.bits&^rev.allowed)))
		rev.allowed |= op.bits
	}
	for i, f := range formatBits {
		if op.bits&f.bit != 0 {
			switch v := rev.caps[i]; {
			case op.vague && v != 0 && v < op.share:
				// "less video" keeps a tighter cap already set.
			case op.share >= 1:
				rev.caps[i] = 0
			default:
				rev.caps[i] = op.share
			}
		}
	}
}

// reviseObjective returns the objective after the reading. A weak hint never replaces
// one already set on a follow-up.
func (rev *revision) reviseObjective(r reading, current agents.Objective, followUp bool) agents.Objective {
	switch {
	case r.objective != "" && !(followUp && current != "" && r.strength < normal):
		if r.group != nil && r.group.note != "" && r.objective == r.group.objective {
			rev.note(r.group.note)
		}
		if r.strength < normal {
			c := 0.6
			if r.group != nil && r.group.confidence > 0 {
				c = r.group.confidence
			}
			rev.confidence = min(rev.confidence, c)
		}
		if len(r.others) > 0 {
			var others []string
			for _, o := range r.others {
				others = append(others, string(o))
			}
			rev.note(fmt.Sprintf("A campaign has one objective: planned for %s; %s was also mentioned.", r.objective, strings.Join(others, " and ")))
			rev.confidence = min(rev.confidence, 0.8)
		}
		return r.objective
	case r.objective == "" && followUp && current != "" && slices.Contains(r.negated, current):
		rev.note(fmt.Sprintf("Dropped the objective %s; no other was named.", current))
		return ""
	}
	return current
}

// fitFormatsTo checks the formats against what the objective runs on. With lift, the
// objective wins: a format it needs is allowed again and a cap on its only format
// removed; without, a note names the conflict.
func (rev *revision) fitFormatsTo(o agents.Objective, lift bool) {
	compat, ok := compatible[o]
	if !ok || compat == anyFormat {
		return
	}
	need := firstBit(compat)
	if rev.allowed&compat == 0 {
		if lift {
			rev.allowed |= need
			rev.note(fmt.Sprintf("Allowed %s again: %s runs on %s.", goalNames(need), o, goalNames(compat)))
		} else {
			rev.note(fmt.Sprintf("%s runs on %s, which the brief does not allow; these conflict.", o, or(compat)))
		}
	}
	if compat != need {
		return
	}
	i := formatIndex(need)
	if v := rev.caps[i]; v != 0 && rev.allowed&need != 0 {
		if lift {
			rev.caps[i] = 0
			rev.note(fmt.Sprintf("Removed the %s cap on %s: %s runs only on %s.", percent(v), goalNames(need), o, goalNames(need)))
		} else {
			rev.note(fmt.Sprintf("%s runs only on %s, but %s is capped at %s of the budget; these conflict.", o, goalNames(need), goalNames(need), percent(v)))
		}
	}
}

// formats writes the allowed formats and their caps as a Goal holds them: no list
// for any format, and no map when nothing is capped.
func (rev *revision) formats() ([]string, map[string]float64) {
	var maxShare map[string]float64
	for i, f := range formatBits {
		if v := rev.caps[i]; v != 0 && rev.allowed&f.bit != 0 {
			if maxShare == nil {
				maxShare = map[string]float64{}
			}
			maxShare[f.name] = v
		}
	}
	return formatsOf(rev.allowed), maxShare
}
