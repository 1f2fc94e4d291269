package agents

import (
	"fmt"
	"slices"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/adplan/adplan/agents/money"
)

// Question is the one thing adplan asks back when a field that moves the whole plan
// — the currency, the budget, the market — had to be guessed. The plan is still
// made on the guess, which the question names, so the user loses no turn.
type Question struct {
	// Field is the Brief field the answer settles, as Source names fields.
	Field string `json:"field"`
	// Text is the question, in words for the user.
	Text string `json:"text"`
}

// question picks what to ask after a message, if anything: a budget whose currency
// neither the text nor its market gives, then, for a first brief, a missing budget,
// then a missing market. Only the first is asked; the rest are the planner's labelled
// assumptions, and a surface asks each field at most once in a thread.
func question(b Brief, ran []Slot, followUp bool) *Question {
	if bu := b.Budget; bu != nil && bu.CurrencySource == "default" && slices.Contains(ran, SlotBudget) {
		amount := money.FormatAmount(bu.Amount, "")
		what := "Which currency is the budget of " + amount + " in?"
		if bu.CurrencyHint != "" {
			what = fmt.Sprintf("Which %s is the budget of %s in?", currencyFamilyName(bu.CurrencyHint), amount)
		}
		return &Question{Field: "budget.currency", Text: fmt.Sprintf("%s I read it as %s for now.", what, bu.Currency)}
	}
	if followUp {
		return nil
	}
	if b.Budget == nil {
		return &Question{Field: "budget.amount", Text: "What budget do you have in mind? The plan below uses a typical one for now."}
	}
	if b.Audience == nil || len(b.Audience.Geo.Countries) == 0 {
		return &Question{Field: "audience.geo.countries", Text: "Which market should this run in? The plan below assumes the default one for now."}
	}
	return nil
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
