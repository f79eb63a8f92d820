package money

import "testing"

func TestSplitKeepsTheFeeRoundedDownAndTheRestForTheMentor(t *testing.T) {
	for _, tt := range []struct {
		amount     int64
		bps        int
		fee, share int64
	}{
		{0, 1000, 0, 0},
		{1, 1000, 0, 1},
		{9, 1000, 0, 9},
		{19, 1000, 1, 18},
		{9999, 1000, 999, 9000},
		{10000, 1000, 1000, 9000},
		{1_000_000_000_000, 1000, 100_000_000_000, 900_000_000_000},
		{9999, 0, 0, 9999},
		{9999, 10000, 9999, 0},
		{9999, 1, 0, 9999},
		{10000, 1, 1, 9999},
		{333, 3333, 110, 223},
		{1_000_000_000_000, 9999, 999_900_000_000, 100_000_000},
	} {
		fee, share := Split(tt.amount, tt.bps)
		if fee != tt.fee || share != tt.share {
			t.Errorf("Split(%d, %d) = %d, %d; want %d, %d", tt.amount, tt.bps, fee, share, tt.fee, tt.share)
		}
	}
}

func TestEveryFeeSplitsEveryAmountIntoTwoNonNegativeParts(t *testing.T) {
	amounts := []int64{0, 1, 2, 9, 19, 99, 101, 9999, 10001, 123457, 1_000_000_000_000}
	for a := int64(0); a < 300; a++ {
		amounts = append(amounts, a)
	}
	for bps := 0; bps <= MaxBPS; bps++ {
		for _, a := range amounts {
			fee, share := Split(a, bps)
			// fee ≤ amount × bps / 10000 < fee + 1, checked without division.
			if fee < 0 || share < 0 || fee+share != a || fee*MaxBPS > a*int64(bps) || (fee+1)*MaxBPS <= a*int64(bps) {
				t.Fatalf("Split(%d, %d) = %d, %d", a, bps, fee, share)
			}
		}
	}
}

func TestRefundsSplitSoThatAFullRefundReturnsTheFeeAndTheShare(t *testing.T) {
	// 5,000 then 4,999 of 9,999 at 10%: 500 + 499 from the fees, 4,500 + 4,500 from the mentor.
	for _, tt := range []struct {
		amount, refunded, a int64
		bps                 int
		fee, mentor         int64
	}{
		{9999, 0, 5000, 1000, 500, 4500},
		{9999, 5000, 4999, 1000, 499, 4500},
		{9999, 0, 9999, 1000, 999, 9000},
		{19, 0, 10, 1000, 1, 9},
		{19, 10, 9, 1000, 0, 9},
		{9, 0, 9, 1000, 0, 9},
		{1, 0, 1, 1000, 0, 1},
		{10000, 0, 1, 1000, 1, 0},
		{10000, 1, 9999, 1000, 999, 9000},
		{1_000_000_000_000, 0, 1, 1000, 1, 0},
	} {
		fee, mentor := RefundSplit(tt.amount, tt.refunded, tt.a, tt.bps)
		if fee != tt.fee || mentor != tt.mentor {
			t.Errorf("RefundSplit(%d, %d, %d, %d) = %d, %d; want %d, %d", tt.amount, tt.refunded, tt.a, tt.bps, fee, mentor, tt.fee, tt.mentor)
		}
	}
}

func TestAnySequenceOfRefundsReturnsExactlyTheFeeAndTheShare(t *testing.T) {
	for bps := 0; bps <= MaxBPS; bps += 7 {
		for _, amount := range []int64{1, 9, 19, 101, 9999, 12345} {
			wantFee, wantShare := Split(amount, bps)
			// Refund in steps of 1, 8, 15, … (mod 97), until nothing is left.
			var refunded, fees, mentor int64
			for i := int64(0); refunded < amount; i++ {
				a := min(i*7%97+1, amount-refunded)
				f, m := RefundSplit(amount, refunded, a, bps)
				if f < 0 || m < 0 || f+m != a {
					t.Fatalf("amount %d bps %d: refund %d after %d split %d, %d", amount, bps, a, refunded, f, m)
				}
				fees, mentor, refunded = fees+f, mentor+m, refunded+a
			}
			if fees != wantFee || mentor != wantShare {
				t.Fatalf("amount %d bps %d: refunds took %d, %d; want %d, %d", amount, bps, fees, mentor, wantFee, wantShare)
			}
		}
	}
}
