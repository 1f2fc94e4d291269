package forecast

import (
	"math"
	"slices"
)

// fitSegments fits a segModel. marketRegion maps market index to region index
// (-1 for none); cellKeys maps cell index to its key. withSeason lets the
// month effects compete for a place in the model.
func fitSegments(data []obs, cands []covariate, nMarkets int, marketRegion []int32, cellKeys []segKey, minN int, withSeason bool) *segModel {
	s := newSegModel(cands, nMarkets, minN)
	if len(data) == 0 {
		return s
	}
	f := newSegFit(s, data, len(cellKeys), withSeason)
	f.selectEffects()
	e := f.finalResiduals()
	f.fitInteractions(e, marketRegion, cellKeys)
	f.fitWiderSegments(cellKeys)
	return s
}

// newSegModel is a segModel with nothing fitted: every effect 0.
func newSegModel(cands []covariate, nMarkets, minN int) *segModel {
	p := len(cands)
	return &segModel{
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
}

// segFit is the working state of one fitSegments: the data, grouped once, and
// the buffers the alternating fit reuses on every iteration.
type segFit struct {
	s    *segModel
	data []obs
	xc   [][]float64 // the covariates centred on their means
	sd   []float64   // and their standard deviations

	byCell, byMarket, byMonth [][]int // members of each cell, market and month

	cellEff  []float64 // each cell's effect in the current fit
	fixed    []float64 // Σ β·x + month for the current fit
	resid    []float64
	w        []float64 // Huber weights
	scratch  []float64
	ebuf     []float64
	seasonSE [12]float64
}

func newSegFit(s *segModel, data []obs, nCells int, withSeason bool) *segFit {
	n := len(data)
	f := &segFit{
		s:       s,
		data:    data,
		cellEff: make([]float64, nCells),
		fixed:   make([]float64, n),
		resid:   make([]float64, n),
		w:       make([]float64, n),
		scratch: make([]float64, 0, n),
		ebuf:    make([]float64, n),
	}
	f.centre()
	f.byCell = groupBy(n, nCells, func(i int) int32 { return data[i].cell })
	f.byMarket = groupBy(n, len(s.market), func(i int) int32 { return data[i].market })
	f.byMonth = make([][]int, 12)
	if withSeason {
		for i, o := range data {
			if o.month >= 0 {
				f.byMonth[o.month] = append(f.byMonth[o.month], i)
			}
		}
		s.useSeason = true
	}
	for i := range f.w {
		f.w[i] = 1
	}
	return f
}

// centre centres the covariates on their means, which the model keeps so that a
// coefficient moves a prediction only as far as its query differs from the
// typical campaign. A covariate that does not vary cannot be learned and is left
// out from the start.
func (f *segFit) centre() {
	s, data := f.s, f.data
	p, n := len(s.cands), len(data)
	f.sd = make([]float64, p)
	for _, o := range data {
		for j := range p {
			s.mean[j] += o.x[j]
		}
	}
	for j := range p {
		s.mean[j] /= float64(n)
	}
	f.xc = make([][]float64, n)
	xflat := make([]float64, n*p)
	for i, o := range data {
		f.xc[i] = xflat[i*p : (i+1)*p : (i+1)*p]
		for j := range p {
			f.xc[i][j] = o.x[j] - s.mean[j]
			f.sd[j] += f.xc[i][j] * f.xc[i][j]
		}
	}
	for j := range p {
		f.sd[j] = math.Sqrt(f.sd[j] / float64(n))
		s.kept[j] = f.sd[j] > 1e-9
	}
}

// selectEffects fits the model in rounds, leaving out after each round the
// adjustments (and month effects) the data does not show, until a round leaves
// nothing more out. There are at most as many rounds as candidates and the
// months, plus one.
func (f *segFit) selectEffects() {
	s := f.s
	p := len(s.cands)
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
		f.alternate(iters)
		if !f.dropWeakEffects() {
			break
		}
	}
}

