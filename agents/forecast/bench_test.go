package forecast

import (
	"testing"

	"github.com/adplan/adplan/agents/history"
)

// benchData is the history the benchmarks fit on: 50,000 campaigns of the
// default data set.
func benchData(b *testing.B) []history.Campaign {
	b.Helper()
	data, err := history.Default()
	if err != nil {
		b.Fatal(err)
	}
	return data[:min(len(data), 50000)]
}

func BenchmarkFit(b *testing.B) {
	data := benchData(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Fit(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPredict(b *testing.B) {
	m, err := Fit(benchData(b))
	if err != nil {
		b.Fatal(err)
	}
	qs := defaultQueries()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := m.Predict(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
