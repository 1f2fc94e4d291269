package audience

import "strings"

// Region codes and bracketed lists: "US (CA + TX)", "TX, FL, GA", "NSW & VIC" name
// regions of a country the message names; "the Nordics (SE, DK, FI)" names the
// countries meant instead of the group's default members.

// resolveStateCodes reads the codes of regions ("TX", "VIC"). A code that is no
// country's reads as the region of a country the message names (or of a region or
// city in it), or, with none named, as a region when the message lists two or more
// codes of one country ("NY, NJ and CT"). A code that is also a country's ("CA", "GA")
// reads as a region only inside brackets right after that region's country ("US (CA
// + TX)") or in a list beside another region code of it ("TX, FL, GA").
func (sc *scan) resolveStateCodes() {
	pending := false
	for k := range sc.matches {
		if sc.matches[k].stateCode {
			pending = true
			break
		}
	}
	if !pending && !sc.mayBeStateList() {
		return
	}
	named := sc.namedCountries()
	perCountry := map[string]int{}
	for k := range sc.matches {
		m := &sc.matches[k]
		if !m.stateCode {
			continue
		}
		for _, f := range sc.lex.subdivisionCodes[sc.toks[m.start].s] {
			if named[f.codes[0]] {
				m.facts = []fact{f}
				break
			}
			perCountry[f.codes[0]]++
		}
	}
	for k := range sc.matches {
		m := &sc.matches[k]
		if !m.stateCode || len(m.facts) > 0 {
			continue
		}
		for _, f := range sc.lex.subdivisionCodes[sc.toks[m.start].s] {
			if perCountry[f.codes[0]] >= 2 {
				m.facts = []fact{f}
				named[f.codes[0]] = true // "MA, NH and VT": MA is a state beside them
				break
			}
		}
		if len(m.facts) == 0 {
			m.dropped = true
		}
	}
	// Codes that are also countries' ("CA", "GA"), in brackets after the country or
	// beside its region codes; each one read can vouch for the next.
	for changed := true; changed; {
		changed = false
		for k := range sc.matches {
			if f, ok := sc.countryCodeAsRegion(k, named); ok {
				m := &sc.matches[k]
				m.facts, m.need, m.stateCode = []fact{f}, needNone, true
				changed = true
			}
		}
	}
}

// mayBeStateList reports whether a country code of the message could be a region's:
// only then does resolveStateCodes look at country codes without region codes beside.
func (sc *scan) mayBeStateList() bool {
	for k := range sc.matches {
		m := &sc.matches[k]
		if m.end == m.start+1 && sc.toks[m.start].upper && m.kind() == factCountry &&
			len(sc.lex.subdivisionCodes[sc.toks[m.start].s]) > 0 {
			return true
		}
	}
	return false
}

// namedCountries are the countries the message names, on their own or through a
// region or city.
func (sc *scan) namedCountries() map[string]bool {
	named := map[string]bool{}
	for k := range sc.matches {
		m := &sc.matches[k]
		if m.dropped || len(m.facts) == 0 {
			continue
		}
		switch f := m.facts[0]; f.kind {
		case factCountry, factRegion, factCity:
			if len(f.codes) == 1 {
				named[f.codes[0]] = true
			}
		}
	}
	return named
}

// countryCodeAsRegion reports whether match k, a country's code, names a region of a
// country the message names instead, and which.
func (sc *scan) countryCodeAsRegion(k int, named map[string]bool) (fact, bool) {
	m := &sc.matches[k]
	if m.stateCode || m.dropped || m.end != m.start+1 || !sc.toks[m.start].upper || m.kind() != factCountry {
		return fact{}, false
	}
	own := m.facts[0].codes[0]
	for _, f := range sc.lex.subdivisionCodes[sc.toks[m.start].s] {
		c := f.codes[0]
		if c == own || !named[c] {
			continue
		}
		if sc.inBracketAfter(k, c) {
			return f, true
		}
		for _, j := range []int{k - 1, k + 1} {
			if j < 0 || j >= len(sc.matches) {
				continue
			}
			o := &sc.matches[j]
			if !o.stateCode || len(o.facts) == 0 || o.facts[0].codes[0] != c {
				continue
			}
			if (j < k && sc.listed(o, m)) || (j > k && sc.listed(m, o)) {
				return f, true
			}
		}
	}
	return fact{}, false
}

