package audience

import (
	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/numbers"
)

// Age ranges written with numbers: "18-24", "18 to 24", "between 25 and 34", "45+",
// "35 and over", "over 35", "under 30", "in their 20s", "20-somethings". Label ages
// ("adults", "millennials") are phrases in data/audience_people.json.

// minAge is the youngest age Spotify ads reach; maxAge closes open ranges.
const (
	minAge   = 13
	adultAge = 18
	maxAge   = 99
)

// Words before a number that make it something other than an age ("$25", "day 18-24",
// "budget between 25 and 34").
var agePrevBlock = map[string]bool{
	"$": true, "€": true, "£": true, "¥": true, "₹": true, "#": true, "budget": true, "spend": true,
	"spending": true, "cpm": true, "cpc": true, "cpa": true, "cost": true, "costs": true, "price": true,
	"page": true, "pages": true, "day": true, "days": true, "week": true, "weeks": true, "month": true,
	"months": true, "q": true, "frequency": true, "cap": true, "step": true, "steps": true,
	"version": true, "v": true, "rs": true, "usd": true, "eur": true, "gbp": true, "chf": true,
	"sek": true, "nok": true, "dkk": true, "aud": true, "cad": true, "mxn": true, "brl": true,
	"inr": true, "jpy": true, "r": true, "number": true, "top": true, "ep": true, "episode": true,
	"episodes": true, "season": true, "chapter": true, "size": true, "level": true, "tier": true,
	"x": true, "jan": true, "january": true, "feb": true, "february": true, "mar": true,
	"march": true, "apr": true, "april": true, "may": true, "jun": true, "june": true, "jul": true,
	"july": true, "aug": true, "august": true, "sep": true, "sept": true, "september": true,
	"oct": true, "october": true, "nov": true, "november": true, "dec": true, "december": true,
	"by": true, "extend": true, "increase": true, "raise": true, "reduce": true, "lower": true,
	"times": true, "bid": true, "bids": true, "ctr": true, "roas": true,
}

// Words after a number that make it something other than an age ("30 days", "10-20%").
var ageNextBlock = map[string]bool{
	"days": true, "day": true, "weeks": true, "week": true, "wks": true, "months": true,
	"month": true, "mos": true, "hours": true, "hour": true, "hrs": true, "minutes": true,
	"mins": true, "minute": true, "seconds": true, "second": true, "secs": true, "sec": true,
	"k": true, "m": true, "mm": true, "bn": true, "thousand": true, "million": true,
	"billion": true, "grand": true, "%": true, "percent": true, "pct": true, "x": true,
	"times": true, "impressions": true, "imps": true, "plays": true, "streams": true,
	"clicks": true, "views": true, "installs": true, "listens": true, "countries": true,
	"markets": true, "cities": true, "ads": true, "spots": true, "placements": true,
	"creatives": true, "am": true, "pm": true, "th": true, "st": true, "nd": true, "rd": true,
	"usd": true, "eur": true, "gbp": true, "chf": true, "sek": true, "nok": true, "dkk": true,
	"aud": true, "cad": true, "mxn": true, "brl": true, "inr": true, "jpy": true, "$": true,
	"€": true, "£": true, "¥": true, "₹": true, "per": true, "episodes": true, "songs": true,
	"tracks": true, "slots": true, "stores": true, "locations": true, "lakh": true, "crore": true,
	"jan": true, "january": true, "feb": true, "february": true, "mar": true, "march": true,
	"apr": true, "april": true, "may": true, "jun": true, "june": true, "jul": true, "july": true,
	"aug": true, "august": true, "sep": true, "sept": true, "september": true, "oct": true,
	"october": true, "nov": true, "november": true, "dec": true, "december": true, "ms": true,
	"mb": true, "gb": true, "kb": true, "fps": true, "hz": true, "cpm": true, "frequency": true,
	"stations": true, "shows": true, "podcasts": true, "artists": true, "playlists": true,
	"people": false, "tickets": true, "units": true, "orders": true, "leads": true, "sign": true,
	"signups": true, "downloads": true, "subscribers": true, "followers": true,
}

// Words after "N plus" that show the plus is an age's ("35 plus women"), not an addition.
var agePlusNext = map[string]bool{
	"year": true, "years": true, "yo": true, "olds": true, "adults": true, "people": true,
	"listeners": true, "users": true, "audience": true, "audiences": true, "women": true,
	"men": true, "demographic": true, "demo": true, "age": true, "ages": true, "crowd": true,
	"segment": true, "in": true, "across": true,
}

var openEnds = map[string]bool{
	"over": true, "up": true, "older": true, "above": true, "upwards": true, "upward": true,
	"beyond": true, "plus": true, "more": true,
}

var rangeJoins = map[string]bool{"to": true, "through": true, "thru": true, "till": true, "until": true}

