package schedule

import "github.com/adplan/adplan/agents"

// The words a reading came from (agents.Source): the tokens of each mention the
// flight was read from, and the words that gave it its role, turned into byte
// offsets of the message's Lower by the tokens' own offsets.

// The fields of a Source, as the Brief's JSON names them; fieldCue is a word that
// shaped the reading without setting a field by itself ("until", "over").
const (
	fieldStart = "schedule.start"
	fieldEnd   = "schedule.end"
	fieldDays  = "schedule.days"
	fieldCue   = ""
)

// cover records that the tokens t were read for field.
func (s *scheduleScanner) cover(field string, t tokRange) {
	if t.empty() || t.from < 0 || t.to > len(s.tokens) {
		return
	}
	src := agents.SourceAt(field, s.tokens[t.from].start, s.tokens[t.to-1].end)
	// Words two rules read for the same field are one source.
	for i, o := range s.sources {
		if o.Field == field && o.Span.Overlaps(src.Span) {
			s.sources[i].Span = agents.Span{Start: min(o.Span.Start, src.Span.Start), End: max(o.Span.End, src.Span.End)}
			return
		}
	}
	if s.sources == nil {
		s.sources = make([]agents.Source, 0, 4)
	}
	s.sources = append(s.sources, src)
}

// coverDate records a date or period read for field, and the words that gave it its
// role ("until", "from", the "to" of a range).
func (s *scheduleScanner) coverDate(field string, m *mention) {
	s.cover(field, tokRange{m.from, m.to})
	s.cover(fieldCue, m.connectorAt)
}

// coverLength records a length read for field: the length ("30 days", "6-8 weeks"),
// the same length said again, and the words that make it the flight's ("over", "the
// next", "the last").
func (s *scheduleScanner) coverLength(field string, m *mention) {
	from := m.from
	if m.approx {
		from = m.approxFrom
	}
	s.cover(field, tokRange{from, m.to})
	for k := range s.mentions {
		if o := &s.mentions[k]; o.repeat && o.kind == durationMention {
			s.cover(field, tokRange{o.from, o.to})
			s.coverLengthCues(o.from)
		}
	}
	s.coverLengthCues(from)
}

// coverLengthCues records the words before a length at token from that make it the
// flight's: "over", "for", and "next" or "last" when the reading counted from them.
func (s *scheduleScanner) coverLengthCues(from int) {
	for k := from - 1; k >= 0 && k >= from-3; k-- {
		switch l := s.lex(k); {
		case l.in(wLengthCue):
			s.cover(fieldCue, one(k))
			return
		case l.in(wFromNowBefore | wFromEndBefore):
			s.cover(fieldCue, one(k))
		case s.word(k) == "the" || s.word(k) == "a":
		default:
			return
		}
	}
}

// coverChange records a date a follow-up moves the flight to, and the verb that asks
// for the move ("push the start to January", "move it to Q1").
func (s *scheduleScanner) coverChange(field string, m *mention) {
	s.coverDate(field, m)
	s.coverChangeVerbs(m)
}

// coverChangeVerbs records the verbs of change shortly before a mention in its
// clause: "move", "shift", "push", "extend".
func (s *scheduleScanner) coverChangeVerbs(m *mention) {
	from := m.from
	if !m.connectorAt.empty() && m.connectorAt.from < from {
		from = m.connectorAt.from
	}
	for k := from - 1; k >= 0 && k >= from-5 && !s.is(k, wClauseStop); k-- {
		if s.is(k, wFlightVerb|wRevisionVerb|wLengthen|wShorten|wLater|wEarlier) {
			s.cover(fieldCue, one(k))
		}
	}
}

// coverNoted records the mentions a note tells the user about: they were read, and
// set no field. When the reading set no flight (ok is false), no word set a field.
func (s *scheduleScanner) coverNoted(ok bool) {
	for k := range s.mentions {
		if m := &s.mentions[k]; m.noted {
			s.cover(fieldCue, tokRange{m.from, m.to})
		}
	}
	if !ok {
		for i := range s.sources {
			s.sources[i].Field = fieldCue
		}
	}
}
