package audience

// Modes: each phrase of a follow-up takes the mode of the cue that governs it — a
// leading cue before it across fillers, a trailing cue after it, or the mode of the
// list it sits in.

// assignModes gives each phrase the mode of the cues around it.
func (sc *scan) assignModes() {
	for k := range sc.matches {
		m := &sc.matches[k]
		if !m.isFact() {
			continue
		}
		m.lead = sc.leadingMode(k)
		if m.own != modeNone {
			m.lead = m.own
		}
	}
	for k := range sc.matches {
		c := &sc.matches[k]
		if c.cue == nil || !c.cue.trailing {
			continue
		}
		mode := c.cue.mode
		if c.cue.insteadOf {
			mode = modeReplaceSoft
		}
		// "only" before a phrase leads it rather than trailing the one before.
		if c.cue.leading && !c.cue.insteadOf && sc.leadsPhrase(k) {
			continue
		}
		sc.trailBack(k, mode)
	}
}

// leadsPhrase reports whether cue k governs a phrase after it.
func (sc *scan) leadsPhrase(k int) bool {
	c := &sc.matches[k]
	for i, steps := c.end, 0; i < len(sc.toks) && steps < 6; i, steps = i+1, steps+1 {
		if sc.toks[i].sep == sepClause {
			return false
		}
		if at := sc.matchAt[i]; at >= 0 {
			return sc.matches[at].isFact()
		}
		if w := sc.lex.words; !w.fillers[sc.toks[i].s] && !w.verbs[sc.toks[i].s] {
			return false
		}
	}
	return false
}

// trailBack gives mode to the phrases before cue k that no leading cue governs.
func (sc *scan) trailBack(k int, mode audienceMode) {
	i := sc.matches[k].start - 1
	governs := false
	for steps := 0; i >= 0 && steps < 8; steps++ {
		if sc.toks[i+1].sep == sepClause {
			return
		}
		if at := sc.matchAt[i]; at >= 0 {
			m := &sc.matches[at]
			if m.cue != nil {
				return
			}
			if m.isFact() && !governs {
				// The cue and the fillers it reached back across were read.
				governs = true
				sc.cueRuns = append(sc.cueRuns, [2]int{m.end, sc.matches[k].end})
			}
			if m.isFact() && m.trail == modeNone {
				m.trail = mode
			}
			i = m.start - 1
			continue
		}
		if w := sc.lex.words; !w.fillers[sc.toks[i].s] && !w.connectors[sc.toks[i].s] {
			return
		}
		i--
	}
}

// leadingMode walks back from match k to the cue that governs it, if any: across
// fillers and verbs to a cue, or across a list to the previous item, whose mode it
// shares ("remove Germany and France").
func (sc *scan) leadingMode(k int) audienceMode {
	m := &sc.matches[k]
	words := sc.lex.words
	i := m.start - 1
	listOnly := true // only connectors crossed so far
	verb, swap := false, false
	for steps := 0; i >= 0 && steps < 8; steps++ {
		if sc.toks[i+1].sep == sepClause {
			break
		}
		if at := sc.matchAt[i]; at >= 0 {
			o := &sc.matches[at]
			if o.cue != nil {
				if o.end < len(sc.toks) && sc.toks[o.end].sep >= sepComma {
					// A cue does not reach across a comma: "the album drop, Brazil".
					break
				}
				if mode, ok := sc.cueMode(o, swap); ok {
					// The cue and the fillers it reached across were read.
					sc.cueRuns = append(sc.cueRuns, [2]int{o.start, m.start})
					return mode
				}
				break
			}
			if !o.isFact() {
				i = o.start - 1
				continue
			}
			if swap && o.lead == modeRemove && sc.swappedOut(int(at)) {
				sc.cueRuns = append(sc.cueRuns, [2]int{o.end, m.start})
				return modeAdd // "swap the UK for Ireland"
			}
			if listOnly && !verb && sc.connected(o, m) {
				return o.lead
			}
			break
		}
		w := sc.toks[i].s
		switch {
		case words.verbs[w]:
			verb = true
			listOnly = false
		case words.fillers[w] || words.connectors[w]:
			// A list's joins and articles, in any language ("la Belgique et la
			// Suisse"), are crossed as fillers are.
			if words.swapWords[w] {
				swap = true
			}
			if !words.connectors[w] {
				listOnly = false
			}
		default:
			return modeNone
		}
		i--
	}
	if i < 0 {
		return sc.startOfMessageMode(k)
	}
	return modeNone
}

// cueMode is the mode cue o gives the phrase after it, if any; swap says a swap word
// lies between them ("swap the UK for Ireland").
func (sc *scan) cueMode(o *match, swap bool) (audienceMode, bool) {
	if !o.cue.leading {
		return modeNone, false
	}
	// "No, France": a "no" that answers is not a cue.
	if sc.lex.words.answers[sc.toks[o.start].s] && o.end < len(sc.toks) && sc.toks[o.end].sep >= sepComma {
		return modeNone, false
	}
	if o.cue.mode == modeSwapOut {
		if swap {
			return modeReplace, true // "change the age to 25-34"
		}
		return modeRemove, true
	}
	return o.cue.mode, true
}

// swappedOut reports whether match k was removed by a swap cue ("swap X", "switch from X").
func (sc *scan) swappedOut(k int) bool {
	for j := k - 1; j >= 0 && j >= k-6; j-- {
		if c := sc.matches[j].cue; c != nil {
			return c.mode == modeSwapOut
		}
	}
	return false
}

// startOfMessageMode reads a follow-up that opens with "and": "and Spain" adds.
func (sc *scan) startOfMessageMode(k int) audienceMode {
	if sc.lex.words.addingOpeners[sc.toks[0].s] && sc.matches[k].start > 0 {
		return modeAdd
	}
	return modeNone
}

// correctionReach is how many words after a self-correction ("wait", "I mean") the
// phrase it brings may start.
const correctionReach = 3

// applyCorrections takes back what a self-correction replaces: "18-24... wait, 25-34
// only" keeps 25-34, "Germany, no actually Austria" Austria. A correction written
// after a comma, a dash or the end of a sentence, followed within correctionReach
// words by a phrase that does not add ("men too"), marks every earlier phrase that
// sets one of that phrase's fields as corrected. Run it after assignModes.
func (sc *scan) applyCorrections() {
	for k := range sc.matches {
		c := &sc.matches[k]
		if c.cue == nil || c.cue.mode != modeCorrect || (c.start > 0 && sc.toks[c.start].sep < sepDash) {
			continue
		}
		next := -1
		for j := k + 1; j < len(sc.matches) && sc.matches[j].start < c.end+correctionReach+1; j++ {
			if sc.matches[j].isFact() {
				next = j
				break
			}
		}
		if next < 0 {
			continue
		}
		n := &sc.matches[next]
		if n.lead == modeAdd || n.trail == modeAdd {
			continue
		}
		took := false
		for j := range k {
			if m := &sc.matches[j]; m.isFact() && sharesField(m, n) {
				m.corrected, took = true, true
			}
		}
		if took {
			sc.cueRuns = append(sc.cueRuns, [2]int{c.start, c.end})
		}
	}
}

// sharesField reports whether matches a and b set a field in common.
func sharesField(a, b *match) bool {
	for i := range a.facts {
		for j := range b.facts {
			if f := fieldOf(&a.facts[i]); f != fieldNone && f == fieldOf(&b.facts[j]) {
				return true
			}
		}
	}
	return false
}
