package budget

import (
	"context"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/adplan/adplan/agents"
	"github.com/adplan/adplan/agents/money"
)

// budgetRead runs the budget specialist on one message.
func budgetRead(t testing.TB, give string, current *agents.Budget, followUp bool) agents.Result {
	t.Helper()
	req := agents.Request{Message: agents.NewMessage(give, testNow), FollowUp: followUp, Now: testNow}
	if current != nil {
		c := *current
		req.Current.Budget = &c
	}
	r, err := New().Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run(%q): %v", give, err)
	}
	return r
}

var testNow = mustDate("2026-11-22").Time()

func mustDate(s string) agents.Date {
	d, err := agents.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// budgetLifetime and daily build the budgets the tables expect; a code is
// written, a family is a hint.
func budgetLifetime(amount float64, currency string) *agents.Budget {
	b := &agents.Budget{Amount: amount, Type: agents.BudgetLifetime}
	setCurrency(b, currency)
	return b
}

func daily(amount float64, currency string) *agents.Budget {
	b := budgetLifetime(amount, currency)
	b.Type = agents.BudgetDaily
	return b
}

func setCurrency(b *agents.Budget, currency string) {
	switch {
	case currency == "":
	case money.IsFamily(currency):
		b.CurrencyHint = currency
	default:
		b.Currency, b.CurrencySource = currency, "written"
	}
}

func budgetRange(min, max float64, currency string) *agents.Budget {
	b := budgetLifetime(max, currency)
	b.Min = min
	return b
}

func budgetString(b *agents.Budget) string {
	if b == nil {
		return "nil"
	}
	return agents.FormatBudget(*b) + " " + strings.TrimSpace(strings.Join([]string{b.Type, "hint=" + b.CurrencyHint, "source=" + b.CurrencySource}, " "))
}

func equal(a, b *agents.Budget) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// TestBudgetSpecialistFirstBrief reads every way of writing money the brief lists,
// each alone and inside a realistic sentence.
func TestBudgetSpecialistFirstBrief(t *testing.T) {
	tests := []struct {
		give     string
		sentence string
		want     *agents.Budget
	}{
		{"$5,000", "Launch our new single to 18-34s in the US with $5,000 over 4 weeks", budgetLifetime(5000, "$")},
		{"5k", "Podcast listeners in the Nordics, 5k, starting next month for 6 weeks", budgetLifetime(5000, "")},
		{"around fifteen grand", "We'd like to spend around fifteen grand on a summer push in Ireland", budgetLifetime(15000, "")},
		{"€10,000", "Grow awareness in France and Belgium with €10,000 for 30 days", budgetLifetime(10000, "EUR")},
		{"€2.5m", "Brand campaign across EMEA in H1, €2.5m in total", budgetLifetime(2.5e6, "EUR")},
		{"1,500 bucks", "Got about 1,500 bucks for a local test in Austin", budgetLifetime(1500, "$")},
		{"£750", "Target 25-34 year olds in the UK, £750 total", budgetLifetime(750, "GBP")},
		{"USD 3000", "we have USD 3000 for a two-week push in Canada", budgetLifetime(3000, "USD")},
		{"5.000 €", "Germany only, 5.000 € budget, ages 18-24", budgetLifetime(5000, "EUR")},
		{"ten thousand dollars", "Spend ten thousand dollars over 2 months on podcast ads", budgetLifetime(10000, "$")},
		{"twenty-five hundred dollars", "A small test with twenty-five hundred dollars in Chicago", budgetLifetime(2500, "$")},
		{"half a million euros", "Pan-European launch with half a million euros across Q3", budgetLifetime(500000, "EUR")},
		{"₹5 lakh", "Diwali campaign in India with ₹5 lakh for 18-30 year olds", budgetLifetime(500000, "INR")},
		{"R$ 90.000", "Reach young listeners in Brazil with R$ 90.000 in March", budgetLifetime(90000, "BRL")},
		{"20 million pesos", "Launch in Mexico City with 20 million pesos over 8 weeks", budgetLifetime(2e7, "peso")},
		{"$200 a day", "Run it at $200 a day for 3 weeks in Australia", daily(200, "$")},
		{"$1,000 per week for 6 weeks", "We're thinking $1,000 per week for 6 weeks", budgetLifetime(6000, "$")},
		{"$1,000 per week", "We're thinking $1,000 per week from March", daily(142.86, "$")},
		{"no more than $3k", "Keep it to no more than $3k for the whole flight", budgetLifetime(3000, "$")},
		{"between 8 and 10k", "Between 8 and 10k for Germany and Austria", budgetRange(8000, 10000, "")},
		{"up to 50k", "Spend up to 50k across the Nordics in Q2", budgetLifetime(50000, "")},
		{"a budget of 7500", "Drive website visits among women 25-44 in Spain with a budget of 7500", budgetLifetime(7500, "")},
		{"budget: 12000", "Budget: 12000, start on March 3, Italy only", budgetLifetime(12000, "")},
		{"CHF 4'000", "Swiss launch in Zurich with CHF 4'000", budgetLifetime(4000, "CHF")},
		{"¥500,000", "Japan campaign, ¥500,000, 4 weeks from April 1", budgetLifetime(500000, "JPY")},
		{"kr 50 000", "Sweden, kr 50 000, 30 days, podcasts only", budgetLifetime(50000, "kr")},
		{"50.000 kr", "Denmark launch for 50.000 kr next month", budgetLifetime(50000, "kr")},
		{"1.2 million", "The budget is 1.2 million for the full year", budgetLifetime(1.2e6, "")},
		{"10K", "10K for the album launch in the Netherlands", budgetLifetime(10000, "")},
		{"$2M", "$2M awareness push across the US and Canada", budgetLifetime(2e6, "$")},
		{"with 5000", "Reach 1.2 million listeners in Sweden with 5000 over 30 days", budgetLifetime(5000, "")},
		{"between $5k and $8k", "Budget between $5k and $8k, 18-24, Austria", budgetRange(5000, 8000, "$")},
		{"€5,000 - €6,000", "Somewhere in €5,000 - €6,000 for Spain in May", budgetRange(5000, 6000, "EUR")},
		{"daily budget of $200", "Website visits in Texas, daily budget of $200 from June 1", daily(200, "$")},
		{"3,000 pesos a month", "Colombia test at 3,000 pesos a month", daily(100, "peso")},
		{"5k (SEK)", "Stockholm only, 5k (SEK), 2 weeks", budgetLifetime(5000, "SEK")},
		{"budget 5000, in euros", "For the Paris launch: budget 5000, in euros", budgetLifetime(5000, "EUR")},
		{"20 dinars", "A dry run with 20 dinars", budgetLifetime(20, "dinar")},
		{"4 crores rupees", "Cricket season push with 4 crores rupees", budgetLifetime(4e7, "rupee")},
		{"US$3 and fourteen", "Test the pixel with US$3 and fourteen", budgetLifetime(3.14, "USD")},
		{"3 GBP 1 pence", "Smoke test for 3 GBP 1 pence", budgetLifetime(3.01, "GBP")},
		{"50,000 Turkish lira", "Istanbul launch with 50,000 Turkish lira", budgetLifetime(50000, "TRY")},
		{"42 egyptianpound", "A quick Cairo test at 42 egyptianpound", budgetLifetime(42, "EGP")},
	}
	for _, tt := range tests {
		if !strings.Contains(strings.ToLower(tt.sentence), strings.ToLower(tt.give)) {
			t.Fatalf("sentence %q does not contain %q", tt.sentence, tt.give)
		}
		for _, give := range []string{tt.give, tt.sentence} {
			t.Run(give, func(t *testing.T) {
				r := budgetRead(t, give, nil, false)
				if !equal(r.Budget, tt.want) {
					t.Errorf("Run(%q) budget = %s, want %s (notes %q)", give, budgetString(r.Budget), budgetString(tt.want), r.Notes)
				}
				if r.Goal != nil || r.Audience != nil || r.Schedule != nil {
					t.Errorf("Run(%q) set another specialist's slot: %+v", give, r)
				}
			})
		}
	}
}

// TestBudgetSpecialistNotMoney checks that ages, days, dates, shares, counts and
// prices are not read as a budget.
func TestBudgetSpecialistNotMoney(t *testing.T) {
	tests := []struct {
		give     string
		wantNote string
	}{
		{give: "18-24 year olds in Germany over 30 days"},
		{give: "between 25 and 34"},
		{give: "make it 25-34 instead"},
		{give: "women over 35 in Austria"},
		{give: "run for 6 weeks starting 2027-02-01"},
		{give: "Dec 1-15"},
		{give: "from March 3 to April 3"},
		{give: "keep video under 20%"},
		{give: "reach 1.2 million listeners"},
		{give: "5k impressions a day"},
		{give: "Q1 2027"},
		{give: "extend to 60 days"},
		{give: "no video"},
		{give: "thanks, looks great"},
		{give: ""},
		{give: "target CPM of $10", wantNote: "Ignored $10: it reads as a price per result"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, nil, false)
			if r.Budget != nil {
				t.Errorf("Run(%q) budget = %s, want nil", tt.give, budgetString(r.Budget))
			}
			if tt.wantNote == "" && len(r.Notes) > 0 {
				t.Errorf("Run(%q) notes = %q, want none", tt.give, r.Notes)
			}
			if tt.wantNote != "" && (len(r.Notes) != 1 || !strings.Contains(r.Notes[0], tt.wantNote)) {
				t.Errorf("Run(%q) notes = %q, want one containing %q", tt.give, r.Notes, tt.wantNote)
			}
		})
	}
}

