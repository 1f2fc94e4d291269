package goal

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/adplan/adplan/agents/numbers"
)

// goalShare is a share of the budget written in the text: "20%", "a third".
type goalShare struct {
	value      float64
	start, end int
	text       string
}

// shareAt reads a share of the budget starting at toks[i].
func (v *vocabulary) shareAt(toks []string, i int) (goalShare, bool) {
	w := toks[i]
	if v.fractionStarts.has(w) {
		for _, f := range v.fractions {
			if len(f.words) <= len(toks)-i && slices.Equal(toks[i:i+len(f.words)], f.words) {
				if i > 0 && f.notAfter.has(toks[i-1]) {
					return goalShare{}, false
				}
				end := i + len(f.words)
				return goalShare{value: f.value, start: i, end: end, text: strings.Join(toks[i:end], " ")}, true
			}
		}
	}
	if w[0] >= '0' && w[0] <= '9' {
		if n, d, ok := strings.Cut(w, "/"); ok {
			num, err1 := strconv.Atoi(n)
			den, err2 := strconv.Atoi(d)
			if err1 == nil && err2 == nil && num > 0 && den > 0 && den <= 100 {
				return goalShare{value: float64(num) / float64(den), start: i, end: i + 1, text: w}, true
			}
			return goalShare{}, false
		}
	} else if _, ok := numbers.Units[w]; !ok {
		return goalShare{}, false
	}
	value, used, ok := numbers.ReadWords(toks[i:min(len(toks), i+6)])
	if !ok || i+used >= len(toks) {
		return goalShare{}, false
	}
	end := i + used
	sign := v.percentSigns.startingAt(toks, end, len(toks))
	if sign < 0 {
		return goalShare{}, false
	}
	end += len(v.percentSigns[sign])
	return goalShare{value: value / 100, start: i, end: end, text: percent(value / 100)}, true
}

func percent(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
}

func (r *reading) readShare(toks []string, c clause, s goalShare, m mention, capCue bool) {
	name := goalNames(m.bits)
	at := func(i int) string {
		if i < c.start || i >= c.end {
			return ""
		}
		return toks[i]
	}
	v := r.words
	b1, b2, b3 := at(s.start-1), at(s.start-2), at(s.start-3)
	// lo and hi take in the words beside the share that say what it is.
	lo, hi := s.start, s.end
	floor := true
	if k := v.floorBefore.endingAt(toks, c.start, s.start); k >= 0 {
		lo = s.start - len(v.floorBefore[k])
	} else if v.floorSecondBefore.has(b2) {
		lo = s.start - 2
	} else if k := v.floorAfter.startingAt(toks, s.end, c.end); k >= 0 {
		hi = s.end + len(v.floorAfter[k])
	} else if b1 == "than" && v.more.has(b2) && !v.comparativeNegators.has(b3) {
		lo = s.start - 2
	} else if b1 == "than" && v.less.has(b2) && v.comparativeNegators.has(b3) {
		lo = s.start - 3
	} else {
		floor = false
	}
	relative := false
	if !floor {
		switch {
		case v.changeBefore.has(b1):
			relative, lo = true, s.start-1
		case v.changeAfter.has(at(s.end)):
			relative, hi = true, s.end+1
		}
	}
	field := fieldMaxShare
	defer func() {
		r.use(field, m.start, m.end)
		r.use(field, s.start, s.end)
		r.use(fieldCue, lo, s.start)
		r.use(fieldCue, s.end, hi)
	}()
	switch {
	case floor:
		r.note(fmt.Sprintf("Ignored a minimum share of %s for %s: only caps on a format's share are supported.", s.text, name))
		r.confidence = min(r.confidence, 0.7)
	case relative:
		r.note(fmt.Sprintf("Ignored a change of %s to %s's share: give the share itself, like \"keep %s under 20%%\".", s.text, name, name))
		r.confidence = min(r.confidence, 0.7)
	case s.value > 1:
		r.note(fmt.Sprintf("Ignored a share of %s for %s: a share cannot exceed 100%%.", s.text, name))
		r.confidence = min(r.confidence, 0.7)
	case s.value == 1 && strings.Contains(s.text, "/"):
		// "50/50 audio and video": the formats are clear, the exact split is not a cap.
		field = fieldFormats
		r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
		r.note(fmt.Sprintf("Kept %s but not the exact split (%s): only caps on a format's share are supported.", name, s.text))
		r.confidence = min(r.confidence, 0.7)
	case s.value == 1 && !capCue:
		field = fieldFormats
		r.ops = append(r.ops, goalOp{kind: opSet, bits: m.bits})
	default:
		if b1 == "than" && (v.more.has(b2) || v.less.has(b2)) {
			// "no more than a third", "less than 20%"
			lo = s.start - 2
			if v.comparativeNegators.has(b3) {
				lo = s.start - 3
			}
		}
		if capCue {
			for i := c.start; i < c.end; i++ {
				if v.capCues.has(toks[i]) {
					r.use(fieldCue, i, i+1)
				}
			}
		}
		op := goalOp{kind: opCap, bits: m.bits, share: s.value}
		if !capCue && s.value > 0 {
			op.reason = fmt.Sprintf("Read %s on %s as a cap on its share of the budget.", s.text, name)
		}
		r.ops = append(r.ops, op)
	}
}

// hasCappedShare reports a share and a word capping it in toks[lo:hi].
func (v *vocabulary) hasCappedShare(toks []string, lo, hi int) bool {
	share, capped := false, false
	for i := lo; i < hi; i++ {
		capped = capped || v.capCues.has(toks[i])
		if !share {
			_, share = v.shareAt(toks, i)
		}
	}
	return share && capped
}

// shareReach is how many words apart a share and its format may be.
const shareReach = 10
