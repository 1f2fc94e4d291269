package planner

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// curveMultiples are the budgets a plan's response curve shows, as multiples of the
// plan's own.
var curveMultiples = []float64{0.5, 1, 1.5, 2, 3}

// curveSample is the spacing, as a multiple of the budget, at which the curve above
// the plan's budget is sampled to find where returns diminish.
const curveSample = 0.25

// The curve's runs hand out the budget in steps of the same size as the plan's own
// (a sixtieth of its budget) below it, and of a tenth of its budget above it, so
// that even the 3× point is split in 30 steps: finer would cost forecasts and move
// the points by less than their ranges.
const (
	halfSteps           = 30
	curveStepsPerBudget = 10
)

// curve builds the plan's response curve. The 1× point is the plan. The 0.5× point
// is the allocation of half the budget by the same rules (allocate, in steps the
// size of the plan's). Above 1× the plan's own
// run continues: the plan's ad sets keep their budget and each further step goes
// where it gains most, with the format caps of the budget the run is heading for,
// so every point above the plan is the plan plus what more would buy, and the
// result cannot fall as the budget rises.
func (p *Planner) curve(in planInputs, cs []candidate, alloc allocation, plan agents.Plan) *agents.Curve {
	metric := plan.Totals.Result.Metric
	c := &agents.Curve{Metric: metric, Points: make([]agents.CurvePoint, 0, len(curveMultiples))}
	usdPerUnit, _ := p.facts.USDPerUnit(in.currency)
	type sample struct{ budget, result float64 }
	var samples []sample

	if half := centsOf(in.budget * 0.5); half > 0 {
		inHalf := in
		inHalf.budget = half
		h := p.newAllocator(inHalf, cs)
		h.steps = halfSteps
		h.run()
		pt := p.curvePoint(in, cs, 0.5, half, h.alloc, usdPerUnit, metric)
		c.Points = append(c.Points, pt)
		samples = append(samples, sample{half, pt.Result.Mid})
	}

	one := agents.CurvePoint{
		Multiple: 1, Budget: plan.Totals.Budget, BudgetMicro: plan.Totals.BudgetMicro,
		Impressions: plan.Totals.Impressions, Reach: plan.Totals.Reach, Result: plan.Totals.Result,
		LineItems: make([]agents.CurveLine, len(plan.LineItems)),
	}
	for i, li := range plan.LineItems {
		one.LineItems[i] = agents.CurveLine{ID: li.ID, Budget: li.Budget, BudgetMicro: li.BudgetMicro}
	}
	c.Points = append(c.Points, one)
	samples = append(samples, sample{plan.Totals.Budget, one.Result.Mid})

	a := p.newAllocator(in, cs)
	a.prepare()
	a.alloc = append(a.alloc[:0], alloc...)
	spent := 0.0
	for i, amt := range a.alloc {
		a.formatSpent[cs[i].format] += amt
		spent += amt
	}
	a.setStep(in.budget / curveStepsPerBudget)
	next := 2 // the next multiple in curveMultiples to show
	last := curveMultiples[len(curveMultiples)-1]
	for k := 1; float64(k)*curveSample <= last-1+1e-9; k++ {
		mult := 1 + float64(k)*curveSample
		a.in.budget = centsOf(in.budget * mult)
		a.remaining = a.in.budget - spent
		a.spend()
		spent = a.in.budget - a.remaining
		if next < len(curveMultiples) && math.Abs(curveMultiples[next]-mult) < 1e-9 {
			pt := p.curvePoint(in, cs, mult, a.in.budget, a.alloc, usdPerUnit, metric)
			c.Points = append(c.Points, pt)
			samples = append(samples, sample{a.in.budget, pt.Result.Mid})
			next++
			continue
		}
		r := 0.0
		for i, amt := range a.alloc {
			if amt > 0 {
				r += a.curResult[i]
			}
		}
		samples = append(samples, sample{a.in.budget, r})
	}

	for j := 0; j+1 < len(samples); j++ {
		s, t := samples[j], samples[j+1]
		if s.result <= 0 || t.budget <= s.budget {
			continue
		}
		if (t.result-s.result)/(t.budget-s.budget) < 0.5*s.result/s.budget {
			c.DiminishingFrom = s.budget
			break
		}
	}
	c.Summary = curveSummary(c, in.currency)
	return c
}