// TestBudgetSpecialistQuestionableAmounts checks that negative, zero and absurd budgets
// come back as read, with a problem (shown once, as a warning, by Brief.Problems) and
// low confidence, never silently.
func TestBudgetSpecialistQuestionableAmounts(t *testing.T) {
	tests := []struct {
		give     string
		want     *agents.Budget
		wantNote string
	}{
		{"-500 dollars", budgetLifetime(-500, "$"), "The budget is negative (-500 $)"},
		{"$-500", budgetLifetime(-500, "$"), "The budget is negative (-500 $)"},
		{"-$500 for Spain", budgetLifetime(-500, "$"), "The budget is negative (-500 $)"},
		{"minus 500 euros", budgetLifetime(-500, "EUR"), "The budget is negative (-500 EUR)"},
		{"$0", budgetLifetime(0, "$"), "The budget is zero"},
		{"a budget of zero euros", budgetLifetime(0, "EUR"), "The budget is zero"},
		{"US$4.7 billion", budgetLifetime(4.7e9, "USD"), "The budget 4,700,000,000 USD is beyond any plausible ad budget"},
		{"spend 2000 billion yen", budgetLifetime(2e12, "JPY"), "about 13,200,000,000 USD"},
		{"a budget of 0.50 USD", budgetLifetime(0.5, "USD"), "The budget 0.50 USD is less than 1 USD"},
		{"10 cents", budgetLifetime(0.1, "$"), "less than 1 USD"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, nil, false)
			if !equal(r.Budget, tt.want) {
				t.Errorf("Run(%q) budget = %s, want %s", tt.give, budgetString(r.Budget), budgetString(tt.want))
			}
			problems := strings.Join(agents.BudgetProblems(*r.Budget), " | ")
			if !strings.Contains(problems, tt.wantNote) {
				t.Errorf("Run(%q) problems = %q, want one containing %q", tt.give, problems, tt.wantNote)
			}
			if notes := strings.Join(r.Notes, " | "); problems != "" && strings.Contains(notes, problems) {
				t.Errorf("Run(%q) notes repeat the problem %q; it is reported once, as a warning", tt.give, problems)
			}
			if r.Confidence > 0.3 {
				t.Errorf("Run(%q) confidence = %v, want at most 0.3", tt.give, r.Confidence)
			}
		})
	}
}

