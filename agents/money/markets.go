package money

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	isocountries "github.com/biter777/countries"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/adplan/adplan/agents/internal/datafile"
)

// Markets as money reads them: the names a brief gives a market beside an amount,
// the languages its people write amounts in, and the letters a currency is written
// with onto a number.

// MarketName is a market's name of one or more words ("south africa").
type MarketName struct {
	Words   []string
	Country string // ISO 3166-1 alpha-2
}

// LetterPrefix is a currency written as letters onto a number: "R120,000" (rand),
// "S/ 90,000" (sol).
type LetterPrefix struct {
	// Tokens are the letters and signs as a tokenizer splits them ("s", "/").
	Tokens   []string
	Currency string
	// Market is the country whose briefs write the letters; there they count
	// written apart from the number too.
	Market string
	// GluedOnly letters count elsewhere only written onto an amount that reads as
	// money by itself: "R2" is a road, not two rand.
	GluedOnly bool
}

type marketsFile struct {
	Comment          []string          `json:"_comment"`
	DisplayLanguages []string          `json:"display_languages"`
	MinLetters       int               `json:"min_letters"`
	Aliases          map[string]string `json:"aliases"`
	MilThousand      []string          `json:"mil_thousand_languages"`
	LetterPrefixes   map[string]struct {
		Currency  string `json:"currency"`
		Market    string `json:"market"`
		GluedOnly bool   `json:"glued_only"`
	} `json:"letter_prefixes"`
}

type marketTables struct {
	names       map[string][]MarketName // by first word, longest first
	languages   map[string]string       // alpha-2 → CLDR's likely language
	curLangs    map[string][]string     // currency → the likely languages of its markets
	milThousand map[string]bool
	prefixes    map[string][]LetterPrefix // by first token, longest first
}

var marketTablesOnce = sync.OnceValue(loadMarketTables)

func loadMarketTables() *marketTables {
	var f marketsFile
	datafile.MustRead(dataFS, "data/market_names.json", &f)
	t := &marketTables{
		names:       map[string][]MarketName{},
		languages:   map[string]string{},
		curLangs:    map[string][]string{},
		milThousand: setOf("mil_thousand_languages", f.MilThousand),
		prefixes:    map[string][]LetterPrefix{},
	}
	seen := map[string]string{}
	add := func(name, country string) {
		name = strings.ToLower(strings.TrimSpace(name))
		if !plainName(name) || letters(name) < f.MinLetters && f.Aliases[name] == "" {
			return
		}
		if _, ok := seen[name]; ok {
			return // a name given twice keeps its first country: aliases come first
		}
		seen[name] = country
		ws := strings.Fields(name)
		t.names[ws[0]] = append(t.names[ws[0]], MarketName{Words: ws, Country: country})
	}
	for name, country := range f.Aliases {
		if isocountries.ByName(country) == isocountries.Unknown {
			panic(fmt.Sprintf("data/market_names.json: alias %q names %q, not a country", name, country))
		}
		add(name, country)
	}
	var namers []display.Namer
	for _, l := range f.DisplayLanguages {
		namers = append(namers, display.Regions(language.MustParse(l)))
	}
	cur := tables().countryCur
	for _, c := range isocountries.All() {
		a2 := c.Alpha2()
		add(c.String(), a2)
		region, err := language.ParseRegion(a2)
		if err != nil {
			continue
		}
		for _, n := range namers {
			add(n.Name(region), a2)
		}
		tag, _ := language.Compose(language.Und, region)
		if base, conf := tag.Base(); conf != language.No {
			t.languages[a2] = base.String()
			if code := cur[a2]; code != "" && !slices.Contains(t.curLangs[code], base.String()) {
				t.curLangs[code] = append(t.curLangs[code], base.String())
			}
		}
	}
	for k, ns := range t.names {
		sort.Slice(ns, func(i, j int) bool {
			if len(ns[i].Words) != len(ns[j].Words) {
				return len(ns[i].Words) > len(ns[j].Words)
			}
			return strings.Join(ns[i].Words, " ") < strings.Join(ns[j].Words, " ")
		})
		t.names[k] = ns
	}
	for letters, p := range f.LetterPrefixes {
		if !tables().iso[p.Currency] {
			panic(fmt.Sprintf("data/market_names.json: letter prefix %q is in %q, not an ISO 4217 currency", letters, p.Currency))
		}
		toks := strings.Fields(letters)
		t.prefixes[toks[0]] = append(t.prefixes[toks[0]], LetterPrefix{Tokens: toks, Currency: p.Currency, Market: p.Market, GluedOnly: p.GluedOnly})
	}
	for k, ps := range t.prefixes {
		sort.Slice(ps, func(i, j int) bool { return len(ps[i].Tokens) > len(ps[j].Tokens) })
		t.prefixes[k] = ps
	}
	return t
}

// plainName reports whether a name is words of letters only, as a brief writes it
// (no "(Republic of)", no commas).
func plainName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '.' && r != '\'' && !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// MarketNames lists the market names that start with the word first, longest first.
func MarketNames(first string) []MarketName { return marketTablesOnce().names[first] }

// MarketLanguage is the language a market most likely writes in (CLDR's likely
// subtags: "BR" → "pt"), "" for an unknown market.
func MarketLanguage(country string) string {
	return marketTablesOnce().languages[strings.ToUpper(country)]
}

// CurrencyLanguages lists the likely languages of the markets that pay in a
// currency ("EUR" → de, es, fr, ...; "BRL" → pt).
func CurrencyLanguages(code string) []string { return marketTablesOnce().curLangs[code] }

// MilIsThousand reports whether "mil" after a number is a thousand in language
// (Spanish and Portuguese), not the English shorthand for a million.
func MilIsThousand(language string) bool { return marketTablesOnce().milThousand[language] }

// LetterPrefixes lists the currencies written as letters that start with the token
// first ("r", "s"), longest first.
func LetterPrefixes(first string) []LetterPrefix { return marketTablesOnce().prefixes[first] }
