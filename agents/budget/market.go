package budget

import (
	"strings"
	"sync"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/geo"
	"github.com/adplan/adplan/agents/money"
	"github.com/adplan/adplan/agents/numbers"
)

// What the market a message names tells about its money: a bare number beside it is
// a budget in its currency ("Brazil, 15000 over 30 days"), letters written onto a
// number may be its currency ("R 50k" in South Africa), and "mil" is a thousand where
// people write Spanish or Portuguese.

// marketNames are the names agents/geo knows a market by, split into words as the
// tokenizer splits a name written plainly ("south africa", "u.s"), without stand-ins
// and demonyms: "Spanish speakers, 5000" is no budget in euros.
var marketNames = sync.OnceValue(func() *geo.Index {
	return geo.NewIndex(strings.Fields, func(n geo.Name) bool { return n.Kind != geo.StandIn && n.Kind != geo.Demonym })
})

// findMarkets finds the markets the message names.
func (sc *scan) findMarkets() {
	names := marketNames()
	for i := 0; i < len(sc.toks); i++ {
		if sc.toks[i].kind != tokWord {
			continue
		}
		for _, mn := range names.Starting(sc.toks[i].text) {
			if sc.wordsAt(i, mn.Words) {
				sc.markets = append(sc.markets, marketRef{from: i, to: i + len(mn.Words), country: mn.Country})
				i += len(mn.Words) - 1
				break
			}
		}
	}
}

// wordsAt reports whether the tokens from i are the words ws.
func (sc *scan) wordsAt(i int, ws []string) bool {
	if i+len(ws) > len(sc.toks) {
		return false
	}
	for k, w := range ws {
		if t := sc.toks[i+k]; t.text != w || k > 0 && t.kind != tokWord {
			return false
		}
	}
	return true
}

// namesMarket reports whether the message names the market country.
func (sc *scan) namesMarket(country string) bool {
	for _, m := range sc.markets {
		if m.country == country {
			return true
		}
	}
	return false
}

// letterPrefixAt finds a currency written as letters at token i onto the number
// after it ("R120,000", "S/ 90,000"), and how many tokens the letters take.
func (sc *scan) letterPrefixAt(i int) (money.LetterPrefix, int, bool) {
	toks := sc.toks
	for _, p := range money.LetterPrefixes(toks[i].text) {
		n := len(p.Tokens)
		if i+n >= len(toks) || !sc.tokensAt(i, p.Tokens) {
			continue
		}
		num := toks[i+n]
		if num.kind != tokNum || !num.numOK {
			continue
		}
		home := p.Market != "" && sc.namesMarket(p.Market)
		switch {
		case home:
		case p.GluedOnly:
			if !num.glued || !sc.moneyByItself(i+n) {
				continue
			}
		}
		return p, n, true
	}
	return money.LetterPrefix{}, 0, false
}

// tokensAt reports whether the tokens from i are ts, each after the first written
// onto the one before.
func (sc *scan) tokensAt(i int, ts []string) bool {
	if i+len(ts) > len(sc.toks) {
		return false
	}
	for k, s := range ts {
		if t := sc.toks[i+k]; t.text != s || k > 0 && !t.glued {
			return false
		}
	}
	return true
}

// moneyByItself reports whether the numeral at k reads as an amount without a
// currency: grouped digits ("120,000"), four digits or more, or a multiplier after it.
func (sc *scan) moneyByItself(k int) bool {
	t := sc.toks[k]
	if t.digits >= 4 || strings.ContainsAny(t.text, ",. '") {
		return true
	}
	if k+1 < len(sc.toks) && sc.toks[k+1].kind == tokWord {
		if _, ok := numbers.Scales[sc.toks[k+1].text]; ok {
			return true
		}
		return sc.is(k+1, bSuffix|bMil)
	}
	return false
}

// milScale is what "mil" after a number means in one message, and why.
type milScale struct {
	factor float64
	// settled is false when neither the currency nor the language says which it is;
	// market names the market that decided it, "" when none did.
	settled bool
	market  string
}