// TestBudgetSpecialistConfidence checks that clear readings are sure and guesses are not.
func TestBudgetSpecialistConfidence(t *testing.T) {
	tests := []struct {
		give     string
		want     float64
		wantNote string
	}{
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", 1, ""},
		{"a budget of 7500", 0.85, ""},
		{"Reach listeners in Sweden with 5000", 0.8, ""},
		{"$1,000 per week", 0.8, "Read $1,000 a week as a daily budget of 142.86."},
		{"We have $5,000 now but last year we spent $3,000", 0.6, "Also saw $3,000; used $5,000 as the budget."},
		{"Our 2026 budget is 50k", 1, ""},
		{"increase awareness in Spain with $5,000", 1, ""},
		{"boost streams in Mexico, 20k", 1, ""},
		{"We want to reach 500,000 listeners with a 20k budget", 1, ""},
		{"$10 CPM, budget $5,000", 1, "Ignored $10: it reads as a price per result, not a budget."},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, nil, false)
			if r.Confidence != tt.want {
				t.Errorf("Run(%q) confidence = %v, want %v", tt.give, r.Confidence, tt.want)
			}
			if got := strings.Join(r.Notes, " | "); got != tt.wantNote {
				t.Errorf("Run(%q) notes = %q, want %q", tt.give, got, tt.wantNote)
			}
		})
	}
}

