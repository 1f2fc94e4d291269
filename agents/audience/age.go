package audience

import (
	"strings"
	"time"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/numbers"
)

// Age ranges written with numbers: "18-24", "18 to 24", "between 25 and 34", "45+",
// "35 and over", "over 35", "under 30", "in their 20s", "20-somethings". Their words
// are in data/audience_ages.json; label ages ("adults", "millennials") are phrases in
// data/audience_people.json.

// minAge is the youngest age Spotify ads reach; maxAge closes open ranges.
const (
	minAge   = 13
	adultAge = 18
	maxAge   = 99
)

// at reads an age range starting at toks[i]: its range, the token after it, and
// whether it is a label's (soft) range. A range starts with a lead word ("between",
// "over", "their", "late") or with its number: "18-24", "18 to 24", "45+", "35 and
// over", "35 plus women", "20-somethings".
func (aw *ageWords) at(toks []token, i int) (r agents.AgeRange, end int, soft bool, ok bool) {
	if s := toks[i].s; aw.mayLead(s) {
		if lead, ok := aw.lead[s]; ok {
			return aw.afterLead(toks, i, lead)
		}
	}
	a, next, _, ok := numberAt(toks, i)
	if !ok || (i > 0 && isDigits(toks[i-1].s) && toks[i].sep != sepSpace &&
		toks[i].sep <= sepSlash) {
		return r, 0, false, false
	}
	return aw.fromNumber(toks, i, a, next)
}

// fromNumber reads the range that starts at toks[i] with the number a, whose tokens
// end before toks[next]: "45+", "35 and over", "18-24", "20-somethings".
func (aw *ageWords) fromNumber(toks []token, i, a, next int) (r agents.AgeRange, end int, soft bool, ok bool) {
	if next < len(toks) && toks[next].sep != sepClause {
		switch t, k := toks[next], aw.after[toks[next].s]; {
		case k&afterPlusSign != 0 && t.sep <= sepSpace:
			if a < minAge || a > maxAge || !aw.contextOK(toks, i, next+1) {
				return r, 0, false, false
			}
			return agents.AgeRange{Min: a, Max: maxAge}, next + 1, false, true
		case k&afterAlternative != 0 && next+1 < len(toks) && aw.openEnds[toks[next+1].s]:
			if a < minAge || a > maxAge || !aw.contextOK(toks, i, next+2) {
				return r, 0, false, false
			}
			return agents.AgeRange{Min: a, Max: maxAge}, next + 2, false, true
		case k&afterPlusWord != 0 && (next+1 == len(toks) || toks[next+1].sep == sepClause ||
			aw.plusNext[toks[next+1].s]):
			if a < minAge || a > maxAge || !aw.contextOK(toks, i, next+1) {
				return r, 0, false, false
			}
			return agents.AgeRange{Min: a, Max: maxAge}, next + 1, false, true
		case k&afterSomethings != 0 && a%10 == 0 && a >= 20 && a <= 90:
			return agents.AgeRange{Min: a, Max: a + 9}, next + 1, true, true
		}
	}
	b, end, ok := aw.rangeEnd(toks, next, false)
	if !ok {
		return r, 0, false, false
	}
	return aw.checkRange(toks, i, end, a, b)
}

// demoAt reads a buying demo starting at toks[i]: "A25-54", "W35+", "F 35-54" (the
// letter a capital before a space), and the gender its letter restricts to, "" for
// every gender. ok is false when toks[i] starts none.
func (aw *ageWords) demoAt(toks []token, i int) (r agents.AgeRange, gender string, end int, ok bool) {
	t := toks[i]
	var a, next int
	switch {
	case len(t.s) == 3 && isDigits(t.s[1:]):
		a, next = int(t.s[1]-'0')*10+int(t.s[2]-'0'), i+1
	case len(t.s) == 1 && t.capital && i+1 < len(toks) && toks[i+1].sep == sepSpace &&
		len(toks[i+1].s) == 2 && isDigits(toks[i+1].s):
		a, next = int(toks[i+1].s[0]-'0')*10+int(toks[i+1].s[1]-'0'), i+2
	default:
		return r, "", 0, false
	}
	gender, known := aw.demos[t.s[:1]]
	if !known {
		return r, "", 0, false
	}
	r, end, soft, ok := aw.fromNumber(toks, i, a, next)
	if !ok || soft {
		return agents.AgeRange{}, "", 0, false
	}
	return r, gender, end, true
}

