package money

import (
	"embed"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	isocountries "github.com/biter777/countries"

	"github.com/adplan/adplan/agents/internal/datafile"
	"github.com/adplan/adplan/agents/market"
)

// The currency knowledge is data (data/*.json) joined at first use with the ISO lists
// of github.com/biter777/countries and the market facts' exchange rates.

//go:embed data/*.json
var dataFS embed.FS

type tableSet struct {
	// nameWords holds every word that ends a currency's name, in the singular and the
	// plural ("dollars", "real", "zloty"), for IsCurrencyWord.
	nameWords      map[string]bool
	symbols        map[string]Currency
	dollarPrefixes map[string]string
	phrases        map[string][]Phrase // by first word, longest first
	cents          map[string]Currency
	englishCodes   map[string]bool
	iso            map[string]bool   // ISO 4217 codes, funds left out
	family         map[string]string // ISO code → family, when it has one
	families       []familyEntry     // in the order their ISO name words are tried
	familyOf       map[string]*familyEntry
	countryCur     map[string]string // ISO 3166 alpha-2 and alpha-3 → currency
	usdPerUnit     map[string]float64
	familyRange    map[string][2]float64 // family → lowest and highest USD per unit
	allRange       [2]float64
}

// wordsFile is data/currency_words.json.
type wordsFile struct {
	Comment        []string          `json:"_comment"`
	Symbols        map[string]string `json:"symbols"`
	DollarPrefixes map[string]string `json:"dollar_prefixes"`
	Words          map[string]string `json:"words"`
	PostfixOnly    []string          `json:"postfix_only"`
	Cents          map[string]string `json:"cents"`
	EnglishCodes   []string          `json:"english_codes"`
}

// familyEntry is one family of data/currency_families.json.
type familyEntry struct {
	Family       string   `json:"family"`
	ISONameWords []string `json:"iso_name_words"`
	SpelledAlso  string   `json:"spelled_also"`
	Within       string   `json:"within"`
	Fallback     string   `json:"fallback"`
	Why          string   `json:"why"`
}

type familiesFile struct {
	Comment  []string      `json:"_comment"`
	Families []familyEntry `json:"families"`
}

type codesFile struct {
	Comment []string `json:"_comment"`
	Funds   []string `json:"funds"`
}

var tablesOnce = sync.OnceValue(loadTables)

func tables() *tableSet { return tablesOnce() }

// loadTables builds the lookup tables once. The embedded files are part of the
// program, so a malformed one is a build defect and panics at first use.
func loadTables() *tableSet {
	var words wordsFile
	var fams familiesFile
	var codes codesFile
	datafile.MustRead(dataFS, "data/currency_words.json", &words)
	datafile.MustRead(dataFS, "data/currency_families.json", &fams)
	datafile.MustRead(dataFS, "data/currency_codes.json", &codes)

	// One set of exchange rates serves the whole program: the market facts'.
	t := &tableSet{
		symbols:        make(map[string]Currency, len(words.Symbols)),
		dollarPrefixes: words.DollarPrefixes,
		phrases:        map[string][]Phrase{},
		cents:          make(map[string]Currency, len(words.Cents)),
		englishCodes:   setOf("english_codes", words.EnglishCodes),
		iso:            map[string]bool{},
		family:         map[string]string{},
		families:       fams.Families,
		familyOf:       map[string]*familyEntry{},
		countryCur:     map[string]string{},
		usdPerUnit:     market.Default().Rates(),
		familyRange:    map[string][2]float64{},
	}
	for i := range t.families {
		f := &t.families[i]
		if t.familyOf[f.Family] != nil {
			panic(fmt.Sprintf("data/currency_families.json: family %q listed twice", f.Family))
		}
		t.familyOf[f.Family] = f
	}
	for _, f := range t.families {
		if f.Within != "" && t.familyOf[f.Within] == nil {
			panic(fmt.Sprintf("data/currency_families.json: %q is within %q, which is no family", f.Family, f.Within))
		}
	}
	names := t.addISO(setOf("funds", codes.Funds))
	t.addCountries()
	for w, v := range words.Words {
		names[w] = currencyOfValue(v)
	}
	t.addPhrases(names, setOf("postfix_only", words.PostfixOnly))
	t.addNameWords(names)
	for s, v := range words.Symbols {
		t.symbols[s] = currencyOfValue(v)
	}
	for w, v := range words.Cents {
		t.cents[w] = currencyOfValue(v)
	}
	t.addRanges()
	return t
}