// TestBudgetSpecialistFollowUp revises a current budget.
func TestBudgetSpecialistFollowUp(t *testing.T) {
	euros := budgetLifetime(5000, "EUR")
	dollarsAUD := &agents.Budget{Amount: 200, Currency: "AUD", Type: agents.BudgetDaily, CurrencyHint: "$", CurrencySource: "market"}
	marketEUR := &agents.Budget{Amount: 5000, Currency: "EUR", Type: agents.BudgetLifetime, CurrencySource: "market"}
	tests := []struct {
		current  *agents.Budget
		give     string
		want     *agents.Budget
		wantNote string
	}{
		{euros, "make it 8k", budgetLifetime(8000, "EUR"), ""},
		{euros, "double the budget", budgetLifetime(10000, "EUR"), ""},
		{euros, "halve it", budgetLifetime(2500, "EUR"), ""},
		{euros, "cut it in half", budgetLifetime(2500, "EUR"), ""},
		{euros, "cut the budget by 25%", budgetLifetime(3750, "EUR"), ""},
		{euros, "increase the budget by 10%", budgetLifetime(5500, "EUR"), ""},
		{euros, "add another 2k", budgetLifetime(7000, "EUR"), ""},
		{euros, "2k more", budgetLifetime(7000, "EUR"), ""},
		{euros, "reduce it by €500", budgetLifetime(4500, "EUR"), ""},
		{euros, "reduce it by $500", budgetLifetime(4500, "EUR"), "Changed the budget by $500 without converting it"},
		{euros, "what about 15k?", budgetLifetime(15000, "EUR"), ""},
		{euros, "$200 a day instead", daily(200, "$"), ""},
		{euros, "in dollars instead", budgetLifetime(5000, "$"), "Changed the currency to $ and kept the amount 5,000"},
		{euros, "switch to GBP", budgetLifetime(5000, "GBP"), "Changed the currency to GBP and kept the amount 5,000"},
		{euros, "what about 90 days and 15k?", budgetLifetime(15000, "EUR"), ""},
		{euros, "make it 8k instead of 5k", budgetLifetime(8000, "EUR"), ""},
		{euros, "raise it from 5k to 8k", budgetLifetime(8000, "EUR"), ""},
		{euros, "take €500 off", budgetLifetime(4500, "EUR"), ""},
		{euros, "cut it to 80%", budgetLifetime(4000, "EUR"), ""},
		{euros, "make it daily", daily(5000, "EUR"), "Kept the amount 5,000, now as a daily budget."},
		{euros, "make it cheaper", nil, "Asked for a smaller budget without saying how much"},
		{euros, "what about 10% more?", budgetLifetime(5500, "EUR"), ""},
		{euros, "spend 20% less", budgetLifetime(4000, "EUR"), ""},
		{euros, "push it to 60 days and cut the budget to 4k", budgetLifetime(4000, "EUR"), ""},
		{euros, "make it 6000 euros a day", daily(6000, "EUR"), ""},
		{daily(200, "EUR"), "10k total", budgetLifetime(10000, "EUR"), ""},
		{dollarsAUD, "make it 8k", &agents.Budget{Amount: 8000, Currency: "AUD", Type: agents.BudgetDaily, CurrencyHint: "$", CurrencySource: "market"}, ""},
		{dollarsAUD, "$300 a day instead", &agents.Budget{Amount: 300, Currency: "AUD", Type: agents.BudgetDaily, CurrencyHint: "$", CurrencySource: "market"}, ""},
		{marketEUR, "make it 8k", &agents.Budget{Amount: 8000, Currency: "EUR", Type: agents.BudgetLifetime, CurrencySource: "market"}, ""},
		{budgetRange(8000, 10000, "EUR"), "double it", budgetRange(16000, 20000, "EUR"), ""},
		{budgetRange(8000, 10000, "EUR"), "make it 12k", budgetLifetime(12000, "EUR"), ""},
		{nil, "double the budget", nil, "There is no budget yet to double"},
		{nil, "add another 2k", nil, "There is no budget yet to add 2,000 to"},
		{nil, "make it 8k", budgetLifetime(8000, ""), ""},
	}
	for _, tt := range tests {
		t.Run(budgetString(tt.current)+"/"+tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, tt.current, true)
			if !equal(r.Budget, tt.want) {
				t.Errorf("Run(%q) on %s = %s, want %s (notes %q)", tt.give, budgetString(tt.current), budgetString(r.Budget), budgetString(tt.want), r.Notes)
			}
			notes := strings.Join(r.Notes, " | ")
			if tt.wantNote == "" && notes != "" || !strings.Contains(notes, tt.wantNote) {
				t.Errorf("Run(%q) notes = %q, want %q", tt.give, notes, tt.wantNote)
			}
		})
	}
}

