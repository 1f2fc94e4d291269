package budget

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/adplan/adplan/agents"
)

// Money as briefs write it around the world: "mil" read by the currency, the
// language or the market, Indian digit grouping, rough amounts, currencies written as
// letters, other languages' scale and period words, bare numbers beside a market, and
// amounts corrected in the same message.
func TestBudgetSpecialistWorldMoney(t *testing.T) {
	tests := []struct {
		give     string
		want     *agents.Budget
		wantNote string // a note the reading must carry; "" for none at all
	}{
		// "mil": a thousand where the currency or the language is Spanish or
		// Portuguese, a million in English shorthand.
		{"Lançamento em Recife e Salvador, R$ 35 mil, foco em downloads", budgetLifetime(35000, "BRL"), ""},
		{"Queremos 150 mil pesos para una campaña en Guadalajara", budgetLifetime(150000, "peso"), ""},
		{"Chile, CLP 900 mil para el verano", budgetLifetime(900000, "CLP"), ""},
		{"Campanha para Portugal com EUR 40 mil, público jovem", budgetLifetime(40000, "EUR"), ""},
		{"We have a $3 mil budget for the holiday launch across the US", budgetLifetime(3e6, "$"), ""},
		{"Argentina, 70 mil, reach", budgetLifetime(70000, ""), `Read "mil" as a thousand (70,000), as it is written in Argentina`},
		{"3 mil, Q3", budgetLifetime(3e6, ""), `Read "mil" as a million (3,000,000), English shorthand`},
		{"R$ 20-30 mil em São Paulo", budgetRange(20000, 30000, "BRL"), ""},
		{"US$ 15 mil para a campanha em Luanda", budgetLifetime(15000, "USD"), ""},
		{"presupuesto: 60 mil dólares, Miami", budgetLifetime(60000, "$"), ""},
		{"Mex$ 250 mil, Monterrey", budgetLifetime(250000, "MXN"), ""},
		{"we need $4 mil for the Colombia launch", budgetLifetime(4e6, "$"), `Read "mil" as a million (4,000,000), English shorthand; in Colombia it would be a thousand`},
		{"presupuesto de 45000 para Quito", budgetLifetime(45000, ""), ""},
		{"orçamento: 90000, Porto Alegre", budgetLifetime(90000, ""), ""},
		// Indian grouping.
		{"Mumbai and Pune, ₹22,40,000 for the festive quarter", budgetLifetime(2240000, "INR"), ""},
		{"Rs 3,50,000 over six weeks in Bangalore", budgetLifetime(350000, "rupee"), ""},
		{"a crore: ₹1,00,00,000 across India", budgetLifetime(1e7, "INR"), ""},
		// Rough amounts.
		{"something like $8k-ish for Denver", budgetLifetime(8000, "$"), ""},
		{"~12k for the Dublin test", budgetLifetime(12000, ""), ""},
		{"€40k+ for the DACH rollout", budgetLifetime(40000, "EUR"), ""},
		{"approx. £6k for Manchester", budgetLifetime(6000, "GBP"), ""},
		{"c. €9k across Benelux", budgetLifetime(9000, "EUR"), ""},
		{"maybe 7-ish thousand dollars", budgetLifetime(7000, "$"), ""},
		// Currencies written as letters onto the number.
		{"Joburg and Durban, R75,000, awareness", budgetLifetime(75000, "ZAR"), ""},
		{"R 40k for a South Africa test", budgetLifetime(40000, "ZAR"), ""},
		{"Lima y Arequipa, S/ 45,000", budgetLifetime(45000, "PEN"), ""},
		{"S/. 12.000 para Cusco", budgetLifetime(12000, "PEN"), ""},
		{"Warszawa, 45 tys. zł na kampanię", budgetLifetime(45000, "PLN"), ""},
		{"2 mln zł na cały kwartał", budgetLifetime(2e6, "PLN"), ""},
		{"Praha, 300 000 Kč", budgetLifetime(300000, "CZK"), ""},
		{"Budapest, 2 500 000 Ft", budgetLifetime(2500000, "HUF"), ""},
		{"Bucharest with 20 000 lei", budgetLifetime(20000, "RON"), ""},
		{"Istanbul, ₺250.000", budgetLifetime(250000, "TRY"), ""},
		{"Hà Nội, VND 500 triệu", budgetLifetime(5e8, "VND"), ""},
		{"Tokyo, ¥300万", budgetLifetime(3e6, "JPY"), ""},
		{"Milano, 8 mila euro al giorno", daily(8000, "EUR"), ""},
		{"Madrid, 300 € al día", daily(300, "EUR"), ""},
		{"Berlin, 50 Tsd. € für den Launch", budgetLifetime(50000, "EUR"), ""},
		// A bare number beside a market is a budget in the market's currency (the
		// coordinator resolves it and says so).
		{"Chile, 4000000 for six weeks", budgetLifetime(4e6, ""), ""},
		{"Launch in Vietnam: 90000000, reach", budgetLifetime(9e7, ""), ""},
		{"Portugal, podcasts, 12000 over 4 weeks", budgetLifetime(12000, ""), ""},
		{"8500 in Norway, starting in March", budgetLifetime(8500, ""), ""},
		// Corrections in the same message.
		{"budget 40k, sorry, 45k, Belgium", budgetLifetime(45000, ""), ""},
		{"Denmark 500k DKK, actually make it 420k", budgetLifetime(420000, "DKK"), ""},
		{"£300 a day - wait, £350, London only", daily(350, "GBP"), ""},
		{"$20k USD, no, make that in AUD", budgetLifetime(20000, "AUD"), ""},
		{"€2k a day, oops, €2k in total", budgetLifetime(2000, "EUR"), ""},
		{"9000 instead of 6000 for Finland", budgetLifetime(9000, ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, nil, false)
			if !equal(r.Budget, tt.want) {
				t.Errorf("Run(%q) budget = %s, want %s", tt.give, budgetString(r.Budget), budgetString(tt.want))
			}
			switch {
			case tt.wantNote == "" && len(r.Notes) > 0:
				t.Errorf("Run(%q) notes = %q, want none", tt.give, r.Notes)
			case tt.wantNote != "" && !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, tt.wantNote) }):
				t.Errorf("Run(%q) notes = %q, want one saying %q", tt.give, r.Notes, tt.wantNote)
			}
		})
	}
}

