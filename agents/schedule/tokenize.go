package schedule

import (
	"unicode"
	"unicode/utf8"
)

// The tokenizer shared by durations and dates.

// tokenKind says what a token is made of.
type tokenKind uint8

const (
	scheduleWord tokenKind = iota // letters, with inner apostrophes: "valentine's"
	number                        // digits with inner dots and commas: "5,000", "15.5", "1.12.2026"
	punct                         // any other single character: "-", "/", ",", "$"
)

// token is one token of a normalised message; start and end are byte offsets
// so that adjacency ("10-day", "1/2", "2'") can be told from spaced text.
type token struct {
	text       string
	start, end int
	kind       tokenKind
	// lexeme is what the word tables say about text (vocabulary.annotate), so each
	// token looks its word up once; 0 is none.
	lexeme uint32
}

// maxTokens bounds the work on a huge message: a brief is a few hundred
// characters, and nothing a planner writes needs more than this many tokens.
const maxTokens = 4096

// tokenize splits lower-case text into words, numbers and punctuation.
// Letters and digits are split apart ("q1" → "q" "1", "1st" → "1" "st", "10k" →
// "10" "k") and rejoined by adjacency where a rule needs it.
func tokenize(s string) []token {
	tokens := make([]token, 0, len(s)/4+4)
	i := 0
	for i < len(s) && len(tokens) < maxTokens {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) {
				d := s[j]
				if d >= '0' && d <= '9' {
					j++
					continue
				}
				if (d == '.' || d == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j += 2
					continue
				}
				break
			}
			tokens = append(tokens, token{text: s[i:j], kind: number, start: i, end: j})
			i = j
		case c < utf8.RuneSelf && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z'):
			tokens = append(tokens, token{text: s[i : i+1], kind: punct, start: i, end: i + 1})
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) {
				tokens = append(tokens, token{text: s[i : i+size], kind: punct, start: i, end: i + size})
				i += size
				continue
			}
			if n := slashAbbreviation(s, i); n > i {
				// "t/m" (Dutch "tot en met", through), "w/c": one word.
				tokens = append(tokens, token{text: s[i:n], kind: scheduleWord, start: i, end: n})
				i = n
				continue
			}
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r) {
					j += size
					continue
				}
				// An apostrophe inside a word belongs to it ("valentine's", "new year's").
				if r == '\'' && j > i && j+1 < len(s) && s[j+1] >= 'a' && s[j+1] <= 'z' {
					j++
					continue
				}
				break
			}
			tokens = append(tokens, token{text: s[i:j], kind: scheduleWord, start: i, end: j})
			i = j
		}
	}
	return tokens
}

// slashAbbreviation is the end of an abbreviation of two single letters joined by a
// slash at i ("t/m", "w/c"), or i when there is none.
func slashAbbreviation(s string, i int) int {
	if i > 0 && (isASCIILetter(s[i-1]) || s[i-1] == '/') || i+3 > len(s) || !isASCIILetter(s[i]) || s[i+1] != '/' || !isASCIILetter(s[i+2]) {
		return i
	}
	if i+3 < len(s) && (isASCIILetter(s[i+3]) || s[i+3] == '/') {
		return i
	}
	return i + 3
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
