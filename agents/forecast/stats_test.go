package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMedianMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 31, 32, 33, 100, 101, 1000, 5001} {
		for trial := 0; trial < 20; trial++ {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = math.Round(rng.NormFloat64() * 3) // ties on purpose
			}
			want := sortedMedian(xs)
			if got := median(slices.Clone(xs)); got != want {
				t.Fatalf("n=%d: median = %v, want %v", n, got, want)
			}
			sorted := slices.Sorted(slices.Values(xs))
			for _, p := range []float64{0, 0.1, 0.37, 0.9, 1} {
				if got, want := quantile(slices.Clone(xs), p), quantileSorted(sorted, p); got != want {
					t.Fatalf("n=%d: quantile(%v) = %v, want %v", n, p, got, want)
				}
			}
		}
	}
}

func TestFitSegmentsRecoversEffects(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cands := []covariate{
		{"a", math.Inf(-1), math.Inf(1), ""},
		{"b", math.Inf(-1), 0.9, ""}, // the truth, 1.5, is out of bounds
		{"noise", math.Inf(-1), math.Inf(1), ""},
	}
	cells := []segKey{{"AUDIO", "MUSIC", "REACH"}, {"VIDEO", "MUSIC", "REACH"}}
	var data []obs
	for i := range 5000 {
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		market, cell := int32(i%3), int32(i%2)
		y := 0.5*a + 1.5*b + 0.3*float64(market) + float64(cell) + 0.1*rng.NormFloat64()
		data = append(data, obs{market: market, cell: cell, month: -1, x: []float64{a, b, c}, y: y})
	}
	s := fitSegments(data, cands, 3, []int32{-1, -1, -1}, cells, 30, false)
	if math.Abs(s.beta[0]-0.5) > 0.02 || s.beta[1] != 0.9 || s.kept[2] {
		t.Fatalf("beta %v kept %v t %v", s.beta, s.kept, s.tstat)
	}
	if d := s.market[2] - s.market[0]; math.Abs(d-0.6) > 0.05 {
		t.Errorf("market effects %v, want a 0.6 spread", s.market)
	}
}

func sortedMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return quantileSorted(s, 0.5)
}
