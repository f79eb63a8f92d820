// Package httpbench runs benchmarks of whole HTTP requests in process, for
// the api and web packages' benchmarks.
package httpbench

import (
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

// Get measures GET path on h, which must answer 200, and reports
// allocations and the process's CPU time per request (cpu-ns/op): on a
// machine shared with other work it varies far less than wall time.
func Get(b *testing.B, h http.Handler, path string) {
	b.ReportAllocs()
	start := CPUTime()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", path, rec.Code)
		}
	}
	ReportCPU(b, start)
}

// ReportCPU reports the process's CPU time per operation since start.
func ReportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((CPUTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// CPUTime is the CPU time (user and system) the process has used.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
