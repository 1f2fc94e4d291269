package audience

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// Scanning: a message becomes tokens, the tokens become matches (a phrase from the
// lexicon, an age range, an ISO code), and each match gets the mode a follow-up
// applies it with ("add", "drop", "only", "instead").

// match is one phrase read from the message, tokens [start, end).
type match struct {
	start, end int
	facts      []fact
	need       audienceNeed
	own        audienceMode // the phrase's own cue ("music only")
	cue        *audienceCue
	dropped    bool
	// lead is the mode of a cue before the phrase, trail of one after it.
	lead, trail audienceMode
}

func (m *match) isFact() bool { return m.cue == nil && !m.dropped && len(m.facts) > 0 }

func (m *match) kind() factKind {
	if len(m.facts) == 0 {
		return 0
	}
	return m.facts[0].kind
}

// scan is the reading of one message; scans are pooled to spare allocations.
type scan struct {
	lex     *lexicon
	toks    []token
	upper   []token
	matches []match
	matchAt []int32 // token → index of the match covering it, or -1
	// titleText marks a message written in Title Case, where a capital says nothing.
	titleText bool
}

var scanPool = sync.Pool{New: func() any { return new(scan) }}

// scanMessage reads m. Release the scan with release when done.
func scanMessage(lex *lexicon, m agents.Message) *scan {
	sc := scanPool.Get().(*scan)
	sc.lex = lex
	lower := m.Lower
	if lower == "" && m.Text != "" {
		lower = agents.Normalize(m.Text)
	}
	sc.toks = tokenize(lower, sc.toks[:0])
	sc.titleText = false
	sc.markUpper(m.Text)
	sc.matches = sc.matches[:0]
	sc.findMatches()
	sc.indexMatches()
	sc.acceptCued()
	sc.resolveNationalities()
	return sc
}

func (sc *scan) release() {
	if cap(sc.toks) > 4096 || cap(sc.upper) > 4096 || cap(sc.matches) > 1024 {
		return // let an outsized scan go rather than pin its memory
	}
	for i := range sc.matches {
		sc.matches[i] = match{}
	}
	for i := range sc.toks {
		sc.toks[i] = token{}
	}
	for i := range sc.upper {
		sc.upper[i] = token{}
	}
	sc.lex = nil
	scanPool.Put(sc)
}

// markUpper copies from Text which tokens were written in capitals: "US" is the
// country, "us" the word. The normalised text and Text split into the same tokens, so
// they line up one to one; when they do not (a hand-made Message), codes are not read.
func (sc *scan) markUpper(text string) {
	hasUpper := false
	for i := 0; i < len(text); i++ {
		if text[i] >= 'A' && text[i] <= 'Z' {
			hasUpper = true
			break
		}
	}
	if !hasUpper {
		return
	}
	sc.upper = tokenize(text, sc.upper[:0])
	if len(sc.upper) != len(sc.toks) {
		return
	}
	titles, words := 0, 0
	defer func() { sc.titleText = words >= 6 && titles*2 > words }()
	for i, t := range sc.upper {
		letters, uppers := 0, 0
		for _, r := range t.s {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					uppers++
				}
			}
		}
		sc.toks[i].upper = letters >= 2 && uppers == letters
		first, _ := utf8.DecodeRuneInString(t.s)
		sc.toks[i].title = letters >= 2 && uppers == 1 && unicode.IsUpper(first)
		if letters >= 2 {
			words++
			if sc.toks[i].title {
				titles++
			}
		}
	}
}

func (sc *scan) findMatches() {
	toks := sc.toks
	w := sc.lex.words
	for i := 0; i < len(toks); {
		if r, end, soft, ok := w.ages.at(toks, i); ok {
			sc.matches = append(sc.matches, match{start: i, end: end,
				facts: []fact{{kind: factAge, age: r, soft: soft}}})
			i = end
			continue
		}
		e, end := sc.lex.longest(toks, i)
		// A code in capitals beats a one-word cue: "NO, SE and DK" lists Norway.
		if code := sc.codeEntry(toks[i]); code != nil && e != nil && end == i+1 && e.facts[0].kind == factCue {
			e = nil
		}
		if e != nil {
			m := match{start: i, end: end, facts: e.facts, need: e.need, own: e.mode}
			if e.facts[0].kind == factCue {
				m.cue = &e.facts[0].cue
			}
			sc.matches = append(sc.matches, m)
			i = end
			continue
		}
		if e := sc.codeEntry(toks[i]); e != nil {
			sc.matches = append(sc.matches, match{start: i, end: i + 1, facts: e.facts, need: e.need})
		}
		i++
	}
	for k := range sc.matches {
		m := &sc.matches[k]
		switch m.kind() {
		case factCountry, factNationality, factCity, factRegion:
		default:
			continue
		}
		if m.end >= len(toks) || toks[m.end].sep >= sepComma {
			continue
		}
		next := toks[m.end]
		switch {
		case money.IsCurrencyWord(next.s) || (w.currencySigns[next.s] && next.sep == sepNone):
			// A currency is not a market: "US$", "Hong Kong dollars", "Australian dollars".
			m.dropped = true
		case next.title && !sc.titleText && sc.matchStartingAt(m.end) < 0 && !w.fillers[next.s] &&
			!w.placeAfter[next.s] && !w.headingWords[next.s]:
			// A place name followed by a capitalised word is a name: "Paris Hilton",
			// "Sydney Sweeney", "Houston Rockets".
			m.dropped = true
		}
	}
}