// addISO records the ISO 4217 currencies (funds left out) and their families, and
// returns the multi-word ISO names as briefs write them: "kuwaiti dinar(s)",
// "egyptianpound", each family name in every spelling.
func (t *tableSet) addISO(funds map[string]bool) map[string]Currency {
	names := map[string]Currency{}
	for _, c := range isocountries.AllCurrencies() {
		code := c.Alpha()
		if len(code) != 3 || funds[code] {
			continue
		}
		t.iso[code] = true
		name := strings.ToLower(c.String())
		if f := t.familyOfName(name); f != "" {
			t.family[code] = f
		}
		if !strings.Contains(name, " ") || strings.ContainsAny(name, "()") {
			continue
		}
		for _, n := range t.spellings(name) {
			names[n] = Currency{Code: code}
			names[n+"s"] = Currency{Code: code}
			names[strings.ReplaceAll(n, " ", "")] = Currency{Code: code}
		}
	}
	return names
}

// spellings is name as written and with each family name spelled its other way.
func (t *tableSet) spellings(name string) []string {
	out := []string{name}
	for _, f := range t.families {
		if f.SpelledAlso != "" {
			out = append(out, strings.ReplaceAll(name, f.Family, f.SpelledAlso))
		}
	}
	return out
}

// familyOfName is the family a currency's ISO name puts it in.
func (t *tableSet) familyOfName(name string) string {
	for _, f := range t.families {
		for _, w := range f.ISONameWords {
			if strings.Contains(name, w) {
				return f.Family
			}
		}
	}
	return ""
}

// addCountries records the currency each country pays in, by both ISO 3166 codes.
func (t *tableSet) addCountries() {
	for _, c := range isocountries.All() {
		cur := c.Currency()
		if !cur.IsValid() || !t.iso[cur.Alpha()] {
			continue
		}
		t.countryCur[c.Alpha2()] = cur.Alpha()
		t.countryCur[c.Alpha3()] = cur.Alpha()
	}
}

// addPhrases indexes the currency names by their first word, longest first, so the
// reader tries "kuwaiti dinar" before "kuwaiti".
func (t *tableSet) addPhrases(names map[string]Currency, postfix map[string]bool) {
	for n, cur := range names {
		ws := strings.Fields(n)
		t.phrases[ws[0]] = append(t.phrases[ws[0]], Phrase{Words: ws, Currency: cur, PostfixOnly: postfix[n]})
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
}

// addNameWords records the last word of every name, singular and plural.
func (t *tableSet) addNameWords(names map[string]Currency) {
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
}

// addRanges works out the spread of US dollar values of each family and of all
// currencies, for telling absurd budgets apart when no code was written.
func (t *tableSet) addRanges() {
	t.allRange = [2]float64{math.Inf(1), 0}
	for code, r := range t.usdPerUnit {
		t.allRange[0] = math.Min(t.allRange[0], r)
		t.allRange[1] = math.Max(t.allRange[1], r)
		f := t.family[code]
		if f == "" {
			continue
		}
		fams := []string{f}
		if e := t.familyOf[f]; e != nil && e.SpelledAlso != "" {
			fams = append(fams, e.SpelledAlso)
		}
		if e := t.familyOf[f]; e != nil && e.Within != "" {
			fams = append(fams, e.Within)
		}
		for _, f := range fams {
			fr, ok := t.familyRange[f]
			if !ok {
				fr = [2]float64{r, r}
			}
			t.familyRange[f] = [2]float64{math.Min(fr[0], r), math.Max(fr[1], r)}
		}
	}
}

// setOf makes a set of a word list; a word listed twice is a defect of the data.
func setOf(list string, words []string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		if set[w] {
			panic(fmt.Sprintf("money data: %q listed twice in %s", w, list))
		}
		set[w] = true
	}
	return set
}
