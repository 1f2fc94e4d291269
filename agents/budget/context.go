package budget

import "strings"

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

// cueAt is the words that made the amount m a budget (cueBefore, cueAfter), as
// qualify read them.
func (sc *scan) cueAt(m budgetMoney) tokRange {
	before, at := sc.cueBefore(m.start)
	if after, at2 := sc.cueAfter(m.amountEnd); after > before {
		return at2
	}
	return at
}

// qualify decides whether an amount is money: it has a currency, a multiplier
// ("5k", "1.2 million"), or a budget word beside it ("a budget of 7500").
func (sc *scan) qualify(m *budgetMoney) bool {
	m.cue, _ = sc.cueBefore(m.start)
	if after, _ := sc.cueAfter(m.end); after > m.cue {
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
	// A bare number beside the market, or spent over a flight in a brief that names
	// one, is a budget in the market's currency: "Brazil, 15000 over 30 days". A year
	// is not ("Brazil, 2027").
	if len(sc.markets) > 0 && m.value >= 100 && !sc.yearLike(m) && sc.opensPhrase(m.start) && sc.standsAlone(m.end) &&
		(sc.nearMarket(m.start, m.end) || sc.flightAfter(m.end)) {
		m.cue = cueMarket
		return true
	}
	return false
}

// standsAlone reports whether nothing after a bare number at e makes it a count of
// something: the phrase ends, or a flight follows ("15000, reach", "15000 over 30
// days"), unlike "3000 new subscribers".
func (sc *scan) standsAlone(e int) bool {
	if e >= len(sc.toks) {
		return true
	}
	t := sc.toks[e]
	if t.kind == tokPunct {
		switch t.text {
		case ",", ".", ";", ":", ")", "!", "?", "-":
			return true
		}
		return false
	}
	return t.kind == tokWord && sc.is(e, bFlightWord|bLifetime)
}

// opensPhrase reports whether a bare number at start begins its phrase: it follows
// punctuation, a market, or a word that joins it to one ("Brazil, 15000", "in Brazil
// 15000"), unlike "top 100 in Brazil".
func (sc *scan) opensPhrase(start int) bool {
	k := start - 1
	if k < 0 || sc.toks[k].kind == tokPunct || sc.marketGlue(k) {
		return true
	}
	for _, mk := range sc.markets {
		if mk.to == start {
			return true
		}
	}
	return false
}

// yearLike reports whether a bare amount could be a year: a whole number from 1900 to
// 2100 written without grouping.
func (sc *scan) yearLike(m *budgetMoney) bool {
	return !m.hasMin && m.integral && m.value >= 1900 && m.value <= 2100 &&
		!strings.ContainsAny(sc.toks[m.numStart].text, ",. '")
}

// correct reads a correction before the amount m, after the last amount read: "20k -
// sorry, 25k", "300k SEK, actually make it 250k", "$200 a day, no, $250". The amounts
// before it become the ones replaced, and m keeps what they said and it does not
// (the currency, the period).
func (sc *scan) correct(m *budgetMoney) {
	last := len(sc.money) - 1
	for last >= 0 && sc.money[last].price {
		last--
	}
	if last < 0 || m.price || m.old {
		return
	}
	at := sc.correctionIn(sc.money[last].end, m.start)
	if at.empty() {
		return
	}
	for i := range sc.money {
		if !sc.money[i].price {
			sc.money[i].old = true
		}
	}
	m.corrected, m.correction = last, at
	prev := sc.money[last]
	if !m.curWritten && prev.curWritten {
		m.cur = prev.cur
	}
	if m.period == "" && !m.lifetime {
		m.period = prev.period
	}
}

// correctionIn finds the words of a correction among the tokens [from, to): "sorry",
// "actually", "i mean", "no," (with its punctuation); none when they are not there or
// too far apart.
func (sc *scan) correctionIn(from, to int) tokRange {
	if to-from > 8 {
		return tokRange{}
	}
	for k := from; k < to; k++ {
		if at := sc.correctionAt(k); !at.empty() {
			return at
		}
	}
	return tokRange{}
}

// correctionAt finds a correction starting at token k.
func (sc *scan) correctionAt(k int) tokRange {
	l := sc.lex(k)
	switch {
	case sc.toks[k].kind != tokWord:
	case l.in(bCorrection):
		return one(k)
	case l.in(bCorrectionPunct):
		if k+1 < len(sc.toks) && sc.toks[k+1].kind == tokPunct && sc.toks[k+1].text != "%" {
			return one(k)
		}
	case k+1 < len(sc.toks) && hasID(sc.lex(k+1).correctionAfter, sc.toks[k].lexeme):
		return tokRange{k, k + 2}
	}
	return tokRange{}
}

// correctedCurrency finds a currency named after a correction that follows the amount
// ending at end, with no amount of its own: "$15k USD, no, make that in CAD".
func (sc *scan) correctedCurrency(end int) (currencyName, tokRange, bool) {
	toks := sc.toks
	for k := end; k < len(toks) && k < end+4; k++ {
		at := sc.correctionAt(k)
		if at.empty() {
			continue
		}
		for j := at.to; j < len(toks) && j < at.to+5; j++ {
			if sc.inMoney(j) {
				return currencyName{}, tokRange{}, false
			}
			if sp := sc.spans[j]; sp.n > 0 && !sp.prefixOnly && !(sp.attachedOnly && !sc.writtenUpper(strings.ToUpper(toks[j].text))) {
				cue, after := sc.currencyCueAt(j, sp.n)
				return currencyName{sp.cur, tokRange{j, j + sp.n}, cue, after}, at, true
			}
		}
		return currencyName{}, tokRange{}, false
	}
	return currencyName{}, tokRange{}, false
}

// cueBefore finds a budget word before token start, and the words it is.
func (sc *scan) cueBefore(start int) (budgetCue, tokRange) {
	toks := sc.toks
	allFiller := true
	steps := 0
	for k := start - 1; k >= 0 && steps < 5; k-- {
		t := toks[k]
		switch t.kind {
		case tokNum, tokSym:
			return cueNone, tokRange{}
		case tokPunct:
			switch t.text {
			case ".", "!", "?", ";", "(", ")":
				return cueNone, tokRange{}
			}
			continue
		}
		w := t.text
		l := sc.lex(k)
		if l.in(bBudgetCue) {
			return cueBudget, one(k)
		}
		if allFiller {
			if w == "with" {
				return cueWith, one(k)
			}
			if sc.followCueAt(k) {
				return cueFollow, sc.followCueRange(k)
			}
		}
		if l.in(bAgeWord) {
			return cueNone, tokRange{}
		}
		if !l.in(bFiller) {
			allFiller = false
		}
		steps++
	}
	return cueNone, tokRange{}
}

// followCueAt reports whether the word at k opens a revision's new value: "make it",
// "what about", "how about", "try", "let's do", "go for".
func (sc *scan) followCueAt(k int) bool {
	l := sc.lex(k)
	return l.in(bFollowCue) || k > 0 && hasID(l.followCueAfter, sc.toks[k-1].lexeme)
}

// followCueRange is the words of the follow cue at k: the word itself, or with the
// word before it ("make it").
func (sc *scan) followCueRange(k int) tokRange {
	if sc.is(k, bFollowCue) {
		return one(k)
	}
	return tokRange{k - 1, k + 1}
}

// cueAfter finds a budget word after a number: "7500 budget", "7500 in ad spend",
// "7500 to spend", and "8000 instead" in a revision.
func (sc *scan) cueAfter(end int) (budgetCue, tokRange) {
	toks := sc.toks
	for k := end; k < len(toks) && k < end+4; k++ {
		t := toks[k]
		if t.kind != tokWord {
			return cueNone, tokRange{}
		}
		l := sc.lex(k)
		if l.in(bCueAfter) {
			return l.cueAfter, one(k)
		}
		if t.text == "to" {
			if sc.is(k+1, bSpendAfterTo) {
				return cueBudget, tokRange{k, k + 2}
			}
			return cueNone, tokRange{}
		}
		if !l.in(bBeforeCueAfter) {
			return cueNone, tokRange{}
		}
	}
	return cueNone, tokRange{}
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

// periodBefore reads "daily budget of $200", "daily $200", and says at which token
// (-1 when none).
func (sc *scan) periodBefore(start int) (string, int) {
	toks := sc.toks
	for k := start - 1; k >= 0 && k >= start-5; k-- {
		t := toks[k]
		if t.kind == tokNum || t.kind == tokSym {
			return "", -1
		}
		l := sc.lex(k)
		period := l.period
		if !l.in(bPeriod) {
			if t.kind == tokWord && !l.in(bFiller|bBudgetCue|bPeriodNoun) {
				return "", -1
			}
			continue
		}
		if k == start-1 {
			return period, k
		}
		if sc.is(k+1, bBudgetCue|bPeriodNoun) {
			return period, k
		}
		return "", -1
	}
	return "", -1
}

// lifetimeAround reads "in total", "lifetime", "total budget" beside an amount; it
// returns the word, none when there is none.
func (sc *scan) lifetimeAround(start, end int) tokRange {
	toks := sc.toks
	for k := max(0, start-3); k < min(len(toks), end+2); k++ {
		if k >= start && k < end {
			continue
		}
		if sc.is(k, bLifetime) {
			return one(k)
		}
	}
	return tokRange{}
}

// priceAround finds the words that make an amount a price per result ("$10 CPM",
// "cost per click of $2"), which is not a budget; none when it is no price.
func (sc *scan) priceAround(start, end int) tokRange {
	toks := sc.toks
	if end < len(toks) {
		if sc.is(end, bPriceWord) {
			return one(end)
		}
		if sc.is(end, bPer) && sc.is(end+1, bPriceUnit) {
			return tokRange{end, end + 2}
		}
	}
	for k := start - 1; k >= 0 && k >= start-4; k-- {
		t := toks[k]
		if t.kind != tokWord || sc.is(k, bBudgetCue) {
			return tokRange{} // "$10 CPM, budget $5,000": the budget is not the price
		}
		if sc.is(k, bPriceWord) {
			return one(k)
		}
		if t.text == "per" && k+1 < start && sc.is(k+1, bPriceUnit) {
			from := k
			if sc.is(k-1, bBudgetCue) {
				from = k - 1 // "cost per click"
			}
			return tokRange{from, k + 2}
		}
	}
	return tokRange{}
}

// oldBefore finds the words that make an amount the one being replaced: "instead of
// 5k", "rather than 5k", "not 5k"; none when it is not.
func (sc *scan) oldBefore(start int) tokRange {
	toks := sc.toks
	if start == 0 {
		return tokRange{}
	}
	l := sc.lex(start - 1)
	switch {
	case l.in(bOld):
		return one(start - 1)
	case start >= 2 && hasID(l.oldAfter, toks[start-2].lexeme):
		return tokRange{start - 2, start}
	}
	return tokRange{}
}
