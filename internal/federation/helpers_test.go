package federation

import (
	"net/http/httptest"
	"reflect"
	"testing"
)

// sameResponse fails unless got and want are the same response: status,
// every header and body.
func sameResponse(t testing.TB, what string, got, want *httptest.ResponseRecorder) {
	t.Helper()
	if got.Code != want.Code {
		t.Errorf("%s: status %d, want %d", what, got.Code, want.Code)
	}
	if !reflect.DeepEqual(got.Header(), want.Header()) {
		t.Errorf("%s: headers %v, want %v", what, got.Header(), want.Header())
	}
	if got.Body.String() != want.Body.String() {
		t.Errorf("%s: body %q, want %q", what, got.Body, want.Body)
	}
}
