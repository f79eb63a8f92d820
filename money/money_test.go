package money

import "testing"

func TestFormatUsesTheCurrencysDecimals(t *testing.T) {
	for _, tt := range []struct {
		code  string
		minor int64
		want  string
	}{
		{"USD", 0, "$0.00"},
		{"USD", 5, "$0.05"},
		{"usd", 123450, "$1,234.50"},
		{"EUR", 100000000, "€1,000,000.00"},
		{"JPY", 1500, "¥1,500"},
		{"BHD", 1250, "BHD 1.250"},
		{"CHF", 1000, "CHF 10.00"},
		{"USD", -199, "-$1.99"},
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

func TestParseAmountAndMajorRoundTrip(t *testing.T) {
	usd, jpy, bhd := MustParse("USD"), MustParse("JPY"), MustParse("BHD")
	for _, tt := range []struct {
		c    Currency
		in   string
		want int64
	}{
		{usd, "12.5", 1250}, {usd, "1,200", 120000}, {usd, "0", 0}, {usd, ".99", 99}, {jpy, "1500", 1500},
		{usd, "99.99", 9999}, {usd, "0.01", 1}, {usd, " 10 ", 1000}, {usd, "1.", 100}, {usd, "10000000000.00", 1_000_000_000_000},
		{bhd, "1.250", 1250}, {bhd, "0.001", 1}, {usd, "92233720368547758.07", 9223372036854775807},
	} {
		got, err := tt.c.ParseAmount(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%s ParseAmount(%q) = %d, %v; want %d", tt.c.Code, tt.in, got, err, tt.want)
		}
		if back, err := tt.c.ParseAmount(tt.c.Major(got)); err != nil || back != got {
			t.Errorf("%s Major(%d) = %q does not read back", tt.c.Code, got, tt.c.Major(got))
		}
	}
	for _, bad := range []string{"", "-1", "1.234", "abc", "1e3", "99999999999999999999", ".", "1.2.3", "+5", "١٢",
		"92233720368547758.08", "0x10", "12.5 USD", "$12"} {
		if _, err := usd.ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) succeeded", bad)
		}
	}
	if _, err := jpy.ParseAmount("1.5"); err == nil {
		t.Error("JPY took decimals")
	}
}
