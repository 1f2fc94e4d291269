// Package money holds what adplan knows about currencies: the words, symbols and
// codes briefs write them with, which currency each market pays in, roughly what a
// unit is worth in US dollars, and how amounts are written for people.
package money

import (
	"strings"

	isocountries "github.com/biter777/countries"
)

// Currencies: what briefs write, which currency each country pays in, and how much a
// unit is roughly worth, for reading budgets and for telling absurd ones apart.

// Currency is a currency as a text writes it: an ISO 4217 code when the words
// name one outright ("€", "kronor", "USD"), else the family they leave open ("$",
// "kr", "peso"), else nothing.
type Currency struct {
	Code   string
	Family string
}

// IsZero reports whether no currency was written.
func (c Currency) IsZero() bool { return c.Code == "" && c.Family == "" }

// Phrase is a currency name of one or more words ("bucks", "kuwaiti dinar").
type Phrase struct {
	Words    []string
	Currency Currency
	// PostfixOnly names are read only after a number: "42 le" is Egyptian pounds,
	// but "le" before a number is too often something else.
	PostfixOnly bool
}

// IsCurrencyWord reports whether w, a lower-case word, names a currency or its
// hundredths ("pesos", "real", "cents"). Other specialists use it so that a number or
// a demonym before a currency ("Mexican pesos", "5 euros") is not read as an age, a
// market or a duration; it is the one list of currency names in the program.
func IsCurrencyWord(w string) bool {
	if tables().nameWords[w] {
		return true
	}
	_, ok := tables().cents[w]
	return ok && len(w) > 2
}

// currencyOfValue reads a table value: three capitals are an ISO code,
// anything else a family.
func currencyOfValue(v string) Currency {
	if len(v) == 3 && strings.ToUpper(v) == v && v != strings.ToLower(v) {
		return Currency{Code: v}
	}
	return Currency{Family: v}
}

// InFamily reports whether code belongs to the family hint. Rial and riyal are
// one name spelled two ways (Qatar's ISO name says rial, Qataris write riyal), and a
// family within another is in it too (a CFA franc is a franc).
func InFamily(code, hint string) bool {
	t := tables()
	f := t.family[code]
	if f == "" || hint == "" {
		return false
	}
	e := t.familyOf[f]
	return f == hint || e.SpelledAlso == hint || e.Within == hint
}

// MarketCurrency is the currency a target market (ISO 3166 code) pays in.
func MarketCurrency(country string) string {
	t := tables()
	if c, ok := t.countryCur[strings.ToUpper(country)]; ok {
		return c
	}
	cc := isocountries.ByName(country)
	if cc == isocountries.Unknown {
		return ""
	}
	if cur := cc.Currency(); cur.IsValid() && t.iso[cur.Alpha()] {
		return cur.Alpha()
	}
	return ""
}

// USDRange is the lowest and highest value of one unit of a currency in US dollars:
// one rate for a known code, the spread of its family for a family alone, the spread
// of all currencies when neither was written. The rates are approximate
// (agents/market/data/fx.json): only orders of magnitude count.
func USDRange(c Currency) (lo, hi float64, ok bool) {
	t := tables()
	switch {
	case c.Code != "":
		r, ok := t.usdPerUnit[c.Code]
		return r, r, ok
	case c.Family != "":
		r, ok := t.familyRange[c.Family]
		return r[0], r[1], ok
	default:
		return t.allRange[0], t.allRange[1], true
	}
}

// IsFamily reports whether f names a family of currencies ("$", "kr", "peso").
func IsFamily(f string) bool { return tables().familyOf[f] != nil }

// FamilyFallback is the currency a family means when no target market pays in one of
// its members: the family's largest economy, so a bare "$" is US dollars.
func FamilyFallback(family string) (string, bool) {
	f := tables().familyOf[family]
	if f == nil {
		return "", false
	}
	return f.Fallback, true
}

// IsISO reports whether code is an ISO 4217 currency a budget can be in (funds and
// accounting units left out).
func IsISO(code string) bool { return tables().iso[code] }

// Symbol is the currency a symbol writes ("€", "$", "R$").
func Symbol(s string) (Currency, bool) {
	c, ok := tables().symbols[s]
	return c, ok
}

// DollarPrefix is the dollar a prefix before "$" names ("us" in "US$", "a" in "A$").
func DollarPrefix(p string) (string, bool) {
	code, ok := tables().dollarPrefixes[p]
	return code, ok
}

// Phrases lists the currency names that start with the word first, longest first.
func Phrases(first string) []Phrase { return tables().phrases[first] }

// IsLowerCaseWord reports whether a lower-case token that spells an ISO code is also
// an English word ("try", "pen", "all"), and so is read as a code only in capitals.
func IsLowerCaseWord(w string) bool { return tables().englishCodes[w] }

// CentWord is the currency a word for hundredths implies when written alone ("cents"
// are dollars, "pence" pounds sterling).
func CentWord(w string) (Currency, bool) {
	c, ok := tables().cents[w]
	return c, ok
}
