package budget

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// Specialist reads how much the advertiser spends: the amount, its currency as
// written, and whether it is for the whole flight or a day. On a follow-up it revises
// the current budget ("double it", "make it 8k", "in dollars instead").
type Specialist struct{}

var _ agents.Specialist = (*Specialist)(nil)

// New returns the rule-based budget specialist.
func New() *Specialist { return &Specialist{} }

// Slot is the budget.
func (s *Specialist) Slot() agents.Slot { return agents.SlotBudget }

// Touches reports whether the message names an amount of money, changes the budget
// ("double the budget", "cut it by 25%", "cheaper") or its currency or type.
func (s *Specialist) Touches(m agents.Message) bool {
	sc := newScan(m)
	for _, mo := range sc.money {
		if !mo.price {
			return true
		}
	}
	if _, ok := sc.scaleOp(); ok {
		return true
	}
	if _, ok := sc.percentOp(); ok {
		return true
	}
	if _, ok := sc.vagueChange(); ok {
		return true
	}
	if _, ok := sc.currencySwitch(true); ok {
		return true
	}
	_, _, ok := sc.typeSwitch()
	return ok
}

// Run reads the budget from a first brief, or revises req.Current's on a follow-up.
func (s *Specialist) Run(_ context.Context, req agents.Request) (agents.Result, error) {
	sc := newScan(req.Message)
	var current *agents.Budget
	if req.FollowUp && req.Current.Budget != nil {
		c := *req.Current.Budget
		current = &c
	}
	res := sc.read(current)
	if sc.lower != req.Message.Lower {
		res.Sources = nil // the offsets are not in the message's Lower
	}
	return res, nil
}

// reading accumulates a result.
type reading struct {
	budget     *agents.Budget
	confidence float64
	notes      []string
	sources    []agents.Source
}

func (r *reading) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *reading) cap(c float64) { r.confidence = math.Min(r.confidence, c) }

// read turns a scanned message into the budget, revising current when it is set.
func (sc *scan) read(current *agents.Budget) agents.Result {
	r := reading{confidence: 1}
	pick, others := sc.pick()
	for _, m := range sc.money {
		if m.price {
			r.note("Ignored %s: it reads as a price per result, not a budget.", sc.describeMoney(m))
			r.coverMoney(sc, m, false)
		}
	}

	rel, relAt := 0, tokRange{}
	if pick != nil {
		rel, relAt = sc.relation(*pick)
		if current != nil && pick.minus {
			rel = -1 // "minus $500" revises; on a first brief it is a negative budget
		}
	}
	scale, scaleOK := sc.scaleOp()
	percent, percentOK := sc.percentOp()

	switch {
	case pick != nil && rel != 0:
		sc.readDelta(&r, *pick, rel, current)
		r.coverMoney(sc, *pick, true)
		r.cover(sc, fieldCue, relAt)
	case pick != nil:
		sc.readAbsolute(&r, *pick, others, current)
	case scaleOK:
		sc.readScale(&r, scale.factor, scale.word, current)
		r.cover(sc, fieldAmount, scale.op)
		r.cover(sc, fieldCue, scale.object)
	case percentOK:
		word := "increase"
		if percent.factor < 1 {
			word = "cut"
		}
		word = fmt.Sprintf("%s by %s%%", word, money.FormatAmount(math.Abs(percent.factor-1)*100, ""))
		sc.readScale(&r, percent.factor, word, current)
		r.cover(sc, fieldAmount, percent.share)
		r.cover(sc, fieldCue, percent.cue)
		r.coverWords(sc, bBudgetNoun, fieldCue)
	default:
		sc.readWithoutAmount(&r, current)
	}

	// A questionable amount is kept as written and reported once, by Brief.Problems,
	// where every surface shows it as a warning; here it only lowers confidence.
	if r.budget != nil && len(agents.BudgetProblems(*r.budget)) > 0 {
		r.cap(0.3)
	}
	if r.budget == nil {
		// Words read but not used set no field: the notes say why.
		for i := range r.sources {
			r.sources[i].Field = fieldCue
		}
	}
	return agents.Result{Budget: r.budget, Confidence: r.confidence, Notes: r.notes, Sources: r.sources}
}

