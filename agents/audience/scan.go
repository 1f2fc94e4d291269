package audience

import (
	"fmt"
	"slices"
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
	// stateCode marks a region's code ("TX") not yet tied to a country.
	stateCode bool
	// corrected marks a phrase a self-correction later in the message took back
	// ("18-24" in "18-24... wait, 25-34"): read, but not applied.
	corrected bool
	// lead is the mode of a cue before the phrase, trail of one after it.
	lead, trail audienceMode
}

func (m *match) isFact() bool {
	return m.cue == nil && !m.dropped && !m.corrected && len(m.facts) > 0
}

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
	// cueRuns are the tokens [lo, hi) of the cues that governed a phrase, with the
	// fillers they reached across, for the reading's sources.
	cueRuns [][2]int
	// lower is the text the tokens were read from, for the brackets between them.
	lower string
	// typoNotes say which misspelt words were read as what ("Read 'germnay' as Germany.").
	typoNotes []string
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
	sc.lower = lower
	sc.toks = tokenizeText(lower, sc.toks[:0], lex.words.abbreviations)
	sc.titleText = false
	sc.markUpper(m.Text)
	sc.matches = sc.matches[:0]
	sc.cueRuns = sc.cueRuns[:0]
	sc.typoNotes = sc.typoNotes[:0]
	sc.correctTypos()
	sc.findMatches()
	sc.dropForeignCues()
	sc.resolveStateCodes()
	sc.indexMatches()
	sc.acceptCued()
	sc.resolveNationalities()
	sc.narrowGroups()
	return sc
}

func (sc *scan) release() {
	if cap(sc.toks) > 4096 || cap(sc.upper) > 4096 || cap(sc.matches) > 1024 || cap(sc.cueRuns) > 1024 {
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
	sc.lower = ""
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
	sc.upper = tokenizeText(text, sc.upper[:0], sc.lex.words.abbreviations)
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
		sc.toks[i].capital = unicode.IsUpper(first)
		sc.toks[i].title = letters >= 2 && uppers == 1 && unicode.IsUpper(first)
		if letters >= 2 {
			words++
			if sc.toks[i].title {
				titles++
			}
		}
	}
}

// findMatches reads the phrases: at each token an age range, else the longest
// phrase of the lexicon, else an ISO code.
func (sc *scan) findMatches() {
	toks := sc.toks
	ages := sc.lex.words.ages
	for i := 0; i < len(toks); {
		if r, g, end, ok := ages.demoAt(toks, i); ok {
			sc.matches = append(sc.matches, match{start: i, end: end, facts: demoFacts(r, g)})
			i = end
			continue
		}
		if r, end, soft, ok := ages.at(toks, i); ok {
			facts := []fact{{kind: factAge, age: r, soft: soft}}
			if g, demo := ages.demoAfter(toks, end); demo && !soft {
				facts, end = demoFacts(r, g), end+1
			}
			sc.matches = append(sc.matches, match{start: i, end: end, facts: facts})
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
		} else if toks[i].upper && len(sc.lex.subdivisionCodes[toks[i].s]) > 0 {
			// "TX": a region's code, read once the message shows whose (resolveStateCodes).
			sc.matches = append(sc.matches, match{start: i, end: i + 1, stateCode: true})
		}
		i++
	}
	sc.dropNonPlaces()
}

// correctTypos reads a misspelt country or gender word as the word it misspells
// ("germnay", "womne"): only a word that starts no phrase of the lexicon is looked up,
// and each reading gets a note, so it is never silent.
func (sc *scan) correctTypos() {
	minLetters := sc.lex.words.typoMinLetters
	for i := range sc.toks {
		t := &sc.toks[i]
		if len(t.s) < minLetters || sc.lex.root.next[t.s] != nil {
			continue
		}
		if k, ok := sc.lex.typos.Correct(t.s); ok {
			sc.typoNotes = append(sc.typoNotes, fmt.Sprintf("Read %q as %s.", sc.lower[t.start:t.end], sc.lex.typoNames[k]))
			t.s = k
		}
	}
}

// words returns the text of tokens [lo, hi) as the message wrote them, lower-cased.
func (sc *scan) words(lo, hi int) string {
	if lo >= hi || hi > len(sc.toks) || sc.toks[hi-1].end > len(sc.lower) {
		return ""
	}
	return sc.lower[sc.toks[lo].start:sc.toks[hi-1].end]
}

// dropForeignCues drops cue words that, in the language the message is written in,
// are other words: Portuguese "no Brasil" is "in Brazil".
func (sc *scan) dropForeignCues() {
	lang, detected := "", false
	for k := range sc.matches {
		m := &sc.matches[k]
		if m.cue == nil || m.end != m.start+1 {
			continue
		}
		langs, ok := sc.lex.words.foreignCues[sc.toks[m.start].s]
		if !ok {
			continue
		}
		if !detected {
			lang, detected = agents.DetectLanguage(sc.lower), true
		}
		if slices.Contains(langs, lang) {
			m.cue, m.dropped = nil, true
		}
	}
}

// demoFacts are the facts of a buying demo: its ages and its gender. A demo of every
// gender ("A25-54", "P18-49") lifts a gender restriction on a follow-up; a first
// brief has none to lift, and a gender named beside it ("A25-54 women") stands.
func demoFacts(r agents.AgeRange, gender string) []fact {
	facts := []fact{{kind: factAge, age: r}, {kind: factGender, value: gender}}
	if gender == "" {
		facts[1] = fact{kind: factClear, field: fieldGenders, followUpOnly: true}
	}
	return facts
}

// dropNonPlaces drops places that the word after them shows are something else: a
// currency or a name.
func (sc *scan) dropNonPlaces() {
	toks := sc.toks
	w := sc.lex.words
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
		case m.end == m.start+1 && toks[m.start].upper && w.codesBeforeNumbers[toks[m.start].s] &&
			next.sep == sepSpace && next.s[0] >= '0' && next.s[0] <= '9':
			// "KW 10-13": the German calendar week, not Kuwait.
			m.dropped = true
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
