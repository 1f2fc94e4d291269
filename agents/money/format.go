package money

import (
	"math"
	"strconv"
	"sync"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// defaultMinorDigits is used where the currency is unknown or not an ISO code.
const defaultMinorDigits = 2

// MinorDigits is how many digits a currency's minor unit has in everyday use: 2 for
// EUR and USD, 0 for JPY and KRW, 3 for KWD and BHD (CLDR's figures, through
// golang.org/x/text/currency). An unknown code has 2.
func MinorDigits(code string) int {
	if code == "" {
		return defaultMinorDigits
	}
	u, err := currency.ParseISO(code)
	if err != nil {
		return defaultMinorDigits
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// englishPrinter writes numbers with English grouping ("5,000.25"); message.Printer
// is safe for concurrent use once made.
var englishPrinter = sync.OnceValue(func() *message.Printer { return message.NewPrinter(language.English) })

// FormatAmount writes an amount of a currency as people read it: rounded to the
// currency's minor unit, with thousands separators, and with the minor unit only
// when the amount has one: 5000 EUR → "5,000", 20.43 EUR → "20.43", 19.999 EUR →
// "20", 1234.5 JPY → "1,235", 1.2345 KWD → "1.235". code "" rounds to cents.
func FormatAmount(v float64, code string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	digits := MinorDigits(code)
	unit := math.Pow10(digits)
	rounded := math.Round(v*unit) / unit
	if rounded == math.Trunc(rounded) {
		digits = 0
	}
	if rounded == 0 {
		rounded = 0 // no "-0"
	}
	return englishPrinter().Sprint(number.Decimal(rounded, number.Scale(digits)))
}