// alternate fits the segment, market and month effects and the adjustments by
// turns, each holding the others fixed, for at most iters iterations or until
// the adjustments stop moving.
func (f *segFit) alternate(iters int) {
	s, data := f.s, f.data
	prevBeta := slices.Clone(s.beta)
	for iter := 0; iter < iters; iter++ {
		for i := range f.fixed {
			f.fixed[i] = dot(s.beta, f.xc[i]) + s.seasonOf(&data[i])
		}
		f.fitLevels()
		if s.useSeason {
			s.fitSeason(data, f.xc, f.cellEff, f.byMonth, f.scratch, &f.seasonSE)
		}
		for i := range data {
			o := &data[i]
			f.resid[i] = o.y - f.cellEff[o.cell] - s.market[o.market] - s.seasonOf(o)
		}
		s.fitBeta(f.xc, f.resid, f.w, f.scratch, f.ebuf)
		moved := 0.0
		for j := range s.beta {
			moved = max(moved, math.Abs(s.beta[j]-prevBeta[j]))
		}
		copy(prevBeta, s.beta)
		if iter > 0 && moved < 1e-3 {
			break
		}
	}
}

// fitLevels sets each segment's effect to the median of its campaigns once the
// market and the fixed part are taken out, then each market's to the median once
// the segment is, shrunk towards 0 by its size so that a market with a few
// campaigns does not take their noise for its price level. The markets are then
// centred on the median market, whose level moves into the segments: a market
// the history lacks gets the typical level.
func (f *segFit) fitLevels() {
	s, data := f.s, f.data
	for c, members := range f.byCell {
		f.scratch = f.scratch[:0]
		for _, i := range members {
			f.scratch = append(f.scratch, data[i].y-s.market[data[i].market]-f.fixed[i])
		}
		f.cellEff[c] = median(f.scratch)
	}
	var levels []float64
	for m, members := range f.byMarket {
		if len(members) == 0 {
			s.market[m] = 0
			continue
		}
		f.scratch = f.scratch[:0]
		for _, i := range members {
			f.scratch = append(f.scratch, data[i].y-f.cellEff[data[i].cell]-f.fixed[i])
		}
		k := float64(len(members))
		s.market[m] = median(f.scratch) * k / (k + marketShrinkN)
		levels = append(levels, s.market[m])
	}
	c0 := median(levels)
	for m, members := range f.byMarket {
		if len(members) > 0 {
			s.market[m] -= c0
		}
	}
	for c := range f.cellEff {
		f.cellEff[c] += c0
	}
}

// dropWeakEffects leaves out the month effects when they are no stronger than
// noise, and each adjustment whose t or effect is too small (the pieces of one
// curve together, kept while any piece passes). It reports whether anything was
// left out, so another round is needed.
func (f *segFit) dropWeakEffects() (dropped bool) {
	s := f.s
	if s.useSeason {
		var chi, top float64
		for mo := range 12 {
			if f.seasonSE[mo] > 0 {
				chi += (s.season[mo] / f.seasonSE[mo]) * (s.season[mo] / f.seasonSE[mo])
			}
			top = max(top, math.Abs(s.season[mo]))
		}
		s.seasonChi = chi
		if chi < minSeasonChi || top < minEffect {
			s.useSeason, s.season, dropped = false, [12]float64{}, true
		}
	}
	passes := func(j int) bool {
		return math.Abs(s.tstat[j]) >= minT && math.Abs(s.beta[j])*f.sd[j] >= minEffect
	}
	groups := map[string]bool{} // group → some member passes
	for j, c := range s.cands {
		if c.group != "" {
			groups[c.group] = groups[c.group] || (s.kept[j] && passes(j))
		}
	}
	for j, c := range s.cands {
		if !s.kept[j] {
			continue
		}
		pass := passes(j)
		if c.group != "" {
			pass = groups[c.group]
		}
		if !pass {
			s.kept[j] = false
			dropped = true
		}
	}
	return dropped
}