var decadeWords = map[string]int{
	"teens": 10, "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
	"seventies": 70, "eighties": 80, "nineties": 90,
}

// ageAt reads an age range starting at toks[i]: its range, the token after it,
// and whether it is a label's (soft) range.
func ageAt(toks []token, i int) (r agents.AgeRange, end int, soft bool, ok bool) {
	w := toks[i].s
	switch w {
	case "between", "from", "ages", "aged":
		j := skipAgeWords(toks, i+1)
		a, next, _, ok := numberAt(toks, j)
		if !ok {
			return r, 0, false, false
		}
		b, end, ok := rangeEnd(toks, next, w == "between")
		if !ok || (w == "between" && toks[next].s != "and") {
			return r, 0, false, false
		}
		return checkRange(toks, i, end, a, b)
	case "over", "above", "beyond", "older", "at":
		j := i + 1
		if w == "older" || w == "at" {
			if j >= len(toks) || (w == "older" && toks[j].s != "than") || (w == "at" && toks[j].s != "least") {
				return r, 0, false, false
			}
			j++
		}
		j = skipAgeWords(toks, j)
		a, end, _, ok := numberAt(toks, j)
		if !ok || a < minAge || a > maxAge || !ageContextOK(toks, i, end) {
			return r, 0, false, false
		}
		return agents.AgeRange{Min: a, Max: maxAge}, end, false, true
	case "under", "below", "younger":
		j := i + 1
		if w == "younger" {
			if j >= len(toks) || toks[j].s != "than" {
				return r, 0, false, false
			}
			j++
		}
		j = skipAgeWords(toks, j)
		a, end, _, ok := numberAt(toks, j)
		if !ok || a <= minAge || a > maxAge+1 || !ageContextOK(toks, i, end) {
			return r, 0, false, false
		}
		lo := adultAge
		if a <= adultAge {
			lo = minAge
		}
		return agents.AgeRange{Min: lo, Max: a - 1}, end, false, true
	case "their":
		if i+1 >= len(toks) || toks[i+1].sep == sepClause {
			return r, 0, false, false
		}
		return decadesAt(toks, i+1)
	case "early", "mid", "late":
		// "late 20s" without "their" is an age only for the ages people are targeted
		// at: "early 80s synth-pop" is an era.
		r, end, soft, ok = decadesAt(toks, i)
		if !ok || r.Min < 20 || r.Max > 59 || !ageContextOK(toks, i, end) {
			return agents.AgeRange{}, 0, false, false
		}
		return r, end, soft, ok
	}
	a, next, _, ok := numberAt(toks, i)
	if !ok || (i > 0 && isDigits(toks[i-1].s) && toks[i].sep != sepSpace &&
		toks[i].sep <= sepSlash) {
		return r, 0, false, false
	}
	if next < len(toks) && toks[next].sep != sepClause {
		switch t := toks[next]; {
		case t.s == "+" && t.sep <= sepSpace:
			if a < minAge || a > maxAge || !ageContextOK(toks, i, next+1) {
				return r, 0, false, false
			}
			return agents.AgeRange{Min: a, Max: maxAge}, next + 1, false, true
		case (t.s == "and" || t.s == "or") && next+1 < len(toks) && openEnds[toks[next+1].s] &&
			toks[next+1].s != "plus":
			if a < minAge || a > maxAge || !ageContextOK(toks, i, next+2) {
				return r, 0, false, false
			}
			return agents.AgeRange{Min: a, Max: maxAge}, next + 2, false, true
		case t.s == "plus" && (next+1 == len(toks) || toks[next+1].sep == sepClause ||
			agePlusNext[toks[next+1].s]):
			if a < minAge || a > maxAge || !ageContextOK(toks, i, next+1) {
				return r, 0, false, false
			}
			return agents.AgeRange{Min: a, Max: maxAge}, next + 1, false, true
		case (t.s == "somethings" || t.s == "something") && a%10 == 0 && a >= 20 && a <= 90:
			return agents.AgeRange{Min: a, Max: a + 9}, next + 1, true, true
		}
	}
	b, end, ok := rangeEnd(toks, next, false)
	if !ok {
		return r, 0, false, false
	}
	return checkRange(toks, i, end, a, b)
}

// skipAgeWords skips "the age of", "ages", "age" between a word and its number.
func skipAgeWords(toks []token, j int) int {
	for j < len(toks) && toks[j].sep != sepClause {
		switch toks[j].s {
		case "the", "age", "ages", "of", "aged":
			j++
			continue
		}
		break
	}
	return j
}

// rangeEnd reads the second number of a range at toks[j]: "-24", "to 24", "and 24".
func rangeEnd(toks []token, j int, and bool) (b, end int, ok bool) {
	if j >= len(toks) || toks[j].sep == sepClause {
		return 0, 0, false
	}
	if toks[j].sep == sepDash {
		b, end, _, ok = numberAt(toks, j)
		return b, end, ok
	}
	if rangeJoins[toks[j].s] || (and && toks[j].s == "and") {
		if j+1 < len(toks) && toks[j+1].sep != sepClause {
			b, end, _, ok = numberAt(toks, j+1)
			return b, end, ok
		}
	}
	return 0, 0, false
}

