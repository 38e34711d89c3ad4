package federation

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation/httpsig"
)

// BenchmarkInboxCreate measures signed Create(Note) deliveries accepted
// per second through the shared inbox: signature verification (key
// cached after the first), decoding, and storing the status on SQLite.
// Requests are signed before the timer starts.
func BenchmarkInboxCreate(b *testing.B) {
	e := newInboxEnv(b)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		id := fmt.Sprintf("https://remote.example/notes/%d", i)
		body := `{"type":"Create","id":"` + id + `/activity","actor":"` + e.bob.id + `","object":{"type":"Note","id":"` + id +
			`","attributedTo":"` + e.bob.id + `","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>note ` + id + `</p>"}}`
		r := httptest.NewRequest(http.MethodPost, "/inbox", strings.NewReader(body))
		r.Host = "roost.test"
		out := httptest.NewRequest(http.MethodPost, "https://roost.test/inbox", nil)
		if err := httpsig.SignCavage(out, []byte(body), e.bob.key, e.bob.id+"#main-key", time.Now()); err != nil {
			b.Fatal(err)
		}
		r.Header = out.Header
		reqs[i] = r
	}
	b.ResetTimer()
	for _, r := range reqs {
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
}
