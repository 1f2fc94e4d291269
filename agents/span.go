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

// Passage is a stretch of the message as its writer sent it: the words, and where
// they sit in characters (Unicode code points) from the start of the message, so a
// program in any language can find them in the text it sent.
type Passage struct {
	// Field is what the words were read as (as Source names fields); "" for words
	// nobody read.
	Field string `json:"field,omitempty"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Passage locates span in the message as written.
func (m Message) Passage(field string, s Span) Passage {
	text := m.Quote(s)
	start := m.TextOffset(s.Start)
	if start > len(m.Text) {
		start = len(m.Text)
	}
	from := utf8.RuneCountInString(m.Text[:start])
	return Passage{Field: field, Text: text, Start: from, End: from + utf8.RuneCountInString(text)}
}

// SourcePassages are the words each field was read from, in message order; cue words
// (Sources without a field) are left out, and a field read twice from the same words
// is listed once.
func (r Reading) SourcePassages() []Passage {
	sources := slices.Clone(r.Sources)
	slices.SortStableFunc(sources, func(a, b Source) int {
		if a.Span.Start != b.Span.Start {
			return a.Span.Start - b.Span.Start
		}
		return strings.Compare(a.Field, b.Field)
	})
	out := []Passage{}
	for i, s := range sources {
		if s.Field == "" || i > 0 && sources[i-1] == s {
			continue
		}
		out = append(out, r.Message.Passage(s.Field, s.Span))
	}
	return out
}

// UnreadPassages are the words no specialist read, in message order.
func (r Reading) UnreadPassages() []Passage {
	out := make([]Passage, 0, len(r.Unread))
	for _, s := range r.Unread {
		out = append(out, r.Message.Passage("", s))
	}
	return out
}
