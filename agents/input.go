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