// pick chooses the amount that is the budget: a budget word beside it beats a
// currency, which beats a bare multiplier; an amount being replaced ("instead of
// 5k") loses; ties go to the first. others are the other amounts with other values.
func (sc *scan) pick() (*budgetMoney, []budgetMoney) {
	best, bestScore := -1, math.Inf(-1)
	for i, m := range sc.money {
		if m.price {
			continue
		}
		score := 0.0
		switch m.cue {
		case cueBudget:
			score += 3
		case cueWith:
			score += 2
		case cueFollow:
			score++
		case cueMarket:
			score += 0.5
		}
		if m.curWritten {
			score += 2
		}
		if m.scaled {
			score++
		}
		if m.old {
			score -= 6
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return nil, nil
	}
	pick := sc.money[best]
	var others []budgetMoney
	for i, m := range sc.money {
		if i != best && !m.price && !m.old && m.value != pick.value {
			others = append(others, m)
		}
	}
	return &pick, others
}

// relation says whether an amount adds to the budget (+1), takes from it (-1) or is
// its new value (0): "add another 2k", "2k more", "reduce it by $500", "$500 less",
// against "increase it to 12k", "make it 8k", "what about 15k".
//
// It also returns the words that say so ("add", "more", "on top"); none for a new value.
func (sc *scan) relation(m budgetMoney) (int, tokRange) {
	toks := sc.toks
	if m.fromTo {
		return 0, tokRange{}
	}
	for k := m.start - 1; k >= 0 && k >= m.start-6; k-- {
		t := toks[k]
		if t.kind == tokNum || t.kind == tokSym {
			break
		}
		if t.kind == tokPunct {
			if t.text == "," || t.text == "." || t.text == ";" || t.text == "!" || t.text == "?" {
				break
			}
			continue
		}
		l := sc.lex(k)
		if l.in(bAdd) {
			return 1, sc.sameBefore(k, bAdd)
		}
		if l.in(bSubtract) {
			return -1, sc.sameBefore(k, bSubtract)
		}
		if !l.in(bRelationFiller) {
			return 0, tokRange{}
		}
	}
	for k := m.end; k < len(toks) && k < m.end+3; k++ {
		l := sc.lex(k)
		switch {
		case l.in(bMoreAfter):
			return 1, one(k)
		case toks[k].text == "on":
			if k+1 < len(toks) && toks[k+1].text == "top" {
				return 1, tokRange{k, k + 2}
			}
			return 0, tokRange{}
		case l.in(bLessAfter):
			return -1, one(k)
		case l.in(bBeforeMoreAfter):
			continue
		}
		break
	}
	return 0, tokRange{}
}

// sameBefore is the word at k with the words just before it that say the same
// ("add another", "take off"), fillers between them included.
func (sc *scan) sameBefore(k int, set wordSet) tokRange {
	from := k
	for j := k - 1; j >= 0 && j >= k-3 && sc.toks[j].kind == tokWord; j-- {
		switch {
		case sc.is(j, set):
			from = j
		case sc.is(j, bRelationFiller):
		default:
			return tokRange{from, k + 1}
		}
	}
	return tokRange{from, k + 1}
}

// round keeps cents: arithmetic on budgets must not print 5499.999999.
func round(v float64) float64 { return math.Round(v*100) / 100 }

func (sc *scan) readDelta(r *reading, m budgetMoney, rel int, current *agents.Budget) {
	amount := math.Abs(m.value)
	if current == nil {
		if rel > 0 {
			r.note("There is no budget yet to add %s to; say the whole budget instead.", money.FormatAmount(amount, describeCurrency(m.cur)))
		} else {
			r.note("There is no budget yet to take %s from; say the whole budget instead.", money.FormatAmount(amount, describeCurrency(m.cur)))
		}
		r.cap(0.3)
		return
	}
	b := *current
	d := float64(rel) * amount
	b.Amount = round(b.Amount + d)
	if b.Min > 0 {
		b.Min = round(b.Min + d)
	}
	if m.curWritten && !sameCurrency(b, m.cur) {
		m.negative = false
		r.note("Changed the budget by %s without converting it into the budget's currency.", sc.describeMoney(m))
		r.cap(0.7)
	} else {
		r.cap(0.95)
	}
	r.budget = &b
}

// sameCurrency reports whether a written currency agrees with a budget's.
func sameCurrency(b agents.Budget, c money.Currency) bool {
	if c.Code != "" {
		return b.Currency == c.Code || (b.Currency == "" && b.CurrencyHint != "" && money.InFamily(c.Code, b.CurrencyHint))
	}
	return c.Family == b.CurrencyHint || money.InFamily(b.Currency, c.Family)
}

// applyCurrency writes a currency the text named onto b. A family that agrees
// with b's currency ("$" for AUD) keeps it.
func applyCurrency(b *agents.Budget, c money.Currency) {
	switch {
	case c.Code != "":
		b.Currency, b.CurrencySource, b.CurrencyHint = c.Code, "written", ""
	case c.Family != "":
		if b.CurrencyHint == c.Family || money.InFamily(b.Currency, c.Family) {
			return
		}
		b.Currency, b.CurrencySource, b.CurrencyHint = "", "", c.Family
	}
}

// sameAmountWritten is another amount of the message equal to m, not a price nor
// the amount m replaces, whose currency is written; nil when there is none.
func (sc *scan) sameAmountWritten(m budgetMoney) *budgetMoney {
	for i := range sc.money {
		o := &sc.money[i]
		if o.start != m.start && o.curWritten && !o.price && !o.old && o.value == m.value && o.min == m.min {
			return o
		}
	}
	return nil
}

func (sc *scan) readAbsolute(r *reading, m budgetMoney, others []budgetMoney, current *agents.Budget) {
	b := agents.Budget{Type: agents.BudgetLifetime}
	if current != nil {
		b = *current
		b.Min = 0
	}
	if m.fromTo && current != nil {
		m.hasMin = false // "raise it from 5k to 8k" says where to, not a range
	}
	b.Amount = m.value
	if m.negative {
		b.Amount = -m.value
	}
	if m.hasMin {
		b.Min = m.min
	}
	r.coverMoney(sc, m, true)
	r.cover(sc, fieldCue, sc.verbBefore(m.start))
	var prev *budgetMoney
	if m.corrected >= 0 {
		prev = &sc.money[m.corrected]
	}
	switch {
	case m.curWritten:
		applyCurrency(&b, m.cur)
	case prev != nil && prev.curWritten:
		// "300k SEK, actually make it 250k": the correction keeps the currency.
		applyCurrency(&b, prev.cur)
		r.cover(sc, fieldCurrency, prev.pre)
		r.cover(sc, fieldCurrency, prev.post)
	case sc.sameAmountWritten(m) != nil:
		// "budget is 80k not 8k. Full brief: ..., 80k EUR": the same amount
		// written again with its currency says what the first one was in.
		o := sc.sameAmountWritten(m)
		applyCurrency(&b, o.cur)
		r.cover(sc, fieldCurrency, o.pre)
		r.cover(sc, fieldCurrency, o.post)
	default:
		if c, ok := sc.currencySwitch(false); ok {
			applyCurrency(&b, c.cur)
			r.cover(sc, fieldCurrency, c.at)
			r.cover(sc, fieldCue, c.cue)
			r.cover(sc, fieldCue, c.after)
		}
	}
	if c, at, ok := sc.correctedCurrency(m.end); ok {
		// "$15k USD, no, make that in CAD": the currency is taken back.
		applyCurrency(&b, c.cur)
		r.cover(sc, fieldCurrency, c.at)
		r.cover(sc, fieldCue, c.cue)
		r.cover(sc, fieldCue, c.after)
		r.cover(sc, fieldCue, at)
		from := at.to
		for from < c.at.from && sc.toks[from].kind == tokPunct {
			from++
		}
		r.cover(sc, fieldCue, tokRange{from, c.at.from}) // "make that in"
	}
	if m.mil {
		sc.noteMil(r, m)
	}
	switch m.cue {
	case cueMarket:
		r.cap(0.7)
	case cueBudget:
		if !m.curWritten && !m.scaled {
			r.cap(0.85)
		}
	case cueWith:
		if !m.curWritten && !m.scaled {
			r.cap(0.8)
		}
	case cueFollow:
		if !m.curWritten && !m.scaled {
			r.cap(0.75)
		}
	}
	sc.applyPeriod(r, m, &b)
	if prev != nil && m.period != "" && prev.period == m.period && !m.lifetime {
		// "$200 a day, sorry, $250": the correction keeps the period.
		periodAt := tokRange{prev.amountEnd, prev.end}
		if periodAt.empty() {
			_, at := sc.periodBefore(prev.start)
			periodAt = one(at)
		}
		r.cover(sc, fieldType, periodAt)
	}
	if len(others) > 0 {
		r.note("Also saw %s; used %s as the budget.", sc.describeMoney(others[0]), sc.describeMoney(m))
		r.cap(0.6)
		r.coverMoney(sc, others[0], false)
	}
	for _, o := range sc.money {
		switch {
		case o.price || o.start == m.start:
		case o.old:
			r.coverMoney(sc, o, false) // "instead of 5k": read as the amount replaced
		case o.value == m.value && o.min == m.min:
			r.coverMoney(sc, o, true) // the same amount again
		}
	}
	r.budget = &b
}

// applyPeriod makes b the kind of budget the amount's period says: a day's is daily,
// a week's or a month's the daily amount it implies; without a period b keeps its
// type, lifetime when it has none or the text says so ("in total").
func (sc *scan) applyPeriod(r *reading, m budgetMoney, b *agents.Budget) {
	switch m.period {
	case "day":
		b.Type = agents.BudgetDaily
	case "week", "month":
		if f := m.flight; f.count > 0 {
			// "AED 90,000/month for 3 months": the rate over the flight it names is
			// the whole flight's budget.
			total := b.Amount * f.count
			totalMin := b.Min * f.count
			if f.unit != m.period {
				total = b.Amount / unitDays(m.period) * f.days()
				totalMin = b.Min / unitDays(m.period) * f.days()
			}
			b.Type = agents.BudgetLifetime
			b.Amount, b.Min = round(total), round(totalMin)
			unit := f.unit
			if f.count != 1 {
				unit += "s"
			}
			r.note("Read %s a %s for %s %s as a total budget of %s for the whole flight.", sc.describeMoney(m), m.period,
				strconv.FormatFloat(f.count, 'f', -1, 64), unit, money.FormatAmount(b.Amount, b.Currency))
			r.cap(0.8)
			return
		}
		days := 7.0
		if m.period == "month" {
			days = 30
		}
		b.Type = agents.BudgetDaily
		b.Amount = round(b.Amount / days)
		b.Min = round(b.Min / days)
		// The Spotify Ads API knows only daily and lifetime budgets, and a weekly
		// amount is a steady rate, so it is read as the daily amount it implies.
		if m.period == "week" {
			r.note("Read %s a week as a daily budget of %s.", sc.describeMoney(m), money.FormatAmount(b.Amount, b.Currency))
		} else {
			r.note("Read %s a month as a daily budget of %s (a month counted as 30 days).", sc.describeMoney(m), money.FormatAmount(b.Amount, b.Currency))
		}
		r.cap(0.8)
	default:
		if m.lifetime || b.Type == "" {
			b.Type = agents.BudgetLifetime
		}
	}
}

func (sc *scan) readScale(r *reading, f float64, word string, current *agents.Budget) {
	if current == nil {
		r.note("There is no budget yet to %s; say how much to spend.", word)
		r.cap(0.3)
		return
	}
	b := *current
	b.Amount = round(b.Amount * f)
	b.Min = round(b.Min * f)
	r.cap(0.95)
	r.budget = &b
}

// readWithoutAmount handles messages that name no amount: a change of currency ("in
// dollars instead") or type ("make it daily"), or a change without a size ("cheaper").
func (sc *scan) readWithoutAmount(r *reading, current *agents.Budget) {
	if name, ok := sc.currencySwitch(true); ok {
		c := name.cur
		r.cover(sc, fieldCurrency, name.at)
		r.cover(sc, fieldCue, name.cue)
		r.cover(sc, fieldCue, name.after)
		if current == nil {
			r.note("Saw the currency %s but no amount; say how much to spend.", describeCurrency(c))
			r.cap(0.5)
			return
		}
		b := *current
		applyCurrency(&b, c)
		if b.Currency != current.Currency || b.CurrencyHint != current.CurrencyHint {
			r.note("Changed the currency to %s and kept the amount %s; it was not converted.", describeCurrency(c), money.FormatAmount(b.Amount, b.Currency))
		}
		r.cap(0.9)
		r.budget = &b
		return
	}
	if t, at, ok := sc.typeSwitch(); ok {
		r.cover(sc, fieldType, at)
		r.coverWords(sc, bTypeCue, fieldCue)
		kind := "lifetime"
		if t == agents.BudgetDaily {
			kind = "daily"
		}
		if current == nil {
			r.note("Saw a %s budget but no amount; say how much to spend.", kind)
			r.cap(0.5)
			return
		}
		b := *current
		if b.Type != t {
			b.Type = t
			r.note("Kept the amount %s, now as a %s budget.", money.FormatAmount(b.Amount, b.Currency), kind)
		}
		r.cap(0.8)
		r.budget = &b
		return
	}
	if dir, ok := sc.vagueChange(); ok {
		r.coverWords(sc, bUp|bDown|bAdd|bSubtract|bPriceComparative|bBudgetNoun, fieldCue)
		word := "bigger"
		if dir < 0 {
			word = "smaller"
		}
		if current == nil {
			r.note("Asked for a %s budget, but there is no budget yet; say how much to spend.", word)
		} else {
			r.note("Asked for a %s budget without saying how much; say an amount or a share (\"cut it by 20%%\").", word)
		}
		r.cap(0.3)
	}
}

// noteMil says how "mil" was read when neither the currency nor the language of
// the message settled it.
func (sc *scan) noteMil(r *reading, m budgetMoney) {
	mil := sc.milMeaning()
	if mil.settled {
		return
	}
	amount := money.FormatAmount(m.value, describeCurrency(m.cur))
	switch {
	case mil.factor == 1e3:
		r.note("Read \"mil\" as a thousand (%s), as it is written in %s; say \"million\" if you meant millions.", amount, agents.CountryName(mil.market))
	case mil.market != "":
		r.note("Read \"mil\" as a million (%s), English shorthand; in %s it would be a thousand, so say \"thousand\" if you meant that.", amount, agents.CountryName(mil.market))
	default:
		r.note("Read \"mil\" as a million (%s), English shorthand; in Spanish and Portuguese it is a thousand, so say \"thousand\" if you meant that.", amount)
	}
	r.cap(0.7)
}

// describeMoney writes an amount as the text gave it, for notes: "1,000 USD", "500 $".
func (sc *scan) describeMoney(m budgetMoney) string {
	v := m.value
	if m.negative {
		v = -v
	}
	s := money.FormatAmount(v, describeCurrency(m.cur))
	if m.hasMin {
		s = money.FormatAmount(m.min, describeCurrency(m.cur)) + "–" + s
	}
	switch c := describeCurrency(m.cur); {
	case c == "$" && v >= 0 && !m.hasMin:
		s = "$" + s
	case c != "":
		s += " " + c
	}
	return s
}

func describeCurrency(c money.Currency) string {
	if c.Code != "" {
		return c.Code
	}
	return c.Family
}
