package planner

import (
	"math"
	"slices"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/forecast"
)

// allocation is the budget of each candidate in the plan currency.
type allocation []float64

// allocate splits the budget by marginal return on the objective: it hands out the
// budget in small steps, each to the candidate whose forecast result grows most for
// it, so spend flows to cheap, unsaturated audiences first. It honours format caps
// and the minimum spend per ad set, and gives every market its best ad set first
// when the budget can cover them all.
//
// For a revision it first keeps the previous plan's ad sets (in.keep) at their
// minimum; short maps each one the budget could not keep to what was left when it
// was its turn.
func (p *Planner) allocate(in planInputs, cs []candidate) (alloc allocation, short map[int]float64) {
	a := p.newAllocator(in, cs)
	short = a.run()
	return a.alloc, short
}

func (p *Planner) newAllocator(in planInputs, cs []candidate) *allocator {
	a := &allocator{p: p, in: in, cs: cs, alloc: make(allocation, len(cs)),
		formatSpent: map[string]float64{}, remaining: in.budget}
	a.usdPerUnit, _ = p.facts.USDPerUnit(in.currency)
	return a
}

// run splits a.in.budget as allocate describes.
func (a *allocator) run() (short map[int]float64) {
	a.seedMarkets()
	short = a.seedKept()
	a.handOut()
	if a.remaining > 1e-6 && slices.Max(a.alloc) == 0 {
		// The budget is below the minimum of a single ad set: the plan still shows
		// what it would buy in the best one, and the warnings say it is too small.
		best := 0
		for i := range a.cs {
			if a.gain[i] > a.gain[best] {
				best = i
			}
		}
		a.give(best, a.remaining)
		a.refresh(best)
	}
	return short
}

// allocator is one run of allocate: what each candidate has been given so far and
// what another step of budget would buy it.
type allocator struct {
	p           *Planner
	in          planInputs
	cs          []candidate
	usdPerUnit  float64
	alloc       allocation
	formatSpent map[string]float64
	remaining   float64
	// step is the budget handed out at a time; for each candidate, cur is the value of
	// its budget, cost the next amount it would take (the ad set minimum when it has
	// none yet) and gain the value that amount adds per unit of budget.
	step            float64
	cur, gain, cost []float64
	// steps is how many steps handOut splits the budget into; 0 means 60.
	steps float64
	// next is the value at nextAt, the budget after the candidate's next step: once
	// the step is given, it is the candidate's new cur without forecasting again.
	// curResult and nextResult are the same for the forecast result (mid), unweighted.
	next, nextAt          []float64
	curResult, nextResult []float64
}

func (a *allocator) minUnits(c candidate) float64 { return c.minUSD / a.usdPerUnit }

// value is the effective forecast result of giving candidate i amount, the forecast
// result (mid) itself, and whether the amount buys more impressions than the audience
// can take at the frequency caps (the excess would go unspent).
func (a *allocator) value(i int, amount float64) (effective, result float64, capped bool) {
	if amount <= 0 {
		return 0, 0, false
	}
	pred, err := a.p.predictWith(a.in, a.cs[i], amount*a.usdPerUnit, false)
	if err != nil {
		return 0, 0, false
	}
	return effectiveValue(pred, a.in.days), pred.Result.Mid, pred.CappedImpressions
}

// capOK reports whether c's format can take extra without passing its cap.
func (a *allocator) capOK(c candidate, extra float64) bool {
	share, ok := a.in.maxShare[c.format]
	return !ok || a.formatSpent[c.format]+extra <= share*a.in.budget+1e-9
}

func (a *allocator) give(i int, amount float64) {
	a.alloc[i] += amount
	a.formatSpent[a.cs[i].format] += amount
	a.remaining -= amount
}

// seedMarkets gives each market its best single ad set at the minimum, when the
// budget covers every market's minimum: a market named in the brief should not lose
// out to a cheaper one.
func (a *allocator) seedMarkets() {
	perMarketMin := 0.0
	seen := map[string]bool{}
	for _, c := range a.cs {
		if !seen[c.market] {
			seen[c.market] = true
			perMarketMin += a.minUnits(c)
		}
	}
	if !(perMarketMin <= a.in.budget) { // NaN minimums seed nothing
		return
	}
	for _, m := range a.in.markets {
		best, bestV := -1, -1.0
		for i, c := range a.cs {
			if c.market != m || !a.capOK(c, a.minUnits(c)) {
				continue
			}
			v, _, _ := a.value(i, a.minUnits(c))
			if v /= a.minUnits(c); v > bestV {
				best, bestV = i, v
			}
		}
		if best >= 0 {
			a.give(best, min(a.minUnits(a.cs[best]), a.remaining))
		}
	}
}

// seedKept gives each ad set of the previous plan still on offer its minimum, in the
// previous plan's order (largest first), while the budget lasts: a revision moves the
// ad sets it touches, not the others. It returns, for each one it could not pay for,
// what the budget had left at its turn.
func (a *allocator) seedKept() map[int]float64 {
	var short map[int]float64
	for _, id := range a.in.keep {
		i := slices.IndexFunc(a.cs, func(c candidate) bool { return c.id() == id })
		if i < 0 || a.alloc[i] > 0 {
			continue
		}
		need := a.minUnits(a.cs[i])
		if need > a.remaining+1e-9 || !a.capOK(a.cs[i], need) {
			if short == nil {
				short = map[int]float64{}
			}
			short[i] = a.remaining
			continue
		}
		a.give(i, need)
	}
	return short
}

