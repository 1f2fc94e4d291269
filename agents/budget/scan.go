package budget

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/numbers"
)

// Reading money out of a message: a tokenizer that keeps numerals, words, currency
// symbols and punctuation apart (and remembers which touch), the currency names found
// among them, and the amounts that count as money.

type tokenKind uint8

const (
	tokNum tokenKind = iota + 1
	tokWord
	tokSym // a currency symbol
	tokPunct
)

type token struct {
	text  string
	kind  tokenKind
	glued bool // written onto the token before it, with no space
	// For numerals:
	value    float64
	numOK    bool
	integral bool
	digits   int
}

// maxNumberWords bounds how far a number in words is read, so a message of
// thousands of number words costs linear time.
const maxNumberWords = 12

// tokenize splits lower-case text into tokens.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/4+1)
	space := true
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			space, i = true, i+1
			continue
		}
		glued := !space && len(toks) > 0
		space = false
		if c >= '0' && c <= '9' {
			j := scanNumeral(s, i)
			toks = append(toks, numeralToken(s[i:j], glued))
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsLetter(r):
			j := scanWord(s, i)
			word := s[i:j]
			// "Rs. 20" and "42 L.E." end in an abbreviation's dot, not a full stop.
			if j < len(s) && s[j] == '.' && (word == "rs" || strings.IndexByte(word, '.') >= 0) {
				j++
			}
			toks = append(toks, token{text: word, kind: tokWord, glued: glued})
			size = j - i
		case unicode.Is(unicode.Sc, r):
			toks = append(toks, token{text: s[i : i+size], kind: tokSym, glued: glued})
		default:
			toks = append(toks, token{text: s[i : i+size], kind: tokPunct, glued: glued})
		}
		i += size
	}
	return toks
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumeral returns the end of the numeral starting at i: digits with the
// separators people group them by ("1,500", "5.000", "4'000", "50 000").
func scanNumeral(s string, i int) int {
	j := i
	plain := true   // only digits and grouping spaces so far
	firstGroup := 0 // digits before the first grouping space
	spaced := false
	for j < len(s) {
		c := s[j]
		switch {
		case isDigit(c):
			if !spaced {
				firstGroup++
			}
			j++
		case (c == ',' || c == '.' || c == '\'') && j+1 < len(s) && isDigit(s[j+1]):
			plain = false
			j++
		case c == ' ' && plain && firstGroup <= 3 && spaceGroupFollows(s, j):
			spaced = true
			j++
		default:
			return j
		}
	}
	return j
}

// spaceGroupFollows reports whether the space at j groups thousands ("50 000"):
// exactly three digits follow it. The caller checks the numeral so far starts with
// one to three digits.
func spaceGroupFollows(s string, j int) bool {
	if j+4 > len(s) {
		return false
	}
	for k := j + 1; k < j+4; k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	if j+4 == len(s) {
		return true
	}
	next := s[j+4]
	if isDigit(next) {
		return false
	}
	return !((next == ',' || next == '.') && j+5 < len(s) && isDigit(s[j+5]))
}

func numeralToken(raw string, glued bool) token {
	t := token{text: raw, kind: tokNum, glued: glued}
	clean := raw
	if strings.ContainsAny(raw, " '") {
		clean = strings.NewReplacer(" ", "", "'", "").Replace(raw)
	}
	for i := 0; i < len(clean); i++ {
		if isDigit(clean[i]) {
			t.digits++
		}
	}
	t.value, t.numOK = numbers.ParseNumeral(clean)
	t.integral = t.numOK && t.value == math.Trunc(t.value)
	return t
}

// scanWord returns the end of the word starting at i. Hyphens join words
// ("twenty-five"); a dot joins short abbreviations ("l.e", "u.s").
func scanWord(s string, i int) int {
	j := i
	segment := 0
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			j += size
			segment++
			continue
		}
		if (r == '-' || r == '\'' || (r == '.' && segment <= 2)) && j+1 < len(s) {
			if next, _ := utf8.DecodeRuneInString(s[j+1:]); unicode.IsLetter(next) {
				j++
				segment = 0
				continue
			}
		}
		break
	}
	return j
}

// span is a currency name starting at a token.
type span struct {
	n   int // tokens it takes; 0 when none starts here
	cur money.Currency
	// postfixOnly names count only after a number ("42 le").
	postfixOnly bool
	// attachedOnly names count only beside a number: "TRY 5,000" is Turkish lira,
	// "in ALL markets" is not Albanian lek.
	attachedOnly bool
}

// budgetCue is what, besides a currency, makes a bare number a budget.
type budgetCue uint8

const (
	cueNone   budgetCue = iota
	cueFollow           // "make it 8000", "what about 8000", "8000 instead"
	cueWith             // "with 5000"
	cueBudget           // "a budget of 7500", "spend 5000", "7500 to spend"
)

// budgetAmount is one number with what is written onto it.
type budgetAmount struct {
	start, end       int // tokens, currency and sign included
	numStart, numEnd int // the number itself, multipliers included
	value            float64
	factor           float64 // the multiplier written after the number (k, million, grand)
	scaled           bool    // a multiplier or scale word was written
	cur              money.Currency
	curWritten       bool // a currency (or a unit of cents) was written with it
	negative         bool
	minus            bool // negative by the word "minus"
	integral         bool
}