// TestBudgetSpecialistFollowUpKeepsCurrent checks that a revision never writes into
// the brief it revises.
func TestBudgetSpecialistFollowUpKeepsCurrent(t *testing.T) {
	current := budgetLifetime(5000, "EUR")
	before := *current
	req := agents.Request{Message: agents.NewMessage("double it", testNow), Current: agents.Brief{Budget: current}, FollowUp: true}
	r, err := New().Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if *current != before || r.Budget == current {
		t.Errorf("Run changed or aliased the current budget: current %+v, result %p", *current, r.Budget)
	}
}

// TestBudgetSpecialistTouches checks the routing decision both ways.
func TestBudgetSpecialistTouches(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days", true},
		{"app installs from iPhone users in the States, $20k, Q1", true},
		{"drive sales with podcast listeners in the Nordics, 15k, starting next month for 6 weeks", true},
		{"make it 8k", true},
		{"what about 90 days and 15k?", true},
		{"double the budget", true},
		{"cut the budget by 25%", true},
		{"$200 a day", true},
		{"between 8 and 10k", true},
		{"20 million pesos", true},
		{"add Austria and make it 8k", true},
		{"halve it", true},
		{"cut it in half", true},
		{"increase it by 10%", true},
		{"cut the spend", true},
		{"make it cheaper", true},
		{"we need more money", true},
		{"in dollars instead", true},
		{"switch to GBP", true},
		{"make it a daily budget", true},
		{"add another 2k", true},
		{"extend to 60 days", false},
		{"what if we ran it for 60 days?", false},
		{"push the start to January", false},
		{"shorten it to 3 weeks", false},
		{"add Austria too", false},
		{"drop the UK and do Ireland instead", false},
		{"only women", false},
		{"make it 25-34 instead", false},
		{"between 25 and 34", false},
		{"no video", false},
		{"focus on video views instead", false},
		{"keep video under 20% of the budget", false},
		{"double the duration", false},
		{"target CPM of $10", false},
		{"thanks, looks great", false},
		{"", false},
	}
	s := New()
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if got := s.Touches(agents.NewMessage(tt.give, testNow)); got != tt.want {
				t.Errorf("Touches(%q) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

// TestBudgetCurrencyCodeCase checks ISO codes that are also English words: in
// capitals beside a number they are currencies, in lower case words.
func TestBudgetCurrencyCodeCase(t *testing.T) {
	tests := []struct {
		give     string
		followUp bool
		want     *agents.Budget
	}{
		{"Istanbul launch with TRY 50,000", false, budgetLifetime(50000, "TRY")},
		{"Tirana test for 90,000 ALL", false, budgetLifetime(90000, "ALL")},
		{"try 6k", true, budgetLifetime(6000, "EUR")},
		{"spend all 6k", true, budgetLifetime(6000, "EUR")},
		{"try 6k in ALL markets", true, budgetLifetime(6000, "EUR")},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			r := budgetRead(t, tt.give, budgetLifetime(5000, "EUR"), tt.followUp)
			if !equal(r.Budget, tt.want) {
				t.Errorf("Run(%q) = %s, want %s", tt.give, budgetString(r.Budget), budgetString(tt.want))
			}
		})
	}
}