// demoAfter reads the letter of a buying demo written after a range ("18-34 M"): a
// capital on its own that ends the clause. It returns the gender and whether there
// was one.
func (aw *ageWords) demoAfter(toks []token, end int) (gender string, ok bool) {
	if end >= len(toks) {
		return "", false
	}
	t := toks[end]
	if len(t.s) != 1 || !t.capital || t.sep != sepSpace ||
		(end+1 < len(toks) && toks[end+1].sep < sepComma) {
		return "", false
	}
	gender, ok = aw.demos[t.s]
	return gender, ok
}

// afterLead reads the range a word before the numbers starts: "between 25 and 34",
// "over 35", "younger than 30", "in their 20s", "late 20s".
func (aw *ageWords) afterLead(toks []token, i int, lead ageLead) (r agents.AgeRange, end int, soft bool, ok bool) {
	j := i + 1
	if lead.then != "" {
		if j >= len(toks) || toks[j].s != lead.then {
			return r, 0, false, false
		}
		j++
	}
	switch lead.kind {
	case leadRange, leadRangeAnd:
		j = aw.skipAgeWords(toks, j)
		a, next, _, ok := numberAt(toks, j)
		if !ok {
			return r, 0, false, false
		}
		and := lead.kind == leadRangeAnd
		b, end, ok := aw.rangeEnd(toks, next, and)
		if !ok || (and && toks[next].s != "and") {
			return r, 0, false, false
		}
		return aw.checkRange(toks, i, end, a, b)
	case leadFloor:
		j = aw.skipAgeWords(toks, j)
		a, end, _, ok := numberAt(toks, j)
		if !ok || a < minAge || a > maxAge || !aw.contextOK(toks, i, end) {
			return r, 0, false, false
		}
		return agents.AgeRange{Min: a, Max: maxAge}, end, false, true
	case leadCeiling:
		j = aw.skipAgeWords(toks, j)
		a, end, _, ok := numberAt(toks, j)
		if !ok || a <= minAge || a > maxAge+1 || !aw.contextOK(toks, i, end) {
			return r, 0, false, false
		}
		lo := adultAge
		if a <= adultAge {
			lo = minAge
		}
		return agents.AgeRange{Min: lo, Max: a - 1}, end, false, true
	case leadDecades:
		if j >= len(toks) || toks[j].sep == sepClause {
			return r, 0, false, false
		}
		return aw.decadesAt(toks, j)
	case leadPart:
		// "late 20s" without "their" is an age only for the ages people are targeted
		// at: "early 80s synth-pop" is an era.
		r, end, soft, ok = aw.decadesAt(toks, i)
		if !ok || r.Min < 20 || r.Max > 59 || !aw.contextOK(toks, i, end) {
			return agents.AgeRange{}, 0, false, false
		}
		return r, end, soft, ok
	}
	return r, 0, false, false
}

// skipAgeWords skips "the age of", "ages", "age" between a word and its number.
func (aw *ageWords) skipAgeWords(toks []token, j int) int {
	for j < len(toks) && toks[j].sep != sepClause && aw.ageWords[toks[j].s] {
		j++
	}
	return j
}

