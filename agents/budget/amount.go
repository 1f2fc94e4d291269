package budget

import (
	"math"
	"strings"

	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/numbers"
)

// Amounts: a number in digits or words, the multiplier, currency, sign and cents
// written onto it, and ranges of two.

// maxNumberWords bounds how far a number in words is read, so a message of
// thousands of number words costs linear time.
const maxNumberWords = 12

// startsNumber reports whether a word can open a number in words.
func startsNumber(w string) bool {
	if numbers.IsNumberWord(w) || w == "a" || w == "an" {
		return true
	}
	if i := strings.IndexByte(w, '-'); i > 0 {
		_, ok := numbers.Units[w[:i]]
		return ok
	}
	return false
}

type number struct {
	end      int
	value    float64
	factor   float64
	scaled   bool
	integral bool
	mil      bool
}

// readNumber reads the number at token i, in digits or words, with the multipliers
// written after it.
func (sc *scan) readNumber(i int) (number, bool) {
	toks := sc.toks
	var n number
	var ok bool
	switch toks[i].kind {
	case tokNum:
		n, ok = sc.readNumeral(i)
	case tokWord:
		n, ok = sc.readNumberWords(i)
	}
	if !ok {
		return n, false
	}
	if n.end < len(toks) && toks[n.end].text == "grand" && toks[n.end].kind == tokWord &&
		!sc.is(n.end+1, bGrandNot) {
		n.factor *= 1000
		n.end++
	}
	if n.factor != 1 {
		n.scaled = true
		n.value *= n.factor
		n.integral = n.value == math.Trunc(n.value)
	}
	return n, true
}

// readNumeral reads a number in digits at token i and the scale words and suffixes
// after it ("2.5 million", "5k", "5 mil"); factor is what they multiply by.
func (sc *scan) readNumeral(i int) (number, bool) {
	toks := sc.toks
	tok := toks[i]
	n := number{factor: 1}
	if !tok.numOK {
		return n, false
	}
	n.value, n.end, n.integral = tok.value, i+1, tok.integral
	for n.end < len(toks) && n.end < i+6 {
		if h := sc.hedgeAfter(n.end); h > 0 {
			n.end += h // "5-ish thousand"
			continue
		}
		nt := toks[n.end]
		if nt.kind != tokWord {
			break
		}
		if s, ok := numbers.Scales[nt.text]; ok {
			n.factor *= s
			n.end++
			continue
		}
		if nt.text == "hundred" && n.factor == 1 {
			n.factor = 100
			n.end++
			continue
		}
		l := sc.lex(n.end)
		switch {
		case l.in(bSuffix) && n.factor == 1 && (nt.glued || l.in(bSuffixSpaced)):
			n.factor = l.suffix
			n.end++
		case l.in(bLakhSuffix) && n.factor == 1 && (nt.glued || l.in(bLakhSpaced)) && sc.countsInLakhs():
			n.factor = l.lakhSuffix
			n.end++
		case l.in(bMil) && n.factor == 1:
			n.factor = sc.milMeaning().factor
			n.mil = true
			n.end++
		}
		break
	}
	n.end += sc.hedgeAfter(n.end) // "5k-ish"
	return n, true
}

// hedgeAfter is how many tokens at k say the amount before is rough, written onto
// it: "-ish" ("5k-ish"), "ish" ("5ish"), "-" and "ish" ("5-ish"); 0 when none do.
func (sc *scan) hedgeAfter(k int) int {
	toks := sc.toks
	if k >= len(toks) || !toks[k].glued {
		return 0
	}
	if toks[k].kind == tokWord && sc.is(k, bHedgeAfter) {
		return 1
	}
	if toks[k].text == "-" && k+1 < len(toks) && toks[k+1].glued && toks[k+1].kind == tokWord && sc.is(k+1, bHedgeAfter) {
		return 2
	}
	return 0
}

// hedgeBefore finds the word before token start that says the amount is rough
// ("approx. €3k", "c. £2k", "~5k"); a word of one or two letters only with its dot.
func (sc *scan) hedgeBefore(start int) tokRange {
	k := start - 1
	if k < 0 {
		return tokRange{}
	}
	if t := sc.toks[k]; t.kind == tokPunct && t.text == "." && k > 0 && t.glued {
		if w := sc.toks[k-1]; w.kind == tokWord && sc.is(k-1, bHedgeBefore) {
			return tokRange{k - 1, k + 1}
		}
		return tokRange{}
	}
	t := sc.toks[k]
	if !sc.is(k, bHedgeBefore) || t.kind == tokWord && t.end-t.start <= 2 && sc.lower[t.end-1] != '.' {
		return tokRange{}
	}
	return one(k)
}

