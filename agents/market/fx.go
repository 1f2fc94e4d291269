package market

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Exchange rates: approximate reference rates (data/fx.json), US dollars per unit
// of each ISO 4217 currency. Good for comparing budgets across markets; never for
// settlement.

func (f *Facts) loadRates() error {
	var doc struct {
		AsOf       string             `json:"as_of"`
		USDPerUnit map[string]float64 `json:"usd_per_unit"`
	}
	b, err := dataFS.ReadFile("data/fx.json")
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	for code, r := range doc.USDPerUnit {
		if len(code) != 3 || strings.ToUpper(code) != code {
			return fmt.Errorf("%q is not an ISO 4217 code", code)
		}
		if !(r > 0) || math.IsInf(r, 0) {
			return fmt.Errorf("%s: rate %v is not a positive number", code, r)
		}
	}
	if doc.USDPerUnit["USD"] != 1 {
		return fmt.Errorf("USD must be 1 US dollar")
	}
	f.usdPerUnit, f.ratesAsOf = doc.USDPerUnit, doc.AsOf
	return nil
}

// RatesAsOf is the month the reference rates date from ("2026-01").
func (f *Facts) RatesAsOf() string { return f.ratesAsOf }

// USDPerUnit is how many US dollars one unit of the ISO 4217 currency
// (case-insensitive) is worth, approximately; false for a currency without a rate.
func (f *Facts) USDPerUnit(currency string) (float64, bool) {
	r, ok := f.usdPerUnit[currency]
	if !ok {
		r, ok = f.usdPerUnit[strings.ToUpper(currency)]
	}
	return r, ok
}

// Rates returns a copy of every reference rate, US dollars per unit by ISO 4217 code.
func (f *Facts) Rates() map[string]float64 {
	out := make(map[string]float64, len(f.usdPerUnit))
	for k, v := range f.usdPerUnit {
		out[k] = v
	}
	return out
}

// Convert converts an amount between two ISO 4217 currencies through US dollars
// at the reference rates. It fails for a currency without a rate.
func (f *Facts) Convert(amount float64, from, to string) (float64, error) {
	rf, ok := f.USDPerUnit(from)
	if !ok {
		return 0, fmt.Errorf("converting %s to %s: no exchange rate for %q", from, to, from)
	}
	rt, ok := f.USDPerUnit(to)
	if !ok {
		return 0, fmt.Errorf("converting %s to %s: no exchange rate for %q", from, to, to)
	}
	if strings.EqualFold(from, to) {
		return amount, nil
	}
	return amount * rf / rt, nil
}
