package agents_test

import "testing"

// Briefs written in English keep their market's scale words: each is read to the
// amount a local planner means.
func TestBudgetsKeepTheirMarketsScaleWords(t *testing.T) {
	cases := []struct {
		brief    string
		amount   float64
		currency string
	}{
		{"awareness in Indonesia, IDR 300 juta for a month", 300e6, "IDR"},
		{"Rp 500 rb for a quick test in Jakarta", 500e3, "IDR"},
		{"2 Mrd IDR across Q1", 2e9, "IDR"},
		{"budget of 2 millones de pesos in Colombia", 2e6, "COP"},
		{"R$ 1,2 milhões for brand awareness", 1.2e6, "BRL"},
		{"1,5 Millionen Euro in Deutschland", 1.5e6, "EUR"},
		{"150.000 TL for Türkiye, reach", 150e3, "TRY"},
	}
	for _, c := range cases {
		b := readBrief(t, c.brief).Brief.Budget
		if b == nil || b.Amount != c.amount || b.Currency != c.currency {
			t.Errorf("%q: budget %+v; want %v %s", c.brief, b, c.amount, c.currency)
		}
	}
}
