package schedule

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents/internal/datafile"
	"github.com/biter777/countries"
)

// The market a brief names, as far as dates need it: whether it writes a numeric date
// month first, and whether its seasons are those of the southern hemisphere. The
// specialists run side by side, so the schedule cannot ask the audience which
// countries a message names; it looks for the names itself, and only when a date needs
// them (an ambiguous 5/3, a season, a holiday whose day differs by market).

type marketsFile struct {
	Comment       string          `json:"_comment"`
	Aliases       wordMap[string] `json:"aliases"`
	CodeStopwords wordList        `json:"code_stopwords"`
	MonthFirst    wordList        `json:"month_first"`
	Either        wordList        `json:"either"`
	Southern      wordList        `json:"southern"`
}

// marketTable is data/markets.json with the country names of the countries library:
// names maps a name of one to four words, as messages are split, to its code.
type marketTable struct {
	names         map[string]string
	longest       int
	codes         map[string]bool
	codeStopwords map[string]bool
	monthFirst    map[string]bool
	either        map[string]bool
	southern      map[string]bool
}

var markets = sync.OnceValue(func() *marketTable {
	var f marketsFile
	datafile.MustRead(dataFS, "data/markets.json", &f)
	return newMarketTable(&f)
})

func newMarketTable(f *marketsFile) *marketTable {
	t := &marketTable{
		names: map[string]string{}, codes: map[string]bool{},
		codeStopwords: f.CodeStopwords.set(), monthFirst: f.MonthFirst.set(),
		either: f.Either.set(), southern: f.Southern.set(),
	}
	add := func(name, code string) {
		key := phraseKey(name)
		if key == "" {
			return
		}
		if _, ok := t.names[key]; !ok {
			t.names[key] = code
			t.longest = max(t.longest, strings.Count(key, " ")+1)
		}
	}
	for _, c := range countries.All() {
		code := c.Alpha2()
		if len(code) != 2 {
			continue
		}
		t.codes[code] = true
		if info := c.Info(); info != nil {
			add(info.Name, code)
		}
	}
	for name, code := range f.Aliases.Words {
		if !t.codes[code] {
			panic(fmt.Sprintf("schedule data: alias %q names no country %q", name, code))
		}
		add(name, code)
	}
	for _, l := range []wordList{f.MonthFirst, f.Either, f.Southern} {
		for _, code := range l.Words {
			if !t.codes[code] {
				panic(fmt.Sprintf("schedule data: %q is no country code (%s)", code, l.Comment))
			}
		}
	}
	return t
}

// phraseKey is a name as the message's tokens spell it, joined by single spaces.
func phraseKey(name string) string {
	var words []string
	for _, tok := range tokenize(strings.ToLower(name)) {
		words = append(words, tok.text)
	}
	return strings.Join(words, " ")
}

// marketsNamed lists the markets the message names, in order, each once: country
// names and aliases ("Germany", "the UK", "Saudi Arabia"), codes written in capitals
// ("DE campaign", "US (CA + TX)") and flags ("🇩🇪").
func (s *scheduleScanner) marketsNamed() []string {
	if s.marketsRead {
		return s.namedMarkets
	}
	s.marketsRead = true
	t := markets()
	seen := map[string]bool{}
	add := func(code string) {
		if !seen[code] {
			seen[code] = true
			s.namedMarkets = append(s.namedMarkets, code)
		}
	}
	var key strings.Builder
	for i := 0; i < len(s.tokens); i++ {
		if s.tokens[i].kind != scheduleWord {
			continue
		}
		// The longest name starting here.
		code, next := "", i
		key.Reset()
		for n := 0; n < t.longest && i+n < len(s.tokens); n++ {
			if n > 0 {
				key.WriteByte(' ')
			}
			key.WriteString(s.tokens[i+n].text)
			if c, ok := t.names[key.String()]; ok {
				code, next = c, i+n+1
			}
		}
		if code != "" {
			add(code)
			i = next - 1
		}
	}
	for _, code := range capitalCodes(s.text, t) {
		add(code)
	}
	for _, code := range flagCodes(s.text, t) {
		add(code)
	}
	for _, code := range s.knownMarkets {
		add(code)
	}
	return s.namedMarkets
}

// capitalCodes finds two-letter country codes written in capitals and standing alone.
func capitalCodes(text string, t *marketTable) []string {
	var out []string
	for i := 0; i+1 < len(text); i++ {
		a, b := text[i], text[i+1]
		if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
			continue
		}
		if i > 0 && isLetterBefore(text, i) || i+2 < len(text) && isLetterAt(text, i+2) {
			continue
		}
		code := text[i : i+2]
		if code == "UK" {
			code = "GB"
		}
		if t.codes[code] && !t.codeStopwords[code] {
			out = append(out, code)
		}
		i++
	}
	return out
}

func isLetterBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isLetterAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// flagCodes finds flags: two regional indicator symbols spell a country's code.
func flagCodes(text string, t *marketTable) []string {
	var out []string
	var prev rune
	for _, r := range text {
		if r < 0x1F1E6 || r > 0x1F1FF {
			prev = 0
			continue
		}
		if prev == 0 {
			prev = r
			continue
		}
		code := string([]byte{byte('A' + prev - 0x1F1E6), byte('A' + r - 0x1F1E6)})
		if t.codes[code] {
			out = append(out, code)
		}
		prev = 0
	}
	return out
}

// dateOrder says how the markets a message names write a numeric day and month:
// settled is false when they name none, or disagree.
func (s *scheduleScanner) dateOrder() (monthFirst, settled bool) {
	t := markets()
	var months, days bool
	for _, code := range s.marketsNamed() {
		switch {
		case t.either[code]:
			return false, false
		case t.monthFirst[code]:
			months = true
		default:
			days = true
		}
	}
	if months == days {
		return false, false
	}
	return months, true
}

// southern reports whether the markets a message names are all in the southern
// hemisphere, and whether it names any.
func (s *scheduleScanner) southern() (south, named bool) {
	t := markets()
	named = len(s.marketsNamed()) > 0
	for _, code := range s.marketsNamed() {
		if !t.southern[code] {
			return false, named
		}
	}
	return named, named
}
