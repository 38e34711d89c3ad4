package mastoapi

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/roost-social/roost/internal/model"
)

// withMoves wraps next: the community Mastodon schema lacks GoToSocial's
// alias and move operations, whose answers are checked against the Account
// entity. path is the loaded schema file.
func withMoves(t testing.TB, next responseChecker, path string) responseChecker {
	t.Helper()
	es := entities(t, path, "Account", "Error")
	return entityChecker{next: next, errEntity: es[1],
		handles: func(method, path string) bool {
			return method == http.MethodPost && (path == "/api/v1/accounts/alias" || path == "/api/v1/accounts/move")
		},
		schemaFor: func(testing.TB, string, string, int, any, []byte) *openapi3.Schema { return es[0] }}
}

// TestAccountMoveAPI moves a local account to another through the API:
// the alias first, then the move with the password; the moved account
// shows moved, its follower follows the new account, and it cannot post.
func TestAccountMoveAPI(t *testing.T) {
	e := newTestEnv(t)
	bob, bobTok := e.user(t, "bob", "read write")
	eve, eveTok := e.user(t, "eve", "read write")
	_, aliceTok := e.user(t, "alice", "read write")
	readTok := e.token(t, "bob", "read")
	bobID, eveID := model.FormatID(bob.ID), model.FormatID(eve.ID)
	if code, _, b := e.do(t, "POST", "/api/v1/accounts/"+bobID+"/follow", aliceTok, nil); code != 200 {
		t.Fatalf("follow: %d %s", code, b)
	}
	move := url.Values{"password": {"password-bob"}, "moved_to_uri": {"eve"}}
	for _, c := range []struct {
		what, path, tok string
		body            any
		want            int
	}{
		{"move without scope", "/api/v1/accounts/move", readTok, move, 403},
		{"move without the alias", "/api/v1/accounts/move", bobTok, move, 422},
		{"alias of nobody", "/api/v1/accounts/alias", eveTok, url.Values{"also_known_as[]": {"nobody"}}, 422},
		{"alias as an object", "/api/v1/accounts/alias", eveTok, `{"also_known_as": {"a": "bob"}}`, 400},
		{"alias", "/api/v1/accounts/alias", eveTok, `{"also_known_as": ["bob"]}`, 200},
		{"wrong password", "/api/v1/accounts/move", bobTok, url.Values{"password": {"x"}, "moved_to_uri": {"eve"}}, 422},
		{"no target", "/api/v1/accounts/move", bobTok, url.Values{"password": {"password-bob"}}, 400},
		{"move", "/api/v1/accounts/move", bobTok, move, 202},
	} {
		if code, _, b := e.do(t, "POST", c.path, c.tok, c.body); code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.what, code, c.want, b)
		}
	}
	code, _, b := e.do(t, "GET", "/api/v1/accounts/"+bobID, "", nil)
	got := decode[Account](t, b)
	if code != 200 || got.Moved == nil || got.Moved.ID != eveID || got.Moved.Moved != nil {
		t.Errorf("bob after the move: %d %s", code, b)
	}
	code, _, b = e.do(t, "GET", "/api/v1/accounts/relationships?id[]="+eveID, aliceTok, nil)
	if rels := decode[[]Relationship](t, b); code != 200 || len(rels) != 1 || !rels[0].Following {
		t.Errorf("alice and eve: %d %s", code, b)
	}
	if code, _, b := e.do(t, "POST", "/api/v1/statuses", bobTok, url.Values{"status": {"still here"}}); code != 422 {
		t.Errorf("post after moving: %d %s", code, b)
	}
}
