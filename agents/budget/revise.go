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

// scaleOp finds "double the budget", "halve it", "cut it in half", "twice as much",
// "2x the budget".
func (sc *scan) scaleOp() (float64, string, bool) {
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
					if sc.objectBefore(k - 1) {
						return 0.5, "halve", true
					}
					continue
				}
				if sc.objectAfter(k, false) {
					return 0.5, "halve", true
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
		if sc.objectAfter(object, true) {
			return f, word, true
		}
	}
	return 0, "", false
}

// objectAfter reports whether the words after token k make it the budget's: "the
// budget", "it", "as much", or (allowEnd) nothing at all ("double!").
func (sc *scan) objectAfter(k int, allowEnd bool) bool {
	toks := sc.toks
	pronoun := false
	for j := k + 1; j < len(toks) && j <= k+4; j++ {
		t := toks[j]
		if t.kind == tokPunct {
			if sc.phraseEndAt(j) {
				return pronoun || (allowEnd && j == k+1)
			}
			continue
		}
		if t.kind != tokWord {
			return pronoun
		}
		l := sc.lex(j)
		if l.in(bBudgetNoun) || t.text == "much" {
			return true
		}
		if l.in(bOtherNoun) {
			return false
		}
		if l.in(bPronoun) {
			pronoun = true
			continue
		}
		if !l.in(bObjectFiller) {
			return pronoun
		}
	}
	return pronoun || (allowEnd && k+1 >= len(toks))
}

// objectBefore reports whether what is cut "in half" is the budget: "cut it in half",
// "cut the budget in half", not "cut the flight in half".
func (sc *scan) objectBefore(k int) bool {
	pronoun := false
	for j := k - 1; j >= 0 && j >= k-5; j-- {
		l := sc.lex(j)
		if l.in(bBudgetNoun) {
			return true
		}
		if l.in(bOtherNoun | bFormat) {
			return false
		}
		if l.in(bPronoun) {
			pronoun = true
		}
		if l.in(bHalvingVerb) {
			return true
		}
	}
	return pronoun
}

// percentOp finds a change by a share: "cut the budget by 25%" (×0.75), "increase
// it by 10%", "+10%", "20% less", and "cut it to 80%" (×0.8).
func (sc *scan) percentOp() (float64, bool) {
	for k, t := range sc.toks {
		if t.kind != tokNum || !t.numOK || k+1 >= len(sc.toks) {
			continue
		}
		if end := sc.percentEnd(k); end > 0 {
			return sc.percentChange(k, end)
		}
	}
	return 0, false
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
func (sc *scan) percentChange(k, end int) (float64, bool) {
	toks := sc.toks
	t := toks[k]
	signed := k > 0 && t.glued && (toks[k-1].text == "+" || toks[k-1].text == "-")
	noun := sc.hasWordIn(bBudgetNoun)
	if !noun && (sc.formatShare() || sc.hasWordIn(bOtherNoun)) {
		return 0, false
	}
	// With no budget word, no "it" and no sign, only "10% more" or "20% less" says
	// what changes.
	weak := !noun && !signed && !sc.hasPronoun()
	if noun && sc.formatShare() && !sc.budgetNounNear(k) {
		return 0, false
	}
	p := t.value / 100
	if k > 0 && toks[k-1].text == "to" {
		return p, true
	}
	dir := sc.percentDirection(k, end)
	if weak && dir == 0 {
		return 0, false
	}
	for j := k - 1; dir == 0 && j >= 0 && j >= k-6; j-- {
		switch l := sc.lex(j); {
		case l.in(bAdd | bUp):
			dir = 1
		case l.in(bSubtract | bDown):
			dir = -1
		}
	}
	if dir == 0 {
		return 0, false
	}
	return 1 + float64(dir)*p, true
}

// percentDirection is the way a share goes by what is written onto it: a sign
// ("+10%", but not the range "10-20%") or a word after it ("20% less"); 0 when neither.
func (sc *scan) percentDirection(k, end int) int {
	toks := sc.toks
	if k > 0 && toks[k].glued && (k < 2 || !toks[k-1].glued || toks[k-2].kind != tokNum) {
		switch toks[k-1].text {
		case "+":
			return 1
		case "-":
			return -1
		}
	}
	if end < len(toks) {
		switch l := sc.lex(end); {
		case l.in(bUp):
			return 1
		case l.in(bDown), toks[end].text == "off":
			return -1
		}
	}
	return 0
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

// currencySwitch finds a currency named on its own, not beside an amount: "in dollars
// instead", "switch to GBP", "5,000, in euros". With needCue it must come with words
// that ask for it ("in", "to", "switch", "instead").
func (sc *scan) currencySwitch(needCue bool) (money.Currency, bool) {
	toks := sc.toks
	var found money.Currency
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
		if needCue && !sc.currencyCueAt(k, sp.n) {
			k += sp.n - 1
			continue
		}
		found, ok = sp.cur, true
		k += sp.n - 1
	}
	return found, ok
}

func (sc *scan) currencyCueAt(k, n int) bool {
	if sc.is(k-1, bCurrencyCueBefore) {
		return true
	}
	if sc.is(k+n, bCurrencyCueAfter) {
		return true
	}
	return sc.saysCurrency
}

// typeSwitch finds a change between daily and lifetime budgets with no amount: "make
// it daily", "daily budget instead", "a lifetime budget".
func (sc *scan) typeSwitch() (string, bool) {
	toks := sc.toks
	kind := ""
	cue := false
	for k, t := range toks {
		switch t.text {
		case "daily":
			kind = agents.BudgetDaily
		case "day":
			if sc.is(k-1, bDayRate) {
				kind = agents.BudgetDaily
			}
		case "lifetime":
			kind = agents.BudgetLifetime
		case "total":
			if sc.is(k+1, bBudgetNoun) {
				kind = agents.BudgetLifetime
			}
		default:
			cue = cue || sc.is(k, bTypeCue)
		}
	}
	return kind, kind != "" && cue
}
