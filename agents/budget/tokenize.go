package budget

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents/numbers"
)

// The tokenizer keeps numerals, words, currency symbols and punctuation apart, and
// remembers which touch ("5k" is a multiplier, "5 k" may be one too, "18-24" a range).

type tokenKind uint8

const (
	tokNum tokenKind = iota + 1
	tokWord
	tokSym // a currency symbol
	tokPunct
)

type token struct {
	text string
	// For numerals:
	value float64
	// lexeme is what the word tables say about text (vocabulary.annotate), so each
	// token looks its word up once; 0 is none.
	lexeme uint32
	digits int32 // for numerals
	// start and end are the token's byte offsets [start, end) in the text read; a
	// message is far shorter than 2 GiB (agents.CheckText bounds it).
	start, end int32
	kind       tokenKind
	glued      bool // written onto the token before it, with no space
	numOK      bool // for numerals
	integral   bool
}

// tokenize splits lower-case text into tokens.
func tokenize(s string) []token {
	v := vocab()
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
			t := numeralToken(s[i:j], glued)
			t.start, t.end = int32(i), int32(j)
			toks = append(toks, t)
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
			if j < len(s) && s[j] == '.' && (v.dotAbbreviations[word] || strings.IndexByte(word, '.') >= 0) {
				j++
			}
			size = j - i
			// "5k-ish": the hedge is a word of its own, so "k" stays a multiplier.
			if h := len(word) - len(hedgeSuffix); h > 0 && word[h:] == hedgeSuffix {
				toks = append(toks, token{text: word[:h], kind: tokWord, glued: glued, start: int32(i), end: int32(i + h)},
					token{text: hedgeSuffix, kind: tokWord, glued: true, start: int32(i + h), end: int32(j)})
				break
			}
			toks = append(toks, token{text: word, kind: tokWord, glued: glued, start: int32(i), end: int32(j)})
		case unicode.Is(unicode.Sc, r):
			toks = append(toks, token{text: s[i : i+size], kind: tokSym, glued: glued, start: int32(i), end: int32(i + size)})
		default:
			toks = append(toks, token{text: s[i : i+size], kind: tokPunct, glued: glued, start: int32(i), end: int32(i + size)})
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
	if !t.numOK {
		t.value, t.numOK = indianGrouping(clean)
	}
	t.integral = t.numOK && t.value == math.Trunc(t.value)
	return t
}

// hedgeSuffix is written onto a word to say "about": "5k-ish".
const hedgeSuffix = "-ish"

// indianGrouping reads digits grouped the Indian way, in twos above the thousands:
// "18,75,000" is 1,875,000 and "1,00,00,000" a crore.
func indianGrouping(s string) (float64, bool) {
	groups := strings.Split(s, ",")
	if len(groups) < 3 || len(groups[0]) < 1 || len(groups[0]) > 2 || len(groups[len(groups)-1]) != 3 {
		return 0, false
	}
	for _, g := range groups[1 : len(groups)-1] {
		if len(g) != 2 {
			return 0, false
		}
	}
	v := 0.0
	for _, g := range groups {
		for i := 0; i < len(g); i++ {
			if !isDigit(g[i]) {
				return 0, false
			}
			v = v*10 + float64(g[i]-'0')
		}
	}
	return v, true
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