// curveDip says, when a smaller budget would deliver more than a larger one (the
// split chases frequency in an audience too small for the budget), which and by how
// much; "" when the result grows with the budget.
func curveDip(c *agents.Curve, currency, what string) string {
	for j := 1; j < len(c.Points); j++ {
		a, b := c.Points[j-1], c.Points[j]
		if b.Result.Mid < a.Result.Mid*(1-1e-9) {
			return fmt.Sprintf(" %s %s would deliver more %s (%s) than %s %s (%s): the audience cannot absorb that much budget.",
				money.FormatAmount(a.Budget, currency), currency, what, agents.CompactCount(a.Result.Mid),
				money.FormatAmount(b.Budget, currency), currency, agents.CompactCount(b.Result.Mid))
		}
	}
	return ""
}

// prepare sizes the per-candidate state of a run.
func (a *allocator) prepare() {
	n := len(a.cs)
	a.cur, a.gain, a.cost = make([]float64, n), make([]float64, n), make([]float64, n)
	a.next, a.nextAt = make([]float64, n), make([]float64, n)
	a.curResult, a.nextResult = make([]float64, n), make([]float64, n)
}

// curvePoint splits budget to the cent as alloc does and forecasts what it buys, the
// way assemble does for the plan.
func (p *Planner) curvePoint(in planInputs, cs []candidate, mult, budget float64, alloc allocation, usdPerUnit float64, metric string) agents.CurvePoint {
	totalMicro := int64(math.Round(budget*100)) * 10_000
	pt := agents.CurvePoint{Multiple: mult, Budget: float64(totalMicro) / 1e6, BudgetMicro: totalMicro, Result: agents.ResultForecast{Metric: metric}}
	for i, micro := range splitMicros(totalMicro, alloc) {
		if micro == 0 {
			continue
		}
		amount := float64(micro) / 1e6
		pt.LineItems = append(pt.LineItems, agents.CurveLine{ID: cs[i].id(), Budget: amount, BudgetMicro: micro})
		pred, err := p.predict(in, cs[i], amount*usdPerUnit)
		if err != nil {
			continue // the plan warns of a line it cannot forecast
		}
		pt.Impressions = addRange(pt.Impressions, pred.Impressions)
		pt.Reach = addRange(pt.Reach, pred.Reach)
		pt.Result.Range = addRange(pt.Result.Range, pred.Result)
	}
	sort.SliceStable(pt.LineItems, func(i, j int) bool { return pt.LineItems[i].BudgetMicro > pt.LineItems[j].BudgetMicro })
	return pt
}

// curveSummary says where returns diminish: "Past ~9,000 EUR each extra EUR buys less
// than half as much reach as the average EUR before it."
func curveSummary(c *agents.Curve, currency string) string {
	what := strings.ReplaceAll(c.Metric, "_", " ")
	much := "many " + what // clicks, installs, streams are counted
	if c.Metric == "reach" {
		much = "much reach"
	}
	if c.DiminishingFrom > 0 {
		return fmt.Sprintf("Past ~%s %s each extra %s buys less than half as %s as the average %s before it.",
			money.FormatAmount(roundSignificant(c.DiminishingFrom, 2), currency), currency, currency, much, currency) + curveDip(c, currency, what)
	}
	top := c.Points[len(c.Points)-1]
	return fmt.Sprintf("Up to %s %s (%g× the budget) each extra %s still buys at least half as %s as the average %s before it.",
		money.FormatAmount(top.Budget, currency), currency, top.Multiple, currency, much, currency) + curveDip(c, currency, what)
}

// centsOf rounds an amount to the cent.
func centsOf(v float64) float64 { return math.Round(v*100) / 100 }

// roundSignificant rounds v to n significant digits.
func roundSignificant(v float64, n int) float64 {
	if v <= 0 {
		return v
	}
	scale := math.Pow(10, math.Floor(math.Log10(v))-float64(n-1))
	return math.Round(v/scale) * scale
}