// milMeaning works out "mil": a thousand when a currency written in the message is
// paid where people write Spanish or Portuguese ("R$", "pesos", "BRL"), or the
// message is in one of them; a million in an English message. Otherwise the market
// named decides, and without one it is the English shorthand; either way unsettled.
func (sc *scan) milMeaning() milScale {
	if sc.milRead {
		return sc.mil
	}
	sc.milRead = true
	sc.mil = sc.decideMil()
	return sc.mil
}

func (sc *scan) decideMil() milScale {
	const thousand, million = 1e3, 1e6
	for _, sp := range sc.spans {
		if sp.n == 0 {
			continue
		}
		code := sp.cur.Code
		if code == "" {
			code, _ = money.FamilyFallback(sp.cur.Family)
		}
		if milThousandCurrency(code) {
			return milScale{factor: thousand, settled: true}
		}
	}
	lang := agents.DetectLanguage(sc.lower)
	if money.MilIsThousand(lang) || sc.hasWordIn(bMilThousandWord) ||
		lang != "en" && strings.ContainsAny(sc.lower, sc.v.milLetters) {
		return milScale{factor: thousand, settled: true}
	}
	// A market where "mil" is a thousand leaves an English brief open: a planner
	// abroad may write the local word.
	for _, m := range sc.markets {
		if money.MilIsThousand(money.MarketLanguage(m.country)) {
			if lang == "en" {
				return milScale{factor: million, market: m.country}
			}
			return milScale{factor: thousand, market: m.country}
		}
	}
	if lang == "en" {
		return milScale{factor: million, settled: true}
	}
	return milScale{factor: million}
}

// milThousandCurrency reports whether every market paying in code writes "mil" for a
// thousand (BRL, MXN, PEN; not USD or EUR, paid in English and German too).
func milThousandCurrency(code string) bool {
	langs := money.CurrencyLanguages(code)
	if len(langs) == 0 {
		return false
	}
	for _, l := range langs {
		if !money.MilIsThousand(l) {
			return false
		}
	}
	return true
}

// nearMarket reports whether a market is named right beside the tokens [start, end)
// within the same phrase: "Brazil, 15000", "Brazil: 15000", "15000 in Brazil".
func (sc *scan) nearMarket(start, end int) bool {
	toks := sc.toks
	for _, mk := range sc.markets {
		if mk.to <= start {
			gap := 0
			for k := mk.to; k < start; k++ {
				if !sc.marketGlue(k) {
					gap = -1
					break
				}
				gap++
			}
			if gap >= 0 && gap <= 3 {
				return true
			}
		}
		if mk.from >= end {
			gap := 0
			for k := end; k < mk.from; k++ {
				if !sc.marketGlue(k) || toks[k].kind == tokPunct && toks[k].text == "," {
					gap = -1
					break
				}
				gap++
			}
			if gap >= 0 && gap <= 2 {
				return true
			}
		}
	}
	return false
}

// marketGlue reports whether token k may stand between a market and its budget:
// punctuation within a phrase ("," ":" "-" "(") and short fillers ("in", "for").
func (sc *scan) marketGlue(k int) bool {
	t := sc.toks[k]
	switch t.kind {
	case tokPunct:
		switch t.text {
		case ",", ":", "-", "(", ")", "/":
			return true
		}
		return false
	case tokWord:
		return sc.is(k, bFlightWord) || t.text == "only" || t.text == "with"
	}
	return false
}

// flightAfter reports whether a flight follows the number ending at e: "15000 over
// 30 days", "15000 for 4 weeks".
func (sc *scan) flightAfter(e int) bool {
	toks := sc.toks
	if e+2 >= len(toks) || !sc.is(e, bFlightWord) {
		return false
	}
	k := e + 1
	if toks[k].kind == tokWord && !startsNumber(toks[k].text) {
		k++ // "for the next 30 days"? one word only: "over another 30 days"
	}
	if k+1 >= len(toks) {
		return false
	}
	if toks[k].kind != tokNum && !startsNumber(toks[k].text) {
		return false
	}
	return sc.is(k+1, bFlightUnit)
}

