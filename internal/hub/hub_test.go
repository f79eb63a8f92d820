package hub

import "testing"

func woken(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestWakesMergeAndReachOnlyTheUsersStreams(t *testing.T) {
	h := New()
	a1, stopA1 := h.Subscribe(1)
	a2, _ := h.Subscribe(1)
	b, _ := h.Subscribe(2)
	if h.Streams() != 3 {
		t.Fatalf("%d streams, want 3", h.Streams())
	}
	// Three wakes before the stream reads: one pending wake, never a block.
	h.Wake(1)
	h.Wake(1)
	h.Wake(1, 3)
	if !woken(a1) || woken(a1) || !woken(a2) || woken(b) {
		t.Fatal("wakes of user 1 did not merge into one per stream, or reached user 2")
	}
	stopA1()
	h.Wake(1)
	if woken(a1) || !woken(a2) || h.Streams() != 2 {
		t.Fatal("an ended subscription was woken, or the live one was not")
	}
	h.WakeAll()
	if !woken(a2) || !woken(b) {
		t.Fatal("WakeAll missed a stream")
	}
}
