// Package money knows the platform currency: its ISO 4217 code, how many
// decimals its minor unit has, and how an amount of minor units reads on a
// page. Amounts are always int64 minor units; no floating point here.
package money

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Currency is an ISO 4217 currency.
type Currency struct {
	Code     string // "USD"
	Decimals int    // digits after the decimal point: 2 for USD, 0 for JPY, 3 for BHD
	symbol   string // "$", "€", or the code where there is no symbol
}

// Parse validates an ISO 4217 code (any case) and returns its currency.
func Parse(code string) (Currency, error) {
	u, err := currency.ParseISO(strings.TrimSpace(code))
	if err != nil {
		return Currency{}, fmt.Errorf("money: %q is not an ISO 4217 currency code", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	// The package gives the symbol only through its formatter: take what it
	// prints before the number.
	symbol, _, _ := strings.Cut(fmt.Sprint(currency.NarrowSymbol(u.Amount(0))), " ")
	return Currency{Code: u.String(), Decimals: scale, symbol: symbol}, nil
}

// MustParse is Parse for codes known to be valid.
func MustParse(code string) Currency {
	c, err := Parse(code)
	if err != nil {
		panic(err)
	}
	return c
}

// Format writes minor units in the currency's own decimals with its
// symbol and thousands separators: "$1,234.50", "¥1,500", "BHD 1.250".
func (c Currency) Format(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	digits := strconv.FormatInt(minor, 10)
	if len(digits) <= c.Decimals {
		digits = strings.Repeat("0", c.Decimals-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-c.Decimals], digits[len(digits)-c.Decimals:]
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	sep := ""
	if len(c.symbol) > 1 && c.symbol == strings.ToUpper(c.symbol) && !strings.ContainsAny(c.symbol, "$£€¥₹₩") {
		sep = " " // a code or letters: "CHF 10.00", not "CHF10.00"
	}
	return sign + c.symbol + sep + b.String()
}

// ParseAmount reads an amount typed in major units ("12.5", "1,200") as minor
// units; more decimals than the currency has, a sign or other text is an
// error. Forms use it; the API takes minor units as they are.
func (c Currency) ParseAmount(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > c.Decimals || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, fmt.Errorf("money: %q is not an amount in %s", s, c.Code)
	}
	frac += strings.Repeat("0", c.Decimals-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money: %q is too large", s)
	}
	return n, nil
}

// Major writes minor units as a plain decimal in major units ("12.50"),
// for a form's input field.
func (c Currency) Major(minor int64) string {
	s := c.Format(minor)
	return strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(s, c.symbol), ",", ""), " ")
}
