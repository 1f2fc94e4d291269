// Package money holds what adplan knows about currencies: the words, symbols and
// codes briefs write them with, which currency each market pays in, roughly what a
// unit is worth in US dollars, and how amounts are written for people.
package money

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	isocountries "github.com/biter777/countries"

	"github.com/adplan/adplan/agents/market"
)

// Currencies: what briefs write, which currency each country pays in, and how much a
// unit is roughly worth, for reading budgets and for telling absurd ones apart.

//go:embed data/currency_words.json
var currencyWordsJSON []byte

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

type tableSet struct {
	// nameWords holds every word that ends a currency's name, in the singular and the
	// plural ("dollars", "real", "zloty"), for IsCurrencyWord.
	nameWords      map[string]bool
	symbols        map[string]Currency
	dollarPrefixes map[string]string
	phrases        map[string][]Phrase // by first word, longest first
	iso            map[string]bool     // ISO 4217 codes, funds left out
	family         map[string]string   // ISO code → family, when it has one
	countryCur     map[string]string   // ISO 3166 alpha-2 and alpha-3 → currency
	usdPerUnit     map[string]float64
	familyRange    map[string][2]float64 // family → lowest and highest USD per unit
	allRange       [2]float64
}

// fundCodes are ISO 4217 codes of accounting units and funds, which no brief
// budgets in.
var fundCodes = map[string]bool{
	"XDR": true, "XUA": true, "XSU": true, "CLF": true, "COU": true, "MXV": true,
	"UYI": true, "CHE": true, "CHW": true, "USN": true, "VEF": true, "YUD": true,
}

// lowerCodeWords are ISO codes that are also English words ("all", "top",
// "try", "pen"). Written in lower case they are read as words; in capitals
// ("TRY 5,000") as codes.
var lowerCodeWords = map[string]bool{
	"all": true, "top": true, "cup": true, "mop": true, "mad": true, "bob": true,
	"gel": true, "sos": true, "try": true, "pen": true, "cop": true, "bam": true,
	"ron": true, "std": true,
}

// familyFallback is the currency a family means when no target market pays in
// one of its members: the family's largest economy, so a bare "$" is US dollars.
var familyFallback = map[string]string{
	"$":     "USD",
	"kr":    "SEK", // Sweden is the largest of the krona/krone economies (SEK, NOK, DKK, ISK).
	"peso":  "MXN", // Mexico is the largest peso economy (ahead of Argentina, Colombia, Chile, the Philippines).
	"rupee": "INR", // India, by far.
	"franc": "CHF", // Switzerland outweighs both CFA franc zones together.
	// The dinar economies (Algeria, Iraq, Kuwait) are of a size; Kuwait's dinar is a
	// stable pick, and a dinar-paying target market decides instead when named.
	"dinar":    "KWD",
	"riyal":    "SAR", // Saudi Arabia is the largest riyal economy.
	"rial":     "OMR", // Iran's and Yemen's rials have no Spotify market; Oman's has.
	"shilling": "KES", // Kenya is the largest shilling economy.
	"dirham":   "AED", // The UAE is larger than Morocco.
}

var tablesOnce = sync.OnceValue(loadTables)

func tables() *tableSet { return tablesOnce() }

// loadTables builds the lookup tables once. The embedded files are part of the
// program, so a malformed one is a build defect and panics at first use.
func loadTables() *tableSet {
	var words struct {
		Symbols        map[string]string `json:"symbols"`
		DollarPrefixes map[string]string `json:"dollar_prefixes"`
		Words          map[string]string `json:"words"`
		PostfixOnly    []string          `json:"postfix_only"`
	}
	if err := json.Unmarshal(currencyWordsJSON, &words); err != nil {
		panic(fmt.Sprintf("reading data/currency_words.json: %v", err))
	}
	// One set of exchange rates serves the whole program: the market facts'.

	t := &tableSet{
		symbols:        make(map[string]Currency, len(words.Symbols)),
		dollarPrefixes: words.DollarPrefixes,
		phrases:        map[string][]Phrase{},
		iso:            map[string]bool{},
		family:         map[string]string{},
		countryCur:     map[string]string{},
		usdPerUnit:     market.Default().Rates(),
		familyRange:    map[string][2]float64{},
	}
	names := map[string]Currency{}
	for _, c := range isocountries.AllCurrencies() {
		code := c.Alpha()
		if len(code) != 3 || fundCodes[code] {
			continue
		}
		t.iso[code] = true
		name := strings.ToLower(c.String())
		if f := familyOfName(name); f != "" {
			t.family[code] = f
		}
		// Multi-word ISO names as briefs write them: "kuwaiti dinar(s)",
		// "egyptianpound"; rial and riyal are spelled either way.
		if strings.Contains(name, " ") && !strings.ContainsAny(name, "()") {
			for _, n := range []string{name, strings.ReplaceAll(name, "riyal", "rial"), strings.ReplaceAll(name, "rial", "riyal")} {
				names[n] = Currency{Code: code}
				names[n+"s"] = Currency{Code: code}
				names[strings.ReplaceAll(n, " ", "")] = Currency{Code: code}
			}
		}
	}
	for _, c := range isocountries.All() {
		cur := c.Currency()
		if !cur.IsValid() || !t.iso[cur.Alpha()] {
			continue
		}
		t.countryCur[c.Alpha2()] = cur.Alpha()
		t.countryCur[c.Alpha3()] = cur.Alpha()
	}
	for w, v := range words.Words {
		names[w] = currencyOfValue(v)
	}
	postfix := map[string]bool{}
	for _, w := range words.PostfixOnly {
		postfix[w] = true
	}
	for n, cur := range names {
		ws := strings.Fields(n)
		t.phrases[ws[0]] = append(t.phrases[ws[0]], Phrase{Words: ws, Currency: cur, PostfixOnly: postfix[n]})
	}
	t.nameWords = map[string]bool{}
	for n := range names {
		ws := strings.Fields(n)
		last := ws[len(ws)-1]
		if len(ws) == 1 && (len(last) <= 2 || t.iso[strings.ToUpper(last)]) {
			continue // "kr", "le", "usd": codes and abbreviations, not names
		}
		t.nameWords[last] = true
		t.nameWords[strings.TrimSuffix(last, "s")] = true
	}
	for k, ps := range t.phrases {
		sort.Slice(ps, func(i, j int) bool {
			if len(ps[i].Words) != len(ps[j].Words) {
				return len(ps[i].Words) > len(ps[j].Words)
			}
			return strings.Join(ps[i].Words, " ") < strings.Join(ps[j].Words, " ")
		})
		t.phrases[k] = ps
	}
	for s, v := range words.Symbols {
		t.symbols[s] = currencyOfValue(v)
	}

	t.allRange = [2]float64{math.Inf(1), 0}
	for code, r := range t.usdPerUnit {
		t.allRange[0] = math.Min(t.allRange[0], r)
		t.allRange[1] = math.Max(t.allRange[1], r)
		fams := []string{t.family[code]}
		if fams[0] == "rial" || fams[0] == "riyal" {
			fams = []string{"rial", "riyal"}
		}
		for _, f := range fams {
			if f == "" {
				continue
			}
			fr, ok := t.familyRange[f]
			if !ok {
				fr = [2]float64{r, r}
			}
			t.familyRange[f] = [2]float64{math.Min(fr[0], r), math.Max(fr[1], r)}
		}
	}
	return t
}

