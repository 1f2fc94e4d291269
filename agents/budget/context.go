package budget

// What makes an amount money, or not: the words around it (a budget word, a unit that
// makes it a count, a date or an age), the period it is spent over, and whether it is
// a price or the amount being replaced.

// nonMoneyAfter are words after a number that make it a count, a length of
// time, an age or a share rather than money.
var nonMoneyAfter = map[string]bool{
	"day": true, "days": true, "week": true, "weeks": true, "wk": true, "wks": true,
	"month": true, "months": true, "mo": true, "mos": true, "year": true, "years": true,
	"yr": true, "yrs": true, "yo": true, "y.o": true, "year-old": true, "year-olds": true,
	"years-old": true, "olds": true, "hour": true, "hours": true, "hr": true, "hrs": true,
	"h": true, "minute": true, "minutes": true, "min": true, "mins": true, "second": true,
	"seconds": true, "sec": true, "secs": true, "s": true, "am": true, "pm": true,
	"percent": true, "pct": true, "per-cent": true, "x": true, "times": true,
	"people": true, "persons": true, "person": true, "users": true, "user": true,
	"listeners": true, "listener": true, "fans": true, "followers": true,
	"subscribers": true, "impressions": true, "impression": true, "imps": true,
	"streams": true, "plays": true, "views": true, "clicks": true, "installs": true,
	"downloads": true, "visits": true, "visitors": true, "leads": true,
	"conversions": true, "signups": true, "sign-ups": true, "households": true,
	"customers": true, "members": true, "spots": true, "ads": true, "creatives": true,
	"episodes": true, "songs": true, "tracks": true, "km": true, "miles": true,
	"mi": true, "cities": true, "countries": true, "markets": true, "languages": true,
	"genres": true, "reach": true, "nights": true, "weekends": true, "st": true,
	"nd": true, "rd": true, "th": true, "gb": true, "mb": true, "kb": true,
	"audience": true, "audiences": true, "listens": true, "devices": true,
	"employees": true, "stores": true, "locations": true, "variants": true,
	"formats": true, "placements": true, "frequency": true, "fold": true,
}

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
				return next.kind == tokNum || (next.kind == tokWord && next.glued && nonMoneyAfter[next.text])
			}
		}
	case tokWord:
		if nonMoneyAfter[t.text] {
			return true
		}
		if t.text == "and" && e+1 < len(toks) {
			switch toks[e+1].text {
			case "over", "older", "up", "above":
				return true
			}
		}
		if t.text == "per" && e+1 < len(toks) && toks[e+1].text == "cent" {
			return true
		}
	}
	return false
}

var monthWords = map[string]bool{
	"jan": true, "january": true, "feb": true, "february": true, "mar": true, "march": true,
	"apr": true, "april": true, "may": true, "jun": true, "june": true, "jul": true,
	"july": true, "aug": true, "august": true, "sep": true, "sept": true,
	"september": true, "oct": true, "october": true, "nov": true, "november": true,
	"dec": true, "december": true,
}

