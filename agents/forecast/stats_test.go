package forecast

import (
	"math"
	"math/rand/v2"
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
			if got := median(xs); got != want {
				t.Fatalf("n=%d: median = %v, want %v", n, got, want)
			}
		}
	}
}

func TestFitWLSRecoversCoefficients(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var x [][]float64
	var y, w []float64
	for range 2000 {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		x = append(x, []float64{a, b})
		y = append(y, 0.5*a-2*b+0.1*rng.NormFloat64())
		w = append(w, 1)
	}
	beta, se, ok := fitWLS(x, y, w, 2)
	if !ok || math.Abs(beta[0]-0.5) > 0.02 || math.Abs(beta[1]+2) > 0.02 || se[0] <= 0 || se[0] > 0.01 {
		t.Fatalf("beta %v se %v ok %v", beta, se, ok)
	}
}