func TestResolveBudgetCurrency(t *testing.T) {
	tests := []struct {
		name      string
		give      agents.Budget
		countries []string
		want      agents.Budget
	}{
		{"nothing written takes the first market", agents.Budget{Amount: 5}, []string{"DE", "AT"},
			agents.Budget{Amount: 5, Currency: "EUR", CurrencySource: "market"}},
		{"a dollar in Australia is Australian", agents.Budget{Amount: 5, CurrencyHint: "$"}, []string{"AU"},
			agents.Budget{Amount: 5, Currency: "AUD", CurrencyHint: "$", CurrencySource: "market"}},
		{"the first market of the family", agents.Budget{Amount: 5, CurrencyHint: "$"}, []string{"DE", "CA", "US"},
			agents.Budget{Amount: 5, Currency: "CAD", CurrencyHint: "$", CurrencySource: "market"}},
		{"a dollar with no dollar market is US", agents.Budget{Amount: 5, CurrencyHint: "$"}, []string{"DE"},
			agents.Budget{Amount: 5, Currency: "USD", CurrencyHint: "$", CurrencySource: "default"}},
		{"kr in Sweden", agents.Budget{Amount: 5, CurrencyHint: "kr"}, []string{"FI", "SE"},
			agents.Budget{Amount: 5, Currency: "SEK", CurrencyHint: "kr", CurrencySource: "market"}},
		{"kr in Norway", agents.Budget{Amount: 5, CurrencyHint: "kr"}, []string{"NO"},
			agents.Budget{Amount: 5, Currency: "NOK", CurrencyHint: "kr", CurrencySource: "market"}},
		{"kr with no krona market", agents.Budget{Amount: 5, CurrencyHint: "kr"}, nil,
			agents.Budget{Amount: 5, Currency: "SEK", CurrencyHint: "kr", CurrencySource: "default"}},
		{"pesos in Mexico", agents.Budget{Amount: 5, CurrencyHint: "peso"}, []string{"MX"},
			agents.Budget{Amount: 5, Currency: "MXN", CurrencyHint: "peso", CurrencySource: "market"}},
		{"pesos in Colombia", agents.Budget{Amount: 5, CurrencyHint: "peso"}, []string{"US", "CO"},
			agents.Budget{Amount: 5, Currency: "COP", CurrencyHint: "peso", CurrencySource: "market"}},
		{"pesos with no peso market", agents.Budget{Amount: 5, CurrencyHint: "peso"}, []string{"ES"},
			agents.Budget{Amount: 5, Currency: "MXN", CurrencyHint: "peso", CurrencySource: "default"}},
		{"riyal in Qatar", agents.Budget{Amount: 5, CurrencyHint: "riyal"}, []string{"QA"},
			agents.Budget{Amount: 5, Currency: "QAR", CurrencyHint: "riyal", CurrencySource: "market"}},
		{"no market, no currency", agents.Budget{Amount: 5}, nil,
			agents.Budget{Amount: 5, Currency: "GBP", CurrencySource: "default"}},
		{"an unknown market is skipped", agents.Budget{Amount: 5}, []string{"ZZ", "JP"},
			agents.Budget{Amount: 5, Currency: "JPY", CurrencySource: "market"}},
		{"written stays", agents.Budget{Amount: 5, Currency: "EUR", CurrencySource: "written"}, []string{"US"},
			agents.Budget{Amount: 5, Currency: "EUR", CurrencySource: "written"}},
		{"a market reading follows a new market", agents.Budget{Amount: 5, Currency: "EUR", CurrencySource: "market"}, []string{"GB"},
			agents.Budget{Amount: 5, Currency: "GBP", CurrencySource: "market"}},
		{"a default follows a new market", agents.Budget{Amount: 5, Currency: "USD", CurrencyHint: "$", CurrencySource: "default"}, []string{"NZ"},
			agents.Budget{Amount: 5, Currency: "NZD", CurrencyHint: "$", CurrencySource: "market"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.give
			agents.ResolveBudgetCurrency(&got, tt.countries, "GBP")
			if got != tt.want {
				t.Errorf("ResolveBudgetCurrency(%+v, %v) = %+v, want %+v", tt.give, tt.countries, got, tt.want)
			}
			agents.ResolveBudgetCurrency(&got, tt.countries, "GBP")
			if got != tt.want {
				t.Errorf("a second ResolveBudgetCurrency changed it to %+v", got)
			}
		})
	}
	agents.ResolveBudgetCurrency(nil, []string{"DE"}, "USD") // must not panic
}