// bareExcluded reports whether a bare number (no currency, no multiplier) is a date,
// an age, a year or part of a code ("march 3", "over 35", "in 2026", "q1").
func (sc *scan) bareExcluded(m *budgetMoney) bool {
	toks := sc.toks
	if sc.excludedAfter(m.end) {
		return true
	}
	if m.end < len(toks) && monthWords[toks[m.end].text] {
		return true
	}
	if m.numStart > 0 {
		prev := toks[m.numStart-1]
		if prev.kind == tokWord && (prev.glued || toks[m.numStart].glued) {
			return true // "q1", "mp3", "top10"
		}
		if monthWords[prev.text] {
			return true
		}
		switch prev.text {
		case "over", "under", "above", "below", "aged", "age", "ages":
			if m.value < 100 {
				return true
			}
		case "in", "for", "since", "until", "till", "by", "our", "the", "this", "next",
			"last", "my", "their", "your":
			// "in 2026", "our 2026 budget"; "a 2000 budget" stays money.
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

// cueWords before a bare number make it a budget.
var cueWords = map[string]bool{
	"budget": true, "budgets": true, "budgeted": true, "budgeting": true, "spend": true,
	"spends": true, "spending": true, "invest": true, "investing": true,
	"investment": true, "allocate": true, "allocated": true, "allocating": true,
	"allocation": true, "cost": true, "costs": true, "funding": true, "funds": true,
	"cap": true, "capped": true, "afford": true,
}

// fillers may stand between a cue and its number ("budget of about 7500").
var fillers = map[string]bool{
	"to": true, "of": true, "is": true, "was": true, "be": true, "at": true,
	"about": true, "around": true, "roughly": true, "approximately": true,
	"approx": true, "max": true, "maximum": true, "total": true, "overall": true,
	"up": true, "only": true, "just": true, "like": true, "a": true, "an": true,
	"the": true, "our": true, "my": true, "it": true, "we": true, "have": true,
	"has": true, "got": true, "under": true, "below": true, "no": true, "more": true,
	"than": true, "least": true, "most": true, "maybe": true, "say": true,
	"perhaps": true, "then": true, "now": true, "instead": true, "some": true,
	"exactly": true, "set": true, "of:": true,
}

var ageWords = map[string]bool{
	"age": true, "ages": true, "aged": true, "between": true, "year": true, "olds": true,
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
		if cueWords[w] {
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
		if ageWords[w] {
			return cueNone
		}
		if !fillers[w] {
			allFiller = false
		}
		steps++
	}
	return cueNone
}

// followCueAt reports whether the word at k opens a revision's new value: "make it",
// "what about", "how about", "try", "let's do", "go for".
func (sc *scan) followCueAt(k int) bool {
	w := sc.toks[k].text
	prev := ""
	if k > 0 {
		prev = sc.toks[k-1].text
	}
	switch w {
	case "it", "that":
		switch prev {
		case "make", "set", "change", "bump", "raise", "increase", "lower", "cut",
			"reduce", "put", "keep", "move", "drop", "up":
			return true
		}
	case "about":
		return prev == "what" || prev == "how"
	case "try", "do":
		return true
	case "for":
		return prev == "go"
	}
	return false
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
		switch t.text {
		case "budget", "budgets", "budgeted", "spend":
			return cueBudget
		case "to":
			if k+1 < len(toks) && (toks[k+1].text == "spend" || toks[k+1].text == "invest") {
				return cueBudget
			}
			return cueNone
		case "instead":
			return cueFollow
		case "total", "overall", "lifetime", "media", "ad", "advertising", "marketing",
			"campaign", "daily", "monthly", "weekly", "in", "of", "as", "our", "the":
			continue
		}
		return cueNone
	}
	return cueNone
}

// periodAfter reads "a day", "per week", "/month", "daily" after an amount.
func (sc *scan) periodAfter(e int) (string, int) {
	toks := sc.toks
	if e >= len(toks) {
		return "", e
	}
	switch toks[e].text {
	case "daily":
		return "day", e + 1
	case "weekly":
		return "week", e + 1
	case "monthly":
		return "month", e + 1
	case "a", "per", "each", "every", "an", "/":
		if e+1 < len(toks) {
			switch toks[e+1].text {
			case "day", "diem", "d":
				return "day", e + 2
			case "week", "wk":
				return "week", e + 2
			case "month", "mo":
				return "month", e + 2
			}
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
		period := ""
		switch t.text {
		case "daily":
			period = "day"
		case "weekly":
			period = "week"
		case "monthly":
			period = "month"
		default:
			if t.kind == tokWord && !fillers[t.text] && !cueWords[t.text] && t.text != "limit" {
				return ""
			}
			continue
		}
		if k == start-1 {
			return period
		}
		if next := toks[k+1].text; cueWords[next] || next == "limit" {
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
		switch toks[k].text {
		case "lifetime", "total", "overall":
			return true
		}
	}
	return false
}

var priceWords = map[string]bool{
	"cpm": true, "cpc": true, "cpa": true, "cpv": true, "cpi": true, "cpl": true,
	"cpe": true, "cpcv": true, "ecpm": true, "bid": true, "bids": true, "cpcl": true,
}

var priceUnits = map[string]bool{
	"click": true, "install": true, "view": true, "lead": true, "stream": true,
	"listen": true, "impression": true, "thousand": true, "mille": true,
	"acquisition": true, "conversion": true, "download": true, "signup": true,
	"sign-up": true, "result": true, "visit": true, "listener": true, "user": true,
	"completed": true, "1000": true, "1,000": true, "1k": true,
}

// priceAround reports whether an amount is a price per result ("$10 CPM", "cost per
// click of $2"), which is not a budget.
func (sc *scan) priceAround(start, end int) bool {
	toks := sc.toks
	if end < len(toks) {
		if priceWords[toks[end].text] {
			return true
		}
		switch toks[end].text {
		case "per", "a", "/", "each", "an", "every":
			if end+1 < len(toks) && priceUnits[toks[end+1].text] {
				return true
			}
		}
	}
	for k := start - 1; k >= 0 && k >= start-4; k-- {
		t := toks[k]
		if t.kind != tokWord || cueWords[t.text] {
			return false // "$10 CPM, budget $5,000": the budget is not the price
		}
		if priceWords[t.text] {
			return true
		}
		if t.text == "per" && k+1 < start && priceUnits[toks[k+1].text] {
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
	switch toks[start-1].text {
	case "not", "was", "were":
		return true
	case "of":
		return start >= 2 && toks[start-2].text == "instead"
	case "than":
		return start >= 2 && toks[start-2].text == "rather"
	case "from":
		return true
	}
	return false
}
