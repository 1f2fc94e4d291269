package goal

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
)

// tokenize splits normalised text into words and marks. Hyphens, underscores and
// other symbols separate words; apostrophes are dropped ("don't" → "dont"). Marks are
// "." for a sentence end (.;!?), "," for a clause break (,:()), dash for a dash
// between clauses (—, – and a "-" between spaces), and "%", "+", "&", "/",
// "<" as written. Dots, commas and slashes between digits stay inside the number
// ("12.5", "1,500", "1/3").
func tokenize(s string) []string {
	toks, _ := tokenizeAt(s, false)
	return toks
}

// tokenizeAt is tokenize that, with spans, also says where each token lies in s:
// the bytes a word was written with (apostrophes included), or its mark.
func tokenizeAt(s string, spans bool) ([]string, []agents.Span) {
	toks := make([]string, 0, len(s)/5+1)
	var pos []agents.Span
	if spans {
		pos = make([]agents.Span, 0, cap(toks))
	}
	add := func(w string, start, end int) {
		toks = append(toks, w)
		if spans {
			pos = append(pos, agents.Span{Start: start, End: end})
		}
	}
	start, apostrophe := -1, false
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			if apostrophe {
				w = strings.ReplaceAll(w, "'", "")
			}
			if w != "" {
				add(w, start, end)
			}
		}
		start, apostrophe = -1, false
	}
	prevDigit := false
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			prevDigit = r >= '0' && r <= '9'
			continue
		case r == '\'' && start >= 0:
			apostrophe = true
			continue
		case (r == '.' || r == ',' || r == '/') && start >= 0 && prevDigit && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			continue
		}
		prevDigit = false
		flush(i)
		switch r {
		case '.', ';', '!', '?':
			add(".", i, i+1)
		case ',', ':', '(', ')', '[', ']':
			add(",", i, i+utf8.RuneLen(r))
		case '—', '–':
			add(dash, i, i+utf8.RuneLen(r))
		case '-':
			// A dash standing between spaces breaks the clause ("reach - the rest
			// is up to sales"); a hyphen joins words and only separates them.
			if i > 0 && s[i-1] == ' ' && i+1 < len(s) && s[i+1] == ' ' {
				add(dash, i, i+1)
			}
		case '%', '+', '&', '/', '<':
			add(s[i:i+1], i, i+1)
		case '≤':
			add("<", i, i+len("≤"))
		}
	}
	flush(len(s))
	return toks, pos
}

// dash is the mark of a dash between clauses (—, –, or "-" between spaces): a clause
// break like a comma that, unlike one, never joins a list of formats ("no video —
// image and audio only" is two limits).
const dash = "—"

func isMark(w string) bool {
	switch w {
	case ".", ",", dash, "%", "+", "&", "/", "<":
		return true
	}
	return false
}

// isBreak reports whether w ends a clause for the purpose of looking around a word:
// a sentence end, a clause mark or a word of clause_breaks.
func (v *vocabulary) isBreak(w string) bool {
	return w == "." || w == "," || w == dash || v.clauseBreaks.has(w)
}

// lookBack returns the index of a word of words among the n before start in the same
// clause, or -1.
func (v *vocabulary) lookBack(toks []string, start, n int, words wordSet) int {
	for i := start - 1; i >= 0 && i >= start-n; i-- {
		if v.isBreak(toks[i]) {
			return -1
		}
		if words.has(toks[i]) {
			return i
		}
	}
	return -1
}

// lookAhead returns the index of a word of words among the n from end in the same
// clause, or -1.
func (v *vocabulary) lookAhead(toks []string, end, n int, words wordSet) int {
	for i := end; i < len(toks) && i < end+n; i++ {
		if v.isBreak(toks[i]) {
			return -1
		}
		if words.has(toks[i]) {
			return i
		}
	}
	return -1
}