func TestBudgetProblems(t *testing.T) {
	tests := []struct {
		give agents.Budget
		want []string
	}{
		{agents.Budget{Amount: 5000, Currency: "EUR", Type: agents.BudgetLifetime}, nil},
		{agents.Budget{Amount: 50, Currency: "USD", Type: agents.BudgetDaily}, nil},
		{agents.Budget{Amount: 0.5, Currency: "USD", Type: agents.BudgetDaily}, nil},
		{agents.Budget{Amount: 20e6, CurrencyHint: "peso", Type: agents.BudgetLifetime}, nil},
		{agents.Budget{Amount: 5e12, Currency: "IRR", Type: agents.BudgetLifetime}, nil},
		{agents.Budget{Amount: -500, Currency: "USD", Type: agents.BudgetLifetime},
			[]string{"The budget is negative (-500 USD); a budget must be more than zero."}},
		{agents.Budget{Amount: 0, Currency: "EUR", Type: agents.BudgetLifetime},
			[]string{"The budget is zero; a budget must be more than zero."}},
		{agents.Budget{Amount: 2e9, Currency: "EUR", Type: agents.BudgetLifetime},
			[]string{"The budget 2,000,000,000 EUR, about 2,320,000,000 USD, is beyond any plausible ad budget (over 1 billion USD)."}},
		{agents.Budget{Amount: 2e13, CurrencyHint: "$", Type: agents.BudgetLifetime},
			[]string{"The budget 20,000,000,000,000 $, at least about 96,000,000,000 USD, is beyond any plausible ad budget (over 1 billion USD)."}},
		{agents.Budget{Amount: 0.5, Currency: "GBP", Type: agents.BudgetLifetime},
			[]string{"The budget 0.50 GBP is less than 1 USD, too little to run a campaign."}},
		{agents.Budget{Amount: 100, Currency: "JPY"},
			[]string{"The budget 100 JPY is less than 1 USD, too little to run a campaign."}},
		{agents.Budget{Amount: 8000, Min: 10000, Currency: "EUR", Type: agents.BudgetLifetime},
			[]string{"The budget range runs backwards: its lower end 10,000 is above its upper end 8,000."}},
		{agents.Budget{Amount: 100, Currency: "XYZ", Type: "WEEKLY"},
			[]string{`The budget type "WEEKLY" is neither LIFETIME nor DAILY.`, `"XYZ" is not an ISO 4217 currency code.`}},
		{agents.Budget{Amount: math.NaN(), Currency: "EUR"}, []string{"The budget amount is not a number."}},
		{agents.Budget{Amount: math.Inf(1), Currency: "EUR"}, []string{"The budget amount is not a number."}},
	}
	for _, tt := range tests {
		t.Run(agents.FormatBudget(tt.give), func(t *testing.T) {
			got := agents.BudgetProblems(tt.give)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("BudgetProblems(%+v) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

// fuzzCurrent are the current budgets follow-ups are fuzzed against.
var fuzzCurrent = []*agents.Budget{
	nil,
	budgetLifetime(5000, "EUR"),
	daily(200, "$"),
	budgetRange(8000, 10000, ""),
}

// checkResult fails on a result no caller could use.
func checkResult(t *testing.T, give string, r agents.Result) {
	t.Helper()
	if r.Goal != nil || r.Audience != nil || r.Schedule != nil {
		t.Fatalf("Run(%q) set another slot: %+v", give, r)
	}
	if math.IsNaN(r.Confidence) || r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("Run(%q) confidence = %v", give, r.Confidence)
	}
	for _, n := range r.Notes {
		if n == "" || !utf8.ValidString(n) && utf8.ValidString(give) {
			t.Fatalf("Run(%q) wrote an empty or broken note %q", give, n)
		}
	}
	lower := agents.Normalize(give)
	for _, s := range r.Sources {
		if s.Span.Start < 0 || s.Span.Start > s.Span.End || s.Span.End > len(lower) {
			t.Fatalf("Run(%q) source %+v outside [0, %d]", give, s, len(lower))
		}
		switch s.Field {
		case "":
		case "budget.amount", "budget.currency", "budget.type":
			if r.Budget == nil {
				t.Fatalf("Run(%q) read %s from %q but set no budget", give, s.Field, lower[s.Span.Start:s.Span.End])
			}
		default:
			t.Fatalf("Run(%q) source for field %q", give, s.Field)
		}
	}
	b := r.Budget
	if b == nil {
		return
	}
	if math.IsNaN(b.Amount) || math.IsInf(b.Amount, 0) || math.IsNaN(b.Min) || math.IsInf(b.Min, 0) {
		t.Fatalf("Run(%q) amount %v min %v", give, b.Amount, b.Min)
	}
	if b.Type != agents.BudgetLifetime && b.Type != agents.BudgetDaily {
		t.Fatalf("Run(%q) type %q", give, b.Type)
	}
	if b.Currency != "" && !money.IsISO(b.Currency) {
		t.Fatalf("Run(%q) currency %q is not ISO 4217", give, b.Currency)
	}
	if b.CurrencyHint != "" && !money.IsFamily(b.CurrencyHint) {
		t.Fatalf("Run(%q) currency hint %q", give, b.CurrencyHint)
	}
	switch b.CurrencySource {
	case "", "written", "market", "default":
	default:
		t.Fatalf("Run(%q) currency source %q", give, b.CurrencySource)
	}
	if (b.Currency == "") != (b.CurrencySource == "") {
		t.Fatalf("Run(%q) currency %q with source %q", give, b.Currency, b.CurrencySource)
	}
	// A negative lower end or one above the upper end is allowed only as a reported
	// problem (a cut bigger than the budget).
	if (b.Min < 0 || b.Min > b.Amount && b.Amount > 0) && len(agents.BudgetProblems(*b)) == 0 {
		t.Fatalf("Run(%q) range %v..%v without a problem", give, b.Min, b.Amount)
	}
	if len(agents.BudgetProblems(*b)) > 0 && r.Confidence > 0.3 {
		t.Fatalf("Run(%q) = %+v with problems %q at confidence %v", give, *b, agents.BudgetProblems(*b), r.Confidence)
	}
}

func FuzzBudgetSpecialist(f *testing.F) {
	for _, s := range []string{
		"$5,000", "5k", "around fifteen grand", "€10,000", "€2.5m", "1,500 bucks", "£750",
		"USD 3000", "5.000 €", "ten thousand dollars", "twenty-five hundred dollars",
		"half a million euros", "₹5 lakh", "R$ 90.000", "20 million pesos", "$200 a day",
		"$1,000 per week", "no more than $3k", "between 8 and 10k", "up to 50k",
		"a budget of 7500", "budget: 12000", "CHF 4'000", "¥500,000", "kr 50 000", "50.000 kr",
		"1.2 million", "10K", "$2M", "-500 dollars", "$-500", "minus 500 euros", "$0",
		"US$4.7 billion", "$20 43", "3 GBP 1 pence", "twenty dollar and 43", "10 c", "42 LE",
		"make it 8k", "double the budget", "halve it", "cut it in half", "cut the budget by 25%",
		"increase the budget by 10%", "add another 2k", "2k more", "reduce it by $500",
		"what about 15k?", "$200 a day instead", "in dollars instead", "switch to GBP",
		"what about 90 days and 15k?", "make it 25-34 instead", "between 25 and 34",
		"grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days",
		"-", "$", "$-", "a", "half", "1-", "9999999999999999999999999999999999999999 billion billion",
		"between - and k", "\xff\xfe$5", "5 000 000 000 000 000", "double double double",
		"+1000000000000000000%", "-100000000000000%", "reduce it by $99999999999999999999999",
		"R$ 80 mil", "México, 200 mil pesos", "₹18,75,000", "1,00,00,000,00", "$5k-ish", "5-ish-ish k",
		"~5k+", "approx. €3k", "c. £2k", "R120,000", "R 50k South Africa", "S/. 90,000", "s/",
		"60 tys. zł", "¥500万", "Brazil, 15000 over 30 days", "20k - sorry, 25k", "$15k, no, make that in CAD",
		"8 mila euro al giorno", "mil mil mil", "5 mil mil",
	} {
		f.Add(s)
	}
	s := New()
	f.Fuzz(func(t *testing.T, give string) {
		m := agents.NewMessage(give, testNow)
		touches := s.Touches(m)
		if touches != s.Touches(m) {
			t.Fatalf("Touches(%q) is not stable", give)
		}
		for i, current := range fuzzCurrent {
			req := agents.Request{Message: m, FollowUp: i > 0, Now: testNow}
			if current != nil {
				c := *current
				req.Current.Budget = &c
			}
			r, err := s.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run(%q): %v", give, err)
			}
			checkResult(t, give, r)
			if r.Budget != nil {
				b := *r.Budget
				agents.ResolveBudgetCurrency(&b, []string{"SE", "US"}, "EUR")
				again := b
				agents.ResolveBudgetCurrency(&again, []string{"SE", "US"}, "EUR")
				if b != again || b.Currency == "" {
					t.Fatalf("ResolveBudgetCurrency(%+v) = %+v, then %+v", *r.Budget, b, again)
				}
			}
		}
	})
}

const benchBrief = "grow brand awareness among 18-24 year olds in Germany with €5,000 over 30 days"

// BenchmarkBudgetSpecialist measures Touches and Run on a typical first brief (target:
// well under 100 µs).
func BenchmarkBudgetSpecialist(b *testing.B) {
	s := New()
	ctx := context.Background()
	m := agents.NewMessage(benchBrief, testNow)
	b.ReportAllocs()
	for b.Loop() {
		if !s.Touches(m) {
			b.Fatal("Touches = false")
		}
		r, err := s.Run(ctx, agents.Request{Message: m, Now: testNow})
		if err != nil || r.Budget == nil {
			b.Fatalf("Run = %+v, %v", r, err)
		}
	}
}

// BenchmarkBudgetSpecialistFollowUp measures a revision.
func BenchmarkBudgetSpecialistFollowUp(b *testing.B) {
	s := New()
	ctx := context.Background()
	req := agents.Request{Message: agents.NewMessage("what about 90 days and 15k?", testNow), FollowUp: true,
		Current: agents.Brief{Budget: budgetLifetime(5000, "EUR")}, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if !s.Touches(req.Message) {
			b.Fatal("Touches = false")
		}
		if _, err := s.Run(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