// listed reports whether a and b (a first) are neighbours in a list: only list joins
// and articles between them, in one clause.
func (sc *scan) listed(a, b *match) bool {
	if a.end > b.start || sc.toks[b.start].sep == sepClause {
		return false
	}
	for i := a.end; i < b.start; i++ {
		if sc.toks[i].sep == sepClause || !sc.lex.words.connectors[sc.toks[i].s] {
			return false
		}
	}
	return true
}

// inBracketAfter reports whether match k lies inside brackets opened right after a
// phrase naming country c alone: "US (CA + TX)".
func (sc *scan) inBracketAfter(k int, c string) bool {
	for j := k - 1; j >= 0; j-- {
		o := &sc.matches[j]
		if o.dropped || len(o.facts) == 0 {
			continue
		}
		open, ok := sc.bracketAfter(o)
		if !ok {
			if o.stateCode || o.kind() == factCountry {
				continue // an earlier item of the same list
			}
			return false
		}
		f := o.facts[0]
		return f.kind == factCountry && len(f.codes) == 1 && f.codes[0] == c && sc.closesAfter(open, sc.matches[k].start)
	}
	return false
}

// bracketAfter reports whether a bracket or colon opens right after match o, and the
// token after it.
func (sc *scan) bracketAfter(o *match) (int, bool) {
	if o.end >= len(sc.toks) {
		return 0, false
	}
	gap := sc.gap(o.end)
	return o.end, strings.ContainsAny(gap, "(:[")
}

// closesAfter reports whether the bracket opened before token open is still open
// at token i: no closing bracket and no other clause in between.
func (sc *scan) closesAfter(open, i int) bool {
	for t := open + 1; t <= i && t < len(sc.toks); t++ {
		if strings.ContainsAny(sc.gap(t), ")]") || (sc.toks[t].sep == sepClause && !strings.Contains(sc.gap(t), ":")) {
			return false
		}
	}
	return true
}

// gap is the text between token i-1 and token i.
func (sc *scan) gap(i int) string {
	if i <= 0 || i >= len(sc.toks) {
		return ""
	}
	lo, hi := sc.toks[i-1].end, sc.toks[i].start
	if lo > hi || hi > len(sc.lower) {
		return ""
	}
	return sc.lower[lo:hi]
}

// narrowGroups reads a market group followed by the list of its members meant, in
// brackets or after a colon ("the Nordics (SE, DK, FI)", "the Gulf: UAE + Qatar"), as
// those members only: the group is read, but its default members are not applied.
// An area too broad to be a market ("Europe (DE, FR)") gives way to its list too.
func (sc *scan) narrowGroups() {
	for k := range sc.matches {
		g := &sc.matches[k]
		if !g.isFact() || !(g.kind() == factBroad || (g.kind() == factCountry && len(g.facts[0].codes) > 1)) {
			continue
		}
		open, ok := sc.bracketAfter(g)
		if !ok {
			continue
		}
		members := 0
		for j := k + 1; j < len(sc.matches); j++ {
			m := &sc.matches[j]
			if m.start > open && !sc.closesAfter(open, m.start) {
				break
			}
			if !m.isFact() {
				continue
			}
			switch m.kind() {
			case factCountry, factRegion, factCity:
			default:
				continue
			}
			if sc.removes(j) {
				continue // "(NO/SE/DK/FI, no Iceland)"
			}
			if g.kind() == factCountry && !within(m.facts[0].codes, g.facts[0].codes) {
				members = -1
				break
			}
			members++
		}
		if members > 0 {
			g.corrected = true
		}
	}
}

// removes reports whether a removal cue leads match j ("no Iceland").
func (sc *scan) removes(j int) bool {
	for k := j - 1; k >= 0 && k >= j-2; k-- {
		if c := sc.matches[k].cue; c != nil {
			return c.mode == modeRemove && c.leading && sc.matches[k].end >= sc.matches[j].start-1
		}
	}
	return false
}

func within(codes, group []string) bool {
	for _, c := range codes {
		found := false
		for _, g := range group {
			found = found || g == c
		}
		if !found {
			return false
		}
	}
	return len(codes) > 0
}
