package agents

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

//go:embed data/budget_currency_words.json
var budgetCurrencyWordsJSON []byte

// budgetCurrency is a currency as a text writes it: an ISO 4217 code when the words
// name one outright ("€", "kronor", "USD"), else the family they leave open ("$",
// "kr", "peso"), else nothing.
type budgetCurrency struct {
	code string
	hint string
}

func (c budgetCurrency) isZero() bool { return c.code == "" && c.hint == "" }

// budgetPhrase is a currency name of one or more words ("bucks", "kuwaiti dinar").
type budgetPhrase struct {
	words []string
	cur   budgetCurrency
	// postfixOnly names are read only after a number: "42 le" is Egyptian pounds,
	// but "le" before a number is too often something else.
	postfixOnly bool
}

type budgetTableSet struct {
	// nameWords holds every word that ends a currency's name, in the singular and the
	// plural ("dollars", "real", "zloty"), for currencyWord.
	nameWords      map[string]bool
	symbols        map[string]budgetCurrency
	dollarPrefixes map[string]string
	phrases        map[string][]budgetPhrase // by first word, longest first
	iso            map[string]bool           // ISO 4217 codes, funds left out
	family         map[string]string         // ISO code → family, when it has one
	countryCur     map[string]string         // ISO 3166 alpha-2 and alpha-3 → currency
	usdPerUnit     map[string]float64
	familyRange    map[string][2]float64 // family → lowest and highest USD per unit
	allRange       [2]float64
}

// budgetFundCodes are ISO 4217 codes of accounting units and funds, which no brief
// budgets in.
var budgetFundCodes = map[string]bool{
	"XDR": true, "XUA": true, "XSU": true, "CLF": true, "COU": true, "MXV": true,
	"UYI": true, "CHE": true, "CHW": true, "USN": true, "VEF": true, "YUD": true,
}

// budgetLowerCodeWords are ISO codes that are also English words ("all", "top",
// "try", "pen"). Written in lower case they are read as words; in capitals
// ("TRY 5,000") as codes.
var budgetLowerCodeWords = map[string]bool{
	"all": true, "top": true, "cup": true, "mop": true, "mad": true, "bob": true,
	"gel": true, "sos": true, "try": true, "pen": true, "cop": true, "bam": true,
	"ron": true, "std": true,
}

