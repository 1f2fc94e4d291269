package budget

import (
	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// Revisions of a budget that name no new amount: "double it", "cut it by 25%",
// "in dollars instead", "make it daily", "cheaper".

func (sc *scan) hasWordIn(set wordSet) bool {
	for i, t := range sc.toks {
		if t.kind == tokWord && sc.is(i, set) {
			// "cost per click" is a price, not the budget.
			if (t.text == "cost" || t.text == "costs") && i+1 < len(sc.toks) && sc.toks[i+1].text == "per" {
				continue
			}
			return true
		}
	}
	return false
}

// formatShare reports whether the message caps a format's share ("keep video under
// 20% of the budget"), which is the goal's to read.
func (sc *scan) formatShare() bool {
	if !sc.hasWordIn(bFormat) {
		return false
	}
	for k := range sc.toks {
		if sc.is(k, bShare) {
			return true
		}
	}
	return false
}

// scaling is a change of the budget by a factor: "double the budget", "cut it in
// half". op are the words that give the factor ("double", "2x", "in half") and object
// those that make it the budget's ("the budget", "it", "cut ... it").
type scaling struct {
	factor     float64
	word       string
	op, object tokRange
}

// scaleOp finds "double the budget", "halve it", "cut it in half", "twice as much",
// "2x the budget".
func (sc *scan) scaleOp() (scaling, bool) {
	toks := sc.toks
	for k, t := range toks {
		var f float64
		word := ""
		object := k
		switch {
		case t.kind == tokWord:
			if l := sc.lex(k); l.in(bScaleVerb) {
				f, word = l.scale.factor, l.scale.name
				break
			}
			switch t.text {
			case "half":
				if sc.inMoney(k) || k+1 < len(toks) && (toks[k+1].text == "a" || toks[k+1].text == "an") {
					continue // "half a million euros" is an amount
				}
				if k > 0 && (toks[k-1].text == "in" || toks[k-1].text == "by") {
					if obj, ok := sc.objectBefore(k - 1); ok {
						return scaling{0.5, "halve", tokRange{k - 1, k + 1}, obj}, true
					}
					continue
				}
				if obj, ok := sc.objectAfter(k, false); ok {
					return scaling{0.5, "halve", one(k), obj}, true
				}
				continue
			default:
				continue
			}
		case t.kind == tokNum && t.numOK && t.value > 1 && t.value <= 10 &&
			k+1 < len(toks) && toks[k+1].glued && toks[k+1].text == "x":
			f, word, object = t.value, "multiply", k+1
		default:
			continue
		}
		if sc.inMoney(k) {
			continue
		}
		if obj, ok := sc.objectAfter(object, true); ok {
			return scaling{f, word, tokRange{k, object + 1}, obj}, true
		}
	}
	return scaling{}, false
}

// objectAfter reports whether the words after token k make it the budget's: "the
// budget", "it", "as much", or (allowEnd) nothing at all ("double!"). It returns the
// words up to the one that decided.
func (sc *scan) objectAfter(k int, allowEnd bool) (tokRange, bool) {
	toks := sc.toks
	last := -1 // the last pronoun
	object := func() tokRange {
		if last < 0 {
			return tokRange{}
		}
		return tokRange{k + 1, last + 1}
	}
	for j := k + 1; j < len(toks) && j <= k+4; j++ {
		t := toks[j]
		if t.kind == tokPunct {
			if sc.phraseEndAt(j) {
				return object(), last >= 0 || (allowEnd && j == k+1)
			}
			continue
		}
		if t.kind != tokWord {
			return object(), last >= 0
		}
		l := sc.lex(j)
		if l.in(bBudgetNoun) || t.text == "much" {
			return tokRange{k + 1, j + 1}, true
		}
		if l.in(bOtherNoun) {
			return tokRange{}, false
		}
		if l.in(bPronoun) {
			last = j
			continue
		}
		if !l.in(bObjectFiller) {
			return object(), last >= 0
		}
	}
	return object(), last >= 0 || (allowEnd && k+1 >= len(toks))
}

// objectBefore reports whether what is cut "in half" is the budget: "cut it in half",
// "cut the budget in half", not "cut the flight in half". It returns the words from
// the verb or the object to k.
func (sc *scan) objectBefore(k int) (tokRange, bool) {
	pronoun := -1
	for j := k - 1; j >= 0 && j >= k-5; j-- {
		l := sc.lex(j)
		if l.in(bBudgetNoun) {
			return tokRange{sc.halvingVerbFrom(j, k), k}, true
		}
		if l.in(bOtherNoun | bFormat) {
			return tokRange{}, false
		}
		if l.in(bPronoun) {
			pronoun = j
		}
		if l.in(bHalvingVerb) {
			return tokRange{j, k}, true
		}
	}
	if pronoun < 0 {
		return tokRange{}, false
	}
	return tokRange{sc.halvingVerbFrom(pronoun, k), k}, true
}

// halvingVerbFrom is where the words cut "in half" start: the halving verb shortly
// before token j ("cut the budget in half"), else j.
func (sc *scan) halvingVerbFrom(j, k int) int {
	for i := j - 1; i >= 0 && i >= k-5; i-- {
		if sc.is(i, bHalvingVerb) {
			return i
		}
		if sc.toks[i].kind == tokPunct && sc.phraseEndAt(i) {
			break
		}
	}
	return j
}

// percentage is a change of the budget by a share: share the words of the share
// ("+10%", "25 per cent") and cue those that give its direction ("cut", "less", "to").
type percentage struct {
	factor     float64
	share, cue tokRange
}

// percentOp finds a change by a share: "cut the budget by 25%" (×0.75), "increase
// it by 10%", "+10%", "20% less", and "cut it to 80%" (×0.8).
func (sc *scan) percentOp() (percentage, bool) {
	for k, t := range sc.toks {
		if t.kind != tokNum || !t.numOK || k+1 >= len(sc.toks) {
			continue
		}
		if end := sc.percentEnd(k); end > 0 {
			return sc.percentChange(k, end)
		}
	}
	return percentage{}, false
}

// percentEnd is where a share written with the number at k ends ("20%", "20 per
// cent"), or 0 when the number is no share.
func (sc *scan) percentEnd(k int) int {
	toks := sc.toks
	switch {
	case sc.is(k+1, bPercent):
		return k + 2
	case toks[k+1].text == "per":
		if k+2 < len(toks) && toks[k+2].text == "cent" {
			return k + 3
		}
	}
	return 0
}

// percentChange reads the share at token k (ending at end) as a factor on the
// budget, when the message says the budget changes by it.
func (sc *scan) percentChange(k, end int) (percentage, bool) {
	toks := sc.toks
	t := toks[k]
	signed := k > 0 && t.glued && (toks[k-1].text == "+" || toks[k-1].text == "-")
	noun := sc.hasWordIn(bBudgetNoun)
	if !noun && (sc.formatShare() || sc.hasWordIn(bOtherNoun)) {
		return percentage{}, false
	}
	// With no budget word, no "it" and no sign, only "10% more" or "20% less" says
	// what changes.
	// A verb of change right before "by" says it too: "cut by 20%".
	byVerb := k >= 2 && toks[k-1].text == "by" && sc.is(k-2, bAdd|bUp|bSubtract|bDown)
	weak := !noun && !signed && !byVerb && !sc.hasPronoun()
	if noun && sc.formatShare() && !sc.budgetNounNear(k) {
		return percentage{}, false
	}
	p := t.value / 100
	if k > 0 && toks[k-1].text == "to" {
		return percentage{p, tokRange{k, end}, one(k - 1)}, true
	}
	dir, at := sc.percentDirection(k, end)
	if weak && dir == 0 {
		return percentage{}, false
	}
	for j := k - 1; dir == 0 && j >= 0 && j >= k-6; j-- {
		switch l := sc.lex(j); {
		case l.in(bAdd | bUp):
			dir, at = 1, one(j)
		case l.in(bSubtract | bDown):
			dir, at = -1, one(j)
		}
	}
	if dir == 0 {
		return percentage{}, false
	}
	share := tokRange{k, end}
	if at.from == k-1 && toks[k-1].kind == tokPunct { // the sign is written onto the number
		share.from, at = k-1, tokRange{}
	}
	return percentage{1 + float64(dir)*p, share, at}, true
}

// percentDirection is the way a share goes by what is written onto it: a sign
// ("+10%", but not the range "10-20%") or a word after it ("20% less"); 0 when
// neither. It returns the sign or word too.
func (sc *scan) percentDirection(k, end int) (int, tokRange) {
	toks := sc.toks
	if k > 0 && toks[k].glued && (k < 2 || !toks[k-1].glued || toks[k-2].kind != tokNum) {
		switch toks[k-1].text {
		case "+":
			return 1, one(k - 1)
		case "-":
			return -1, one(k - 1)
		}
	}
	if end < len(toks) {
		switch l := sc.lex(end); {
		case l.in(bUp):
			return 1, one(end)
		case l.in(bDown), toks[end].text == "off":
			return -1, one(end)
		}
	}
	return 0, tokRange{}
}

// budgetNounNear reports whether a budget noun stands within a few words of token k.
func (sc *scan) budgetNounNear(k int) bool {
	for j := max(0, k-4); j < min(len(sc.toks), k+5); j++ {
		if sc.is(j, bBudgetNoun) {
			return true
		}
	}
	return false
}

func (sc *scan) hasPronoun() bool {
	for k := range sc.toks {
		if sc.is(k, bPronoun) {
			return true
		}
	}
	return false
}

// vagueChange finds a change of the budget with no size: "cheaper", "more money",
// "spend less", "cut the spend". It returns the direction.
func (sc *scan) vagueChange() (int, bool) {
	if sc.formatShare() {
		return 0, false
	}
	up, down, noun := false, false, sc.hasWordIn(bBudgetNoun)
	for k, t := range sc.toks {
		if t.kind != tokWord {
			continue
		}
		l := sc.lex(k)
		if l.in(bPriceComparative) {
			noun = true
			down = down || l.priceComparative < 0
		}
		up = up || l.in(bUp|bAdd)
		down = down || l.in(bDown|bSubtract)
	}
	if !noun || !(up || down) {
		return 0, false
	}
	if down {
		return -1, true
	}
	return 1, true
}

// currencyName is a currency named on its own, the words that name it (at) and
// those that ask for it (cue: "switch to", "currency"; after: "instead").
type currencyName struct {
	cur            money.Currency
	at, cue, after tokRange
}

// currencySwitch finds a currency named on its own, not beside an amount: "in dollars
// instead", "switch to GBP", "5,000, in euros". With needCue it must come with words
// that ask for it ("in", "to", "switch", "instead").
func (sc *scan) currencySwitch(needCue bool) (currencyName, bool) {
	toks := sc.toks
	var found currencyName
	ok := false
	for k := 0; k < len(toks); k++ {
		sp := sc.spans[k]
		if sp.n == 0 {
			continue
		}
		if sp.attachedOnly || sc.inMoney(k) || (k > 0 && toks[k-1].text == "from") {
			k += sp.n - 1
			continue
		}
		cue, after := sc.currencyCueAt(k, sp.n)
		if needCue && cue.empty() && after.empty() {
			k += sp.n - 1
			continue
		}
		found, ok = currencyName{sp.cur, tokRange{k, k + sp.n}, cue, after}, true
		k += sp.n - 1
	}
	return found, ok
}

// currencyCueAt finds the words that ask for the currency named at [k, k+n): before
// it ("switch to", or the word "currency" anywhere) and after it ("instead"); none
// when there are none.
func (sc *scan) currencyCueAt(k, n int) (before, after tokRange) {
	switch {
	case sc.is(k-1, bCurrencyCueBefore) && sc.is(k-2, bCurrencyCueBefore):
		before = tokRange{k - 2, k} // "switch to"
	case sc.is(k-1, bCurrencyCueBefore):
		before = one(k - 1)
	default:
		before = one(sc.currencyWord)
	}
	if sc.is(k+n, bCurrencyCueAfter) {
		after = one(k + n)
	}
	return before, after
}

// typeSwitch finds a change between daily and lifetime budgets with no amount: "make
// it daily", "daily budget instead", "a lifetime budget". at are the words that name
// the type ("daily", "per day", "total").
func (sc *scan) typeSwitch() (kind string, at tokRange, ok bool) {
	toks := sc.toks
	cue := false
	for k, t := range toks {
		switch t.text {
		case "daily":
			kind, at = agents.BudgetDaily, one(k)
		case "day":
			if sc.is(k-1, bDayRate) {
				kind, at = agents.BudgetDaily, tokRange{k - 1, k + 1}
			}
		case "lifetime":
			kind, at = agents.BudgetLifetime, one(k)
		case "total":
			if sc.is(k+1, bBudgetNoun) {
				kind, at = agents.BudgetLifetime, one(k)
			}
		default:
			cue = cue || sc.is(k, bTypeCue)
		}
	}
	return kind, at, kind != "" && cue
}