// matchStartingAt returns the index of the match starting at token i, or -1. Matches
// are in token order, so the search is short.
func (sc *scan) matchStartingAt(i int) int {
	for k := len(sc.matches) - 1; k >= 0; k-- {
		if sc.matches[k].start == i {
			return k
		}
		if sc.matches[k].start < i {
			break
		}
	}
	return -1
}

// codeEntry reads an ISO code written in capitals ("DE", "UK") or an abbreviation
// written with dots ("U.S.", "L.A.").
func (sc *scan) codeEntry(t token) *audienceEntry {
	switch {
	case t.dotted:
		return sc.lex.dottedEntries[t.s]
	case t.upper && len(t.s) >= 2 && len(t.s) <= 4:
		return sc.lex.codeEntries[t.s]
	}
	return nil
}

func (sc *scan) indexMatches() {
	if cap(sc.matchAt) < len(sc.toks) {
		sc.matchAt = make([]int32, len(sc.toks))
	}
	sc.matchAt = sc.matchAt[:len(sc.toks)]
	for i := range sc.matchAt {
		sc.matchAt[i] = -1
	}
	for k, m := range sc.matches {
		for i := m.start; i < m.end; i++ {
			sc.matchAt[i] = int32(k)
		}
	}
}

// connected reports whether matches a and b (a before b) are items of one list: only
// connectors between them, and at least a comma, slash or connector word.
func (sc *scan) connected(a, b *match) bool {
	if a.end > b.start {
		return false
	}
	joined := false
	w := sc.lex.words
	for i := a.end; i < b.start; i++ {
		t := sc.toks[i]
		if t.sep == sepClause || !w.connectors[t.s] {
			return false
		}
		if w.listJoins[t.s] {
			joined = true
		}
	}
	if b.start < len(sc.toks) {
		switch sc.toks[b.start].sep {
		case sepClause:
			return false
		case sepComma, sepSlash:
			joined = true
		}
	}
	return joined
}

// acceptCued keeps a phrase that is also an ordinary word only when its context shows
// what it is; a list of accepted phrases of the same kind vouches for its members.
func (sc *scan) acceptCued() {
	pending := 0
	for k := range sc.matches {
		m := &sc.matches[k]
		if m.need == needNone || m.dropped {
			continue
		}
		if sc.cueAround(m) {
			m.need = needNone
		} else {
			pending++
		}
	}
	// Sweep forwards then backwards, so a list vouched for at either end is accepted in
	// one round whatever its length.
	for pending > 0 {
		before := pending
		for k := range sc.matches {
			pending -= sc.acceptFromNeighbour(k)
		}
		for k := len(sc.matches) - 1; k >= 0; k-- {
			pending -= sc.acceptFromNeighbour(k)
		}
		if pending == before {
			break
		}
	}
	for k := range sc.matches {
		if sc.matches[k].need != needNone {
			sc.matches[k].dropped = true
		}
	}
}

// acceptFromNeighbour accepts pending match k when a list neighbour vouches for it,
// and reports 1 if it did.
func (sc *scan) acceptFromNeighbour(k int) int {
	m := &sc.matches[k]
	if m.need == needNone || m.dropped {
		return 0
	}
	if (k > 0 && sc.vouches(&sc.matches[k-1], m, true)) ||
		(k+1 < len(sc.matches) && sc.vouches(&sc.matches[k+1], m, false)) {
		m.need = needNone
		return 1
	}
	return 0
}

// vouches reports whether accepted match o is a list neighbour of the same kind as m.
func (sc *scan) vouches(o, m *match, oFirst bool) bool {
	if o.need != needNone || o.dropped || o.cue != nil {
		return false
	}
	if !sameClass(o.kind(), m) {
		return false
	}
	if oFirst {
		return sc.connected(o, m)
	}
	return sc.connected(m, o)
}

func sameClass(k factKind, m *match) bool {
	switch m.need {
	case needPlace, needList:
		switch k {
		case factCountry, factRegion, factCity, factNationality:
			return true
		}
	case needGenre:
		return k == factGenre
	case needInterest:
		return k == factInterest || k == factGenre
	}
	return false
}

