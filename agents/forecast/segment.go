package forecast

import (
	"math"
	"slices"
)

// segKey names a segment: format × placement × objective. "*" stands for any.
type segKey struct{ format, placement, objective string }

// pairKey is a (market or region, segment) cell.
type pairKey struct{ group, cell int32 }

// covariate is a candidate log-linear adjustment and the bounds its
// coefficient is held to (the properties the forecast promises rely on them).
// Covariates sharing a group (the pieces of a piecewise-linear curve) are kept
// or left out together.
type covariate struct {
	name     string
	min, max float64
	group    string
}

// obs is one campaign as a segment model sees it.
type obs struct {
	market, cell int32
	month        int8      // 0–11, the flight's middle month; -1 unknown
	x            []float64 // candidate covariates, uncentred
	y            float64   // log of the modelled quantity
}

// spread is a level's residual quantiles (log scale) and how many campaigns
// they come from.
type spread struct {
	n      int
	lo, hi float64
}

// cellStat is a segment's effect (or a cell's shrunk deviation) and its spread.
type cellStat struct {
	eff float64
	spread
}

// segModel is the robust log-linear model shared by CPM, reach curvature and
// result rates:
//
//	y = segment + market + month + Σ β·(x − mean) + region×segment + market×segment + ε
//
// with segment, market and month effects fitted by alternating medians, β by
// Huber regression, the month and each β kept only where the data shows the
// effect, and the two interactions as medians shrunk towards zero by
// n/(n+shrinkN).
type segModel struct {
	cands     []covariate
	mean      []float64
	beta      []float64 // per candidate; 0 where the effect was left out
	tstat     []float64
	kept      []bool
	market    []float64 // by market index
	season    [12]float64
	useSeason bool
	seasonChi float64 // the month effects' χ² against noise (11 degrees of freedom)
	cell      map[segKey]cellStat
	region    map[pairKey]cellStat
	mcell     map[pairKey]cellStat
	global    spread
	minN      int
	// formatFirst: a segment that never ran backs off to its format before
	// its objective (prices and reach follow the format; rates the objective).
	formatFirst bool
}

const (
	shrinkN       = 10.0 // pseudo-count pulling a cell's deviation towards its parent
	marketShrinkN = 5.0
	minT          = 4.0  // |t| an adjustment needs to be kept
	minEffect     = 0.01 // and the log change one standard deviation of it must make
	// The month effects are kept when their χ² (11 degrees of freedom) is
	// four standard deviations above what noise gives: 11 + 4·√22.
	minSeasonChi = 30.0
)

func (s *segModel) seasonOf(o *obs) float64 {
	if !s.useSeason || o.month < 0 {
		return 0
	}
	return s.season[o.month]
}

// predict returns the log prediction and the log offsets of its low and high
// ends. market, region and cell are indexes or -1 when unknown; x holds the
// candidate covariates (uncentred).
func (s *segModel) predict(market, region, cell int32, month int8, key segKey, x []float64) (mid, lo, hi float64) {
	var adj float64
	if s.useSeason && month >= 0 {
		adj = s.season[month]
	}
	for j, b := range s.beta {
		if b != 0 {
			adj += b * (x[j] - s.mean[j])
		}
	}
	if market >= 0 && int(market) < len(s.market) {
		adj += s.market[market]
	}
	base, ok := s.cell[key]
	if !ok || cell < 0 {
		ladder := [4]segKey{{key.format, "*", key.objective}, {"*", "*", key.objective}, {key.format, key.placement, "*"}, {"*", "*", "*"}}
		if s.formatFirst {
			ladder[1], ladder[2] = ladder[2], ladder[1]
		}
		for _, wk := range ladder {
			if base, ok = s.cell[wk]; ok {
				break
			}
		}
		lo, hi = ends(base.spread)
		return base.eff + adj, lo, hi
	}
	mid = base.eff + adj
	sp := base.spread
	if region >= 0 {
		if r, ok := s.region[pairKey{region, cell}]; ok {
			mid += r.eff
			if r.n >= s.minN {
				sp = r.spread
			}
		}
	}
	if market >= 0 {
		if mc, ok := s.mcell[pairKey{market, cell}]; ok {
			mid += mc.eff
			if mc.n >= s.minN {
				sp = mc.spread
			}
		}
	}
	if sp.n < s.minN && s.global.n > sp.n {
		sp = s.global
	}
	lo, hi = ends(sp)
	return mid, lo, hi
}

// ends turns a spread into offsets that bracket the middle.
func ends(sp spread) (lo, hi float64) {
	return min(inflate(sp.lo, sp.n), 0), max(inflate(sp.hi, sp.n), 0)
}

// inflate widens a residual quantile for the uncertainty of a centre
// estimated from n campaigns.
func inflate(q float64, n int) float64 {
	if n < 1 {
		n = 1
	}
	return q * math.Sqrt(1+1/float64(n))
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func groupBy(n, groups int, key func(int) int32) [][]int {
	out := make([][]int, groups)
	for i := 0; i < n; i++ {
		k := key(i)
		out[k] = append(out[k], i)
	}
	return out
}

func sortedPairs[V any](m map[pairKey]V) []pairKey {
	keys := make([]pairKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b pairKey) int {
		if a.group != b.group {
			return int(a.group - b.group)
		}
		return int(a.cell - b.cell)
	})
	return keys
}

func sortedKeys[V any](m map[segKey]V) []segKey {
	keys := make([]segKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b segKey) int {
		switch {
		case a.format != b.format:
			return cmpStr(a.format, b.format)
		case a.placement != b.placement:
			return cmpStr(a.placement, b.placement)
		}
		return cmpStr(a.objective, b.objective)
	})
	return keys
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
