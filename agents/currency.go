package agents

import (
	"fmt"
	"math"
	"strings"

	"github.com/adplan/adplan/agents/money"
)

// ResolveBudgetCurrency fills in the currency of a budget whose text did not name one
// outright, once the brief's slots are merged:
//   - nothing written: the first target market's currency (CurrencySource "market");
//   - a family written ("$", "kr", "pesos"): the first target market paying in that
//     family (Australia → AUD for "$"), else the family's largest economy (USD, SEK,
//     MXN, ...; CurrencySource "default");
//   - no market either: defaultCurrency (CurrencySource "default").
//
// A written currency is left alone. Market and default readings are worked out again
// on every call, so a changed market changes them, and calling it twice changes nothing.
func ResolveBudgetCurrency(b *Budget, countries []string, defaultCurrency string) {
	if b == nil {
		return
	}
	if b.Currency != "" && b.CurrencySource != "market" && b.CurrencySource != "default" {
		return
	}
	for _, c := range countries {
		code := money.MarketCurrency(c)
		if code == "" {
			continue
		}
		if b.CurrencyHint == "" || money.InFamily(code, b.CurrencyHint) {
			b.Currency, b.CurrencySource = code, "market"
			return
		}
	}
	if code, ok := money.FamilyFallback(b.CurrencyHint); ok {
		b.Currency, b.CurrencySource = code, "default"
		return
	}
	if defaultCurrency == "" {
		b.Currency, b.CurrencySource = "", ""
		return
	}
	b.Currency, b.CurrencySource = strings.ToUpper(defaultCurrency), "default"
}

// Budgets beyond these, in US dollars, are not silently accepted.
// BudgetMaxUSD is the largest budget any surface plans: about a billion US dollars,
// beyond any plausible ad budget. The reader warns past it (BudgetProblems) and the
// planner refuses it, so a mistyped or forged amount is never planned.
const BudgetMaxUSD = 1e9

const budgetMinLifetimeUSD = 1

// BudgetProblems says what is wrong with a budget, in sentences for the user: a
// negative, zero or non-numeric amount, a range running backwards, an unknown type or
// currency, and amounts absurd in every currency the text could mean (over about a
// billion US dollars, or under one dollar for a whole campaign). The rates behind the
// last are approximate (agents/market/data/fx.json); only orders of magnitude count.
func BudgetProblems(b Budget) []string {
	var problems []string
	what := FormatBudget(b)
	if math.IsNaN(b.Amount) || math.IsInf(b.Amount, 0) || math.IsNaN(b.Min) || math.IsInf(b.Min, 0) {
		return []string{"The budget amount is not a number."}
	}
	switch {
	case b.Amount < 0:
		problems = append(problems, fmt.Sprintf("The budget is negative (%s); a budget must be more than zero.", what))
	case b.Amount == 0:
		problems = append(problems, "The budget is zero; a budget must be more than zero.")
	}
	if b.Min < 0 {
		problems = append(problems, fmt.Sprintf("The lower end of the budget range is negative (%s).", money.FormatAmount(b.Min, b.Currency)))
	} else if b.Min > b.Amount && b.Amount > 0 {
		problems = append(problems, fmt.Sprintf("The budget range runs backwards: its lower end %s is above its upper end %s.", money.FormatAmount(b.Min, b.Currency), money.FormatAmount(b.Amount, b.Currency)))
	}
	if b.Type != "" && b.Type != BudgetLifetime && b.Type != BudgetDaily {
		problems = append(problems, fmt.Sprintf("The budget type %q is neither %s nor %s.", b.Type, BudgetLifetime, BudgetDaily))
	}
	if b.Currency != "" && !money.IsISO(b.Currency) {
		problems = append(problems, fmt.Sprintf("%q is not an ISO 4217 currency code.", b.Currency))
	}
	if b.Amount <= 0 {
		return problems
	}
	lo, hi, ok := money.USDRange(money.Currency{Code: b.Currency, Family: b.CurrencyHint})
	if !ok {
		return problems
	}
	if b.Amount*lo > BudgetMaxUSD {
		worth := ""
		switch {
		case b.Currency == "USD":
		case lo == hi:
			worth = fmt.Sprintf(", about %s USD,", money.FormatAmount(math.Round(b.Amount*lo), "USD"))
		default:
			worth = fmt.Sprintf(", at least about %s USD,", money.FormatAmount(math.Round(b.Amount*lo), "USD"))
		}
		problems = append(problems, fmt.Sprintf("The budget %s%s is beyond any plausible ad budget (over 1 billion USD).", what, worth))
	}
	if b.Type != BudgetDaily && b.Amount*hi < budgetMinLifetimeUSD {
		problems = append(problems, fmt.Sprintf("The budget %s is less than 1 USD, too little to run a campaign.", what))
	}
	return problems
}
