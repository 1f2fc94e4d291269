package goal

import "github.com/adplan/adplan/agents"

// match is an objective phrase found in the message, tokens [start, end).
type match struct {
	start, end int
	group      *goalGroup
	objective  agents.Objective
	base       int // strength from the table and its near rules
	strength   int // after emphasis in the sentence
	negated    bool
}

var ownPodcastGroup = &goalGroup{objective: agents.ObjectivePodcastStreams, strength: normal}

// ownPodcasts finds the advertiser's own podcast named with words in between:
// "our new true crime podcast", "my weekly podcast". ("our podcast" is in the table.)
func (v *vocabulary) ownPodcasts(toks []string) []match {
	var out []match
	for i, w := range toks {
		if !v.podcastOwners.has(w) {
			continue
		}
		for j := i + 2; j < len(toks) && j <= i+4; j++ {
			if v.podcastNouns.has(toks[j]) {
				out = append(out, match{start: i, end: j + 1, group: ownPodcastGroup,
					objective: agents.ObjectivePodcastStreams, base: normal})
				break
			}
			if isMark(toks[j]) || v.notInPodcastName.has(toks[j]) {
				break
			}
		}
	}
	return out
}

// readObjective settles the objective from the phrases found: rejected ones drop out,
// and of the rest the strongest wins, the first named on a tie.
func (r *reading) readObjective(toks []string, matches []match) {
	if len(matches) == 0 {
		return
	}
	r.matched = true
	matches = r.takeBack(toks, matches)
	best := map[agents.Objective]*standing{}
	negatedOnly := map[agents.Objective]bool{}
	var order []agents.Objective
	for i := range matches {
		m := &matches[i]
		r.weigh(toks, m)
		r.use(fieldObjective, m.start, m.end)
		if i := r.words.verbBefore(toks, m.start); i >= 0 {
			r.use(fieldObjective, i, m.start)
		}
		if m.negated {
			if best[m.objective] == nil {
				negatedOnly[m.objective] = true
			}
			continue
		}
		delete(negatedOnly, m.objective)
		st := best[m.objective]
		if st == nil {
			st = &standing{strength: m.strength, first: m.start, base: m.base, group: m.group}
			best[m.objective] = st
			order = append(order, m.objective)
			continue
		}
		if m.strength > st.strength {
			st.strength, st.group = m.strength, m.group
		}
		st.base = max(st.base, m.base)
	}
	for _, o := range agents.Objectives {
		if negatedOnly[o] {
			r.negated = append(r.negated, o)
		}
	}
	// The strongest objective wins, the first named on a tie; the others named
	// outright are kept for a note.
	for _, o := range order {
		st := best[o]
		if r.objective == "" || st.strength > r.strength {
			r.objective, r.strength, r.group = o, st.strength, st.group
		}
	}
	for _, o := range order {
		if o != r.objective && best[o].base >= normal {
			r.others = append(r.others, o)
		}
	}
}

// standing is the strongest reading of one objective in a message.
type standing struct {
	strength, first int
	base            int
	group           *goalGroup
}

// weigh settles a match's objective and strength from the words around it, or marks
// it rejected.
// The words that settled it are recorded as cues.
func (r *reading) weigh(toks []string, m *match) {
	if near := retarget(toks, m); near >= 0 {
		r.use(fieldObjective, near, near+1)
	}
	m.strength = m.base
	if m.group.endStrong && m.strength == weak && (m.end == len(toks) || r.words.isBreak(toks[m.end])) {
		m.strength, m.base = normal, normal
	}
	v := r.words
	if neg := v.negatedAt(toks, m.start); neg >= 0 {
		m.negated = true
		r.use(fieldCue, neg, m.start)
		return
	}
	if m.base < normal {
		return
	}
	if i := v.lookBack(toks, m.start, 3, v.mainBefore); i >= 0 {
		m.strength = emphasised
		r.use(fieldCue, i, i+1)
		return
	}
	if i := v.lookAhead(toks, m.end, 2, v.mainAfter); i >= 0 {
		m.strength = emphasised
		r.use(fieldCue, i, i+1)
		return
	}
	if i := v.lookBack(toks, m.start, 3, v.sideBefore); i >= 0 {
		m.strength = weak
		r.use(fieldCue, i, i+1)
		return
	}
	if i := v.lookAhead(toks, m.end, 2, v.sideAfter); i >= 0 {
		m.strength = weak
		r.use(fieldCue, i, i+1)
		return
	}
	if k := v.sideAfterPhrases.startingAt(toks, m.end, len(toks)); k >= 0 {
		m.strength = weak
		r.use(fieldCue, m.end, m.end+len(v.sideAfterPhrases[k]))
	}
}

