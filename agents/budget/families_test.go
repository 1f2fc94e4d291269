package budget

import (
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// TestBudgetRateOverFlight checks that a week's or a month's amount spent over a
// flight the message states becomes the whole flight's budget, and stays a daily
// rate, with a note, when the flight is not stated.
func TestBudgetRateOverFlight(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Budget
		note string
	}{
		{"Qatar push, QAR 40,000 per month for 2 months", budgetLifetime(80000, "QAR"), "for 2 months as a total budget of 80,000"},
		{"£3k a week over 4 weeks, podcasts only", budgetLifetime(12000, "GBP"), "for 4 weeks"},
		{"Spend 1,500 EUR monthly across 6 months in Ireland", budgetLifetime(9000, "EUR"), "for 6 months"},
		{"running for 8 weeks at $700/week", budgetLifetime(5600, "$"), "for 8 weeks"},
		{"$6,000 a month for two weeks", budgetLifetime(2800, "$"), "for 2 weeks"},
		{"NOK 60,000 a month", daily(2000, "NOK"), "a month counted as 30 days"},
		{"$500 a day for 3 weeks", daily(500, "$"), ""},
		// A period said in one compound word before the amount.
		{"Wochenbudget 2.500 € für Österreich", daily(357.14, "EUR"), "a week as a daily budget"},
		{"dagbudget 4 000 kr, Sverige", daily(4000, "kr"), ""},
		// The flight as a clause of its own, no "for" before the count.
		{"CAD 2,500/week. 10 weeks starting March 1", budgetLifetime(25000, "CAD"), "for 10 weeks"},
		{"€900 weekly — 3 months — Portugal", budgetLifetime(11571.43, "EUR"), "for 3 months"},
		{"€900 weekly, launching 3 weeks before Easter", daily(128.57, "EUR"), "a week as a daily budget"},
	}
	for _, tt := range tests {
		r := budgetRead(t, tt.give, nil, false)
		if !equal(r.Budget, tt.want) {
			t.Errorf("Run(%q) budget = %s, want %s (notes %q)", tt.give, budgetString(r.Budget), budgetString(tt.want), r.Notes)
		}
		if tt.note != "" && !strings.Contains(strings.Join(r.Notes, " "), tt.note) {
			t.Errorf("Run(%q) notes %q, want one saying %q", tt.give, r.Notes, tt.note)
		}
	}
}

// TestBudgetScalesOfOtherLanguages checks the words for a billion briefs keep from
// Indonesian, Malay and Polish.
func TestBudgetScalesOfOtherLanguages(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Budget
	}{
		{"Rp 2,5 miliar untuk kampanye di Indonesia", budgetLifetime(2.5e9, "IDR")},
		{"IDR 3 milyar, Q2", budgetLifetime(3e9, "IDR")},
		{"budżet 1 miliard zł", budgetLifetime(1e9, "PLN")},
		{"Polska: 1,4 mln zł, zasięg", budgetLifetime(1.4e6, "PLN")},
		{"İstanbul, ₺850 bin", budgetLifetime(850000, "TRY")},
		{"Suomi, 2 miljoonaa euroa", budgetLifetime(2e6, "EUR")},
	}
	for _, tt := range tests {
		r := budgetRead(t, tt.give, nil, false)
		if !equal(r.Budget, tt.want) {
			t.Errorf("Run(%q) budget = %s, want %s (notes %q)", tt.give, budgetString(r.Budget), budgetString(tt.want), r.Notes)
		}
	}
}

// TestBudgetLakhAbbreviations checks "L" and "Cr" for lakh and crore where money is
// counted in them, and that elsewhere they stay litres and credits.
func TestBudgetLakhAbbreviations(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Budget
	}{
		{"Diwali push in Gujarat, ₹40L", budgetLifetime(4e6, "INR")},
		{"INR 1.5 Cr for the IPL season", budgetLifetime(1.5e7, "INR")},
		{"Lahore + Karachi, PKR 75L, 4 weeks", budgetLifetime(7.5e6, "PKR")},
		{"Dhaka, BDT 2 cr, Q2", budgetLifetime(2e7, "BDT")},
		{"Spain, €5k, a 2L bottle giveaway", budgetLifetime(5000, "EUR")},
	}
	for _, tt := range tests {
		r := budgetRead(t, tt.give, nil, false)
		if !equal(r.Budget, tt.want) {
			t.Errorf("Run(%q) budget = %s, want %s (notes %q)", tt.give, budgetString(r.Budget), budgetString(tt.want), r.Notes)
		}
	}
}

// TestBudgetMilInSpanishAndPortugueseBriefs checks that "mil" is a thousand in a
// brief whose month or letters are Spanish or Portuguese, even in euros, and stays
// the English million in an English one.
func TestBudgetMilInSpanishAndPortugueseBriefs(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Budget
	}{
		{"Coimbra — 30 mil euros — fevereiro", budgetLifetime(30000, "EUR")},
		{"Valencia, 15 mil euros, octubre", budgetLifetime(15000, "EUR")},
		{"campanha de notoriedade, 80 mil euros", budgetLifetime(80000, "EUR")},
		{"Bilbao, 20 mil €, año nuevo", budgetLifetime(20000, "EUR")},
		{"we have €3 mil for the launch, starting in March", budgetLifetime(3e6, "EUR")},
	}
	for _, tt := range tests {
		r := budgetRead(t, tt.give, nil, false)
		if !equal(r.Budget, tt.want) {
			t.Errorf("Run(%q) budget = %s, want %s (notes %q)", tt.give, budgetString(r.Budget), budgetString(tt.want), r.Notes)
		}
	}
}

// TestBudgetCurrencyWrittenTwice checks the currency when a brief writes it twice
// or writes the amount twice: the word after an amount says more than a "$" before
// it, and an amount stated again with its currency says what the first was in.
func TestBudgetCurrencyWrittenTwice(t *testing.T) {
	tests := []struct {
		give string
		want *agents.Budget
	}{
		{"Monterrey, $250,000 pesos", budgetLifetime(250000, "peso")},
		{"Sydney, $8,000 AUD", budgetLifetime(8000, "AUD")},
		{"$3k dollars for the test", budgetLifetime(3000, "$")},
		{"Correction: the budget is 30k, not 3k. Norway and Denmark, 30k CHF, reach", budgetLifetime(30000, "CHF")},
	}
	for _, tt := range tests {
		r := budgetRead(t, tt.give, nil, false)
		if !equal(r.Budget, tt.want) {
			t.Errorf("Run(%q) budget = %s, want %s (notes %q)", tt.give, budgetString(r.Budget), budgetString(tt.want), r.Notes)
		}
	}
}