func checkRange(toks []token, start, end, a, b int) (agents.AgeRange, int, bool, bool) {
	if a < minAge || a >= b || a > maxAge || b > 120 || !ageContextOK(toks, start, end) {
		return agents.AgeRange{}, 0, false, false
	}
	return agents.AgeRange{Min: a, Max: min(b, maxAge)}, end, false, true
}

// ageContextOK reports whether the words around toks[start:end] leave it an age:
// not money, a date, a duration or a share.
func ageContextOK(toks []token, start, end int) bool {
	// A comma or more between ends the context: "35+, £10k" is an age and a budget.
	if start > 0 && toks[start].sep < sepComma && agePrevBlock[toks[start-1].s] {
		return false
	}
	if end < len(toks) && toks[end].sep < sepComma {
		n := toks[end]
		if ageNextBlock[n.s] || money.IsCurrencyWord(n.s) {
			return false
		}
		if n.sep <= sepSlash && n.sep != sepSpace && isDigits(n.s) {
			return false // "2026-11-23", "11/24/2026"
		}
	}
	return true
}

// decadesAt reads the decades after "their": "20s", "late 20s and early 30s",
// "thirties".
func decadesAt(toks []token, i int) (r agents.AgeRange, end int, soft bool, ok bool) {
	lo, hi, j, ok := decadeAt(toks, i)
	if !ok {
		return r, 0, false, false
	}
	if j+1 < len(toks) && toks[j].sep != sepClause {
		k := j
		if toks[k].s == "and" || toks[k].s == "or" || rangeJoins[toks[k].s] {
			k++
		}
		if (k > j || toks[k].sep == sepDash || toks[k].sep == sepComma) && toks[k].sep != sepClause {
			if _, hi2, j2, ok2 := decadeAt(toks, k); ok2 && hi2 > hi {
				hi, j = hi2, j2
			}
		}
	}
	return agents.AgeRange{Min: lo, Max: hi}, j, false, true
}

// decadeAt reads "20s", "20's", "twenties", "late 20s", "mid-thirties".
func decadeAt(toks []token, j int) (lo, hi, end int, ok bool) {
	if j >= len(toks) {
		return 0, 0, 0, false
	}
	part := ""
	switch toks[j].s {
	case "early", "mid", "late":
		part = toks[j].s
		j++
		if j >= len(toks) {
			return 0, 0, 0, false
		}
	}
	d := 0
	t := toks[j].s
	switch {
	case decadeWords[t] > 0:
		d = decadeWords[t]
		j++
	case len(t) == 3 && t[2] == 's' && isDigits(t[:2]) && t[1] == '0':
		d = int(t[0]-'0') * 10
		j++
	case len(t) == 2 && isDigits(t) && t[1] == '0' && j+1 < len(toks) && toks[j+1].s == "s":
		d = int(t[0]-'0') * 10
		j += 2
	default:
		return 0, 0, 0, false
	}
	if d < 10 {
		return 0, 0, 0, false
	}
	lo, hi = d, d+9
	if d == 10 {
		lo, hi = minAge, 17 // "their teens": as the label "teens"
		if part == "late" {
			hi = 19
		}
	}
	switch part {
	case "early":
		hi = lo + 3
	case "mid":
		lo, hi = d+4, d+6
	case "late":
		lo = d + 7
	}
	return lo, hi, j, true
}

// numberAt reads a whole number at toks[j], in digits ("24", "30s") or words
// ("thirty", "twenty four", "twenty-four"): its value, the token after it and whether
// it was written as a plural ("the under-30s").
func numberAt(toks []token, j int) (v, next int, plural, ok bool) {
	if j >= len(toks) {
		return 0, 0, false, false
	}
	t := toks[j].s
	digits := t
	if len(t) >= 2 && t[len(t)-1] == 's' {
		digits, plural = t[:len(t)-1], true
	}
	if len(digits) >= 1 && len(digits) <= 3 && isDigits(digits) {
		for k := 0; k < len(digits); k++ {
			v = v*10 + int(digits[k]-'0')
		}
		return v, j + 1, plural, true
	}
	f, isWord := numbers.Units[t]
	if !isWord {
		return 0, 0, false, false
	}
	v = int(f)
	if v >= 20 && v%10 == 0 && j+1 < len(toks) && toks[j+1].sep <= sepDash {
		if u, ok := numbers.Units[toks[j+1].s]; ok && u >= 1 && u <= 9 {
			return v + int(u), j + 2, false, true
		}
	}
	return v, j + 1, false, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
