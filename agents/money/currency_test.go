package money

import "testing"

// TestTables checks the embedded data: every rate is for a real currency and
// positive, and every currency word names a real code or a known family.
func TestTables(t *testing.T) {
	tab := tables()
	if len(tab.usdPerUnit) < 100 {
		t.Errorf("only %d USD rates", len(tab.usdPerUnit))
	}
	for code, r := range tab.usdPerUnit {
		if !tab.iso[code] || !(r > 0) {
			t.Errorf("rate %s = %v: want an ISO code with a positive rate", code, r)
		}
	}
	for _, ps := range tab.phrases {
		for _, p := range ps {
			if p.Currency.Code != "" && !tab.iso[p.Currency.Code] || p.Currency.Family != "" && !families[p.Currency.Family] || p.Currency.IsZero() {
				t.Errorf("currency words %q name %+v, neither an ISO code nor a family", p.Words, p.Currency)
			}
		}
	}
	for family, code := range familyFallback {
		if !InFamily(code, family) || tab.usdPerUnit[code] == 0 {
			t.Errorf("fallback %s for %q is not in the family or has no rate", code, family)
		}
	}
}

func TestCurrencyWord(t *testing.T) {
	for _, w := range []string{"dollars", "dollar", "bucks", "pesos", "euro", "real", "reais", "zloty", "yen", "rupees", "francs", "kronor", "cents", "pence", "centavos", "dinars", "riyals"} {
		if !IsCurrencyWord(w) {
			t.Errorf("IsCurrencyWord(%q) = false, want true", w)
		}
	}
	for _, w := range []string{"days", "fans", "germany", "women", "budget", "and", "c", "p", "le", "usd", "the", "real-time"} {
		if IsCurrencyWord(w) {
			t.Errorf("IsCurrencyWord(%q) = true, want false", w)
		}
	}
}
