package forecast

import (
	"fmt"
	"math"
	"strings"
)

// Predict forecasts one line item. It fails only for an invalid query.
func (m *Model) Predict(q Query) (Prediction, error) {
	metric, err := normaliseQuery(&q)
	if err != nil {
		return Prediction{}, err
	}
	at := m.locate(&q)

	// Prices are those of the query's date within the history's span: a
	// query without one, or past the newest campaign, gets the newest prices.
	date := m.dateHi
	if !q.Start.IsZero() {
		date = max(m.dateLo, min(m.dateHi, yearsOf(q.Start)))
	}
	var xbuf, rbuf [24]float64 // the covariates, on the stack
	x := m.appendX(xbuf[:0], at.narrow, at.logDays, math.Log(q.BudgetUSD), date)
	cpm, imp := m.impressions(&q, at, x)
	reach, freq := m.reachAndFrequency(&q, at, imp, rbuf[:0])
	caps := q.FrequencyCaps
	if caps == nil {
		caps = SpotifyDefaultCaps
	}
	maxFreq := FlightFrequency(q.Days, caps)
	cut := capFrequency(&imp, &reach, &freq, q.AudienceSize, maxFreq)
	var result Range
	if isReachObjective(q.Objective) {
		result = reach
	} else if rm := m.rates[q.Objective]; rm != nil {
		result = resultRange(rm, at, x, imp)
	}
	p := Prediction{
		Impressions:       imp,
		Reach:             reach,
		Frequency:         freq,
		CPMUSD:            cpm,
		Result:            result,
		ResultMetric:      metric,
		MaxFrequency:      maxFreq,
		CappedImpressions: cut,
	}
	if !q.SkipEvidence {
		p.Evidence = m.evidence.evidence(&q, at.market, at.region, at.regionName, m.minSimilar)
	}
	return p, nil
}

// normaliseQuery upper-cases the query's codes and orders its ages, and returns
// the objective's result metric, or an error wrapping ErrInvalidQuery.
func normaliseQuery(q *Query) (metric string, err error) {
	q.Market = strings.ToUpper(q.Market)
	q.Objective = strings.ToUpper(q.Objective)
	q.Format = strings.ToUpper(q.Format)
	q.Placement = strings.ToUpper(q.Placement)
	q.Gender = strings.ToUpper(q.Gender)
	metric, ok := resultMetrics[q.Objective]
	switch {
	case !ok:
		return "", fmt.Errorf("%w: unknown objective %q", ErrInvalidQuery, q.Objective)
	case !formats[q.Format]:
		return "", fmt.Errorf("%w: unknown format %q", ErrInvalidQuery, q.Format)
	case !placements[q.Placement]:
		return "", fmt.Errorf("%w: unknown placement %q", ErrInvalidQuery, q.Placement)
	case !(q.BudgetUSD > 0) || math.IsInf(q.BudgetUSD, 0):
		return "", fmt.Errorf("%w: budget %v USD", ErrInvalidQuery, q.BudgetUSD)
	case q.Days < 1:
		return "", fmt.Errorf("%w: %d days", ErrInvalidQuery, q.Days)
	case !(q.AudienceSize > 0) || math.IsInf(q.AudienceSize, 0):
		return "", fmt.Errorf("%w: audience %v", ErrInvalidQuery, q.AudienceSize)
	}
	if q.AgeMin > q.AgeMax {
		q.AgeMin, q.AgeMax = q.AgeMax, q.AgeMin
	}
	return metric, nil
}

// location is where a query sits in the model: its market, region and segment
// (indexes, -1 where the history lacks them), its month and covariates.
type location struct {
	market, region, cell int32
	regionName           string
	key                  segKey
	month                int8
	narrow, logDays      float64
}

// locate finds the query's market, region and segment. A market the history
// lacks still gets its region when Options.Region knows one, and the mean
// narrowness, having no widest audience of its own to measure against.
func (m *Model) locate(q *Query) location {
	at := location{
		region:  -1,
		narrow:  m.meanNarrow,
		key:     segKey{q.Format, q.Placement, q.Objective},
		month:   flightMonth(q.Start, q.Days),
		logDays: math.Log(float64(q.Days)),
	}
	mi, ok := m.markets[q.Market]
	if ok {
		at.region = m.marketRegion[mi]
		at.narrow = math.Log(q.AudienceSize / m.marketAud[mi])
	} else {
		mi = -1
		if at.regionName = m.regionOf(q.Market); at.regionName != "" {
			at.region = m.regionID(at.regionName, false)
		}
	}
	if at.region >= 0 {
		at.regionName = m.regionNames[at.region]
	}
	at.market = mi
	at.cell = -1
	if ci, ok := m.cells[at.key]; ok {
		at.cell = ci
	}
	return at
}

// impressions forecasts the CPM and what the budget buys at it.
func (m *Model) impressions(q *Query, at location, x []float64) (cpm, imp Range) {
	c, clo, chi := m.cpm.predict(at.market, at.region, at.cell, at.month, at.key, x)
	cpm = Range{math.Exp(c + clo), math.Exp(c), math.Exp(c + chi)}
	imp = Range{q.BudgetUSD / cpm.High * 1000, q.BudgetUSD / cpm.Mid * 1000, q.BudgetUSD / cpm.Low * 1000}
	return cpm, imp
}

// impressionSpread is the log distance of the impressions' low (≤ 0) and high
// (≥ 0) ends from the middle.
func impressionSpread(imp Range) (lo, hi float64) {
	return math.Log(imp.Low / imp.Mid), math.Log(imp.High / imp.Mid)
}

// reachAndFrequency forecasts reach as A·(1 − exp(−k·I/A)), k from the reach
// model at the middle impressions; k and I enter only as their product, so the
// ends combine the CPM and curvature spreads in quadrature. xbuf holds the reach
// covariates.
func (m *Model) reachAndFrequency(q *Query, at location, imp Range, xbuf []float64) (reach, freq Range) {
	A := q.AudienceSize
	xr := m.appendReachX(xbuf, at.narrow, at.logDays, math.Log(imp.Mid/A))
	lk, klo, khi := m.reach.predict(at.market, at.region, at.cell, -1, at.key, xr)
	k := math.Exp(lk)
	reachAt := func(kI float64, impressions float64) float64 {
		return min(A*-math.Expm1(-kI/A), impressions, A)
	}
	iLo, iHi := impressionSpread(imp)
	rLo := -math.Hypot(iLo, klo)
	rHi := math.Hypot(iHi, khi)
	reach = Range{
		reachAt(k*imp.Mid*math.Exp(rLo), imp.Low),
		reachAt(k*imp.Mid, imp.Mid),
		reachAt(k*imp.Mid*math.Exp(rHi), imp.High),
	}
	freq = Range{
		imp.Low / reachAt(k*math.Exp(khi)*imp.Low, imp.Low),
		imp.Mid / reach.Mid,
		imp.High / reachAt(k*math.Exp(klo)*imp.High, imp.High),
	}
	return reach, freq
}

// resultRange forecasts an objective's result as the impressions times the rate
// model's rate, the ends combining the two spreads in quadrature.
func resultRange(rm *segModel, at location, x []float64, imp Range) Range {
	iLo, iHi := impressionSpread(imp)
	r, rlo, rhi := rm.predict(at.market, at.region, at.cell, at.month, at.key, x)
	return Range{
		imp.Mid * math.Exp(r-math.Hypot(iLo, rlo)),
		imp.Mid * math.Exp(r),
		imp.Mid * math.Exp(r+math.Hypot(iHi, rhi)),
	}
}
