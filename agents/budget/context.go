package budget

// What makes an amount money, or not: the words around it (a budget word, a unit that
// makes it a count, a date or an age), the period it is spent over, and whether it is
// a price or the amount being replaced.

// excludedAfter reports whether what follows a number at token e makes it something
// other than money: a unit or count ("30 days", "5k listeners"), a share ("20%"), an
// age range or date ("18-24", "12/01", "5:30"), "25+", "25 and over".
func (sc *scan) excludedAfter(e int) bool {
	toks := sc.toks
	if e >= len(toks) {
		return false
	}
	t := toks[e]
	switch t.kind {
	case tokPunct:
		switch t.text {
		case "%", "+":
			return true
		case "-", "/", ":":
			if e+1 < len(toks) {
				next := toks[e+1]
				return next.kind == tokNum || (next.kind == tokWord && next.glued && sc.is(e+1, bNotMoneyAfter))
			}
		}
	case tokWord:
		if sc.is(e, bNotMoneyAfter) {
			return true
		}
		if t.text == "and" && sc.is(e+1, bAgeOpenEnd) {
			return true
		}
		if t.text == "per" && e+1 < len(toks) && toks[e+1].text == "cent" {
			return true
		}
	}
	return false
}

// bareExcluded reports whether a bare number (no currency, no multiplier) is a date,
// an age, a year or part of a code ("march 3", "over 35", "in 2026", "q1").
func (sc *scan) bareExcluded(m *budgetMoney) bool {
	toks := sc.toks
	if sc.excludedAfter(m.end) {
		return true
	}
	if sc.is(m.end, bMonth) {
		return true
	}
	if m.numStart > 0 {
		prev := toks[m.numStart-1]
		if prev.kind == tokWord && (prev.glued || toks[m.numStart].glued) {
			return true // "q1", "mp3", "top10"
		}
		if sc.is(m.numStart-1, bMonth) {
			return true
		}
		switch {
		case sc.is(m.numStart-1, bAgeBefore):
			if m.value < 100 {
				return true
			}
		case sc.is(m.numStart-1, bYearBefore):
			if m.value >= 1900 && m.value <= 2100 && m.integral && !m.hasMin {
				return true
			}
		}
	}
	return false
}

// qualify decides whether an amount is money: it has a currency, a multiplier
// ("5k", "1.2 million"), or a budget word beside it ("a budget of 7500").
func (sc *scan) qualify(m *budgetMoney) bool {
	m.cue = sc.cueBefore(m.start)
	if after := sc.cueAfter(m.end); after > m.cue {
		m.cue = after
	}
	if m.curWritten {
		return true
	}
	if m.scaled {
		return !sc.excludedAfter(m.end)
	}
	// A bare fraction is never a budget: "half the budget" halves it.
	if m.value < 1 || sc.bareExcluded(m) {
		return false
	}
	switch m.cue {
	case cueBudget:
		return true
	case cueWith:
		return m.value >= 50
	case cueFollow:
		return m.value >= 100
	}
	return false
}

// cueBefore finds a budget word before token start.
func (sc *scan) cueBefore(start int) budgetCue {
	toks := sc.toks
	allFiller := true
	steps := 0
	for k := start - 1; k >= 0 && steps < 5; k-- {
		t := toks[k]
		switch t.kind {
		case tokNum, tokSym:
			return cueNone
		case tokPunct:
			switch t.text {
			case ".", "!", "?", ";", "(", ")":
				return cueNone
			}
			continue
		}
		w := t.text
		l := sc.lex(k)
		if l.in(bBudgetCue) {
			return cueBudget
		}
		if allFiller {
			if w == "with" {
				return cueWith
			}
			if sc.followCueAt(k) {
				return cueFollow
			}
		}
		if l.in(bAgeWord) {
			return cueNone
		}
		if !l.in(bFiller) {
			allFiller = false
		}
		steps++
	}
	return cueNone
}

