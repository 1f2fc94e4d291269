package money

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/adplan/adplan/agents/internal/datafile"
)

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
			if p.Currency.Code != "" && !tab.iso[p.Currency.Code] || p.Currency.Family != "" && !IsFamily(p.Currency.Family) || p.Currency.IsZero() {
				t.Errorf("currency words %q name %+v, neither an ISO code nor a family", p.Words, p.Currency)
			}
		}
	}
	for _, f := range tab.families {
		if !InFamily(f.Fallback, f.Family) || tab.usdPerUnit[f.Fallback] == 0 {
			t.Errorf("fallback %s for %q is not in the family or has no rate", f.Fallback, f.Family)
		}
		if f.Why == "" {
			t.Errorf("family %q: say why its fallback is %s", f.Family, f.Fallback)
		}
		if f.SpelledAlso != "" && (tab.familyOf[f.SpelledAlso] == nil || tab.familyOf[f.SpelledAlso].SpelledAlso != f.Family) {
			t.Errorf("family %q is spelled also %q, which does not name it back", f.Family, f.SpelledAlso)
		}
	}
	for _, cs := range []map[string]Currency{tab.symbols, tab.cents} {
		for w, c := range cs {
			if c.Code != "" && !tab.iso[c.Code] || c.Family != "" && !IsFamily(c.Family) {
				t.Errorf("%q names %+v, neither an ISO code nor a family", w, c)
			}
		}
	}
}

// TestDataFiles loads every embedded table as the program does and checks each says
// what its words do; a file the loader cannot read fails here, not in production.
func TestDataFiles(t *testing.T) {
	files, err := fs.Glob(dataFS, "data/*.json")
	if err != nil || len(files) != 4 {
		t.Fatalf("data files %v (%v), want the 3 tables loadTables reads and markets.json", files, err)
	}
	targets := map[string]func() any{
		"data/currency_words.json":    func() any { return &wordsFile{} },
		"data/currency_families.json": func() any { return &familiesFile{} },
		"data/currency_codes.json":    func() any { return &codesFile{} },
		"data/markets.json":           func() any { return &marketsFile{} },
	}
	for _, name := range files {
		newTarget, ok := targets[name]
		if !ok {
			t.Errorf("%s is embedded but never read", name)
			continue
		}
		v := newTarget()
		datafile.MustRead(dataFS, name, v)
		if c := reflect.ValueOf(v).Elem().FieldByName("Comment"); c.Len() == 0 {
			t.Errorf("%s has no _comment saying what its words do", name)
		}
	}
	tables()
}

func TestMalformedDataPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"unknown table", func() { datafile.MustDecode("x.json", []byte(`{"_comment": ["x"], "symbolz": {}}`), &wordsFile{}) }},
		{"bad json", func() { datafile.MustDecode("x.json", []byte(`{"_comment": [`), &wordsFile{}) }},
		{"trailing", func() { datafile.MustDecode("x.json", []byte(`{} {}`), &wordsFile{}) }},
		{"listed twice", func() { setOf("funds", []string{"XDR", "XDR"}) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
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

// The CFA francs are a family of their own ("FCFA") within the francs: "francs" for
// Senegal are CFA francs, "FCFA" are never Swiss francs.
func TestCFAFrancsAreFrancs(t *testing.T) {
	for _, c := range []struct {
		code, hint string
		want       bool
	}{
		{"XOF", "cfa", true}, {"XAF", "cfa", true}, {"XOF", "franc", true}, {"XAF", "franc", true},
		{"CHF", "franc", true}, {"CHF", "cfa", false}, {"EUR", "cfa", false},
	} {
		if got := InFamily(c.code, c.hint); got != c.want {
			t.Errorf("InFamily(%s, %s) = %v, want %v", c.code, c.hint, got, c.want)
		}
	}
	if f, ok := FamilyFallback("cfa"); !ok || f != "XOF" {
		t.Errorf("FamilyFallback(cfa) = %q, %v; want XOF", f, ok)
	}
	if lo, hi, ok := USDRange(Currency{Family: "franc"}); !ok || lo > 0.002 || hi < 1 {
		t.Errorf("the franc family spans %v..%v; want the CFA and Swiss francs", lo, hi)
	}
}
