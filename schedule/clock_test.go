package schedule

import "testing"

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{in: "00:00", want: 0},
		{in: "00:01", want: 1},
		{in: "09:30", want: 570},
		{in: "23:59", want: 1439},
		{in: "24:00", want: 1440},
		{in: "24:01", wantErr: true},
		{in: "25:00", wantErr: true},
		{in: "12:60", wantErr: true},
		{in: "9:30", wantErr: true},
		{in: "09:3", wantErr: true},
		{in: "0930", wantErr: true},
		{in: "09-30", wantErr: true},
		{in: "+9:30", wantErr: true},
		{in: "-1:00", wantErr: true},
		{in: "09:30:00", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseClock(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseClock(%q) = %d, want error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
		if s := FormatClock(got); s != tt.in {
			t.Errorf("FormatClock(%d) = %q, want %q", got, s, tt.in)
		}
	}
}
