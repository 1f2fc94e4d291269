package budget

import "github.com/adplan/adplan/agents"

// The words a reading came from (agents.Source): the tokens each rule used, turned
// into byte offsets of the message's Lower by the tokens' own offsets.

// The fields of a Source, as the Brief's JSON names them; fieldCue is a word that
// shaped the reading without setting a field by itself ("budget", "make it").
const (
	fieldAmount   = "budget.amount"
	fieldCurrency = "budget.currency"
	fieldType     = "budget.type"
	fieldCue      = ""
)

// cover records that the tokens t were read for field.
func (r *reading) cover(sc *scan, field string, t tokRange) {
	if t.empty() || t.from < 0 || t.to > len(sc.toks) {
		return
	}
	src := agents.SourceAt(field, int(sc.toks[t.from].start), int(sc.toks[t.to-1].end))
	// Words two rules read for the same field are one source ("increase it" and
	// "increase").
	for i, s := range r.sources {
		if s.Field == field && s.Span.Overlaps(src.Span) {
			r.sources[i].Span = agents.Span{Start: min(s.Span.Start, src.Span.Start), End: max(s.Span.End, src.Span.End)}
			return
		}
	}
	if r.sources == nil {
		r.sources = make([]agents.Source, 0, 4)
	}
	r.sources = append(r.sources, src)
}

// coverWords records every word of the message in one of the tables of set, which a
// rule consulted wherever it stood ("cut the budget by 20%" looks for "budget").
func (r *reading) coverWords(sc *scan, set wordSet, field string) {
	for k, t := range sc.toks {
		if t.kind == tokWord && sc.is(k, set) {
			r.cover(sc, field, one(k))
		}
	}
}

// coverMoney records the words of an amount: its number and sign, its currency,
// the words of a range, its period and the words that made it a budget. An amount
// that is not the budget (a price, the amount replaced, another one a note
// mentions) was read, but sets no field: all its words are cues.
func (r *reading) coverMoney(sc *scan, m budgetMoney, budget bool) {
	if !budget {
		r.cover(sc, fieldCue, tokRange{m.start, m.end})
	} else {
		// Group the amount's tokens by what each is: the number (with its sign,
		// multipliers and cents), the currency, or the words joining a range.
		// A range read as where the budget goes from and to ("raise it from 5k to
		// 8k") sets only its upper end.
		ranged := m.hiStart > m.start
		from, field := m.start, ""
		for k := m.start; k <= m.amountEnd; k++ {
			f := fieldAmount
			switch {
			case k == m.amountEnd:
				f = "end"
			case ranged && !m.hasMin && k < m.hiStart:
				f = fieldCue
			case m.pre.has(k) || m.post.has(k) || ranged && (m.loPre.has(k) || m.loPost.has(k)):
				f = fieldCurrency
			case ranged && k >= m.loEnd && k < m.hiStart:
				f = fieldCue
			}
			if k > from && f != field {
				r.cover(sc, field, tokRange{from, k})
				from = k
			}
			field = f
		}
	}
	// The words around it, found again as findMoney found them.
	periodAt := tokRange{m.amountEnd, m.end}
	if periodAt.empty() {
		_, at := sc.periodBefore(m.start)
		periodAt = one(at)
	}
	lifetimeAt := sc.lifetimeAround(m.start, m.end)
	kind := fieldType
	if !budget {
		kind = fieldCue
	}
	r.cover(sc, kind, periodAt)
	r.cover(sc, kind, lifetimeAt)
	if m.hiStart > m.start && m.start > 0 && (m.fromTo || sc.toks[m.start-1].text == "between") {
		r.cover(sc, fieldCue, one(m.start-1))
	}
	r.cover(sc, fieldCue, sc.cueAt(m))
	r.cover(sc, fieldCue, sc.hedgeBefore(m.start))
	r.cover(sc, fieldCue, m.correction)
	r.cover(sc, fieldCue, sc.priceAround(m.start, m.end))
	r.cover(sc, fieldCue, sc.oldBefore(m.start))
}

// verbBefore finds a verb of change before an amount that is the new budget
// ("increase it to 12k", "lower the budget to 3k", "raise it from 5k to 8k"): it says
// the amount replaces the budget rather than adds to it.
func (sc *scan) verbBefore(start int) tokRange {
	for k := start - 1; k >= 0 && k >= start-5; k-- {
		t := sc.toks[k]
		if t.kind != tokWord {
			return tokRange{}
		}
		l := sc.lex(k)
		switch {
		case l.in(bAdd | bSubtract | bUp | bDown):
			return one(k)
		case l.in(bRelationFiller | bPronoun), t.text == "to", t.text == "from":
		default:
			return tokRange{}
		}
	}
	return tokRange{}
}
