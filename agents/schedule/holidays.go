package schedule

import (
	"github.com/adplan/adplan/agents/schedule/calendar"
)

// Retail holidays and seasons: reading them in a message, their days, and the flight
// a brief means by "for <holiday>".

// holidayAt reads a retail date or season ("Black Friday", "Christmas 2027", "the
// holidays", "back-to-school"), as data/holidays.json writes them.
func (s *scheduleScanner) holidayAt(i int) (int, bool) {
	ps := s.lex(i).holidays
	if len(ps) == 0 {
		return i, false
	}
	p, n, ok := matchPhrase(ps, s.word, i)
	if !ok || p.notAfter[s.word(i-1)] {
		return i, false
	}
	if p.then[s.word(n)] {
		n++
	}
	spec := scheduleSpec{kind: specHoliday, n: int(p.holiday)}
	if y, k, ok := s.yearAt(n); ok {
		spec.year, n = y, k
	}
	if calendar.DependsOnMarket(p.holiday) {
		// Mother's Day in the UK is Mothering Sunday; summer in Australia starts in
		// December.
		if named := s.marketsNamed(); len(named) > 0 {
			spec.market = named[0]
		}
		spec.south, _ = s.southern()
	}
	s.addDate(i, n, spec, false)
	return n, true
}
