package audience

// Context: a phrase that is also an ordinary word counts only when the words around
// it, or a list it sits in, vouch for it; a nationality reads as a market or a
// language by the words around it.

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
	case needList:
		return sc.editedCode(m)
	}
	return false
}

// editedCode reports whether m, a code in capitals that is also a word ("IT", "IN"),
// is what a cue right before it adds, removes or swaps ("swap IT for ES", "drop IN"),
// or what a swap brings in ("swap ES for IT"): a follow-up edits markets by code. A
// word going on after it makes it that word ("add IT support").
func (sc *scan) editedCode(m *match) bool {
	if m.end != m.start+1 || !sc.toks[m.start].upper || m.start == 0 || sc.toks[m.start].sep >= sepComma {
		return false
	}
	w := sc.lex.words
	if n := m.end; n < len(sc.toks) && sc.toks[n].sep < sepComma && !w.swapWords[sc.toks[n].s] &&
		!w.connectors[sc.toks[n].s] && sc.matchStartingAt(n) < 0 {
		return false // "add IT support": a word goes on after it
	}
	prev := sc.toks[m.start-1].s
	for k := range sc.matches {
		c := &sc.matches[k]
		if c.cue == nil || c.end != m.start {
			continue
		}
		switch c.cue.mode {
		case modeAdd, modeRemove, modeSwapOut:
			return c.cue.leading
		}
	}
	if !w.swapWords[prev] || m.start < 2 {
		return false
	}
	// "swap ES for IT": the code before the swap word is one the swap takes out.
	for k := range sc.matches {
		o := &sc.matches[k]
		if o.end == m.start-1 && o.isFact() && o.kind() == factCountry && sc.swappedOut(k) {
			return true
		}
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
		last := k
		for last+1 < len(sc.matches) && sc.matches[last+1].kind() == factNationality &&
			!sc.matches[last+1].dropped && sc.connected(&sc.matches[last], &sc.matches[last+1]) {
			last++
		}
		if sc.namesVariety(k, last) {
			k = last + 1
			continue
		}
		language, next := sc.languageCued(k, last)
		for j := k; j <= last; j++ {
			sc.readNationality(&sc.matches[j], language, next)
		}
		k = last
	}
}

// namesVariety reads "Brazilian Portuguese", "Swiss German": nationalities k..last
// right before a language only say which variety, and are dropped.
func (sc *scan) namesVariety(k, last int) bool {
	if last+1 >= len(sc.matches) {
		return false
	}
	n := &sc.matches[last+1]
	if n.kind() != factNationality || n.start != sc.matches[last].end || n.facts[0].nat.Language == "" {
		return false
	}
	for j := k; j <= last; j++ {
		sc.matches[j].dropped = true
	}
	n.facts = []fact{{kind: factLanguage, value: n.facts[0].nat.Language}}
	return true
}

// languageCued reports whether the words around the list of nationalities k..last
// make them languages ("in Spanish", "German speakers"), and gives the word after
// the list.
func (sc *scan) languageCued(k, last int) (language bool, next string) {
	w := sc.lex.words
	first := &sc.matches[k]
	if first.start > 0 && sc.toks[first.start].sep != sepClause &&
		w.languageBefore[sc.toks[first.start-1].s] {
		language = true
	}
	if end := sc.matches[last].end; end < len(sc.toks) && sc.toks[end].sep != sepClause {
		next = sc.toks[end].s
		if w.languageAfter[next] {
			language = true
		}
	}
	return language, next
}

// readNationality makes a demonym a language, a region or a country.
func (sc *scan) readNationality(m *match, language bool, next string) {
	nat := m.facts[0].nat
	asLanguage := nat.Language != "" &&
		(language || nat.Country == "" || (nat.PreferLanguage && !sc.lex.words.marketAfter[next]))
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
