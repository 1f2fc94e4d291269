package schedule

import (
	"math"
	"testing"
)

func TestScheduleParseDuration(t *testing.T) {
	const (
		minute = 60.0
		hour   = 3600.0
		day    = 86400.0
	)
	tests := []struct {
		give   string
		want   float64 // seconds
		wantOK bool
	}{
		{"one sec", 1, true},
		{"1\"", 1, true},
		{"2'", 2 * minute, true},
		{"2m", 2 * minute, true},
		{"2 more minutes", 2 * minute, true},
		{"15.5 mins", 15.5 * minute, true},
		{"half an hour", 30 * minute, true},
		{"1/2h", 30 * minute, true},
		{"an hour and a half", 90 * minute, true},
		{"1 hour thirty", 90 * minute, true},
		{"2 hour and 10", 130 * minute, true},
		{"1 hour fifteen seconds", hour + 15, true},
		{"one and two quarters of hour", 90 * minute, true},
		{"one and three quarters of hours", 105 * minute, true},
		{"two and a quarter of hour", 135 * minute, true},
		{"5 and an half minute", 330, true},
		{"three quarters of an hour", 45 * minute, true},
		{"half a day", 12 * hour, true},
		{"30 days", 30 * day, true},
		{"thirty days", 30 * day, true},
		{"twenty-five days", 25 * day, true},
		{"a 10-day flight", 10 * day, true},
		{"a fortnight", 14 * day, true},
		{"two and a half weeks", 17.5 * day, true},
		{"a couple of weeks", 14 * day, true},
		// A month counts 30 days, a quarter 90 and a year 365, as in Duckling ...
		{"a month", 30 * day, true},
		{"a month and a half", 45 * day, true},
		{"3 quarters", 270 * day, true},
		{"2 years", 730 * day, true},
		// ... except that years combined with months count 12 months of 30 days.
		{"2 years, 3 months", 810 * day, true},
		{"1 year, 2 days, 3 hours and 4 seconds", 365*day + 2*day + 3*hour + 4, true},
		{"for the next 30 days please", 30 * day, true},
		// Not durations.
		{"", 0, false},
		{"hello", 0, false},
		{"5k", 0, false},
		{"$2.5m", 0, false},
		{"18-24", 0, false},
		{"between 25 and 34", 0, false},
		{"0 days", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, ok := parseDuration(tt.give)
			if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-6*math.Max(1, tt.want) {
				t.Errorf("parseDuration(%q) = %v, %v; want %v, %v", tt.give, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestScheduleTokenize(t *testing.T) {
	tests := []struct {
		give string
		want []string
	}{
		{"q1'27", []string{"q", "1", "'", "27"}},
		{"valentine's day", []string{"valentine's", "day"}},
		{"€5,000 over 30days", []string{"€", "5,000", "over", "30", "days"}},
		{"dec 1-15, 2027", []string{"dec", "1", "-", "15", ",", "2027"}},
		{"1.12.2026 2.", []string{"1.12.2026", "2", "."}},
		{"3rd", []string{"3", "rd"}},
		{"mañana", []string{"mañana"}},
		{"week 10 t/m 13", []string{"week", "10", "t/m", "13"}},
		{"w/c 8 mar", []string{"w/c", "8", "mar"}},
		{"fr/de/it", []string{"fr", "/", "de", "/", "it"}},
		{"a/b/c", []string{"a", "/", "b", "/", "c"}},
		{"1/2h", []string{"1", "/", "2", "h"}},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			tokens := tokenize(tt.give)
			got := make([]string, len(tokens))
			for i, tok := range tokens {
				got[i] = tok.text
			}
			if len(got) != len(tt.want) {
				t.Fatalf("tokenize(%q) = %q; want %q", tt.give, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("tokenize(%q) = %q; want %q", tt.give, got, tt.want)
				}
			}
		})
	}
}

func FuzzScheduleParseDuration(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{"one and three quarters of hours", "1 year, 2 days, 3 hours and 4 seconds", "1/2h", "2'", "1\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		seconds, ok := parseDuration(text)
		if !ok {
			if seconds != 0 {
				t.Fatalf("parseDuration(%q) = %v without ok", text, seconds)
			}
			return
		}
		if math.IsNaN(seconds) || math.IsInf(seconds, 0) || seconds <= 0 {
			t.Fatalf("parseDuration(%q) = %v", text, seconds)
		}
	})
}