// readNumberWords reads a number in words at token i ("twenty-five hundred", "half a
// million"), and the "a" of "a dollar" or "a grand".
func (sc *scan) readNumberWords(i int) (number, bool) {
	toks := sc.toks
	tok := toks[i]
	n := number{factor: 1}
	if (tok.text == "a" || tok.text == "an") && i+1 < len(toks) && sc.moneyUnitAt(i+1) {
		n.value, n.end, n.integral = 1, i+1, true
		return n, true
	}
	if !startsNumber(tok.text) {
		return n, false
	}
	end := min(len(toks), i+maxNumberWords)
	v, used, ok := numbers.ReadWords(sc.words[i:end])
	if !ok || used == 0 {
		return n, false
	}
	n.value, n.end = v, i+used
	n.integral = v == math.Trunc(v)
	for k := i; k < n.end; k++ {
		if _, ok := numbers.Scales[sc.words[k]]; ok {
			n.scaled = true
		}
	}
	return n, true
}

// moneyUnitAt reports whether token k names money by itself ("a dollar", "a grand").
func (sc *scan) moneyUnitAt(k int) bool {
	if sc.toks[k].text == "grand" {
		return !sc.is(k+1, bGrandNot)
	}
	sp := sc.spans[k]
	// "a US$4.7 billion" is not "a dollar": the currency belongs to the number after it.
	return sp.n > 0 && sc.toks[k].kind == tokWord &&
		(k+sp.n >= len(sc.toks) || sc.toks[k+sp.n].kind != tokNum)
}

// signAt reports whether token k is a minus sign written onto what follows ("-500",
// "$-500", "-$500"), unlike the dash of a range written onto a number ("18-24").
func (sc *scan) signAt(k, floor int) bool {
	if k < floor || k < 0 || k+1 >= len(sc.toks) {
		return false
	}
	t := sc.toks[k]
	if t.kind != tokPunct || t.text != "-" || !sc.toks[k+1].glued {
		return false
	}
	return !t.glued || sc.toks[k-1].kind == tokSym
}

// readAmount reads the amount whose number starts at token i: the number, a currency
// before or after it, a sign, and cents ("$20 and 43c", "3 GBP 1 pence").
func (sc *scan) readAmount(i, floor int) (budgetAmount, bool) {
	n, ok := sc.readNumber(i)
	if !ok {
		return budgetAmount{}, false
	}
	toks := sc.toks
	a := budgetAmount{start: i, end: n.end, numStart: i, numEnd: n.end, value: n.value,
		factor: n.factor, scaled: n.scaled, integral: n.integral, mil: n.mil}
	p := i
	if sc.signAt(p-1, floor) {
		a.negative = true
		p--
	}
	if s, sp, ok := sc.currencyEndingAt(p, floor); ok && !sp.postfixOnly {
		a.cur, a.curWritten = sp.cur, true
		a.pre = tokRange{s, p}
		p = s
		if !a.negative && sc.signAt(p-1, floor) {
			a.negative = true
			p--
		}
	}
	if p-1 >= floor && toks[p-1].kind == tokWord && sc.is(p-1, bNegative) {
		a.negative, a.minus = true, true
		p--
	}
	a.start = p

	j := a.numEnd
	if j < len(toks) && sc.spans[j].n > 0 && !sc.spans[j].prefixOnly {
		sp := sc.spans[j]
		// The word after says more than a sign before: "$400,000 pesos" is pesos,
		// "$" being the peso sign too, as "$2,000 AUD" is Australian dollars.
		if !a.curWritten || (a.cur.Code == "" && (sp.cur.Code != "" || a.cur.Family == "$" && sp.cur.Family != "$")) {
			a.cur = sp.cur
		}
		a.curWritten = true
		a.post = tokRange{j, j + sp.n}
		j += sp.n
	}
	switch {
	case a.curWritten && a.integral && !a.scaled:
		if c, e, ok := sc.readCents(j, a.value); ok {
			a.value += c / 100
			j = e
		}
	case !a.curWritten && !a.scaled:
		// "10 cents", "10¢", "ten pennies": an amount in hundredths.
		if cur, e, ok := sc.centUnitAt(j); ok {
			a.value /= 100
			a.cur, a.curWritten = cur, true
			a.integral = false
			a.post = tokRange{j, e}
			j = e
		}
	}
	// "5k+", "$5,000+": at least the amount, unlike an age ("25+") or a count
	// ("5k+ listeners").
	if j < len(toks) && toks[j].text == "+" && toks[j].glued && (a.scaled || a.curWritten) && !sc.is(j+1, bNotMoneyAfter) {
		j++
	}
	a.end = j
	return a, true
}

