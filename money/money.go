// Package money knows currencies: an ISO 4217 code, how many decimals its
// minor unit has, and how an amount of minor units reads and is typed in
// the currency's home locale (CLDR data from golang.org/x/text). Amounts
// are always int64 minor units; no floating point here.
package money

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Currency is an ISO 4217 currency.
type Currency struct {
	Code     string // "USD"
	Decimals int    // digits after the decimal point, as x/text/currency's standard rounding says: 2 for USD, 0 for JPY and IDR, 3 for KWD
	style    *style // how its home locale writes amounts; nil in the zero Currency
}

// Parse validates an ISO 4217 code (any case) and returns its currency.
func Parse(code string) (Currency, error) {
	u, err := currency.ParseISO(strings.TrimSpace(code))
	if err != nil {
		return Currency{}, fmt.Errorf("money: %q is not an ISO 4217 currency code", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	return Currency{Code: u.String(), Decimals: scale, style: styleOf(u)}, nil
}

// MustParse is Parse for codes known to be valid.
func MustParse(code string) Currency {
	c, err := Parse(code)
	if err != nil {
		panic(err)
	}
	return c
}

// Format writes minor units the way the currency's home locale writes
// them (see Homes): "$1,234.50", "1.234,50 €", "Rp 150.000", "￥1,500",
// "KWD 1.250", "-$1.99". The space after a symbol made of letters, or
// before a symbol that follows the number, is a no-break space (U+00A0),
// as CLDR has it, so the two never part at a line break.
func (c Currency) Format(minor int64) string {
	st := c.styleOrDefault()
	neg := minor < 0
	abs := uint64(minor)
	if neg {
		abs = -abs // two's complement: right for math.MinInt64 too
	}
	pow := pow10(c.Decimals)
	// The whole part goes to x/text as an integer, which it formats
	// exactly (a float64 would round above 2^53); the fraction is digits.
	num := st.printer.Sprint(number.Decimal(abs / pow))
	if c.Decimals > 0 {
		num += st.decimal + fmt.Sprintf("%0*d", c.Decimals, abs%pow)
	}
	sign := ""
	if neg {
		sign = st.minus
	}
	switch st.layout {
	case SymbolAfter:
		return sign + num + nbsp + st.symbol
	case SymbolBeforeSpaced:
		return sign + st.symbol + nbsp + num
	}
	// CLDR's currency spacing: a symbol ending in a letter ("Rp", "CHF")
	// is kept apart from the digits; "$" and "€" are not.
	if r, _ := utf8.DecodeLastRuneInString(st.symbol); !unicode.IsSymbol(r) {
		return sign + st.symbol + nbsp + num
	}
	return sign + st.symbol + num
}

const nbsp = "\u00a0"

// Major writes minor units as a plain decimal in major units with the home
// locale's decimal separator and no grouping ("12.50", "12,50" for EUR),
// for a form's input field: ParseAmount reads it back.
func (c Currency) Major(minor int64) string {
	st := c.styleOrDefault()
	sign := ""
	abs := uint64(minor)
	if minor < 0 {
		sign, abs = "-", -abs
	}
	pow := pow10(c.Decimals)
	s := sign + strconv.FormatUint(abs/pow, 10)
	if c.Decimals > 0 {
		s += st.decimal + fmt.Sprintf("%0*d", c.Decimals, abs%pow)
	}
	return s
}

// ParseAmount reads an amount typed in major units as minor units,
// exactly. It takes what Format and Major write without the symbol: the
// home locale's decimal separator and, if any, its grouping exactly where
// the locale puts it ("1,234.50" for USD, "1.234,50" for EUR). A "." is
// also read as the decimal point in a locale whose separator is "," when
// it cannot be that locale's grouping ("12.50" is 12.50 EUR, "1.234" is
// 1,234 EUR, the German reading, since as 1.234 it would have more
// decimals than the euro). Anything else is an error rather than a
// guess: more decimals than the currency has, a sign, a symbol, grouping
// in the wrong places ("12,50" for USD), digits other than 0-9.
func (c Currency) ParseAmount(s string) (int64, error) {
	st := c.styleOrDefault()
	t := strings.TrimSpace(s)
	bad := fmt.Errorf("money: %q is not an amount in %s", s, c.Code)
	whole, frac := t, ""
	switch n := strings.Count(t, st.decimal); {
	case n > 1:
		return 0, bad
	case n == 1:
		whole, frac, _ = strings.Cut(t, st.decimal)
	case st.decimal != "." && strings.Count(t, ".") == 1 && !st.grouped(t):
		whole, frac, _ = strings.Cut(t, ".")
	}
	if st.group != "" && strings.Contains(whole, st.group) {
		if !st.grouped(whole) {
			return 0, bad
		}
		whole = strings.ReplaceAll(whole, st.group, "")
	}
	if whole == "" && frac == "" || len(frac) > c.Decimals || !asciiDigits(whole) || !asciiDigits(frac) {
		return 0, bad
	}
	frac += strings.Repeat("0", c.Decimals-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money: %q is too large", s)
	}
	return n, nil
}

func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// Layout is where a currency pattern puts the symbol, the part of CLDR's
// currency patterns x/text does not expose.
type Layout int

const (
	// SymbolBefore is "¤#,##0.00" with CLDR's currency spacing: "$1.00",
	// "Rp 150.000" (a symbol ending in a letter gets a no-break space).
	SymbolBefore Layout = iota
	// SymbolBeforeSpaced is "¤ #,##0.00": "R$ 1,00".
	SymbolBeforeSpaced
	// SymbolAfter is "#,##0.00 ¤": "1,00 €".
	SymbolAfter
)

// Home is the locale whose CLDR data writes a currency's amounts (its
// symbol, separators, grouping and minus sign), with the layout of that
// locale's currency pattern.
type Home struct {
	Locale string
	Layout Layout
}

// Homes is the explicit currency → locale table: each currency is written
// as in the country most of its users are in. A currency not listed is
// written as DefaultHome writes it ("CHF 10.00", "KWD 1.250", "CA$5.00").
var Homes = map[string]Home{
	"USD": {"en-US", SymbolBefore},       // $1,234.50
	"EUR": {"de-DE", SymbolAfter},        // 1.234,50 €
	"GBP": {"en-GB", SymbolBefore},       // £1,234.50
	"JPY": {"ja-JP", SymbolBefore},       // ￥1,235
	"IDR": {"id-ID", SymbolBefore},       // Rp 150.000
	"INR": {"en-IN", SymbolBefore},       // ₹12,34,567.00
	"BRL": {"pt-BR", SymbolBeforeSpaced}, // R$ 1.234,50
}

// DefaultHome writes the currencies Homes does not list.
var DefaultHome = Home{"en", SymbolBefore}

// style is a Home resolved through x/text once: the printer that groups
// whole numbers, and the symbol and separators it uses.
type style struct {
	printer               *message.Printer
	layout                Layout
	symbol                string
	decimal, group, minus string
}

var styles sync.Map // currency code → *style

func styleOf(u currency.Unit) *style {
	if st, ok := styles.Load(u.String()); ok {
		return st.(*style)
	}
	h, ok := Homes[u.String()]
	if !ok {
		h = DefaultHome
	}
	p := message.NewPrinter(language.MustParse(h.Locale))
	// x/text gives the separators only through its formatter: read them
	// from integers it formats ("0,0" → ","; "1.000.000" → "."; "-1" → "-").
	digits := func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}
	group, _ := utf8.DecodeRuneInString(strings.Map(digits, p.Sprint(number.Decimal(1000000))))
	st := &style{printer: p, layout: h.Layout, symbol: p.Sprint(currency.Symbol(u)),
		decimal: strings.Map(digits, p.Sprint(number.Decimal(0, number.Scale(1)))),
		minus:   strings.TrimSuffix(p.Sprint(number.Decimal(-1)), "1")}
	if group != utf8.RuneError {
		st.group = string(group)
	}
	actual, _ := styles.LoadOrStore(u.String(), st)
	return actual.(*style)
}

func (c Currency) styleOrDefault() *style {
	if c.style != nil {
		return c.style
	}
	if u, err := currency.ParseISO(c.Code); err == nil {
		return styleOf(u)
	}
	return styleOf(currency.XXX) // the zero Currency: no currency
}

// grouped reports whether s is a whole number grouped exactly as the
// locale groups it ("1.234.567" in de-DE, "12,34,567" in en-IN).
func (st *style) grouped(s string) bool {
	if st.group == "" || !strings.Contains(s, st.group) {
		return false
	}
	n, err := strconv.ParseUint(strings.ReplaceAll(s, st.group, ""), 10, 64)
	return err == nil && st.printer.Sprint(number.Decimal(n)) == s
}

// FormatIn formats minor units of the currency with that code, as stored
// with a payment or a cashout; a code that is none (never stored: codes
// are checked first) shows the bare number and the code.
func FormatIn(code string, minor int64) string {
	c, err := Parse(code)
	if err != nil {
		return strconv.FormatInt(minor, 10) + " " + code
	}
	return c.Format(minor)
}
