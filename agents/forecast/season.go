package forecast

import (
	"math"
	"time"
)

// Season is what past campaigns show about CPMs in the month a flight is
// centred on, against the yearly median, so that a plan can say whether moving
// the flight moves the price.
type Season struct {
	// Month is the month of the flight's middle day ("January"); "" without a start.
	Month string `json:"month"`
	// Scope is the market measured when its own campaigns show a difference,
	// else "all markets".
	Scope string `json:"scope"`
	// Campaigns is how many past campaigns in Scope were centred on Month.
	Campaigns int `json:"campaigns"`
	// CPMChange is their median CPM against the yearly median of Scope, as a
	// fraction (−0.18: 18% below), after taking out each campaign's market,
	// format, placement and objective.
	CPMChange float64 `json:"cpm_change"`
	// Shown is true when the history shows a seasonal difference: the change is
	// at least 3% and three standard errors, and the forecast prices it in (the
	// CPM model kept its month effects). False: the history shows none.
	Shown bool `json:"shown"`
}

// seasonCell is the CPM change of the campaigns centred on one month.
type seasonCell struct {
	n      int
	change float64 // log, against the yearly median
	se     float64 // its standard error
}

// seasonIndex is the measured CPM change by month, per market and pooled.
type seasonIndex struct {
	market [][12]seasonCell
	all    [12]seasonCell
}

// Thresholds for a seasonal difference the plan reports as shown.
const (
	seasonMinChange = 0.03 // in log CPM, about 3%
	seasonMinZ      = 3.0  // standard errors
)

// measureSeason measures, from the CPM observations, each market's and all
// markets' CPM change by month: each campaign's log CPM less the median of its
// market × segment (so the mix of formats and objectives does not pass for a
// season), the month's median of that against the year's.
func measureSeason(cpm []obs, nMarkets int) *seasonIndex {
	byPair := map[pairKey][]float64{}
	for _, o := range cpm {
		k := pairKey{o.market, o.cell}
		byPair[k] = append(byPair[k], o.y)
	}
	mid := make(map[pairKey]float64, len(byPair))
	for k, ys := range byPair {
		mid[k] = median(ys)
	}
	type months [12][]float64
	perMarket := make([]months, nMarkets)
	marketAll := make([][]float64, nMarkets)
	var pooled months
	var pooledAll []float64
	for _, o := range cpm {
		if o.month < 0 {
			continue
		}
		r := o.y - mid[pairKey{o.market, o.cell}]
		perMarket[o.market][o.month] = append(perMarket[o.market][o.month], r)
		marketAll[o.market] = append(marketAll[o.market], r)
		pooled[o.month] = append(pooled[o.month], r)
		pooledAll = append(pooledAll, r)
	}
	cells := func(ms *months, year []float64) (out [12]seasonCell) {
		if len(year) == 0 {
			return out
		}
		center := median(year)
		dev := make([]float64, len(year))
		for i, r := range year {
			dev[i] = math.Abs(r - center)
		}
		sd := 1.4826 * median(dev)
		for mo, rs := range ms {
			if len(rs) == 0 {
				continue
			}
			n := len(rs)
			// The standard error of a median: √(π/2) σ/√n.
			out[mo] = seasonCell{n: n, change: median(rs) - center, se: 1.2533 * sd / math.Sqrt(float64(n))}
		}
		return out
	}
	ix := &seasonIndex{market: make([][12]seasonCell, nMarkets)}
	for mi := range perMarket {
		ix.market[mi] = cells(&perMarket[mi], marketAll[mi])
	}
	ix.all = cells(&pooled, pooledAll)
	return ix
}

// Season says what the history shows about CPMs in the month a flight starting
// at start and lasting days is centred on: in the market when its own campaigns
// show a difference, else across all markets (the forecast's month effects are
// learned across all markets, so a market too thin to tell on its own is priced
// with them).
func (m *Model) Season(market string, start time.Time, days int) Season {
	mo := flightMonth(start, days)
	if mo < 0 || m.season == nil {
		return Season{Scope: market}
	}
	shows := func(c seasonCell) bool {
		return m.cpm.useSeason && c.n >= m.minSimilar &&
			math.Abs(c.change) >= seasonMinChange && math.Abs(c.change) >= seasonMinZ*c.se
	}
	s := Season{Month: time.Month(mo + 1).String(), Scope: "all markets"}
	cell := m.season.all[mo]
	if mi, ok := m.markets[market]; ok && shows(m.season.market[mi][mo]) {
		s.Scope, cell = market, m.season.market[mi][mo]
	}
	s.Campaigns = cell.n
	s.CPMChange = math.Expm1(cell.change)
	s.Shown = shows(cell)
	return s
}
