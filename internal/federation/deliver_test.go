package federation

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDefaultBackoff checks that a delivery's retries span about two days.
func TestDefaultBackoff(t *testing.T) {
	var total time.Duration
	for n := 1; n < DeliverMaxAttempts; n++ {
		d := defaultBackoff(n)
		if d <= 0 || d > 8*time.Hour {
			t.Errorf("backoff(%d) = %v", n, d)
		}
		total += d
	}
	if total < 40*time.Hour || total > 60*time.Hour {
		t.Errorf("retries span %v, want about two days", total)
	}
	if defaultBackoff(1) != 10*time.Second || defaultBackoff(2) != 20*time.Second {
		t.Errorf("first retries after %v, %v", defaultBackoff(1), defaultBackoff(2))
	}
}

// TestSettle sorts inbox answers into done, retry and give-up, and counts
// only a server's own failures against it.
func TestSettle(t *testing.T) {
	e := newTestEnv(t, nil)
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{})
	ctx := t.Context()
	const host = "inbox.example"
	tests := []struct {
		code    int
		want    string // done, retry, cancel
		failure bool   // counts against the host
	}{
		{200, "done", false}, {202, "done", false}, {410, "done", false},
		{0, "retry", true}, {500, "retry", true}, {503, "retry", true}, {408, "retry", true}, {429, "retry", true},
		{401, "retry", false}, {403, "retry", false},
		{400, "cancel", false}, {404, "cancel", false}, {422, "cancel", false},
	}
	for _, tc := range tests {
		before := failures(t, e, host)
		err := d.settle(ctx, host, before > 0, tc.code, errors.New("no answer"))
		got := "retry"
		switch {
		case err == nil:
			got = "done"
		case isCancel(err):
			got = "cancel"
		}
		if got != tc.want {
			t.Errorf("status %d: %s (%v), want %s", tc.code, got, err, tc.want)
		}
		after := failures(t, e, host)
		switch {
		case tc.failure && after != before+1:
			t.Errorf("status %d: failures %d -> %d, want one more", tc.code, before, after)
		case !tc.failure && tc.want != "retry" && after != 0:
			t.Errorf("status %d: failures %d -> %d, want the streak ended", tc.code, before, after)
		case !tc.failure && tc.want == "retry" && after != before:
			t.Errorf("status %d: failures %d -> %d, want unchanged", tc.code, before, after)
		}
		if err != nil && strings.Contains(err.Error(), "/") {
			t.Errorf("status %d: error %q names a path", tc.code, err)
		}
	}
}

func failures(t *testing.T, e *testEnv, host string) int {
	t.Helper()
	h, err := e.svc.DeliveryHost(t.Context(), host)
	if err != nil {
		t.Fatal(err)
	}
	return h.Failures
}

// TestRetryAfter reads Retry-After in seconds and as a date, and ignores
// what is absent, past, unreadable or too long.
func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	d := &Deliverer{o: DeliverOptions{Now: func() time.Time { return now }}}
	for v, want := range map[string]time.Duration{
		"":      0,
		"120":   2 * time.Minute,
		"0":     0,
		"-5":    0,
		"soon":  0,
		"86400": 0,
		now.Add(time.Hour).Format(http.TimeFormat):  time.Hour,
		now.Add(-time.Hour).Format(http.TimeFormat): 0,
	} {
		if got := d.retryAfter(v); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
