package money

import (
	"math"
	"strings"
	"testing"
)

// Expected strings are written by hand from CLDR's rules for each home
// locale; "\u00a0" is the no-break space CLDR puts beside a symbol.
func TestFormatWritesAmountsAsTheCurrencysHomeLocaleDoes(t *testing.T) {
	for _, tt := range []struct {
		code  string
		minor int64
		want  string
	}{
		{"USD", 0, "$0.00"},
		{"USD", 5, "$0.05"},
		{"USD", 9999, "$99.99"},
		{"usd", 123450, "$1,234.50"},
		{"USD", 1_000_000_000_000, "$10,000,000,000.00"},
		{"USD", -199, "-$1.99"},
		{"USD", -5, "-$0.05"},
		// Beyond 2^53: exact, so no float64 was involved.
		{"USD", math.MaxInt64, "$92,233,720,368,547,758.07"},
		{"USD", math.MinInt64, "-$92,233,720,368,547,758.08"},
		{"EUR", 0, "0,00\u00a0€"},
		{"EUR", 123450, "1.234,50\u00a0€"},
		{"EUR", 1_000_000_000_000, "10.000.000.000,00\u00a0€"},
		{"EUR", -199, "-1,99\u00a0€"},
		{"IDR", 0, "Rp\u00a00"},
		{"IDR", 150000, "Rp\u00a0150.000"},
		{"IDR", 1_000_000_000_000, "Rp\u00a01.000.000.000.000"},
		{"IDR", -2500, "-Rp\u00a02.500"},
		{"JPY", 0, "￥0"},
		{"JPY", 1500, "￥1,500"},
		{"JPY", 1_000_000_000_000, "￥1,000,000,000,000"},
		{"JPY", -1, "-￥1"},
		{"KWD", 0, "KWD\u00a00.000"},
		{"KWD", 1, "KWD\u00a00.001"},
		{"KWD", 1250, "KWD\u00a01.250"},
		{"KWD", 1_000_000_000_000, "KWD\u00a01,000,000,000.000"},
		{"KWD", -1, "-KWD\u00a00.001"},
		{"GBP", 123450, "£1,234.50"},
		{"INR", 123456700, "₹12,34,567.00"},
		{"BRL", 123450, "R$\u00a01.234,50"},
		{"CHF", 1000, "CHF\u00a010.00"},
		{"CAD", 500, "CA$5.00"},
	} {
		c, err := Parse(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Format(tt.minor); got != tt.want {
			t.Errorf("%s Format(%d) = %q, want %q", tt.code, tt.minor, got, tt.want)
		}
	}
}

func TestTheZeroCurrencyFormatsWithoutASymbolItKnows(t *testing.T) {
	if got := (Currency{}).Format(1234); got != "XXX\u00a01,234" {
		t.Errorf("Currency{}.Format(1234) = %q", got)
	}
}

func TestDecimalsComeFromXTextsStandardRounding(t *testing.T) {
	for code, want := range map[string]int{"USD": 2, "EUR": 2, "JPY": 0, "IDR": 0, "KWD": 3, "BHD": 3, "CLF": 4} {
		if c := MustParse(code); c.Decimals != want {
			t.Errorf("%s has %d decimals, want %d", code, c.Decimals, want)
		}
	}
}

func TestParseRefusesWhatIsNotACurrency(t *testing.T) {
	for _, code := range []string{"", "US", "XYZ1", "dollars"} {
		if _, err := Parse(code); err == nil {
			t.Errorf("Parse(%q) succeeded", code)
		}
	}
	if c := MustParse("jpy"); c.Code != "JPY" || c.Decimals != 0 {
		t.Errorf("JPY = %+v", c)
	}
}

func TestParseAmountReadsTheHomeLocalesSeparators(t *testing.T) {
	usd, eur, idr, jpy, kwd, inr := MustParse("USD"), MustParse("EUR"), MustParse("IDR"), MustParse("JPY"), MustParse("KWD"), MustParse("INR")
	for _, tt := range []struct {
		c    Currency
		in   string
		want int64
	}{
		{usd, "12.5", 1250}, {usd, "1,200", 120000}, {usd, "0", 0}, {usd, ".99", 99}, {usd, "99.99", 9999},
		{usd, "0.01", 1}, {usd, " 10 ", 1000}, {usd, "1.", 100}, {usd, "1,234.50", 123450}, {usd, "12,345,678.9", 1234567890},
		{usd, "10000000000.00", 1_000_000_000_000}, {usd, "92233720368547758.07", math.MaxInt64},
		{eur, "12,50", 1250}, {eur, "12,5", 1250}, {eur, ",5", 50}, {eur, "1.234,50", 123450}, {eur, "1.234.567,89", 123456789},
		// "." where it cannot be the grouping: the decimal point.
		{eur, "12.50", 1250}, {eur, "0.5", 50},
		// "." where it can: the grouping, as a German reads it.
		{eur, "1.234", 123400}, {eur, "1234", 123400},
		{idr, "150.000", 150000}, {idr, "150000", 150000}, {idr, "1.000.000.000.000", 1_000_000_000_000},
		{jpy, "1500", 1500}, {jpy, "1,500", 1500},
		{kwd, "1.250", 1250}, {kwd, "0.001", 1}, {kwd, "1,250", 1250000},
		{inr, "12,34,567.50", 123456750},
	} {
		got, err := tt.c.ParseAmount(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%s ParseAmount(%q) = %d, %v; want %d", tt.c.Code, tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		c  Currency
		in string
	}{
		{usd, ""}, {usd, "-1"}, {usd, "1.234"}, {usd, "abc"}, {usd, "1e3"}, {usd, "99999999999999999999"}, {usd, "."},
		{usd, "1.2.3"}, {usd, "+5"}, {usd, "١٢"}, {usd, "92233720368547758.08"}, {usd, "0x10"}, {usd, "12.5 USD"},
		{usd, "$12"}, {usd, "1 000"},
		// Grouping where en-US does not put it: a European "12,50" is not $1,250.
		{usd, "12,50"}, {usd, "1,2345"}, {usd, ",500"},
		// An English "1,234.50" in a German form is refused, not guessed.
		{eur, "1,234.50"}, {eur, "1,234"}, {eur, "1.23.4"}, {eur, "1.234.5"}, {eur, "12,50 €"}, {eur, "1,2,3"},
		{idr, "150.000,5"}, {idr, "1.50"}, {jpy, "1.5"}, {kwd, "1.2345"},
		// en-IN groups by two after the first three.
		{inr, "1,234,567"},
	} {
		if got, err := tt.c.ParseAmount(tt.in); err == nil {
			t.Errorf("%s ParseAmount(%q) = %d, want an error", tt.c.Code, tt.in, got)
		}
	}
}

// Every listed home (and the default) writes ASCII digits that its own
// ParseAmount reads back, from Major and from Format without the symbol.
func TestEveryHomeReadsBackWhatItWrites(t *testing.T) {
	codes := []string{"CHF", "KWD", "CAD"}
	for code := range Homes {
		codes = append(codes, code)
	}
	for _, code := range codes {
		c := MustParse(code)
		for _, minor := range []int64{0, 1, 9, 19, 999, 9999, 123456, 1_000_000_000_000, math.MaxInt64} {
			if back, err := c.ParseAmount(c.Major(minor)); err != nil || back != minor {
				t.Errorf("%s Major(%d) = %q reads back as %d, %v", code, minor, c.Major(minor), back, err)
			}
			text := strings.Trim(strings.ReplaceAll(c.Format(minor), c.styleOrDefault().symbol, ""), "\u00a0")
			if back, err := c.ParseAmount(text); err != nil || back != minor {
				t.Errorf("%s Format(%d) without its symbol, %q, reads back as %d, %v", code, minor, text, back, err)
			}
		}
	}
}

func TestMajorUsesTheHomeLocalesDecimalSeparator(t *testing.T) {
	for _, tt := range []struct {
		code  string
		minor int64
		want  string
	}{
		{"USD", 123450, "1234.50"}, {"USD", 5, "0.05"}, {"EUR", 123450, "1234,50"}, {"IDR", 150000, "150000"},
		{"JPY", 1500, "1500"}, {"KWD", 1, "0.001"}, {"USD", -199, "-1.99"},
	} {
		if got := MustParse(tt.code).Major(tt.minor); got != tt.want {
			t.Errorf("%s Major(%d) = %q, want %q", tt.code, tt.minor, got, tt.want)
		}
	}
}
