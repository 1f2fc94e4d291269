package forecast

import "slices"

func sortedU8(s []uint8) []uint8 {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func sortedMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return quantileSorted(s, 0.5)
}