// flightLength is a length of flight written as a count of units ("for 3 months").
type flightLength struct {
	count float64
	unit  string // "day", "week" or "month"
}

// days is the flight in days, a month counted as 30 days as the rates are.
func (f flightLength) days() float64 {
	return f.count * unitDays(f.unit)
}

// unitDays is the days of a period unit: 1, 7, or 30 for a month.
func unitDays(unit string) float64 {
	switch unit {
	case "week":
		return 7
	case "month":
		return 30
	}
	return 1
}

// flightStated finds the length of flight the message writes as a flight word, a
// count and a unit ("for 3 months", "over six weeks"), first looking right after the
// rate ending at e and then anywhere in the message; the zero flightLength when there
// is none.
func (sc *scan) flightStated(e int) flightLength {
	if f, ok := sc.flightLengthAt(e); ok {
		return f
	}
	for k := range sc.toks {
		if f, ok := sc.flightLengthAt(k); ok && !sc.inMoney(k) {
			return f
		}
	}
	for k := range sc.toks {
		if f, ok := sc.flightClauseAt(k); ok && !sc.inMoney(k) {
			return f
		}
	}
	return flightLength{}
}

// flightClauseAt reads a flight length written as a clause of its own, with no
// flight word before it: a whole count and a flight unit at k, after the start of the
// message or punctuation, and before the end, punctuation or a word that anchors the
// flight's start ("UK, £5k a week, 8 weeks from 4 Jan", "— 2 weeks —"). Bounded so,
// the length cannot be an offset ("launch in 2 weeks") or part of a date phrase.
func (sc *scan) flightClauseAt(k int) (flightLength, bool) {
	toks := sc.toks
	if k > 0 && toks[k-1].kind != tokPunct {
		return flightLength{}, false
	}
	n, ok := sc.readNumber(k)
	if !ok || n.scaled || !n.integral || n.value < 1 || n.end >= len(toks) || !sc.is(n.end, bFlightUnit) {
		return flightLength{}, false
	}
	if e := n.end + 1; e < len(toks) && toks[e].kind != tokPunct && !sc.is(e, bFlightStart) {
		return flightLength{}, false
	}
	unit := "day"
	switch toks[n.end].text[0] {
	case 'w':
		unit = "week"
	case 'm':
		unit = "month"
	}
	return flightLength{count: n.value, unit: unit}, true
}

// flightLengthAt reads a flight word at k followed by a whole count and a flight unit.
func (sc *scan) flightLengthAt(k int) (flightLength, bool) {
	toks := sc.toks
	if k+2 >= len(toks) || !sc.is(k, bFlightWord) {
		return flightLength{}, false
	}
	n, ok := sc.readNumber(k + 1)
	if !ok || n.scaled || !n.integral || n.value < 1 || n.end >= len(toks) || !sc.is(n.end, bFlightUnit) {
		return flightLength{}, false
	}
	unit := "day"
	switch toks[n.end].text[0] {
	case 'w':
		unit = "week"
	case 'm':
		unit = "month"
	}
	return flightLength{count: n.value, unit: unit}, true
}

// countsInLakhs reports whether the message counts money in lakhs and crores: it
// writes a currency of those markets ("₹", "Rs", "PKR", "rupees" with no other
// market) or names a market that pays in one.
func (sc *scan) countsInLakhs() bool {
	if sc.lakhRead {
		return sc.lakh
	}
	sc.lakhRead = true
	lakh := sc.v.lakhCurrencies
	for _, sp := range sc.spans {
		if sp.n == 0 {
			continue
		}
		code := sp.cur.Code
		if code == "" {
			code, _ = money.FamilyFallback(sp.cur.Family)
		}
		if lakh[code] {
			sc.lakh = true
			return true
		}
	}
	for _, m := range sc.markets {
		if lakh[money.MarketCurrency(m.country)] {
			sc.lakh = true
			return true
		}
	}
	return false
}