// retarget applies a group's near rules: a word of the rule in the same sentence,
// a dozen words either side (anywhere in the message for a group whose near_scope is
// the message), makes the match that rule's objective. It returns the
// index of that word, or -1.
func retarget(toks []string, m *match) int {
	if len(m.group.near) == 0 {
		return -1
	}
	lo, hi := max(0, m.start-12), min(len(toks), m.end+12)
	if m.group.nearMessage {
		lo, hi = 0, len(toks)
	}
	for i := m.start - 1; i >= lo && !m.group.nearMessage; i-- {
		if toks[i] == "." {
			lo = i + 1
			break
		}
	}
	for i := m.end; i < hi && !m.group.nearMessage; i++ {
		if toks[i] == "." {
			hi = i
			break
		}
	}
	for _, n := range m.group.near {
		for i := lo; i < hi; i++ {
			if (i < m.start || i >= m.end) && n.words[toks[i]] {
				m.objective = n.objective
				if n.strength != 0 {
					m.base = n.strength
				}
				return i
			}
		}
	}
	return -1
}

// verbBefore returns the index of a verb asking for the objective at start ("drive
// sign-ups", "boost more installs"), or -1.
func (v *vocabulary) verbBefore(toks []string, start int) int {
	for i := start - 1; i >= 0 && i >= start-3; i-- {
		switch {
		case v.objectiveVerbs.has(toks[i]):
			return i
		case !v.objectiveVerbFillers.has(toks[i]):
			return -1
		}
	}
	return -1
}

// negatedAt reports whether the words just before start, in the same clause,
// reject what follows ("not clicks", "instead of reach", "don't care about installs"),
// and returns the index of the negator, or -1. "not just clicks" is not a rejection.
func (v *vocabulary) negatedAt(toks []string, start int) int {
	for i := start - 1; i >= 0 && i >= start-3; i-- {
		w := toks[i]
		if v.isBreak(w) {
			return -1
		}
		needs, ok := v.objectiveNegators[w]
		if !ok {
			continue
		}
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		if v.negationUndoneBy.has(next) || needs != "" && next != needs {
			continue
		}
		return i
	}
	return -1
}

// correctionReach is how many words after a self-correction the objective it brings
// may start.
const correctionReach = 6

// takeBack drops the objectives a self-correction takes back: in "clicks, no wait,
// make it conversions" and "reach... actually we care more about site visits" only
// the second counts. A correction starts the message or follows a comma or sentence
// end, and an objective starts within correctionReach words after it. The words taken
// back and the correction were read, as cues.
func (r *reading) takeBack(toks []string, matches []match) []match {
	v := r.words
	for i := 1; i < len(toks); i++ {
		if toks[i-1] != "," && toks[i-1] != dash && toks[i-1] != "." {
			continue
		}
		k := v.corrections.startingAt(toks, i, len(toks))
		if k < 0 {
			continue
		}
		end := i + len(v.corrections[k])
		next := -1
		for j := range matches {
			if matches[j].start >= end && matches[j].start <= end+correctionReach {
				next = j
				break
			}
		}
		if next <= 0 || matches[next-1].end > i {
			continue
		}
		if n := matches[next]; v.lookBack(toks, n.start, 3, v.sideBefore) >= 0 ||
			v.lookAhead(toks, n.end, 2, v.sideAfter) >= 0 || v.sideAfterPhrases.startAt(toks, n.end, len(toks)) {
			continue // "awareness, actually also some clicks" adds a side goal
		}
		for _, m := range matches[:next] {
			r.use(fieldCue, m.start, m.end)
		}
		r.use(fieldCue, i, end)
		matches = matches[next:]
	}
	return matches
}