// cueAround reports whether the words right around m show that it means what the
// lexicon says.
func (sc *scan) cueAround(m *match) bool {
	toks := sc.toks
	prev, prev2, next := "", "", ""
	if m.start > 0 && toks[m.start].sep != sepClause {
		prev = toks[m.start-1].s
		if m.start > 1 && toks[m.start-1].sep != sepClause {
			prev2 = toks[m.start-2].s + " " + prev
		}
	}
	if m.end < len(toks) && toks[m.end].sep != sepClause {
		next = toks[m.end].s
	}
	switch m.need {
	case needPlace:
		w := sc.lex.words
		if w.placeArticles[prev] && m.start > 1 && toks[m.start-1].sep != sepClause {
			prev = toks[m.start-2].s
		}
		return w.placeBefore[prev] || w.placeAfter[next]
	case needGenre:
		return sc.lex.genreCuesAfter[next] || sc.lex.genreCuesBefore[prev] || sc.lex.genreCuesBefore[prev2]
	case needInterest:
		return sc.lex.interestCuesAfter[next] || sc.lex.interestCuesBefore[prev] || sc.lex.interestCuesBefore[prev2]
	}
	return false
}

// resolveNationalities reads each demonym as a market or a language. The items of a
// list share one reading ("French and German speakers" are two languages).
func (sc *scan) resolveNationalities() {
	for k := 0; k < len(sc.matches); k++ {
		if sc.matches[k].kind() != factNationality || sc.matches[k].dropped {
			continue
		}
		// The list of nationalities starting at k.
		last := k
		for last+1 < len(sc.matches) && sc.matches[last+1].kind() == factNationality &&
			!sc.matches[last+1].dropped && sc.connected(&sc.matches[last], &sc.matches[last+1]) {
			last++
		}
		language := false
		w := sc.lex.words
		first := &sc.matches[k]
		if first.start > 0 && sc.toks[first.start].sep != sepClause &&
			w.languageBefore[sc.toks[first.start-1].s] {
			language = true
		}
		end := sc.matches[last].end
		next := ""
		if end < len(sc.toks) && sc.toks[end].sep != sepClause {
			next = sc.toks[end].s
			if w.languageAfter[next] {
				language = true
			}
		}
		// "Brazilian Portuguese", "Swiss German": a nationality right before a language
		// only says which variety.
		if last+1 < len(sc.matches) {
			if n := &sc.matches[last+1]; n.kind() == factNationality && n.start == end &&
				n.facts[0].nat.Language != "" {
				for j := k; j <= last; j++ {
					sc.matches[j].dropped = true
				}
				n.facts = []fact{{kind: factLanguage, value: n.facts[0].nat.Language}}
				k = last + 1
				continue
			}
		}
		for j := k; j <= last; j++ {
			m := &sc.matches[j]
			nat := m.facts[0].nat
			asLanguage := nat.Language != "" &&
				(language || nat.Country == "" || (nat.PreferLanguage && !w.marketAfter[next]))
			switch {
			case asLanguage:
				m.facts = []fact{{kind: factLanguage, value: nat.Language}}
			case nat.Region != "":
				m.facts = []fact{{kind: factRegion, value: nat.Region, codes: []string{nat.Country}}}
			case nat.Country != "":
				m.facts = []fact{{kind: factCountry, codes: []string{nat.Country}}}
			default:
				m.dropped = true
			}
		}
		k = last
	}
}

// touches reports whether the scan read anything about the audience.
func (sc *scan) touches() bool {
	for k := range sc.matches {
		m := &sc.matches[k]
		if m.isFact() && m.kind() != factNull {
			return true
		}
	}
	return false
}

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
	for steps := 0; i >= 0 && steps < 8; steps++ {
		if sc.toks[i+1].sep == sepClause {
			return
		}
		if at := sc.matchAt[i]; at >= 0 {
			m := &sc.matches[at]
			if m.cue != nil {
				return
			}
			if m.isFact() && m.trail == modeNone {
				m.trail = mode
			}
			i = m.start - 1
			continue
		}
		if !sc.lex.words.fillers[sc.toks[i].s] {
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
				if !o.cue.leading {
					break
				}
				// "No, France": a "no" that answers is not a cue.
				if words.answers[sc.toks[o.start].s] && o.end < len(sc.toks) && sc.toks[o.end].sep >= sepComma {
					break
				}
				if o.cue.mode == modeSwapOut {
					if swap {
						return modeReplace // "change the age to 25-34"
					}
					return modeRemove
				}
				return o.cue.mode
			}
			if !o.isFact() {
				i = o.start - 1
				continue
			}
			if swap && o.lead == modeRemove && sc.swappedOut(int(at)) {
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
		case words.fillers[w]:
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
