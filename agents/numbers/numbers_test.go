package numbers

import (
	"strings"
	"testing"
)

func TestNumberWords(t *testing.T) {
	tests := []struct {
		give     string
		want     float64
		wantUsed int
	}{
		{"ten thousand dollars", 10000, 2},
		{"twenty-five hundred dollars", 2500, 2},
		{"twenty five hundred", 2500, 3},
		{"half a million euros", 500000, 3},
		{"half million", 500000, 2},
		{"a million", 1e6, 2},
		{"one hundred and five days", 105, 4},
		{"one and a half hours", 1.5, 4},
		{"2.5 million", 2.5e6, 2},
		{"5 lakh rupees", 500000, 2},
		{"four crore rupees", 4e7, 2},
		{"thirty days", 30, 1},
		{"fifteen", 15, 1},
		{"1,500 bucks", 1500, 1},
		{"a hundred", 100, 2},
		{"three hundred thousand", 300000, 3},
		{"one million two hundred thousand", 1.2e6, 5},
		{"one and three quarters", 1, 1},
		{"two thousand and five", 2005, 4},
		// Scales kept from the brief's own language, with its decimal comma.
		{"3,4 milyon lira", 3.4e6, 2},
		{"650 bin", 650000, 2},
		{"1,75 mln", 1.75e6, 2},
		{"12 miljoonaa", 12e6, 2},
		{"40 tysięcy", 40000, 2},
		{"250 mila", 250000, 2},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, used, ok := ReadWords(strings.Fields(tt.give))
			if !ok || got != tt.want || used != tt.wantUsed {
				t.Errorf("ReadWords(%q) = %v, %d, %v; want %v, %d", tt.give, got, used, ok, tt.want, tt.wantUsed)
			}
		})
	}
	for _, give := range []string{"", "dollars", "and", "a", "the budget"} {
		if _, _, ok := ReadWords(strings.Fields(give)); ok {
			t.Errorf("ReadWords(%q) read a number; want none", give)
		}
	}
}

func TestParseNumeral(t *testing.T) {
	tests := []struct {
		give string
		want float64
		ok   bool
	}{
		{"1500", 1500, true},
		{"1,500", 1500, true},
		{"1,500,000", 1500000, true},
		{"5.000", 5000, true},
		{"90.000", 90000, true},
		{"2.5", 2.5, true},
		{"1.500,50", 1500.5, true},
		{"1,500.50", 1500.5, true},
		{"2,5", 2.5, true},
		{"0.500", 0.5, true},
		{"3.14", 3.14, true},
		{"-5", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"1.2.3", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseNumeral(tt.give)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseNumeral(%q) = %v, %v; want %v, %v", tt.give, got, ok, tt.want, tt.ok)
		}
	}
}

// TestWordTables checks the embedded number words load and say what they are, and
// that a malformed table is refused rather than read as an empty one.
func TestWordTables(t *testing.T) {
	tab := loadWordTables(numberWordsJSON)
	if len(tab.Comment) == 0 {
		t.Error("data/number_words.json has no _comment")
	}
	for w, want := range map[string]float64{"twenty": 20, "fourty": 40, "zero": 0} {
		if got, ok := Units[w]; !ok || got != want {
			t.Errorf("Units[%q] = %v, %v; want %v", w, got, ok, want)
		}
	}
	for w, want := range map[string]float64{"lakh": 1e5, "crores": 1e7, "billion": 1e9} {
		if got, ok := Scales[w]; !ok || got != want {
			t.Errorf("Scales[%q] = %v, %v; want %v", w, got, ok, want)
		}
	}
	for _, bad := range []string{
		`{"units": {"one": 1}, "scales": {"thousand": 1000}, "unitz": {}}`,
		`{"units": {"one": 1}, "scales": {"one": 1000}}`,
		`{"units": {}, "scales": {"thousand": 1000}}`,
		`{"units": {"one": "1"}}`,
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("loadWordTables(%s) did not panic", bad)
				}
			}()
			loadWordTables([]byte(bad))
		}()
	}
}