// centUnitAt reads a unit of cents at token k. "c" and "p" are cents only written
// onto the number ("43c", "50p") or at the end of a phrase ("10 c").
func (sc *scan) centUnitAt(k int) (money.Currency, int, bool) {
	if k >= len(sc.toks) {
		return money.Currency{}, k, false
	}
	t := sc.toks[k]
	if t.kind != tokWord && t.text != "¢" {
		return money.Currency{}, k, false
	}
	cur, ok := money.CentWord(t.text)
	if !ok {
		return money.Currency{}, k, false
	}
	if t.text == "p" && !t.glued {
		return money.Currency{}, k, false
	}
	if t.text == "c" && !t.glued && !sc.phraseEndAt(k+1) {
		return money.Currency{}, k, false
	}
	return cur, k + 1, true
}

// phraseEndAt reports whether the phrase ends before token k: the end of the text or
// punctuation that closes a clause.
func (sc *scan) phraseEndAt(k int) bool {
	if k >= len(sc.toks) {
		return true
	}
	t := sc.toks[k]
	if t.kind != tokPunct {
		return false
	}
	switch t.text {
	case ".", ",", "!", "?", ";", ")", ":":
		return true
	}
	return false
}

// readCents reads the cents after an amount with its currency: "43c", "43 cents",
// "1 pence", "and 43c", and bare "43" or "and fourteen" ending a small amount.
func (sc *scan) readCents(j int, main float64) (float64, int, bool) {
	toks := sc.toks
	k := j
	if k < len(toks) && toks[k].kind == tokWord && toks[k].text == "and" {
		k++
	}
	if k >= len(toks) {
		return 0, j, false
	}
	var c float64
	var e int
	var small bool
	switch t := toks[k]; {
	case t.kind == tokNum && t.numOK && t.integral && t.value < 100:
		c, e, small = t.value, k+1, t.digits == 2
	case t.kind == tokWord && startsNumber(t.text) && t.text != "a" && t.text != "an":
		v, used, ok := numbers.ReadWords(sc.words[k:min(len(toks), k+4)])
		if !ok || v >= 100 || v != math.Trunc(v) {
			return 0, j, false
		}
		c, e, small = v, k+used, true
	default:
		return 0, j, false
	}
	if _, end, ok := sc.centUnitAt(e); ok {
		return c, end, true
	}
	// Bare cents ("$20 43", "twenty dollar and 43") end a small amount's phrase; in a
	// brief, "$5,000 and 30 days" must not read as 5,000.30.
	if small && main < 1000 && sc.phraseEndAt(e) {
		return c, e, true
	}
	return 0, j, false
}

// readRangeEnd reads the upper end of a range starting with a: "8-10k", "between 8
// and 10k", "from $5k to $8k". The lower end takes the upper's multiplier and currency
// when it has none ("between 8 and 10k" is 8,000 to 10,000).
func (sc *scan) readRangeEnd(a budgetAmount) (budgetAmount, budgetAmount, bool) {
	toks := sc.toks
	k := a.end
	if k+1 >= len(toks) || a.negative {
		return a, a, false
	}
	switch t := toks[k]; {
	case t.kind == tokPunct && t.text == "-":
	case t.kind == tokWord && t.text == "to":
	case t.kind == tokWord && t.text == "and":
		if a.start == 0 || toks[a.start-1].text != "between" {
			return a, a, false
		}
	default:
		return a, a, false
	}
	// The upper end's number may follow its own currency ("$5k-$8k").
	num := k + 1
	if sp := sc.spans[num]; sp.n > 0 && !sp.postfixOnly {
		num += sp.n
	}
	if num >= len(toks) {
		return a, a, false
	}
	b, ok := sc.readAmount(num, k+1)
	if !ok || b.negative || sc.excludedAfter(b.end) {
		return a, a, false
	}
	if !a.scaled && b.factor > 1 && a.value*b.factor <= b.value {
		a.value *= b.factor
		a.scaled = true
	}
	switch {
	case a.curWritten && b.curWritten && a.cur != b.cur:
		switch {
		case a.cur.Code == "" && money.InFamily(b.cur.Code, a.cur.Family):
			a.cur = b.cur
		case b.cur.Code == "" && money.InFamily(a.cur.Code, b.cur.Family):
			b.cur = a.cur
		default:
			return a, a, false
		}
	case a.curWritten:
		b.cur, b.curWritten = a.cur, true
	case b.curWritten:
		a.cur, a.curWritten = b.cur, true
	}
	if b.value < a.value || a.value < 0 {
		return a, a, false
	}
	b.scaled = b.scaled || a.scaled
	return a, b, true
}