// finalResiduals returns what the fitted main effects and adjustments leave of
// each campaign, for the interactions and spreads; from here on fixed holds the
// adjustments alone.
func (f *segFit) finalResiduals() []float64 {
	s, data := f.s, f.data
	e := make([]float64, len(data))
	for i := range data {
		o := &data[i]
		f.fixed[i] = dot(s.beta, f.xc[i])
		e[i] = o.y - f.cellEff[o.cell] - s.market[o.market] - s.seasonOf(o) - f.fixed[i]
	}
	return e
}

// fitInteractions fits the region×segment and then the market×segment
// deviations from the residuals e (taking each out of e before the next), then
// the spread of what is left at every level a prediction may draw its range
// from: market×segment, region×segment, segment and all campaigns.
func (f *segFit) fitInteractions(e []float64, marketRegion []int32, cellKeys []segKey) {
	s, data := f.s, f.data
	byRegion := map[pairKey][]int{}
	for i, o := range data {
		if r := marketRegion[o.market]; r >= 0 {
			k := pairKey{r, o.cell}
			byRegion[k] = append(byRegion[k], i)
		}
	}
	f.shrinkInto(e, byRegion, s.region)
	byMC := map[pairKey][]int{}
	for i, o := range data {
		k := pairKey{o.market, o.cell}
		byMC[k] = append(byMC[k], i)
	}
	f.shrinkInto(e, byMC, s.mcell)

	for _, k := range sortedPairs(byMC) {
		st := s.mcell[k]
		st.spread = f.spreadOf(e, byMC[k])
		s.mcell[k] = st
	}
	for _, k := range sortedPairs(byRegion) {
		st := s.region[k]
		st.spread = f.spreadOf(e, byRegion[k])
		s.region[k] = st
	}
	for c, members := range f.byCell {
		if len(members) > 0 {
			s.cell[cellKeys[c]] = cellStat{eff: f.cellEff[c], spread: f.spreadOf(e, members)}
		}
	}
	all := make([]int, len(data))
	for i := range all {
		all[i] = i
	}
	s.global = f.spreadOf(e, all)
}

// shrinkInto sets each group's deviation to the median residual of its members,
// shrunk toward zero by its size, and takes it out of the residuals e before the
// next level.
func (f *segFit) shrinkInto(e []float64, groups map[pairKey][]int, into map[pairKey]cellStat) {
	for _, k := range sortedPairs(groups) {
		members := groups[k]
		f.scratch = f.scratch[:0]
		for _, i := range members {
			f.scratch = append(f.scratch, e[i])
		}
		d := median(f.scratch) * float64(len(members)) / (float64(len(members)) + shrinkN)
		for _, i := range members {
			e[i] -= d
		}
		into[k] = cellStat{eff: d, spread: spread{n: len(members)}}
	}
}

// spreadOf is the 10% and 90% quantiles of the members' residuals e.
func (f *segFit) spreadOf(e []float64, members []int) spread {
	f.scratch = f.scratch[:0]
	for _, i := range members {
		f.scratch = append(f.scratch, e[i])
	}
	return spread{n: len(members), lo: quantile(f.scratch, 0.1), hi: quantile(f.scratch, 0.9)}
}