// budgetMoney is an amount that counts as money, or a range of two.
type budgetMoney struct {
	budgetAmount
	min      float64
	hasMin   bool
	fromTo   bool   // "from 5k to 8k"
	period   string // "", "day", "week" or "month"
	lifetime bool   // "in total", "lifetime"
	cue      budgetCue
	price    bool // "$10 CPM": a price, not a budget
	old      bool // "instead of 5k": the amount being replaced
}

// scan is one message read into tokens, currencies and amounts.
type scan struct {
	toks  []token
	words []string
	spans []span
	upper []string // three-letter codes written in capitals ("TRY")
	money []budgetMoney
	// moneyTok marks the tokens of every amount in money.
	moneyTok []bool
	// saysCurrency is whether the word "currency" occurs.
	saysCurrency bool
}

func newScan(m agents.Message) *scan {
	lower := m.Lower
	if lower == "" && m.Text != "" {
		lower = agents.Normalize(m.Text)
	}
	sc := &scan{toks: tokenize(lower)}
	sc.words = make([]string, len(sc.toks))
	for i, t := range sc.toks {
		sc.words[i] = t.text
		sc.saysCurrency = sc.saysCurrency || t.text == "currency"
	}
	sc.upper = upperCodes(m.Text)
	sc.findCurrencies()
	sc.findMoney()
	return sc
}

// upperCodes lists the words of exactly three capital letters in text; none
// when the text has no lower-case letter, since shouting tells nothing.
func upperCodes(text string) []string {
	var codes []string
	hasLower := false
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= 'a' && c <= 'z' {
			hasLower = true
			break
		}
	}
	if !hasLower {
		return nil
	}
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	for i := 0; i+3 <= len(text); i++ {
		if (i > 0 && isLetter(text[i-1])) || !isUpperRun(text[i:i+3]) || (i+3 < len(text) && isLetter(text[i+3])) {
			continue
		}
		codes = append(codes, text[i:i+3])
		i += 2
	}
	return codes
}