// IsCurrencyWord reports whether w, a lower-case word, names a currency or its
// hundredths ("pesos", "real", "cents"). Other specialists use it so that a number or
// a demonym before a currency ("Mexican pesos", "5 euros") is not read as an age, a
// market or a duration; it is the one list of currency names in the program.
func IsCurrencyWord(w string) bool {
	if tables().nameWords[w] {
		return true
	}
	_, ok := centWords[w]
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

// familyOfName is the family a currency's ISO name puts it in.
func familyOfName(name string) string {
	switch {
	case strings.Contains(name, "dollar"):
		return "$"
	case strings.Contains(name, "peso"):
		return "peso"
	case strings.Contains(name, "krona"), strings.Contains(name, "krone"):
		return "kr"
	case strings.Contains(name, "dinar"):
		return "dinar"
	case strings.Contains(name, "riyal"):
		return "riyal"
	case strings.Contains(name, "rial"):
		return "rial"
	case strings.Contains(name, "rupee"):
		return "rupee"
	case strings.Contains(name, "franc"):
		return "franc"
	case strings.Contains(name, "shilling"):
		return "shilling"
	case strings.Contains(name, "dirham"):
		return "dirham"
	}
	return ""
}

// InFamily reports whether code belongs to the family hint. Rial and riyal are
// one name spelled two ways (Qatar's ISO name says rial, Qataris write riyal).
func InFamily(code, hint string) bool {
	f := tables().family[code]
	if f == "" || hint == "" {
		return false
	}
	if f == hint {
		return true
	}
	return (f == "rial" || f == "riyal") && (hint == "rial" || hint == "riyal")
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

// families lists every family a text can leave a currency in.
var families = map[string]bool{
	"$": true, "kr": true, "peso": true, "rupee": true, "franc": true, "dinar": true,
	"riyal": true, "rial": true, "shilling": true, "dirham": true,
}

// IsFamily reports whether f names a family of currencies ("$", "kr", "peso").
func IsFamily(f string) bool { return families[f] }

// FamilyFallback is the currency a family means when no target market pays in one of
// its members: the family's largest economy, so a bare "$" is US dollars.
func FamilyFallback(family string) (string, bool) {
	code, ok := familyFallback[family]
	return code, ok
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
func IsLowerCaseWord(w string) bool { return lowerCodeWords[w] }

// CentWord is the currency a word for hundredths implies when written alone ("cents"
// are dollars, "pence" pounds sterling).
func CentWord(w string) (Currency, bool) {
	c, ok := centWords[w]
	return c, ok
}

// centWords are the hundredths briefs write, with the currency each implies when
// written alone.
var centWords = map[string]Currency{
	"cent": {Family: "$"}, "cents": {Family: "$"}, "c": {Family: "$"}, "ct": {Family: "$"},
	"cts": {Family: "$"}, "penny": {Family: "$"}, "pennies": {Family: "$"}, "¢": {Family: "$"},
	"pence": {Code: "GBP"}, "p": {Code: "GBP"}, "sen": {Code: "MYR"}, "sens": {Code: "MYR"},
	"kopiyka": {Code: "UAH"}, "kopiykas": {Code: "UAH"}, "kopiyok": {Code: "UAH"},
	"kopeck": {Code: "RUB"}, "kopecks": {Code: "RUB"}, "kopek": {Code: "RUB"}, "kopeks": {Code: "RUB"},
	"paise": {Family: "rupee"}, "paisa": {Family: "rupee"}, "centavos": {Family: "peso"},
	"øre": {Family: "kr"}, "öre": {Family: "kr"}, "rappen": {Code: "CHF"},
}