// fitWiderSegments adds segments for queries whose own segment never ran: the
// same objective and format on any placement; then the format and placement
// for any objective (prices) or the objective on any format (rates); any.
func (f *segFit) fitWiderSegments(cellKeys []segKey) {
	s, data := f.s, f.data
	wild := map[segKey][]int{}
	for c, members := range f.byCell {
		k := cellKeys[c]
		for _, wk := range [4]segKey{{k.format, "*", k.objective}, {k.format, k.placement, "*"}, {"*", "*", k.objective}, {"*", "*", "*"}} {
			wild[wk] = append(wild[wk], members...)
		}
	}
	for _, wk := range sortedKeys(wild) {
		members := wild[wk]
		f.scratch = f.scratch[:0]
		for _, i := range members {
			o := &data[i]
			f.scratch = append(f.scratch, o.y-s.market[o.market]-s.seasonOf(o)-f.fixed[i])
		}
		c := quantile(f.scratch, 0.5)
		s.cell[wk] = cellStat{eff: c, spread: spread{
			n: len(members), lo: quantile(f.scratch, 0.1) - c, hi: quantile(f.scratch, 0.9) - c,
		}}
	}
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
	kept := s.keptCovariates()
	g, h, sw := normalEquations(xc, resid, w, kept)
	inv, free, held := s.solveWithinBounds(g, h, kept)

	var rss float64
	for i, row := range xc {
		v := resid[i]
		for _, j := range kept {
			v -= s.beta[j] * row[j]
		}
		e[i] = v
		rss += w[i] * v * v
	}
	s.setTStats(kept, inv, free, held, rss, sw, float64(len(xc)))
	huberWeights(e, w, scratch)
}

// keptCovariates clears the t statistics and the coefficients left out, and
// returns the indexes of the kept candidates.
func (s *segModel) keptCovariates() []int {
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
	return kept
}

// normalEquations returns XᵀWX and XᵀW·resid over the kept adjustments, and the
// sum of the weights.
func normalEquations(xc [][]float64, resid, w []float64, kept []int) (g [][]float64, h []float64, sw float64) {
	q := len(kept)
	g = make([][]float64, q)
	for a := range g {
		g[a] = make([]float64, q)
	}
	h = make([]float64, q)
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
	// Only the upper triangle was summed: the matrix is symmetric.
	for a := range q {
		for b := 0; b < a; b++ {
			g[a][b] = g[b][a]
		}
	}
	return g, h, sw
}

// solveWithinBounds solves the normal equations g·β = h for the kept adjustments
// and sets s.beta. Where a coefficient falls outside its bounds, the first such
// is held at its bound and the rest solved again without it, until every free
// one is inside. It returns the inverse of the last system solved (nil when it
// was singular), the positions in kept of the free coefficients and those held
// with their values.
func (s *segModel) solveWithinBounds(g [][]float64, h []float64, kept []int) (inv [][]float64, free []int, held map[int]float64) {
	free = make([]int, len(kept))
	for a := range free {
		free[a] = a
	}
	held = map[int]float64{}
	for len(free) > 0 {
		m := make([][]float64, len(free))
		for r, a := range free {
			m[r] = make([]float64, len(free)+1)
			for c, b := range free {
				m[r][c] = g[a][b]
			}
			rhs := h[a]
			for _, b := range sortedHeld(held) {
				rhs -= held[b] * g[a][b]
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
		held[a] = math.Max(c.min, math.Min(c.max, beta[out]))
		free = slices.Delete(free, out, out+1)
	}
	for a, b := range held {
		s.beta[kept[a]] = b
	}
	return inv, free, held
}

// setTStats sets each free coefficient's t statistic from the weighted residual
// sum of squares rss over n campaigns, and each held one's to +∞: it sits at a
// bound, as far as the data pushes it.
func (s *segModel) setTStats(kept []int, inv [][]float64, free []int, held map[int]float64, rss, sw, n float64) {
	if dof := n - float64(len(free)); inv != nil && dof >= 1 && sw > 0 {
		sigma2 := rss / sw * n / dof
		for r, a := range free {
			if v := sigma2 * inv[r][r] * sw / n; v > 0 {
				s.tstat[kept[a]] = s.beta[kept[a]] / math.Sqrt(v)
			}
		}
	}
	for a := range held {
		s.tstat[kept[a]] = math.Inf(1)
	}
}

func sortedHeld(m map[int]float64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
