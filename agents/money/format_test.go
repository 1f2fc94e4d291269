package money

import "testing"

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		give float64
		code string
		want string
	}{
		{5000, "EUR", "5,000"},
		{20.43, "EUR", "20.43"},
		{20.4, "USD", "20.40"},
		{19.999, "EUR", "20"},
		{0.996, "USD", "1"},
		{999.999, "USD", "1,000"},
		{999.994, "USD", "999.99"},
		{1234567.891, "", "1,234,567.89"},
		{-500, "USD", "-500"},
		{-0.001, "USD", "0"},
		{0, "EUR", "0"},
		// JPY has no minor unit: yen are never written with cents.
		{800000, "JPY", "800,000"},
		{1234.5, "JPY", "1,235"},
		{0.4, "JPY", "0"},
		// KWD has three: fils.
		{1.2345, "KWD", "1.235"},
		{1500.1, "KWD", "1,500.100"},
		{12.0004, "KWD", "12"},
		{10.5, "BHD", "10.500"},
		// An unknown code is written to the cent.
		{3.14159, "XYZ", "3.14"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.give, tt.code); got != tt.want {
			t.Errorf("FormatAmount(%v, %q) = %q, want %q", tt.give, tt.code, got, tt.want)
		}
	}
}

func TestMinorDigits(t *testing.T) {
	for code, want := range map[string]int{"EUR": 2, "USD": 2, "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3, "": 2, "??": 2} {
		if got := MinorDigits(code); got != want {
			t.Errorf("MinorDigits(%q) = %d, want %d", code, got, want)
		}
	}
}