// Numbers that only look like the new forms of money stay unread.
func TestBudgetSpecialistWorldNotMoney(t *testing.T) {
	for _, give := range []string{
		"R2 routes around Cape Town",
		"R&D listeners in Germany",
		"Brazil, 2027, reach",
		"Brazil, 18-34, reach",
		"Mexico, 25+, app installs",
		"Spain, 5k+ followers",
		"Chile, 30 days from March",
		"India, 500 stores",
		"Peru, 12 cities",
		"3 weeks in Colombia",
		"5000 r",
		"Germany, 3000 new subscribers",
		"top 100 in Brazil",
		"Brazil, 400 participants, reach",
	} {
		t.Run(give, func(t *testing.T) {
			r := budgetRead(t, give, nil, false)
			if r.Budget != nil {
				t.Errorf("Run(%q) budget = %s, want nil", give, budgetString(r.Budget))
			}
		})
	}
}

// The words of the new readings are sources; the market beside a bare number is the
// audience's to read, not the budget's.
func TestBudgetSpecialistWorldSources(t *testing.T) {
	const amount, currency, kind, cue = "budget.amount", "budget.currency", "budget.type", ""
	tests := []struct {
		give   string
		want   map[string][]string
		unread []string
	}{
		{"R120,000 for Cape Town", map[string][]string{amount: {"120,000"}, currency: {"r"}}, []string{"cape town"}},
		{"S/ 45,000 en Lima", map[string][]string{amount: {"45,000"}, currency: {"s/"}}, []string{"lima"}},
		{"45 tys. zł", map[string][]string{amount: {"45 tys."}, currency: {"zł"}}, nil},
		{"$8k-ish", map[string][]string{amount: {"8k-ish"}, currency: {"$"}}, nil},
		{"approx. £6k", map[string][]string{amount: {"6k"}, currency: {"£"}, cue: {"approx."}}, nil},
		{"Brazil, 15000 over 30 days", map[string][]string{amount: {"15000"}}, []string{"brazil", "30 days"}},
		{"budget 40k, sorry, 45k", map[string][]string{amount: {"45k"}, cue: {"budget", "40k", "sorry"}}, nil},
		{"500k DKK, actually make it 420k", map[string][]string{amount: {"420k"}, currency: {"dkk"}, cue: {"500k dkk", "actually", "make it"}}, nil},
		{"$20k USD, no, make that in AUD", map[string][]string{amount: {"20k"}, currency: {"$", "usd", "aud"}, cue: {"no", "make that in"}}, nil},
		{"8 mila euro al giorno", map[string][]string{amount: {"8 mila"}, currency: {"euro"}, kind: {"al giorno"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, nil, false)
			m := agents.NewMessage(tt.give, testNow)
			if got := sourceWords(t, m, r.Sources); !maps.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Run(%q) read\n%s\nwant\n%s", tt.give, formatWords(got), formatWords(tt.want))
			}
			for _, w := range tt.unread {
				if covered(t, m, r.Sources, w) {
					t.Errorf("Run(%q): a source covers %q, which the budget specialist does not read", tt.give, w)
				}
			}
		})
	}
}

