package goal

import (
	"strings"
	"unicode"
)

// tokenize splits normalised text into words and marks. Hyphens, underscores and
// other symbols separate words; apostrophes are dropped ("don't" → "dont"). Marks are
// "." for a sentence end (.;!?), "," for a clause break (,:()), and "%", "+", "&", "/",
// "<" as written. Dots, commas and slashes between digits stay inside the number
// ("12.5", "1,500", "1/3").
func tokenize(s string) []string {
	toks := make([]string, 0, len(s)/5+1)
	start, apostrophe := -1, false
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			if apostrophe {
				w = strings.ReplaceAll(w, "'", "")
			}
			if w != "" {
				toks = append(toks, w)
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
			toks = append(toks, ".")
		case ',', ':', '(', ')', '[', ']':
			toks = append(toks, ",")
		case '%', '+', '&', '/', '<':
			toks = append(toks, string(r))
		case '≤':
			toks = append(toks, "<")
		}
	}
	flush(len(s))
	return toks
}

func isMark(w string) bool {
	switch w {
	case ".", ",", "%", "+", "&", "/", "<":
		return true
	}
	return false
}

// isBreak reports whether w ends a clause for the purpose of looking around a word:
// a sentence end, a clause mark or a word of clause_breaks.
func (v *vocabulary) isBreak(w string) bool { return w == "." || w == "," || v.clauseBreaks.has(w) }

func (v *vocabulary) lookBack(toks []string, start, n int, words wordSet) bool {
	for i := start - 1; i >= 0 && i >= start-n; i-- {
		if v.isBreak(toks[i]) {
			return false
		}
		if words.has(toks[i]) {
			return true
		}
	}
	return false
}

func (v *vocabulary) lookAhead(toks []string, end, n int, words wordSet) bool {
	for i := end; i < len(toks) && i < end+n; i++ {
		if v.isBreak(toks[i]) {
			return false
		}
		if words.has(toks[i]) {
			return true
		}
	}
	return false
}
