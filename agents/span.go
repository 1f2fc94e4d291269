package agents

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a stretch of a message: byte offsets [Start, End) into Message.Lower, the
// form every specialist reads.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Overlaps reports whether the two spans share a byte.
func (s Span) Overlaps(o Span) bool { return s.Start < o.End && o.Start < s.End }

// Source ties what a specialist read to the words it read it from, so that every
// field of a brief can say where it came from and no word goes unaccounted for.
type Source struct {
	// Field names what was read the way the Brief's JSON spells it: "goal.objective",
	// "audience.age_ranges", "audience.geo.countries", "budget.amount",
	// "budget.currency", "schedule.start", ... It is "" for a cue word that shaped the
	// reading without setting a field by itself ("over" in "over 30 days", "year
	// olds" after an age range).
	Field string
	Span  Span
}

// SourceAt is a Source for the bytes [start, end) of Message.Lower.
func SourceAt(field string, start, end int) Source {
	return Source{Field: field, Span: Span{Start: start, End: end}}
}

// Quote returns the words of the message as the user wrote them that span covers
// in Lower (Normalize changes case, dashes and spacing, so the offsets differ).
func (m Message) Quote(s Span) string {
	start, end := m.TextOffset(s.Start), m.TextOffset(s.End)
	if start > end {
		return ""
	}
	// The offset of End is that of the character after the span, past any spaces
	// between them.
	return strings.TrimRightFunc(m.Text[start:end], unicode.IsSpace)
}

// TextOffset maps a byte offset in Lower to the offset in Text of the same
// character (len(Text) for len(Lower)). It walks both strings the way Normalize
// built one from the other, so it costs a pass over the message; it is meant for
// the few spans a reply quotes, not for every token.
func (m Message) TextOffset(lowerOff int) int {
	if lowerOff <= 0 {
		return firstNonSpace(m.Text)
	}
	text := m.Text
	li, ti := 0, 0
	space := false
	started := false
	for ti < len(text) {
		r, size := utf8.DecodeRuneInString(text[ti:])
		rep := textReplacer.Replace(string(r))
		rr, _ := utf8.DecodeRuneInString(rep)
		if unicode.IsSpace(rr) {
			space = true
			ti += size
			continue
		}
		if space && started {
			li++ // the one space Normalize wrote
			if li > lowerOff {
				return ti
			}
		}
		space = false
		if li >= lowerOff {
			return ti
		}
		started = true
		for _, c := range rep {
			li += utf8.RuneLen(unicode.ToLower(c))
		}
		ti += size
	}
	return len(text)
}

func firstNonSpace(s string) int {
	for i, r := range s {
		if !unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' && r != '\u2009' {
			return i
		}
	}
	return len(s)
}

// mergeSpans sorts spans and joins those that overlap or touch.
func mergeSpans(spans []Span) []Span {
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}