// followCueAt reports whether the word at k opens a revision's new value: "make it",
// "what about", "how about", "try", "let's do", "go for".
func (sc *scan) followCueAt(k int) bool {
	l := sc.lex(k)
	return l.in(bFollowCue) || k > 0 && hasID(l.followCueAfter, sc.toks[k-1].lexeme)
}

// cueAfter finds a budget word after a number: "7500 budget", "7500 in ad spend",
// "7500 to spend", and "8000 instead" in a revision.
func (sc *scan) cueAfter(end int) budgetCue {
	toks := sc.toks
	for k := end; k < len(toks) && k < end+4; k++ {
		t := toks[k]
		if t.kind != tokWord {
			return cueNone
		}
		l := sc.lex(k)
		if l.in(bCueAfter) {
			return l.cueAfter
		}
		if t.text == "to" {
			if sc.is(k+1, bSpendAfterTo) {
				return cueBudget
			}
			return cueNone
		}
		if !l.in(bBeforeCueAfter) {
			return cueNone
		}
	}
	return cueNone
}

// periodAfter reads "a day", "per week", "/month", "daily" after an amount.
func (sc *scan) periodAfter(e int) (string, int) {
	toks := sc.toks
	if e >= len(toks) {
		return "", e
	}
	if l := sc.lex(e); l.in(bPeriod) {
		return l.period, e + 1
	}
	if sc.is(e, bPer) {
		if l := sc.lex(e + 1); l.in(bPeriodUnit) {
			return l.periodUnit, e + 2
		}
	}
	return "", e
}

// periodBefore reads "daily budget of $200", "daily $200".
func (sc *scan) periodBefore(start int) string {
	toks := sc.toks
	for k := start - 1; k >= 0 && k >= start-5; k-- {
		t := toks[k]
		if t.kind == tokNum || t.kind == tokSym {
			return ""
		}
		l := sc.lex(k)
		period := l.period
		if !l.in(bPeriod) {
			if t.kind == tokWord && !l.in(bFiller|bBudgetCue|bPeriodNoun) {
				return ""
			}
			continue
		}
		if k == start-1 {
			return period
		}
		if sc.is(k+1, bBudgetCue|bPeriodNoun) {
			return period
		}
		return ""
	}
	return ""
}

// lifetimeAround reads "in total", "lifetime", "total budget" beside an amount.
func (sc *scan) lifetimeAround(start, end int) bool {
	toks := sc.toks
	for k := max(0, start-3); k < min(len(toks), end+2); k++ {
		if k >= start && k < end {
			continue
		}
		if sc.is(k, bLifetime) {
			return true
		}
	}
	return false
}

// priceAround reports whether an amount is a price per result ("$10 CPM", "cost per
// click of $2"), which is not a budget.
func (sc *scan) priceAround(start, end int) bool {
	toks := sc.toks
	if end < len(toks) {
		if sc.is(end, bPriceWord) {
			return true
		}
		if sc.is(end, bPer) && sc.is(end+1, bPriceUnit) {
			return true
		}
	}
	for k := start - 1; k >= 0 && k >= start-4; k-- {
		t := toks[k]
		if t.kind != tokWord || sc.is(k, bBudgetCue) {
			return false // "$10 CPM, budget $5,000": the budget is not the price
		}
		if sc.is(k, bPriceWord) {
			return true
		}
		if t.text == "per" && k+1 < start && sc.is(k+1, bPriceUnit) {
			return true
		}
	}
	return false
}

// oldBefore reports whether an amount is the one being replaced: "instead of 5k",
// "rather than 5k", "not 5k".
func (sc *scan) oldBefore(start int) bool {
	toks := sc.toks
	if start == 0 {
		return false
	}
	l := sc.lex(start - 1)
	return l.in(bOld) || start >= 2 && hasID(l.oldAfter, toks[start-2].lexeme)
}
