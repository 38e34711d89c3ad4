package mastoapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The community Mastodon schema lacks GoToSocial's account deletion.
// deletionChecker checks its answers itself: {"message": "accepted"} on
// 202, an {"error": "..."} otherwise; every other response goes on to next.
type deletionChecker struct{ next responseChecker }

func withAccountDeletion(next responseChecker) responseChecker { return deletionChecker{next: next} }

func (c deletionChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if method != http.MethodPost || path != "/api/v1/accounts/delete" {
		c.next.CheckResponse(t, method, path, status, header, body)
		return
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s %s -> %d: not a JSON object: %.200s", method, path, status, body)
		return
	}
	key := "error"
	if status == http.StatusAccepted {
		key = "message"
	}
	if s, ok := v[key].(string); !ok || s == "" {
		t.Errorf("%s %s -> %d: no %q string in %.200s", method, path, status, key, body)
	}
}
