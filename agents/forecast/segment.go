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

// fitSegments fits a segModel. marketRegion maps market index to region index
// (-1 for none); cellKeys maps cell index to its key. withSeason lets the
// month effects compete for a place in the model.
func fitSegments(data []obs, cands []covariate, nMarkets int, marketRegion []int32, cellKeys []segKey, minN int, withSeason bool) *segModel {
	p := len(cands)
	n := len(data)
	s := &segModel{
		cands:  cands,
		mean:   make([]float64, p),
		beta:   make([]float64, p),
		tstat:  make([]float64, p),
		kept:   make([]bool, p),
		market: make([]float64, nMarkets),
		cell:   map[segKey]cellStat{},
		region: map[pairKey]cellStat{},
		mcell:  map[pairKey]cellStat{},
		minN:   minN,
	}
	if n == 0 {
		return s
	}
	sd := make([]float64, p)
	for _, o := range data {
		for j := range p {
			s.mean[j] += o.x[j]
		}
	}
	for j := range p {
		s.mean[j] /= float64(n)
	}
	xc := make([][]float64, n)
	xflat := make([]float64, n*p)
	for i, o := range data {
		xc[i] = xflat[i*p : (i+1)*p : (i+1)*p]
		for j := range p {
			xc[i][j] = o.x[j] - s.mean[j]
			sd[j] += xc[i][j] * xc[i][j]
		}
	}
	for j := range p {
		sd[j] = math.Sqrt(sd[j] / float64(n))
		s.kept[j] = sd[j] > 1e-9
	}

	// Group members once.
	nCells := len(cellKeys)
	byCell := groupBy(n, nCells, func(i int) int32 { return data[i].cell })
	byMarket := groupBy(n, nMarkets, func(i int) int32 { return data[i].market })
	byMonth := make([][]int, 12)
	if withSeason {
		for i, o := range data {
			if o.month >= 0 {
				byMonth[o.month] = append(byMonth[o.month], i)
			}
		}
		s.useSeason = true
	}

	cellEff := make([]float64, nCells)
	fixed := make([]float64, n) // Σ β·x + month for the current fit
	resid := make([]float64, n)
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	scratch := make([]float64, 0, n)
	ebuf := make([]float64, n)
	var seasonSE [12]float64

	for round := 0; round <= p+1; round++ {
		for j := range p {
			if !s.kept[j] {
				s.beta[j] = 0
			}
		}
		iters := 8
		if round > 0 {
			iters = 4 // warm start from the previous round
		}
		prevBeta := slices.Clone(s.beta)
		for iter := 0; iter < iters; iter++ {
			for i := range fixed {
				fixed[i] = dot(s.beta, xc[i]) + s.seasonOf(&data[i])
			}
			for c, members := range byCell {
				scratch = scratch[:0]
				for _, i := range members {
					scratch = append(scratch, data[i].y-s.market[data[i].market]-fixed[i])
				}
				cellEff[c] = median(scratch)
			}
			var levels []float64
			for m, members := range byMarket {
				if len(members) == 0 {
					s.market[m] = 0
					continue
				}
				scratch = scratch[:0]
				for _, i := range members {
					scratch = append(scratch, data[i].y-cellEff[data[i].cell]-fixed[i])
				}
				k := float64(len(members))
				s.market[m] = median(scratch) * k / (k + marketShrinkN)
				levels = append(levels, s.market[m])
			}
			c0 := median(levels)
			for m, members := range byMarket {
				if len(members) > 0 {
					s.market[m] -= c0
				}
			}
			for c := range cellEff {
				cellEff[c] += c0
			}
			if s.useSeason {
				s.fitSeason(data, xc, cellEff, byMonth, scratch, &seasonSE)
			}
			for i := range data {
				o := &data[i]
				resid[i] = o.y - cellEff[o.cell] - s.market[o.market] - s.seasonOf(o)
			}
			s.fitBeta(xc, resid, w, scratch, ebuf)
			moved := 0.0
			for j := range s.beta {
				moved = max(moved, math.Abs(s.beta[j]-prevBeta[j]))
			}
			copy(prevBeta, s.beta)
			if iter > 0 && moved < 1e-3 {
				break
			}
		}
		dropped := false
		if s.useSeason {
			var chi, top float64
			for mo := range 12 {
				if seasonSE[mo] > 0 {
					chi += (s.season[mo] / seasonSE[mo]) * (s.season[mo] / seasonSE[mo])
				}
				top = max(top, math.Abs(s.season[mo]))
			}
			s.seasonChi = chi
			if chi < minSeasonChi || top < minEffect {
				s.useSeason, s.season, dropped = false, [12]float64{}, true
			}
		}
		groups := map[string]bool{} // group → some member passes
		for j, c := range cands {
			pass := math.Abs(s.tstat[j]) >= minT && math.Abs(s.beta[j])*sd[j] >= minEffect
			if c.group != "" {
				groups[c.group] = groups[c.group] || (s.kept[j] && pass)
			}
		}
		for j, c := range cands {
			if !s.kept[j] {
				continue
			}
			pass := math.Abs(s.tstat[j]) >= minT && math.Abs(s.beta[j])*sd[j] >= minEffect
			if c.group != "" {
				pass = groups[c.group]
			}
			if !pass {
				s.kept[j] = false
				dropped = true
			}
		}
		if !dropped {
			break
		}
	}

	// Interactions and residual spreads.
	e := make([]float64, n)
	for i := range data {
		o := &data[i]
		fixed[i] = dot(s.beta, xc[i]) // the adjustments alone from here on
		e[i] = o.y - cellEff[o.cell] - s.market[o.market] - s.seasonOf(o) - fixed[i]
	}
	byRegion := map[pairKey][]int{}
	for i, o := range data {
		if r := marketRegion[o.market]; r >= 0 {
			k := pairKey{r, o.cell}
			byRegion[k] = append(byRegion[k], i)
		}
	}
	// Each group's deviation is the median residual of its members, shrunk toward
	// zero by its size, and taken out of the residuals before the next level.
	shrink := func(groups map[pairKey][]int, into map[pairKey]cellStat) {
		for _, k := range sortedPairs(groups) {
			members := groups[k]
			scratch = scratch[:0]
			for _, i := range members {
				scratch = append(scratch, e[i])
			}
			d := median(scratch) * float64(len(members)) / (float64(len(members)) + shrinkN)
			for _, i := range members {
				e[i] -= d
			}
			into[k] = cellStat{eff: d, spread: spread{n: len(members)}}
		}
	}
	shrink(byRegion, s.region)
	byMC := map[pairKey][]int{}
	for i, o := range data {
		k := pairKey{o.market, o.cell}
		byMC[k] = append(byMC[k], i)
	}
	shrink(byMC, s.mcell)
	spreadOf := func(members []int) spread {
		scratch = scratch[:0]
		for _, i := range members {
			scratch = append(scratch, e[i])
		}
		return spread{n: len(members), lo: quantile(scratch, 0.1), hi: quantile(scratch, 0.9)}
	}
	for _, k := range sortedPairs(byMC) {
		st := s.mcell[k]
		st.spread = spreadOf(byMC[k])
		s.mcell[k] = st
	}
	for _, k := range sortedPairs(byRegion) {
		st := s.region[k]
		st.spread = spreadOf(byRegion[k])
		s.region[k] = st
	}
	for c, members := range byCell {
		if len(members) > 0 {
			s.cell[cellKeys[c]] = cellStat{eff: cellEff[c], spread: spreadOf(members)}
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	s.global = spreadOf(all)

	// Wider segments for queries whose own segment never ran: the same
	// objective and format on any placement; then the format and placement
	// for any objective (prices) or the objective on any format (rates); any.
	wild := map[segKey][]int{}
	for c, members := range byCell {
		k := cellKeys[c]
		for _, wk := range [4]segKey{{k.format, "*", k.objective}, {k.format, k.placement, "*"}, {"*", "*", k.objective}, {"*", "*", "*"}} {
			wild[wk] = append(wild[wk], members...)
		}
	}
	for _, wk := range sortedKeys(wild) {
		members := wild[wk]
		scratch = scratch[:0]
		for _, i := range members {
			o := &data[i]
			scratch = append(scratch, o.y-s.market[o.market]-s.seasonOf(o)-fixed[i])
		}
		c := quantile(scratch, 0.5)
		s.cell[wk] = cellStat{eff: c, spread: spread{
			n: len(members), lo: quantile(scratch, 0.1) - c, hi: quantile(scratch, 0.9) - c,
		}}
	}
	return s
}

// fitSeason sets the month effects to the median residual of each month,
// centred so that the median month is 0 (a query without dates gets the
// typical month), and their standard errors (1.2533·σ/√n, σ from the MAD).
func (s *segModel) fitSeason(data []obs, xc [][]float64, cellEff []float64, byMonth [][]int, scratch []float64, se *[12]float64) {
	var levels []float64
	for mo, members := range byMonth {
		if len(members) == 0 {
			s.season[mo], se[mo] = 0, 0
			continue
		}
		scratch = scratch[:0]
		for _, i := range members {
			o := &data[i]
			scratch = append(scratch, o.y-cellEff[o.cell]-s.market[o.market]-dot(s.beta, xc[i]))
		}
		med := median(scratch)
		for j := range scratch {
			scratch[j] = math.Abs(scratch[j] - med)
		}
		sigma := median(scratch) / 0.6745
		s.season[mo] = med
		se[mo] = 1.2533 * sigma / math.Sqrt(float64(len(members)))
		levels = append(levels, med)
	}
	c0 := median(levels)
	for mo, members := range byMonth {
		if len(members) > 0 {
			s.season[mo] -= c0
		}
	}
	for c := range cellEff {
		cellEff[c] += c0
	}
}

// fitBeta fits the kept adjustments to resid by weighted least squares,
// holding any coefficient that leaves its bounds at the bound, then updates
// the Huber weights w from the new residuals: called once per round of the
// alternating fit, it is iteratively reweighted least squares spread over the
// rounds. One pass builds the normal equations of every kept adjustment; the
// re-solves for held coefficients work on those alone.
func (s *segModel) fitBeta(xc [][]float64, resid, w, scratch, e []float64) {
	for j := range s.beta {
		s.tstat[j] = 0
	}
	var kept []int
	for j := range s.cands {
		if s.kept[j] {
			kept = append(kept, j)
		} else {
			s.beta[j] = 0
		}
	}
	q := len(kept)
	g := make([][]float64, q) // XᵀWX over the kept adjustments
	for a := range g {
		g[a] = make([]float64, q)
	}
	h := make([]float64, q) // XᵀW·resid
	var sw float64
	for i, row := range xc {
		wi := w[i]
		sw += wi
		for a, ja := range kept {
			xa := wi * row[ja]
			h[a] += xa * resid[i]
			ga := g[a]
			for b := a; b < q; b++ {
				ga[b] += xa * row[kept[b]]
			}
		}
	}
	for a := range q {
		for b := 0; b < a; b++ {
			g[a][b] = g[b][a]
		}
	}

	free := make([]int, q) // positions in kept
	for a := range free {
		free[a] = a
	}
	heldAt := map[int]float64{} // position in kept → coefficient
	var inv [][]float64
	for len(free) > 0 {
		m := make([][]float64, len(free))
		for r, a := range free {
			m[r] = make([]float64, len(free)+1)
			for c, b := range free {
				m[r][c] = g[a][b]
			}
			rhs := h[a]
			for _, b := range sortedHeld(heldAt) {
				rhs -= heldAt[b] * g[a][b]
			}
			m[r][len(free)] = rhs
		}
		var beta []float64
		var ok bool
		inv, beta, ok = solveWithInverse(m, len(free))
		if !ok {
			inv, beta = nil, make([]float64, len(free))
		}
		out := -1
		for r, a := range free {
			if c := s.cands[kept[a]]; beta[r] < c.min || beta[r] > c.max {
				out = r
				break
			}
		}
		if out < 0 {
			for r, a := range free {
				s.beta[kept[a]] = beta[r]
			}
			break
		}
		a := free[out]
		c := s.cands[kept[a]]
		heldAt[a] = math.Max(c.min, math.Min(c.max, beta[out]))
		free = slices.Delete(free, out, out+1)
	}
	for a, b := range heldAt {
		s.beta[kept[a]] = b
	}

	var rss float64
	for i, row := range xc {
		v := resid[i]
		for _, j := range kept {
			v -= s.beta[j] * row[j]
		}
		e[i] = v
		rss += w[i] * v * v
	}
	n := float64(len(xc))
	if dof := n - float64(len(free)); inv != nil && dof >= 1 && sw > 0 {
		sigma2 := rss / sw * n / dof
		for r, a := range free {
			if v := sigma2 * inv[r][r] * sw / n; v > 0 {
				s.tstat[kept[a]] = s.beta[kept[a]] / math.Sqrt(v)
			}
		}
	}
	for a := range heldAt {
		s.tstat[kept[a]] = math.Inf(1) // held at a bound: as far as the data pushes it
	}
	huberWeights(e, w, scratch)
}

func sortedHeld(m map[int]float64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
