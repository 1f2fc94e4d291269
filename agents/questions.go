package agents

import (
	"fmt"
	"slices"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/adplan/adplan/agents/money"
)

// Question is what adplan asks back when the reading had to guess a field that moves
// the whole plan (today: the currency of a budget written without one, in no market
// that settles it). The plan is still
// made on the guess, which the question names, so the user loses no turn.
type Question struct {
	// Field is the Brief field the answer settles, as Source names fields.
	Field string `json:"field"`
	// Text is the question, in words for the user.
	Text string `json:"text"`
}

// question picks what to ask after a message, if anything: a budget whose currency
// neither the text nor its market gives. The plan is made on the fallback currency,
// which the question names. (A missing budget, market or flight is the planner's
// labelled assumption, and the surfaces ask about it from the plan, with the reason
// for the figure it assumed.)
func question(b Brief, ran []Slot) *Question {
	bu := b.Budget
	if bu == nil || bu.CurrencySource != "default" || !slices.Contains(ran, SlotBudget) {
		return nil
	}
	amount := money.FormatAmount(bu.Amount, "")
	what := "Which currency is the budget of " + amount + " in?"
	if bu.CurrencyHint != "" {
		what = fmt.Sprintf("Which %s is the budget of %s in?", currencyFamilyName(bu.CurrencyHint), amount)
	}
	return &Question{Field: "budget.currency", Text: fmt.Sprintf("%s I read it as %s for now.", what, bu.Currency)}
}

// currencyFamilyName words a written currency family for a question: "$" → "dollar".
func currencyFamilyName(hint string) string {
	switch hint {
	case "$":
		return "dollar"
	case "kr":
		return "krona or krone"
	case "£":
		return "pound"
	case "cfa":
		return "CFA franc"
	}
	return hint
}

// marketCurrencyNote says, for a budget whose currency came from its market, which
// currency was taken and how to change it: nothing about money is left silent.
func marketCurrencyNote(b Brief, ran []Slot) string {
	bu := b.Budget
	if bu == nil || bu.CurrencySource != "market" || !slices.Contains(ran, SlotBudget) && !slices.Contains(ran, SlotAudience) {
		return ""
	}
	market := ""
	if b.Audience != nil {
		for _, c := range b.Audience.Geo.Countries {
			if money.MarketCurrency(c) == bu.Currency {
				market = c
				break
			}
		}
	}
	if bu.CurrencyHint != "" {
		// "20 millions FCFA" for Côte d'Ivoire: the kind of currency was written.
		name := currencyFamilyName(bu.CurrencyHint)
		return fmt.Sprintf("Read the budget as %s %s: the brief's currency is a %s, and %s is the %s %s pays in. Name another currency to change it.",
			money.FormatAmount(bu.Amount, bu.Currency), bu.Currency, name, bu.Currency, name, CountryName(market))
	}
	return fmt.Sprintf("Read the budget as %s %s: the brief names no currency, and %s is what %s pays in. Say \"in dollars\" or name another currency to change it.",
		money.FormatAmount(bu.Amount, bu.Currency), bu.Currency, bu.Currency, CountryName(market))
}

// CountryName names a market for people ("BR" → "Brazil") from CLDR's English names,
// or returns the code itself when CLDR does not know it.
func CountryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.English.Regions().Name(r); name != "" {
		return name
	}
	return code
}