// refresh prices the next step of candidate i.
func (a *allocator) refresh(i int) {
	if a.nextAt[i] == a.alloc[i] && a.alloc[i] > 0 {
		a.cur[i], a.curResult[i] = a.next[i], a.nextResult[i]
	} else {
		a.cur[i], a.curResult[i], _ = a.value(i, a.alloc[i])
	}
	a.cost[i] = a.step
	if a.alloc[i] == 0 {
		a.cost[i] = max(a.step, a.minUnits(a.cs[i]))
	}
	a.nextAt[i] = a.alloc[i] + a.cost[i]
	var capped bool
	a.next[i], a.nextResult[i], capped = a.value(i, a.nextAt[i])
	a.gain[i] = (a.next[i] - a.cur[i]) / a.cost[i]
	if capped {
		// Its audience cannot take what that step buys at the frequency caps: the
		// money would go unspent, so any line that can still deliver goes first.
		a.gain[i] = math.Inf(-1)
	}
}

// handOut gives the rest of the budget a step at a time to the candidate that gains
// most from it.
func (a *allocator) handOut() {
	steps := a.steps
	if steps <= 0 {
		steps = 60
	}
	a.prepare()
	a.setStep(a.in.budget / steps)
	a.spend()
}

// setStep changes the step and prices every candidate's next one.
func (a *allocator) setStep(step float64) {
	a.step = step
	for i := range a.cs {
		a.refresh(i)
	}
}

// spend hands out what remains, a step at a time, as handOut describes.
func (a *allocator) spend() {
	for a.remaining > 1e-6 {
		best := a.bestStep()
		if best < 0 {
			// Nothing can take more without breaking a cap or a minimum: give the rest
			// to the biggest open line item that has room.
			if best = a.fallbackLine(a.remaining); best >= 0 {
				a.give(best, a.remaining)
				a.refresh(best)
			}
			return
		}
		a.give(best, min(a.cost[best], a.remaining))
		a.refresh(best)
	}
}

// bestStep is the candidate that gains most from its next step and may take it, or -1.
func (a *allocator) bestStep() int {
	best := -1
	for i, c := range a.cs {
		amt := min(a.cost[i], a.remaining)
		if a.alloc[i] == 0 && amt < a.minUnits(c) {
			continue // cannot open an ad set below the minimum
		}
		if !a.capOK(c, amt) {
			continue
		}
		if best < 0 || a.gain[i] > a.gain[best] {
			best = i
		}
	}
	return best
}

// fallbackLine is the biggest open line item that can take extra within its cap, else
// the biggest open one, else -1.
func (a *allocator) fallbackLine(extra float64) int {
	best := -1
	for i := range a.cs {
		if a.alloc[i] > 0 && a.capOK(a.cs[i], extra) && (best < 0 || a.alloc[i] > a.alloc[best]) {
			best = i
		}
	}
	if best < 0 {
		for i := range a.cs {
			if a.alloc[i] > 0 && (best < 0 || a.alloc[i] > a.alloc[best]) {
				best = i
			}
		}
	}
	return best
}

// effectiveValue is the forecast result a planner would count: beyond about three
// exposures per person per week, extra impressions mostly repeat the message, so
// results past that frequency count at a tenth.
func effectiveValue(pred forecast.Prediction, days int) float64 {
	v := pred.Result.Mid
	capFreq := 3 * math.Max(1, float64(days)/7)
	if f := pred.Frequency.Mid; f > capFreq {
		v = v*capFreq/f + v*(1-capFreq/f)*0.1
	}
	return v
}

// predict forecasts one line item. The history is priced as self-serve; a channel's
// pricing multiplies the CPM, so the same money buys fewer (or more) impressions.
func (p *Planner) predict(in planInputs, c candidate, budgetUSD float64) (forecast.Prediction, error) {
	return p.predictWith(in, c, budgetUSD, true)
}

// predictWith is predict, with the similar campaigns found only when evidence is
// true (the allocator compares budgets and needs none).
func (p *Planner) predictWith(in planInputs, c candidate, budgetUSD float64, evidence bool) (forecast.Prediction, error) {
	mult := in.channel.CPMMultiplier
	if mult <= 0 {
		mult = 1
	}
	q := p.query(in, c, budgetUSD/mult)
	q.SkipEvidence = !evidence
	pred, err := p.model.Predict(q)
	if err != nil {
		return pred, err
	}
	pred.CPMUSD = scaleRange(pred.CPMUSD, mult)
	return pred, nil
}

func (p *Planner) query(in planInputs, c candidate, budgetUSD float64) forecast.Query {
	q := forecast.Query{
		Market: c.market, Objective: string(in.objective), Format: c.format, Placement: c.placement,
		AudienceSize: c.audience, BudgetUSD: budgetUSD, Days: in.days, AgeMin: 18, AgeMax: 99, Gender: "ALL",
		Start: in.start.Time(),
	}
	if len(in.audience.AgeRanges) > 0 {
		q.AgeMin, q.AgeMax = in.audience.AgeRanges[0].Min, in.audience.AgeRanges[0].Max
		for _, r := range in.audience.AgeRanges[1:] {
			q.AgeMin, q.AgeMax = min(q.AgeMin, r.Min), max(q.AgeMax, r.Max)
		}
	}
	if len(in.audience.Genders) == 1 && in.audience.Genders[0] != agents.GenderNonBinary {
		q.Gender = in.audience.Genders[0]
	}
	return q
}