// budgetFamilyFallback is the currency a family means when no target market pays in
// one of its members: the family's largest economy, so a bare "$" is US dollars.
var budgetFamilyFallback = map[string]string{
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

var budgetTablesOnce = sync.OnceValue(budgetLoadTables)

func budgetTables() *budgetTableSet { return budgetTablesOnce() }

// budgetLoadTables builds the lookup tables once. The embedded files are part of the
// program, so a malformed one is a build defect and panics at first use.
func budgetLoadTables() *budgetTableSet {
	var words struct {
		Symbols        map[string]string `json:"symbols"`
		DollarPrefixes map[string]string `json:"dollar_prefixes"`
		Words          map[string]string `json:"words"`
		PostfixOnly    []string          `json:"postfix_only"`
	}
	if err := json.Unmarshal(budgetCurrencyWordsJSON, &words); err != nil {
		panic(fmt.Sprintf("reading data/budget_currency_words.json: %v", err))
	}
	// One set of exchange rates serves the whole program: the market facts'.

	t := &budgetTableSet{
		symbols:        make(map[string]budgetCurrency, len(words.Symbols)),
		dollarPrefixes: words.DollarPrefixes,
		phrases:        map[string][]budgetPhrase{},
		iso:            map[string]bool{},
		family:         map[string]string{},
		countryCur:     map[string]string{},
		usdPerUnit:     market.Default().Rates(),
		familyRange:    map[string][2]float64{},
	}
	names := map[string]budgetCurrency{}
	for _, c := range isocountries.AllCurrencies() {
		code := c.Alpha()
		if len(code) != 3 || budgetFundCodes[code] {
			continue
		}
		t.iso[code] = true
		name := strings.ToLower(c.String())
		if f := budgetFamilyOfName(name); f != "" {
			t.family[code] = f
		}
		// Multi-word ISO names as briefs write them: "kuwaiti dinar(s)",
		// "egyptianpound"; rial and riyal are spelled either way.
		if strings.Contains(name, " ") && !strings.ContainsAny(name, "()") {
			for _, n := range []string{name, strings.ReplaceAll(name, "riyal", "rial"), strings.ReplaceAll(name, "rial", "riyal")} {
				names[n] = budgetCurrency{code: code}
				names[n+"s"] = budgetCurrency{code: code}
				names[strings.ReplaceAll(n, " ", "")] = budgetCurrency{code: code}
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
		names[w] = budgetCurrencyOfValue(v)
	}
	postfix := map[string]bool{}
	for _, w := range words.PostfixOnly {
		postfix[w] = true
	}
	for n, cur := range names {
		ws := strings.Fields(n)
		t.phrases[ws[0]] = append(t.phrases[ws[0]], budgetPhrase{words: ws, cur: cur, postfixOnly: postfix[n]})
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
			if len(ps[i].words) != len(ps[j].words) {
				return len(ps[i].words) > len(ps[j].words)
			}
			return strings.Join(ps[i].words, " ") < strings.Join(ps[j].words, " ")
		})
		t.phrases[k] = ps
	}
	for s, v := range words.Symbols {
		t.symbols[s] = budgetCurrencyOfValue(v)
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

// currencyWord reports whether w, a lower-case word, names a currency or its
// hundredths ("pesos", "real", "cents"). Other specialists use it so that a number or
// a demonym before a currency ("Mexican pesos", "5 euros") is not read as an age, a
// market or a duration; it is the one list of currency names in the program.
func currencyWord(w string) bool {
	if budgetTables().nameWords[w] {
		return true
	}
	_, ok := budgetCentWords[w]
	return ok && len(w) > 2
}

// budgetCurrencyOfValue reads a table value: three capitals are an ISO code,
// anything else a family.
func budgetCurrencyOfValue(v string) budgetCurrency {
	if len(v) == 3 && strings.ToUpper(v) == v && v != strings.ToLower(v) {
		return budgetCurrency{code: v}
	}
	return budgetCurrency{hint: v}
}

// budgetFamilyOfName is the family a currency's ISO name puts it in.
func budgetFamilyOfName(name string) string {
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

// budgetInFamily reports whether code belongs to the family hint. Rial and riyal are
// one name spelled two ways (Qatar's ISO name says rial, Qataris write riyal).
func budgetInFamily(code, hint string) bool {
	f := budgetTables().family[code]
	if f == "" || hint == "" {
		return false
	}
	if f == hint {
		return true
	}
	return (f == "rial" || f == "riyal") && (hint == "rial" || hint == "riyal")
}

// budgetMarketCurrency is the currency a target market (ISO 3166 code) pays in.
func budgetMarketCurrency(country string) string {
	t := budgetTables()
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

// ResolveBudgetCurrency fills in the currency of a budget whose text did not name one
// outright, once the brief's slots are merged:
//   - nothing written: the first target market's currency (CurrencySource "market");
//   - a family written ("$", "kr", "pesos"): the first target market paying in that
//     family (Australia → AUD for "$"), else the family's largest economy (USD, SEK,
//     MXN, ...; CurrencySource "default");
//   - no market either: defaultCurrency (CurrencySource "default").
//
// A written currency is left alone. Market and default readings are worked out again
// on every call, so a changed market changes them, and calling it twice changes nothing.
func ResolveBudgetCurrency(b *Budget, countries []string, defaultCurrency string) {
	if b == nil {
		return
	}
	if b.Currency != "" && b.CurrencySource != "market" && b.CurrencySource != "default" {
		return
	}
	for _, c := range countries {
		code := budgetMarketCurrency(c)
		if code == "" {
			continue
		}
		if b.CurrencyHint == "" || budgetInFamily(code, b.CurrencyHint) {
			b.Currency, b.CurrencySource = code, "market"
			return
		}
	}
	if code, ok := budgetFamilyFallback[b.CurrencyHint]; ok {
		b.Currency, b.CurrencySource = code, "default"
		return
	}
	if defaultCurrency == "" {
		b.Currency, b.CurrencySource = "", ""
		return
	}
	b.Currency, b.CurrencySource = strings.ToUpper(defaultCurrency), "default"
}

// Budgets beyond these, in US dollars, are not silently accepted.
const (
	budgetMaxUSD         = 1e9
	budgetMinLifetimeUSD = 1
)

// BudgetProblems says what is wrong with a budget, in sentences for the user: a
// negative, zero or non-numeric amount, a range running backwards, an unknown type or
// currency, and amounts absurd in every currency the text could mean (over about a
// billion US dollars, or under one dollar for a whole campaign). The rates behind the
// last are approximate (agents/market/data/fx.json); only orders of magnitude count.
func BudgetProblems(b Budget) []string {
	var problems []string
	what := FormatBudget(b)
	if math.IsNaN(b.Amount) || math.IsInf(b.Amount, 0) || math.IsNaN(b.Min) || math.IsInf(b.Min, 0) {
		return []string{"The budget amount is not a number."}
	}
	switch {
	case b.Amount < 0:
		problems = append(problems, fmt.Sprintf("The budget is negative (%s); a budget must be more than zero.", what))
	case b.Amount == 0:
		problems = append(problems, "The budget is zero; a budget must be more than zero.")
	}
	if b.Min < 0 {
		problems = append(problems, fmt.Sprintf("The lower end of the budget range is negative (%s).", FormatAmount(b.Min)))
	} else if b.Min > b.Amount && b.Amount > 0 {
		problems = append(problems, fmt.Sprintf("The budget range runs backwards: its lower end %s is above its upper end %s.", FormatAmount(b.Min), FormatAmount(b.Amount)))
	}
	if b.Type != "" && b.Type != BudgetLifetime && b.Type != BudgetDaily {
		problems = append(problems, fmt.Sprintf("The budget type %q is neither %s nor %s.", b.Type, BudgetLifetime, BudgetDaily))
	}
	t := budgetTables()
	if b.Currency != "" && !t.iso[b.Currency] {
		problems = append(problems, fmt.Sprintf("%q is not an ISO 4217 currency code.", b.Currency))
	}
	if b.Amount <= 0 {
		return problems
	}
	lo, hi, ok := budgetUSDRange(b)
	if !ok {
		return problems
	}
	if b.Amount*lo > budgetMaxUSD {
		worth := ""
		switch {
		case b.Currency == "USD":
		case lo == hi:
			worth = fmt.Sprintf(", about %s USD,", FormatAmount(math.Round(b.Amount*lo)))
		default:
			worth = fmt.Sprintf(", at least about %s USD,", FormatAmount(math.Round(b.Amount*lo)))
		}
		problems = append(problems, fmt.Sprintf("The budget %s%s is beyond any plausible ad budget (over 1 billion USD).", what, worth))
	}
	if b.Type != BudgetDaily && b.Amount*hi < budgetMinLifetimeUSD {
		problems = append(problems, fmt.Sprintf("The budget %s is less than 1 USD, too little to run a campaign.", what))
	}
	return problems
}

// budgetUSDRange is the lowest and highest value of one unit of the budget's currency
// in US dollars: one rate for a known currency, the spread of its family for a hint,
// the spread of all currencies when nothing was written.
func budgetUSDRange(b Budget) (lo, hi float64, ok bool) {
	t := budgetTables()
	switch {
	case b.Currency != "":
		r, ok := t.usdPerUnit[b.Currency]
		return r, r, ok
	case b.CurrencyHint != "":
		r, ok := t.familyRange[b.CurrencyHint]
		return r[0], r[1], ok
	default:
		return t.allRange[0], t.allRange[1], true
	}
}

// budgetFamilies lists every family hint the specialist writes.
var budgetFamilies = map[string]bool{
	"$": true, "kr": true, "peso": true, "rupee": true, "franc": true, "dinar": true,
	"riyal": true, "rial": true, "shilling": true, "dirham": true,
}
