package budget

import (
	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// Reading money out of a message: the tokens (tokenize.go), the currency names found
// among them (spans.go), the amounts (amount.go) and those that count as money
// (context.go).

// budgetCue is what, besides a currency, makes a bare number a budget.
type budgetCue uint8

const (
	cueNone   budgetCue = iota
	cueMarket           // "Brazil, 15000", "15000 over 30 days" in a brief naming a market
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
	mil              bool // scaled by "mil", a thousand or a million (scan.milScale)
	// pre and post are the currency written before and after the number ("US$",
	// "euros", the "c" of "10c"); empty when none was.
	pre, post tokRange
}

// tokRange is the tokens [from, to) of a scan.
type tokRange struct{ from, to int }

func (t tokRange) empty() bool { return t.to <= t.from }

func (t tokRange) has(k int) bool { return k >= t.from && k < t.to }

// one is the token range of token k alone, or none when k < 0.
func one(k int) tokRange {
	if k < 0 {
		return tokRange{}
	}
	return tokRange{k, k + 1}
}

// budgetMoney is an amount that counts as money, or a range of two.
type budgetMoney struct {
	budgetAmount
	min    float64
	hasMin bool
	fromTo bool   // "from 5k to 8k"
	period string // "", "day", "week" or "month"
	// flight is how long a week's or a month's amount is spent for, when the message
	// says so ("AED 90,000/month for 3 months"); its count is 0 when it does not.
	flight   flightLength
	lifetime bool // "in total", "lifetime"
	cue      budgetCue
	price    bool // "$10 CPM": a price, not a budget
	old      bool // "instead of 5k": the amount being replaced
	// corrected is the amount that an amount after a correction replaces ("20k -
	// sorry, 25k"), -1 when none; correction is the words that say so.
	corrected  int
	correction tokRange
	// Where the words are, for Sources: the lower end of a range ends at loEnd,
	// with its currency at loPre and loPost, and the upper end starts at hiStart
	// (hiStart is 0 without a range); the amount ends at amountEnd, before a
	// period written after it.
	loPre, loPost             tokRange
	loEnd, hiStart, amountEnd int
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
	// currencyWord is the token of the word "currency", -1 when there is none.
	currencyWord int
	v            *vocabulary
	// lower is the text the tokens' offsets are in.
	lower string
	// markets are the markets the message names, in order.
	markets []marketRef
	// mil is what "mil" after a number means here, worked out at its first use.
	mil     milScale
	milRead bool
	// lakh is whether the message counts money in lakhs, worked out at first use.
	lakh     bool
	lakhRead bool
}

// marketRef is a market named at the tokens [from, to).
type marketRef struct {
	from, to int
	country  string
}

func newScan(m agents.Message) *scan {
	lower := m.Lower
	if lower == "" && m.Text != "" {
		lower = agents.Normalize(m.Text)
	}
	sc := &scan{toks: tokenize(lower), v: vocab(), lower: lower, currencyWord: -1}
	sc.v.annotate(sc.toks)
	sc.words = make([]string, len(sc.toks))
	for i, t := range sc.toks {
		sc.words[i] = t.text
		if t.text == "currency" && sc.currencyWord < 0 {
			sc.currencyWord = i
		}
	}
	sc.upper = upperCodes(m.Text)
	sc.findMarkets()
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

// lex is what the word tables say about token k; off the ends, nothing.
func (sc *scan) lex(k int) *lexeme {
	if k < 0 || k >= len(sc.toks) {
		return &sc.v.lexemes[0]
	}
	return &sc.v.lexemes[sc.toks[k].lexeme]
}

// is reports whether the word at token k is in one of the tables of set.
func (sc *scan) is(k int, set wordSet) bool { return sc.lex(k).in(set) }

func (sc *scan) writtenUpper(code string) bool {
	for _, c := range sc.upper {
		if c == code {
			return true
		}
	}
	return false
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
		m := budgetMoney{budgetAmount: a, corrected: -1}
		if lo, hi, ok := sc.readRangeEnd(a); ok {
			m.budgetAmount = hi
			m.loPre, m.loPost, m.loEnd, m.hiStart = lo.pre, lo.post, lo.end, hi.start
			m.start = lo.start
			m.min, m.hasMin = lo.value, true
			m.fromTo = lo.start > 0 && sc.toks[lo.start-1].text == "from"
		}
		if !sc.qualify(&m) {
			i = a.numEnd
			continue
		}
		m.amountEnd = m.end
		m.period, m.end = sc.periodAfter(m.end)
		if m.period == "" {
			m.period, _ = sc.periodBefore(m.start)
		}
		if m.period == "week" || m.period == "month" {
			m.flight = sc.flightStated(m.end)
		}
		m.lifetime = !sc.lifetimeAround(m.start, m.end).empty()
		m.price = !sc.priceAround(m.start, m.end).empty()
		m.old = !sc.oldBefore(m.start).empty()
		sc.correct(&m)
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
