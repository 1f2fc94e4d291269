package audience

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens: words, numbers and a few symbols, with the strongest separator before each.

// Separators between tokens, weakest first: what lies between two tokens is recorded as
// the strongest separator seen.
const (
	sepNone   byte = 0 // adjacent: "45+", "US$"
	sepSpace  byte = 1
	sepDash   byte = 2 // "18-24", "hip-hop"
	sepSlash  byte = 3
	sepComma  byte = 4 // also · • and emoji, which part a brief's fields
	sepClause byte = 5 // . ! ? ; : phrases and lists stop here
)

// token is a word, a number or one of the symbols & + % $ € £ ¥ ₹.
type token struct {
	s   string
	sep byte // separator before the token
	// upper marks a word of two or more letters written all in capitals (in Text).
	upper bool
	// title marks a word written with a capital and then lower case ("Hilton").
	title bool
	// capital marks a token whose first letter is written as a capital (in Text): the
	// one-letter "M" of "18-34 M".
	capital bool
	// dotted marks an abbreviation written with dots ("U.S." is "us").
	dotted bool
	// apart marks a token after a dash with spaces both sides ("25-54 - February"),
	// which parts two fields of a brief more often than it joins a range.
	apart bool
	// start and end are the bytes [start, end) of the text the token was read from.
	start, end int
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	}
	if r >= 0xFE00 && r <= 0xFE0F {
		return false // variation selectors, which follow emoji ("📅️")
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSymbol(r rune) bool {
	switch r {
	case '&', '+', '%', '$', '€', '£', '¥', '₹':
		return true
	}
	return false
}

// tokenize splits s into tokens, appending to dst. Numbers keep their inner
// dots and commas ("5.000", "1,500"); letters joined by dots become one dotted token
// ("u.s.a." is "usa").
func tokenize(s string, dst []token) []token {
	return tokenizeText(s, dst, defaultWords().abbreviations)
}

// tokenizeText is tokenize with the abbreviations given: the words file is checked
// with the tokenizer before its abbreviations are known.
func tokenizeText(s string, dst []token, abbreviations map[string]bool) []token {
	sep := sepClause
	apart := false
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == '-' || r == '–' || r == '—') && i > 0 && s[i-1] == ' ' && i+size < len(s) && s[i+size] == ' ' {
			apart = true
		}
		switch {
		case isWordRune(r):
			start := i
			j := i + size
			digits := r >= '0' && r <= '9'
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					if r2 < '0' || r2 > '9' {
						digits = false
					}
					j += sz
					continue
				}
				if digits && (r2 == '.' || r2 == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j++
					continue
				}
				break
			}
			tok := token{s: s[start:j], sep: sep, start: start}
			// "u.s.", "l.a.", "u.s.a.": single letters joined by dots.
			if j-start == 1 && asciiLetter(s[start]) && dottedNext(s, j) {
				var b strings.Builder
				b.WriteByte(s[start])
				for dottedNext(s, j) {
					b.WriteByte(s[j+1])
					j += 2
				}
				if j < len(s) && s[j] == '.' {
					j++
				}
				tok.s, tok.dotted = b.String(), true
			}
			tok.end = j
			tok.apart = apart
			dst = append(dst, tok)
			sep, apart = sepNone, false
			i = j
		case isSymbol(r):
			dst = append(dst, token{s: s[i : i+size], sep: sep, start: i, end: i + size, apart: apart})
			sep, apart = sepNone, false
			i += size
		default:
			if k := separatorOf(r, dst, sep, abbreviations); k > sep {
				sep = k
			}
			i += size
		}
	}
	return dst
}

// separatorOf is the separator rune r makes between the tokens around it; sep is the
// strongest seen since the last token.
func separatorOf(r rune, dst []token, sep byte, abbreviations map[string]bool) byte {
	switch r {
	case '.':
		if n := len(dst); n > 0 && sep == sepNone && abbreviations[dst[n-1].s] {
			return sepSpace // "St. Louis", "Mt. Vernon"
		}
		return sepClause
	case '!', '?', ';', ':', '\n':
		return sepClause
	case ',', '(', ')', '[', ']':
		return sepComma
	case '/', '|':
		return sepSlash
	case '-', '–':
		return sepDash
	case '—':
		// An em dash with a space before it parts the fields of a brief ("25-54 —
		// February"); written tight it is a range's dash.
		if sep >= sepSpace {
			return sepComma
		}
		return sepDash
	case '·', '•', '∙', '‧', '▪', '◦', '→':
		return sepComma // "Greece · €16k · 25-54"
	}
	if unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) && r > 0xFF {
		return sepComma // emoji standing for a field: "🎯 18-24 💰 MXN 250k"
	}
	return sepSpace
}

func asciiLetter(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// dottedNext reports whether s[j:] goes on ".x" with x a single letter.
func dottedNext(s string, j int) bool {
	if j+1 >= len(s) || s[j] != '.' || !asciiLetter(s[j+1]) {
		return false
	}
	if j+2 < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j+2:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

// fold drops diacritics from a lower-case word ("münchen" → "munchen").
func fold(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
			b.WriteByte('a')
		case 'æ':
			b.WriteString("ae")
		case 'ç', 'ć', 'č':
			b.WriteByte('c')
		case 'ď', 'đ', 'ð':
			b.WriteByte('d')
		case 'è', 'é', 'ê', 'ë', 'ē', 'ę', 'ě':
			b.WriteByte('e')
		case 'ğ':
			b.WriteByte('g')
		case 'ì', 'í', 'î', 'ï', 'ı', 'ī':
			b.WriteByte('i')
		case 'ł':
			b.WriteByte('l')
		case 'ñ', 'ń', 'ň':
			b.WriteByte('n')
		case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ő', 'ō':
			b.WriteByte('o')
		case 'ř':
			b.WriteByte('r')
		case 'ś', 'š', 'ș', 'ş':
			b.WriteByte('s')
		case 'ß':
			b.WriteString("ss")
		case 'ț', 'ţ', 'ť':
			b.WriteByte('t')
		case 'þ':
			b.WriteString("th")
		case 'ù', 'ú', 'û', 'ü', 'ů', 'ű', 'ū':
			b.WriteByte('u')
		case 'ý', 'ÿ':
			b.WriteByte('y')
		case 'ź', 'ż', 'ž':
			b.WriteByte('z')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
