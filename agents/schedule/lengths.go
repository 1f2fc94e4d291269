package schedule

// Durations in a brief: which are the flight's length, which are something else (rates,
// ages, the past), and which move a date ("a week before Black Friday").

// durationAt reads a duration at i, leaving out the durations that are not a flight's:
// rates ("$200 a day", "every 2 weeks"), ages ("18-24 year olds"), the past ("3 years
// ago"), creative lengths ("30-second spots") and absurd lengths. "in two weeks" and
// "two weeks from now" become a start date.
func (s *scheduleScanner) durationAt(i int) (int, bool) {
	d, next, ok := s.durationReader.read(i)
	if !ok {
		return i, false
	}
	first, prev := s.word(i), s.word(i-1)
	switch {
	case s.is(i-1, wRateBefore):
		return next, true
	case s.is(i-1, wRateBeforeAmount) && (s.isNumber(i-2) || s.is(i-2, wRate|wCurrencySign)):
		// "$500 per 2 weeks"; the Italian "per 4 settimane" is a length.
		return next, true
	case (first == "a" || first == "an") && (s.isNumber(i-1) || s.is(i-1, wRate)):
		return next, true
	case s.isNumber(i) && s.is(i-1, wCurrencySign):
		return next, true
	}
	afterAt := next
	if s.word(afterAt) == "-" {
		afterAt++
	}
	after := s.word(afterAt)
	if s.is(afterAt, wNotFlightAfter) || after == "of" && s.word(next+1) == "age" {
		return next, true
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if s.is(k, wAge) {
			return next, true
		}
	}
	if d.largest() < scheduleDay && d.days() < 1 {
		return next, true
	}
	if d.amount[scheduleYear] >= 10 || d.months() > 120 || d.days() > maxFlightDays {
		return next, true
	}
	fromNow := after == "from" && s.is(next+1, wNow)
	if fromNow || (prev == "in" && !s.resultVerbBefore(i-1)) {
		day, ok := move(s.today, d, 1, 0)
		if !ok {
			return next, true
		}
		from, to := i, next
		if fromNow {
			to = next + 2
		} else {
			from = i - 1
		}
		s.mentions = append(s.mentions, mention{
			kind: dateMention, from: from, to: to, offset: true,
			spec: scheduleSpec{kind: specFixed, start: day, end: day},
		})
		return to, true
	}
	m := mention{kind: durationMention, from: i, to: next, dur: d}
	// "the last two weeks of December" ends with the period; "the next 6 weeks" starts now.
	m.fromEnd = s.is(i-1, wFromEndBefore) && (after == "of" || after == "in")
	m.fromNow = s.is(i-1, wFromNowBefore)
	// "6-8 weeks", "6 to 8 weeks", "6 or 8 weeks": the longer, as a budget range gives its upper bound.
	if s.is(i-1, wLengthRange) && s.isNumber(i-2) && s.isNumber(i) {
		m.approx, m.approxFrom = true, i-2
	}
	s.mentions = append(s.mentions, m)
	return next, true
}

// resultVerbBefore reports whether a result verb ("reach 1M people in 30 days") comes
// shortly before token i in the same clause.
func (s *scheduleScanner) resultVerbBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		w := s.word(k)
		if w == "," || w == "." || s.is(k, wStart) {
			return false
		}
		if s.is(k, wResultVerb) {
			return true
		}
	}
	return false
}

// applyOffsets reads "a week before Black Friday" and "3 days after Christmas": the
// duration moves the date after it and is no flight length.
func (s *scheduleScanner) applyOffsets() {
	for k := 0; k+1 < len(s.mentions); k++ {
		d, next := &s.mentions[k], &s.mentions[k+1]
		if d.kind != durationMention || next.kind != dateMention || next.spec.isPeriod() && next.spec.kind != specHoliday {
			continue
		}
		l := s.lex(d.to)
		if !l.in(wOffset) {
			continue
		}
		gap := next.from - d.to - 1
		if gap > 1 || (gap == 1 && s.word(d.to+1) != "the") || d.dur.months() != 0 {
			continue
		}
		next.spec.shift += l.offset * int(d.dur.days()+0.5)
		next.from = d.from
		next.written = false
		d.kind = unreadMention
		d.dur = duration{}
	}
}