// rangeEnd reads the second number of a range at toks[j]: "-24", "to 24", "and 24".
func (aw *ageWords) rangeEnd(toks []token, j int, and bool) (b, end int, ok bool) {
	if j >= len(toks) || toks[j].sep == sepClause {
		return 0, 0, false
	}
	if toks[j].sep == sepDash {
		b, end, _, ok = numberAt(toks, j)
		return b, end, ok
	}
	if aw.after[toks[j].s]&afterRangeJoin != 0 || (and && toks[j].s == "and") {
		if j+1 < len(toks) && toks[j+1].sep != sepClause {
			b, end, _, ok = numberAt(toks, j+1)
			return b, end, ok
		}
	}
	return 0, 0, false
}

func (aw *ageWords) checkRange(toks []token, start, end, a, b int) (agents.AgeRange, int, bool, bool) {
	if a < minAge || a >= b || a > maxAge || b > 120 {
		return agents.AgeRange{}, 0, false, false
	}
	if !aw.contextOK(toks, start, end) && !(b > 31 && monthAt(toks, end)) {
		// "25-44 Feb–Apr": a month after a range is its days' only when both ends
		// can be a day of the month; 44 cannot.
		return agents.AgeRange{}, 0, false, false
	}
	return agents.AgeRange{Min: a, Max: min(b, maxAge)}, end, false, true
}

// monthAt reports whether toks[i] is an English month name or its abbreviation.
func monthAt(toks []token, i int) bool {
	if i >= len(toks) || len(toks[i].s) < 3 {
		return false
	}
	for m := time.January; m <= time.December; m++ {
		if name := strings.ToLower(m.String()); strings.HasPrefix(name, toks[i].s) || toks[i].s == "sept" {
			return true
		}
	}
	return false
}

// contextOK reports whether the words around toks[start:end] leave it an age:
// not money, a date, a duration or a share.
func (aw *ageWords) contextOK(toks []token, start, end int) bool {
	// A comma or more between ends the context: "35+, £10k" is an age and a budget.
	if start > 0 && toks[start].sep < sepComma && aw.beforeNotAge[toks[start-1].s] {
		return false
	}
	if _, demo := aw.demoAfter(toks, end); demo {
		return true // "18-34 M": the M is the demo's, not millions
	}
	if end < len(toks) && toks[end].sep < sepComma && !toks[end].apart {
		n := toks[end]
		if aw.after[n.s]&afterNotAge != 0 || money.IsCurrencyWord(n.s) {
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
func (aw *ageWords) decadesAt(toks []token, i int) (r agents.AgeRange, end int, soft bool, ok bool) {
	lo, hi, j, ok := aw.decadeAt(toks, i)
	if !ok {
		return r, 0, false, false
	}
	if j+1 < len(toks) && toks[j].sep != sepClause {
		k := j
		if aw.after[toks[k].s]&(afterAlternative|afterRangeJoin) != 0 {
			k++
		}
		if (k > j || toks[k].sep == sepDash || toks[k].sep == sepComma) && toks[k].sep != sepClause {
			if _, hi2, j2, ok2 := aw.decadeAt(toks, k); ok2 && hi2 > hi {
				hi, j = hi2, j2
			}
		}
	}
	return agents.AgeRange{Min: lo, Max: hi}, j, false, true
}

// decadeAt reads "20s", "20's", "twenties", "late 20s", "mid-thirties".
func (aw *ageWords) decadeAt(toks []token, j int) (lo, hi, end int, ok bool) {
	if j >= len(toks) {
		return 0, 0, 0, false
	}
	part, isPart := aw.parts[toks[j].s]
	if isPart {
		j++
		if j >= len(toks) {
			return 0, 0, 0, false
		}
	}
	d := 0
	t := toks[j].s
	switch {
	case aw.decades[t] > 0:
		d = aw.decades[t]
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
		if part == partLate {
			hi = 19
		}
	}
	switch part {
	case partEarly:
		hi = lo + 3
	case partMid:
		lo, hi = d+4, d+6
	case partLate:
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