// A budget read in the market's currency follows the conversation: the follow-ups
// revise it, and "in dollars" changes the currency it was given.
func TestBudgetSpecialistMarketCurrencyFollowUps(t *testing.T) {
	first := budgetRead(t, "Brazil, 15000 over 30 days", nil, false)
	if first.Budget == nil {
		t.Fatal(`"Brazil, 15000 over 30 days" read no budget`)
	}
	agents.ResolveBudgetCurrency(first.Budget, []string{"BR"}, "USD")
	if got := budgetString(first.Budget); got != "15,000 BRL LIFETIME hint= source=market" {
		t.Fatalf("first brief = %s, want 15,000 BRL from the market", got)
	}
	tests := []struct {
		give string
		want string
	}{
		{"make it 8k", "8,000 BRL LIFETIME hint= source=market"},
		{"double it", "30,000 BRL LIFETIME hint= source=market"},
		{"cut by 20%", "12,000 BRL LIFETIME hint= source=market"},
		{"in dollars", "15,000 USD LIFETIME hint=$ source=default"},
		{"in euros instead", "15,000 EUR LIFETIME hint= source=written"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, first.Budget, true)
			if r.Budget == nil {
				t.Fatalf("Run(%q) read no budget", tt.give)
			}
			agents.ResolveBudgetCurrency(r.Budget, []string{"BR"}, "USD")
			if got := budgetString(r.Budget); got != tt.want {
				t.Errorf("Run(%q) = %s, want %s", tt.give, got, tt.want)
			}
		})
	}
}

// The coordinator says a bare number beside a market was read in its currency.
func TestBudgetSpecialistMarketCurrencyNote(t *testing.T) {
	c, err := agents.NewCoordinator(agents.CoordinatorOptions{Specialists: []agents.Specialist{New(), marketStub{}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Read(context.Background(), agents.Brief{}, "Brazil, 15000 over 30 days", false, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if b := r.Brief.Budget; b == nil || b.Amount != 15000 || b.Currency != "BRL" || b.CurrencySource != "market" {
		t.Fatalf("budget = %s, want 15,000 BRL from the market", budgetString(b))
	}
	if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "Read the budget as 15,000 BRL") }) {
		t.Errorf("notes = %q, want one saying the currency came from the market", r.Notes)
	}
}

// marketStub reads "Brazil" as the market, as the audience specialist would.
type marketStub struct{}

func (marketStub) Slot() agents.Slot { return agents.SlotAudience }

func (marketStub) Touches(m agents.Message) bool { return strings.Contains(m.Lower, "brazil") }

func (marketStub) Run(_ context.Context, req agents.Request) (agents.Result, error) {
	i := strings.Index(req.Message.Lower, "brazil")
	return agents.Result{
		Audience:   &agents.Audience{Geo: agents.Geo{Countries: []string{"BR"}}},
		Confidence: 1,
		Sources:    []agents.Source{agents.SourceAt("audience.geo.countries", i, i+len("brazil"))},
	}, nil
}