func isUpperRun(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func (sc *scan) writtenUpper(code string) bool {
	for _, c := range sc.upper {
		if c == code {
			return true
		}
	}
	return false
}

// findCurrencies marks every currency name: symbols ("€", "US$"), words and phrases
// ("bucks", "kuwaiti dinar") and ISO codes.
func (sc *scan) findCurrencies() {
	sc.spans = make([]span, len(sc.toks))
	toks := sc.toks
	for i, tok := range toks {
		switch tok.kind {
		case tokSym:
			c, ok := money.Symbol(tok.text)
			if !ok {
				continue
			}
			n := 1
			// "20 €ur"
			if tok.text == "€" && i+1 < len(toks) && toks[i+1].glued && toks[i+1].kind == tokWord {
				switch toks[i+1].text {
				case "ur", "uro", "uros":
					n = 2
				}
			}
			sc.spans[i] = span{n: n, cur: c}
		case tokWord:
			// "US$", "R$", "A$": letters written onto a dollar sign.
			if i+1 < len(toks) && toks[i+1].glued && toks[i+1].text == "$" {
				if code, ok := money.DollarPrefix(tok.text); ok {
					sc.spans[i] = span{n: 2, cur: money.Currency{Code: code}}
					continue
				}
			}
			if sp, ok := sc.phraseAt(i); ok {
				sc.spans[i] = sp
				continue
			}
			if len(tok.text) == 3 {
				var up [3]byte
				for k := 0; k < 3; k++ {
					up[k] = tok.text[k] - ('a' - 'A')
				}
				if money.IsISO(string(up[:])) {
					code := string(up[:])
					english := money.IsLowerCaseWord(tok.text)
					if !english || sc.writtenUpper(code) {
						sc.spans[i] = span{n: 1, cur: money.Currency{Code: code}, attachedOnly: english}
					}
				}
			}
		}
	}
}

func (sc *scan) phraseAt(i int) (span, bool) {
	for _, p := range money.Phrases(sc.toks[i].text) {
		if i+len(p.Words) > len(sc.toks) {
			continue
		}
		match := true
		for k := 1; k < len(p.Words); k++ {
			if t := sc.toks[i+k]; t.kind != tokWord || t.text != p.Words[k] {
				match = false
				break
			}
		}
		if match {
			return span{n: len(p.Words), cur: p.Currency, postfixOnly: p.PostfixOnly, attachedOnly: p.PostfixOnly}, true
		}
	}
	return span{}, false
}

// suffixes multiply the number they are written onto ("5k", "2.5m", "3bn").
var suffixes = map[string]float64{
	"k": 1e3, "thou": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "mil": 1e6,
	"b": 1e9, "bn": 1e9, "bil": 1e9,
}

// suffixSpaced says which suffixes may stand apart from the number: "5 mil",
// but not "5 m", which is as often metres or minutes.
func suffixSpaced(s string) bool {
	switch s {
	case "k", "thou", "mm", "mn", "mio", "mil", "bn", "bil":
		return true
	}
	return false
}

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

// grandNot lists what may follow "grand" when it is not a thousand.
var grandNot = map[string]bool{
	"total": true, "prize": true, "opening": true, "finale": true, "final": true,
	"slam": true, "tour": true, "scheme": true, "plan": true, "piano": true,
}

type number struct {
	end      int
	value    float64
	factor   float64
	scaled   bool
	integral bool
}

// readNumber reads the number at token i, in digits or words, with the multipliers
// written after it.
func (sc *scan) readNumber(i int) (number, bool) {
	toks := sc.toks
	tok := toks[i]
	n := number{factor: 1}
	switch tok.kind {
	case tokNum:
		if !tok.numOK {
			return n, false
		}
		n.value, n.end, n.integral = tok.value, i+1, tok.integral
		for n.end < len(toks) && n.end < i+6 {
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
			if f, ok := suffixes[nt.text]; ok && n.factor == 1 && (nt.glued || suffixSpaced(nt.text)) {
				n.factor = f
				n.end++
			}
			break
		}
	case tokWord:
		if (tok.text == "a" || tok.text == "an") && i+1 < len(toks) && sc.moneyUnitAt(i+1) {
			n.value, n.end, n.integral = 1, i+1, true // "a dollar", "a grand"
			break
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
	default:
		return n, false
	}
	if n.end < len(toks) && toks[n.end].text == "grand" && toks[n.end].kind == tokWord &&
		(n.end+1 >= len(toks) || !grandNot[toks[n.end+1].text]) {
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

// moneyUnitAt reports whether token k names money by itself ("a dollar", "a grand").
func (sc *scan) moneyUnitAt(k int) bool {
	if sc.toks[k].text == "grand" {
		return k+1 >= len(sc.toks) || !grandNot[sc.toks[k+1].text]
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

// currencyEndingAt finds the longest currency name ending just before token p ("US$"
// rather than its "$"), starting at or after floor.
func (sc *scan) currencyEndingAt(p, floor int) (int, span, bool) {
	for s := max(floor, p-3); s < p; s++ {
		if sp := sc.spans[s]; sp.n > 0 && s+sp.n == p {
			return s, sp, true
		}
	}
	return 0, span{}, false
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
		factor: n.factor, scaled: n.scaled, integral: n.integral}
	p := i
	if sc.signAt(p-1, floor) {
		a.negative = true
		p--
	}
	if s, sp, ok := sc.currencyEndingAt(p, floor); ok && !sp.postfixOnly {
		a.cur, a.curWritten = sp.cur, true
		p = s
		if !a.negative && sc.signAt(p-1, floor) {
			a.negative = true
			p--
		}
	}
	if p-1 >= floor && toks[p-1].kind == tokWord && (toks[p-1].text == "minus" || toks[p-1].text == "negative") {
		a.negative, a.minus = true, true
		p--
	}
	a.start = p

	j := a.numEnd
	if j < len(toks) && sc.spans[j].n > 0 {
		sp := sc.spans[j]
		if !a.curWritten || (a.cur.Code == "" && sp.cur.Code != "") {
			a.cur = sp.cur
		}
		a.curWritten = true
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
			j = e
		}
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

// findMoney collects every amount that counts as money, prices included (marked).
func (sc *scan) findMoney() {
	floor := 0
	for i := 0; i < len(sc.toks); {
		a, ok := sc.readAmount(i, floor)
		if !ok {
			i++
			continue
		}
		m := budgetMoney{budgetAmount: a}
		if lo, hi, ok := sc.readRangeEnd(a); ok {
			m.budgetAmount = hi
			m.start = lo.start
			m.min, m.hasMin = lo.value, true
			m.fromTo = lo.start > 0 && sc.toks[lo.start-1].text == "from"
		}
		if !sc.qualify(&m) {
			i = a.numEnd
			continue
		}
		m.period, m.end = sc.periodAfter(m.end)
		if m.period == "" {
			m.period = sc.periodBefore(m.start)
		}
		m.lifetime = sc.lifetimeAround(m.start, m.end)
		m.price = sc.priceAround(m.start, m.end)
		m.old = sc.oldBefore(m.start)
		sc.money = append(sc.money, m)
		floor, i = m.end, m.end
	}
	if len(sc.money) > 0 {
		sc.moneyTok = make([]bool, len(sc.toks))
		for _, m := range sc.money {
			for k := m.start; k < m.end; k++ {
				sc.moneyTok[k] = true
			}
		}
	}
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

// inMoney reports whether token k is part of an amount read as money.
func (sc *scan) inMoney(k int) bool {
	return sc.moneyTok != nil && sc.moneyTok[k]
}

// StatedAmounts lists every amount of money the message states, the lower ends of
// ranges included, as written (before scales like "a day" are applied). The language
// model's budget is accepted only when it is grounded in one of these.
func StatedAmounts(m agents.Message) []float64 {
	var stated []float64
	for _, mo := range newScan(m).money {
		stated = append(stated, mo.value)
		if mo.hasMin {
			stated = append(stated, mo.min)
		}
	}
	return stated
}
