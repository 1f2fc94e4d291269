package forecast

import (
	"math"
	"slices"
)

// median returns the median of xs, reordering xs. It is 0 for an empty slice.
func median(xs []float64) float64 {
	n := len(xs)
	switch {
	case n == 0:
		return 0
	case n < 32:
		slices.Sort(xs)
		return quantileSorted(xs, 0.5)
	}
	h := n / 2
	v := selectKth(xs, h)
	if n%2 == 1 {
		return v
	}
	// The other middle element is the largest of the lower part.
	lo := xs[0]
	for _, x := range xs[1:h] {
		lo = max(lo, x)
	}
	return (lo + v) / 2
}

// selectKth reorders xs so that xs[k] is the k-th smallest, everything before
// it no larger and everything after no smaller, and returns xs[k].
func selectKth(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for hi > lo {
		// Median of three as the pivot.
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

// quantile returns the p-quantile of xs by linear interpolation, as
// quantileSorted would after sorting, reordering xs.
func quantile(xs []float64, p float64) float64 {
	n := len(xs)
	if n < 32 {
		slices.Sort(xs)
		return quantileSorted(xs, p)
	}
	h := p * float64(n-1)
	i := int(math.Floor(h))
	v := selectKth(xs, i)
	if i >= n-1 {
		return v
	}
	// The next order statistic is the smallest of the upper part.
	next := xs[i+1]
	for _, x := range xs[i+2:] {
		next = min(next, x)
	}
	return v + (h-float64(i))*(next-v)
}

// quantileSorted returns the p-quantile of sorted xs by linear interpolation.
func quantileSorted(xs []float64, p float64) float64 {
	n := len(xs)
	switch {
	case n == 0:
		return 0
	case n == 1:
		return xs[0]
	}
	h := p * float64(n-1)
	i := int(math.Floor(h))
	if i >= n-1 {
		return xs[n-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// solveWithInverse inverts the p×p matrix held in a[:, :p] by Gauss–Jordan
// elimination with partial pivoting and solves for the right-hand side a[:, p].
func solveWithInverse(a [][]float64, p int) (inv [][]float64, x []float64, ok bool) {
	m := make([][]float64, p)
	for i := range m {
		m[i] = make([]float64, 2*p+1)
		copy(m[i], a[i][:p])
		m[i][p+i] = 1
		m[i][2*p] = a[i][p]
	}
	for c := 0; c < p; c++ {
		piv := c
		for r := c + 1; r < p; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		if math.Abs(m[piv][c]) < 1e-12 {
			return nil, nil, false
		}
		m[c], m[piv] = m[piv], m[c]
		d := m[c][c]
		for j := range m[c] {
			m[c][j] /= d
		}
		for r := 0; r < p; r++ {
			if r == c || m[r][c] == 0 {
				continue
			}
			f := m[r][c]
			for j := range m[r] {
				m[r][j] -= f * m[c][j]
			}
		}
	}
	inv = make([][]float64, p)
	x = make([]float64, p)
	for i := range m {
		inv[i] = m[i][p : 2*p]
		x[i] = m[i][2*p]
	}
	return inv, x, true
}

// huberWeights sets w to Huber weights for residuals e with threshold 1.345
// robust standard deviations (estimated from the median absolute residual).
func huberWeights(e, w []float64, scratch []float64) {
	scratch = scratch[:0]
	for _, v := range e {
		scratch = append(scratch, math.Abs(v))
	}
	s := median(scratch) / 0.6745
	if s <= 0 {
		for i := range w {
			w[i] = 1
		}
		return
	}
	c := 1.345 * s
	for i, v := range e {
		if a := math.Abs(v); a > c {
			w[i] = c / a
		} else {
			w[i] = 1
		}
	}
}
