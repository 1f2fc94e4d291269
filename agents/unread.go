package agents

import (
	"embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents/internal/datafile"
)

//go:embed data/unread.json
var unreadData embed.FS

// unreadFile is data/unread.json: the grammar words of each language briefs arrive
// in, and the words that ask for a campaign at all.
var unreadFile = func() (file struct {
	Comment  string              `json:"_comment"`
	Function map[string][]string `json:"function_words"`
	Asking   []string            `json:"asking_words"`
	Language map[string][]string `json:"language_words"`
}) {
	datafile.MustRead(unreadData, "data/unread.json", &file)
	return file
}()

// unreadWords are the words a brief may contain that carry no field by themselves —
// function words of the languages briefs arrive in, and the words every brief uses
// to ask for a campaign ("please run a campaign on Spotify") — so that leaving them
// unread is not worth telling the user.
var unreadWords = func() map[string]bool {
	words := map[string]bool{}
	for _, ws := range unreadFile.Function {
		for _, w := range ws {
			words[w] = true
		}
	}
	for _, w := range unreadFile.Asking {
		words[w] = true
	}
	return words
}()

// unreadSpans returns the stretches of the message that hold a content word no
// source covers: a run of such words, separated only by spaces, is one span.
func unreadSpans(lower string, sources []Source) []Span {
	covered := make([]Span, 0, len(sources))
	for _, s := range sources {
		covered = append(covered, s.Span)
	}
	covered = mergeSpans(covered)
	var out []Span
	open := -1 // index in out of the span still being extended
	for i := 0; i < len(lower); {
		tok, next := contentToken(lower, i)
		if tok.End == tok.Start {
			if next > i && strings.TrimSpace(lower[i:next]) != "" {
				open = -1 // punctuation ends a run
			}
			i = next
			continue
		}
		i = next
		word := lower[tok.Start:tok.End]
		if isCovered(tok, covered) {
			open = -1
			continue
		}
		if unreadWords[word] || unreadWords[strings.Trim(word, ".'")] {
			open = -1
			continue
		}
		if open >= 0 {
			out[open].End = tok.End
			continue
		}
		out = append(out, tok)
		open = len(out) - 1
	}
	return out
}

func isCovered(tok Span, covered []Span) bool {
	for _, c := range covered {
		if c.Start >= tok.End {
			return false
		}
		if c.Overlaps(tok) {
			return true
		}
	}
	return false
}

// contentToken returns the word or currency sign starting at i (an empty span when
// none starts there) and where scanning goes on. A word is letters and digits, with
// the joiners a brief writes inside one ("25-54", "12,50,000", "e.g.", "don't").
func contentToken(s string, i int) (Span, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case unicode.Is(unicode.Sc, r):
		return Span{i, i + size}, i + size
	case !isWordChar(r):
		return Span{i, i}, i + size
	}
	j := i + size
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if isWordChar(r) {
			j += size
			continue
		}
		if strings.ContainsRune("-'.,/+&", r) && j+size < len(s) {
			if r2, _ := utf8.DecodeRuneInString(s[j+size:]); isWordChar(r2) {
				j += size
				continue
			}
		}
		break
	}
	return Span{i, j}, j
}

func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// UnreadText quotes, as written, the parts of the message that no specialist read.
func (r Reading) UnreadText() []string {
	out := make([]string, len(r.Unread))
	for i, s := range r.Unread {
		out[i] = r.Message.Quote(s)
	}
	return out
}

// NotUnderstood is the sentence every surface shows for the words nobody read — "I
// did not understand: 'A25-54', 'halo'." — or "" when there are none.
func NotUnderstood(unread []string) string {
	if len(unread) == 0 {
		return ""
	}
	quoted := make([]string, len(unread))
	for i, u := range unread {
		quoted[i] = "'" + u + "'"
	}
	return "I did not understand: " + strings.Join(quoted, ", ") + "."
}
