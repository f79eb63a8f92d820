package money

// MaxBPS is 100% in basis points.
const MaxBPS = 10000

// Fee is the platform's part of an amount at a fee in basis points,
// rounded down: floor(amount × bps / 10000). It never overflows for
// amounts up to 10^14 and bps up to 10000 (10^18 < 2^63).
func Fee(amount int64, bps int) int64 {
	return amount * int64(bps) / MaxBPS
}

// Split divides an amount into the platform's fee and the mentor's share;
// they add up to the amount and neither is negative (0 ≤ bps ≤ 10000).
func Split(amount int64, bps int) (fee, share int64) {
	fee = Fee(amount, bps)
	return fee, amount - fee
}

// RefundSplit is where a refund of a comes from after r of the amount was
// already refunded: fee(amount − r) − fee(amount − r − a) from the fees,
// the rest from the mentor. Every sequence of refunds that adds up to the
// whole amount therefore returns exactly the payment's fee and share.
func RefundSplit(amount, refunded, a int64, bps int) (fee, mentor int64) {
	fee = Fee(amount-refunded, bps) - Fee(amount-refunded-a, bps)
	return fee, a - fee
}
