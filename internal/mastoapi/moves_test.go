package mastoapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/roost-social/roost/internal/model"
)

// The community Mastodon schema lacks GoToSocial's alias and move
// operations. moveChecker validates their answers against the Account
// entity (errors against the Error entity) and hands every other response
// on.
type moveChecker struct {
	responseChecker
	account, errEntity *openapi3.Schema
}

var moveSchemas struct {
	once               sync.Once
	account, errEntity *openapi3.Schema
	err                error
}

// withMoves wraps next with the alias and move checks; path is the loaded
// schema file.
func withMoves(t testing.TB, next responseChecker, path string) responseChecker {
	t.Helper()
	moveSchemas.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			moveSchemas.err = err
			return
		}
		comp := doc.Components.Schemas
		if comp["Account"] == nil || comp["Error"] == nil {
			moveSchemas.err = fmt.Errorf("%s lacks the Account or Error entity", path)
			return
		}
		moveSchemas.account, moveSchemas.errEntity = comp["Account"].Value, comp["Error"].Value
	})
	if moveSchemas.err != nil {
		t.Fatalf("openapi: %v", moveSchemas.err)
	}
	return moveChecker{responseChecker: next, account: moveSchemas.account, errEntity: moveSchemas.errEntity}
}

func (c moveChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if method != http.MethodPost || (path != "/api/v1/accounts/alias" && path != "/api/v1/accounts/move") {
		c.responseChecker.CheckResponse(t, method, path, status, header, body)
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("openapi: %s %s -> %d: not JSON: %.200s", method, path, status, body)
		return
	}
	schema := c.account
	if status >= 400 {
		schema = c.errEntity
	}
	if err := schema.VisitJSON(v); err != nil {
		t.Errorf("openapi: %s %s -> %d: %v", method, path, status, err)
	}
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
