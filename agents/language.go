package agents

import (
	"strings"
	"unicode"
)

// languageNames names, for the user, the languages whose grammar words
// data/unread.json lists.
var languageNames = map[string]string{
	"en": "English", "es": "Spanish", "pt": "Portuguese", "de": "German", "fr": "French",
	"it": "Italian", "nl": "Dutch", "sv": "Swedish",
}

// languageMarks are letters that only some of those languages write.
var languageMarks = map[rune]string{'ñ': "es", 'ã': "pt", 'õ': "pt", 'ß': "de", 'ü': "de", 'è': "fr", 'ê': "fr", 'å': "sv"}

// telltaleWords maps each grammar or brief word (data/unread.json) that belongs to one language only to it:
// "de" is Spanish, Portuguese, French and Dutch, so it tells nothing, "und" tells German.
var telltaleWords = func() map[string]string {
	owners := map[string]map[string]bool{}
	for lang, words := range unreadFile.Function {
		for _, w := range append(words, unreadFile.Language[lang]...) {
			if owners[w] == nil {
				owners[w] = map[string]bool{}
			}
			owners[w][lang] = true
		}
	}
	out := map[string]string{}
	for w, langs := range owners {
		if len(langs) == 1 {
			for lang := range langs {
				out[w] = lang
			}
		}
	}
	return out
}()

// DetectLanguage returns the ISO 639-1 code of the language text (lower-cased, as
// Message.Lower) is written in when it can tell from its grammar words and letters,
// "en" for English, and "" when it cannot tell. A text mostly in a non-Latin script
// returns "und" (undetermined): adplan cannot read it, whatever it is.
func DetectLanguage(lower string) string {
	letters, nonLatin := 0, 0
	for _, r := range lower {
		if unicode.IsLetter(r) {
			letters++
			if r > unicode.MaxLatin1 && !unicode.In(r, unicode.Latin) {
				nonLatin++
			}
		}
	}
	if letters > 0 && nonLatin*2 > letters {
		return "und"
	}
	// Each word is one vote: a telltale word for its language, else a word written
	// with a language's letter for that language ("über" is one German word, not two
	// signs of German).
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		if lang, ok := telltaleWords[w]; ok {
			counts[lang]++
			continue
		}
		for _, r := range w {
			if lang, ok := languageMarks[r]; ok {
				counts[lang]++
				break
			}
		}
	}
	best, bestN := "", 0
	for lang, n := range counts {
		if lang != "en" && (n > bestN || n == bestN && lang < best) {
			best, bestN = lang, n
		}
	}
	if bestN >= 2 && bestN > counts["en"] {
		return best
	}
	if counts["en"] > 0 {
		return "en"
	}
	return ""
}

// guessForeignLanguage names the language a message seems to be written in when it
// looks like it is not English, or returns "".
func guessForeignLanguage(lower string) string {
	switch lang := DetectLanguage(lower); lang {
	case "", "en":
		return ""
	case "und":
		return "a language other than English"
	default:
		return languageNames[lang]
	}
}
