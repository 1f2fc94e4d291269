package agents

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxMessageBytes bounds one message: a brief is a few sentences, and reading
// 100 KB of pasted text would only invent a plan out of noise.
const DefaultMaxMessageBytes = 8 << 10

// Input errors. Callers branch on them with errors.Is to tell the user what to fix.
var (
	ErrEmpty       = errors.New("the message is empty")
	ErrTooLong     = errors.New("the message is too long")
	ErrNotText     = errors.New("the message is not readable text")
	ErrNothingRead = errors.New("nothing in the message reads as part of a campaign brief")
)

// CheckText rejects input no specialist should read: empty or blank text, text over
// maxBytes (0 means DefaultMaxMessageBytes), invalid UTF-8 and binary data.
func CheckText(text string, maxBytes int) error {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxMessageBytes
	}
	if len(text) > maxBytes {
		return fmt.Errorf("%w: %d bytes, the limit is %d; send the brief itself, a few sentences", ErrTooLong, len(text), maxBytes)
	}
	if !utf8.ValidString(text) {
		return fmt.Errorf("%w: it is not valid UTF-8", ErrNotText)
	}
	if strings.TrimSpace(text) == "" {
		return ErrEmpty
	}
	var control, total int
	for _, r := range text {
		total++
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			control++
		}
	}
	if control > 0 && control*20 > total {
		return fmt.Errorf("%w: %d of its %d characters are control characters", ErrNotText, control, total)
	}
	return nil
}

// foreignWords are frequent function words of the languages briefs most often arrive
// in besides English. They are used only to explain why nothing could be read.
var foreignWords = map[string]string{
	"und": "German", "mit": "German", "für": "German", "der": "German", "die": "German",
	"das": "German", "ist": "German", "wir": "German", "eine": "German", "über": "German",
	"y": "Spanish", "con": "Spanish", "para": "Spanish", "el": "Spanish", "los": "Spanish",
	"las": "Spanish", "una": "Spanish", "del": "Spanish", "queremos": "Spanish",
	"et": "French", "avec": "French", "pour": "French", "les": "French", "des": "French",
	"une": "French", "nous": "French", "sur": "French",
	"och": "Swedish", "med": "Swedish", "för": "Swedish", "att": "Swedish",
	"het": "Dutch", "een": "Dutch", "voor": "Dutch", "wij": "Dutch", "naar": "Dutch",
	"com": "Portuguese", "uma": "Portuguese", "não": "Portuguese", "os": "Portuguese",
	"il": "Italian", "gli": "Italian", "che": "Italian", "della": "Italian", "per": "Italian",
}

var englishWords = map[string]bool{
	"the": true, "and": true, "with": true, "for": true, "in": true, "to": true, "of": true,
	"our": true, "we": true, "a": true, "over": true, "on": true, "want": true, "is": true,
	"it": true, "make": true, "budget": true, "campaign": true, "people": true,
}

// guessForeignLanguage names the language a message seems to be written in when it
// looks like it is not English, or returns "".
func guessForeignLanguage(lower string) string {
	counts := map[string]int{}
	english := 0
	nonLatin := 0
	letters := 0
	for _, r := range lower {
		if unicode.IsLetter(r) {
			letters++
			if r > unicode.MaxLatin1 && !unicode.In(r, unicode.Latin) {
				nonLatin++
			}
		}
	}
	if letters > 0 && nonLatin*2 > letters {
		return "a language other than English"
	}
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[w] {
			english++
		}
		if lang, ok := foreignWords[w]; ok {
			counts[lang]++
		}
	}
	best, bestN := "", 0
	for lang, n := range counts {
		if n > bestN || n == bestN && lang < best {
			best, bestN = lang, n
		}
	}
	if bestN >= 2 && bestN > english {
		return best
	}
	return ""
}
