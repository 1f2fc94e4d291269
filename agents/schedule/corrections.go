package schedule

// Self-corrections inside one message: "start March 1, scratch that, March 15",
// "Jan 5 - Feb 5, sorry I meant Feb 5 - Mar 5", "4 weeks - make that 5 weeks",
// "starting Jan 11 (not Jan 4 as I said earlier)". The words that take something back
// are in data/revisions.json (corrections, negations).

// applyCorrections drops the dates and lengths a message takes back: those right after
// a negation ("not Jan 4"), and those of a kind (dates, lengths) that a correction
// phrase is followed by. A date that replaces one keeps its role ("start March 1,
// scratch that, March 15" starts on the 15th) and, when it has none, its year ("March
// 2028... no wait, April").
func (s *scheduleScanner) applyCorrections() {
	for k := range s.mentions {
		m := &s.mentions[k]
		if m.kind != dateMention {
			continue
		}
		from := m.from
		if s.word(from-1) == "the" {
			from--
		}
		if at, ok := s.phraseBefore(from, func(l *lexeme) []phrase[bool] { return l.negations }); ok {
			s.takeBack(m)
			s.cover(fieldCue, at)
		}
	}
	floor := 0 // mentions before floor were settled by an earlier correction
	for c := 0; c < len(s.tokens); c++ {
		ps := s.lex(c).corrections
		if len(ps) == 0 {
			continue
		}
		_, next, ok := matchPhrase(ps, s.word, c)
		if !ok {
			continue
		}
		// "sorry, I meant", "no wait, actually": one correction.
		for {
			k := next
			if s.word(k) == "," {
				k++
			}
			more := s.lex(k).corrections
			if len(more) == 0 {
				break
			}
			_, n, ok := matchPhrase(more, s.word, k)
			if !ok {
				break
			}
			next = n
		}
		first := len(s.mentions) // the first mention after the phrase
		for k := range s.mentions {
			if s.mentions[k].from >= next {
				first = k
				break
			}
		}
		used := false
		for _, kind := range []mentionKind{dateMention, durationMention} {
			later := -1
			for k := first; k < len(s.mentions); k++ {
				if s.mentions[k].kind == kind {
					later = k
					break
				}
			}
			if later < 0 {
				continue
			}
			var replaced *mention
			for k := floor; k < first; k++ {
				if e := &s.mentions[k]; e.kind == kind && e.to <= c {
					if replaced == nil {
						copied := *e
						replaced = &copied
					}
					s.takeBack(e)
				}
			}
			if replaced == nil {
				continue
			}
			used = true
			if l := &s.mentions[later]; kind == dateMention && l.role == noRole && !l.ranged {
				l.role, l.connector, l.connectorAt = replaced.role, replaced.connector, replaced.connectorAt
				if l.spec.year == 0 && l.spec.kind == replaced.spec.kind {
					l.spec.year = replaced.spec.year
				}
			}
		}
		if used {
			s.cover(fieldCue, tokRange{c, next})
			floor = first
		}
		c = next - 1
	}
}

// takeBack turns a mention into words read and set aside.
func (s *scheduleScanner) takeBack(m *mention) {
	m.kind, m.noted, m.role = unreadMention, true, noRole
}

// phraseBefore finds a phrase of list ending right before token from.
func (s *scheduleScanner) phraseBefore(from int, list func(*lexeme) []phrase[bool]) (tokRange, bool) {
	for start := from - 1; start >= 0 && start >= from-3; start-- {
		if ps := list(s.lex(start)); len(ps) > 0 {
			if _, n, ok := matchPhrase(ps, s.word, start); ok && n == from {
				return tokRange{start, n}, true
			}
		}
	}
	return tokRange{}, false
}
