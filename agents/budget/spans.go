package budget

import "github.com/adplan/adplan/agents/money"

// The currency names among the tokens: symbols, words and phrases, and ISO codes.

// span is a currency name starting at a token.
type span struct {
	n   int // tokens it takes; 0 when none starts here
	cur money.Currency
	// postfixOnly names count only after a number ("42 le").
	postfixOnly bool
	// attachedOnly names count only beside a number: "TRY 5,000" is Turkish lira,
	// "in ALL markets" is not Albanian lek.
	attachedOnly bool
	// prefixOnly names count only before a number ("R120,000"): "5000 r" is no rand.
	prefixOnly bool
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
			if tok.text == "€" && i+1 < len(toks) && toks[i+1].glued && toks[i+1].kind == tokWord && sc.is(i+1, bEuroTail) {
				n = 2
			}
			sc.spans[i] = span{n: n, cur: c}
		case tokWord:
			if p, n, ok := sc.letterPrefixAt(i); ok {
				sc.spans[i] = span{n: n, cur: money.Currency{Code: p.Currency}, attachedOnly: true, prefixOnly: true}
				continue
			}
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
