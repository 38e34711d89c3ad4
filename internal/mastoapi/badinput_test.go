package mastoapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// TestFailedWritesLeaveNothing checks that a refused write changes
// nothing: no status, no edit, no profile field, no boost, no mute.
func TestFailedWritesLeaveNothing(t *testing.T) {
	e := newTestEnv(t)
	alice, tok := e.user(t, "alice", allScopes)
	bob, btok := e.user(t, "bob", allScopes)
	_, readOnly := e.user(t, "reader", "read")
	secret := e.postStatus(t, btok, "@carol only", "direct")
	aliceID := model.FormatID(alice.ID)

	for _, tt := range []struct {
		name  string
		token string
		body  any
		want  int
	}{
		{"an array for the text", tok, `{"status": ["hello", "world"]}`, 422},
		{"an object for the text", tok, `{"status": {"text": "hello"}}`, 422},
		{"null for the text", tok, `{"status": null}`, 422},
		{"a text too long", tok, map[string]any{"status": strings.Repeat("x", 501)}, 422},
		{"a bad visibility", tok, map[string]any{"status": "x", "visibility": "friends"}, 422},
		{"an array for the visibility", tok, `{"status": "x", "visibility": ["public"]}`, 422},
		{"media", tok, map[string]any{"status": "x", "media_ids": []any{1}}, 422},
		{"a poll", tok, map[string]any{"status": "x", "poll": map[string]any{"options": []string{"a", "b"}}}, 422},
		{"a reply to nothing", tok, map[string]any{"status": "x", "in_reply_to_id": "12345"}, 404},
		{"a reply to an unseen status", tok, map[string]any{"status": "x", "in_reply_to_id": secret.ID}, 404},
		{"malformed JSON", tok, `{"status": "x"`, 400},
		{"trailing JSON", tok, `{"status": "x"}{"status": "y"}`, 400},
		{"an oversized form", tok, url.Values{"status": {"x"}, "pad": {strings.Repeat("p", 70<<10)}}, 413},
		{"no write scope", readOnly, map[string]any{"status": "x"}, 403},
	} {
		code, _, body := e.do(t, "POST", "/api/v1/statuses", tt.token, tt.body)
		if code != tt.want {
			t.Errorf("%s: status %d, want %d: %s", tt.name, code, tt.want, body)
		}
	}
	code, _, body := e.do(t, "GET", "/api/v1/accounts/"+aliceID+"/statuses", tok, nil)
	wantStatus(t, code, 200, body)
	if ids := statusIDs(t, body); len(ids) != 0 {
		t.Errorf("refused posts left statuses %v", ids)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil)
	wantStatus(t, code, 200, body)
	if n := decode[map[string]any](t, body)["statuses_count"]; n != float64(0) {
		t.Errorf("statuses_count %v after refused posts", n)
	}

	// A refused edit keeps the text and adds no history.
	st := e.postStatus(t, tok, "first", "public")
	for _, edit := range []any{
		map[string]any{"status": strings.Repeat("x", 501)},
		map[string]any{"status": "second", "media_ids": []string{"1"}},
		`{"status": ["second"]}`,
	} {
		code, _, body = e.do(t, "PUT", "/api/v1/statuses/"+st.ID, tok, edit)
		if code != 422 {
			t.Errorf("edit %v: status %d: %s", edit, code, body)
		}
	}
	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/history", tok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]map[string]any](t, body)); n != 1 {
		t.Errorf("history has %d versions after refused edits", n)
	}

	// A profile update with one bad field changes no field.
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok,
		map[string]any{"display_name": "Changed", "note": strings.Repeat("n", 501)})
	wantStatus(t, code, 422, body)
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, `{"display_name": ["Changed"], "note": {"a": 1}}`)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil)
	if a := decode[accountJSON](t, body); a.DisplayName != "" || a.Note != "" {
		t.Errorf("refused profile update changed it: %+v", a)
	}

	// A boost with a bad visibility, a mute with a bad duration.
	pub := e.postStatus(t, btok, "boost me", "public")
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+pub.ID+"/reblog", tok, map[string]any{"visibility": "direct"})
	wantStatus(t, code, 422, body)
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+pub.ID+"/reblog", tok, `{"visibility": ["private"]}`)
	wantStatus(t, code, 422, body)
	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+pub.ID, tok, nil)
	if s := decode[statusJSON](t, body); s.ReblogsCount != 0 || (s.Reblogged != nil && *s.Reblogged) {
		t.Errorf("refused boost left a boost: %+v", s)
	}
	code, _, body = e.do(t, "POST", acctPath(bob, "mute"), tok, map[string]any{"duration": "soon"})
	wantStatus(t, code, 422, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/relationships?id[]="+model.FormatID(bob.ID), tok, nil)
	if rs := decode[[]relJSON](t, body); len(rs) != 1 || rs[0].Muting {
		t.Errorf("refused mute muted: %s", body)
	}

	// A refused sign-up creates no account.
	appTok := e.appToken(t, "read write")
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, map[string]any{
		"username": "newbie", "email": "not-an-email", "password": "long enough password", "agreement": true,
	})
	wantStatus(t, code, 422, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/lookup?acct=newbie", "", nil)
	wantStatus(t, code, 404, body)
}

// TestSignUpTokenKeepsCallerScopes checks that a sign-up gives the new
// user's token the scopes of the token that asked, as Mastodon does, not
// every scope the app registered.
func TestSignUpTokenKeepsCallerScopes(t *testing.T) {
	e := newTestEnv(t)
	app := e.newApp(t, "read write follow push")
	code, body := e.grant(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "scope": {"read write:accounts"}})
	wantStatus(t, code, 200, body)
	appTok := decode[tokenJSON](t, body).AccessToken
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, map[string]any{
		"username": "narrow", "password": "password-narrow", "agreement": true,
	})
	wantStatus(t, code, 200, body)
	if got := decode[tokenJSON](t, body).Scope; got != "read write:accounts" {
		t.Errorf("sign-up token scope %q, want the caller's %q", got, "read write:accounts")
	}
}

// TestOthersRecordsAreNotFound checks that one account cannot reach
// another's notifications, follow requests or statuses by ID.
func TestOthersRecordsAreNotFound(t *testing.T) {
	e := newTestEnv(t)
	alice, atok := e.user(t, "alice", allScopes)
	_, btok := e.user(t, "bob", allScopes)
	carol, ctok := e.user(t, "carol", allScopes)
	st := e.postStatus(t, atok, "hello", "public")
	code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/favourite", btok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/notifications", atok, nil)
	wantStatus(t, code, 200, body)
	ns := decode[[]struct{ ID string }](t, body)
	if len(ns) != 1 {
		t.Fatalf("alice has %d notifications", len(ns))
	}
	nid := ns[0].ID
	code, _, body = e.do(t, "GET", "/api/v1/notifications/"+nid, btok, nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "POST", "/api/v1/notifications/"+nid+"/dismiss", btok, nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "POST", "/api/v1/notifications/clear", btok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/notifications/"+nid, atok, nil)
	wantStatus(t, code, 200, body)

	// carol asks to follow a locked alice; bob cannot answer for alice.
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", atok, map[string]any{"locked": true})
	wantStatus(t, code, 200, body)
	if r := e.rel(t, ctok, acctPath(alice, "follow"), nil); !r.Requested {
		t.Fatalf("carol's request: %+v", r)
	}
	for _, action := range []string{"authorize", "reject"} {
		code, _, body = e.do(t, "POST", "/api/v1/follow_requests/"+model.FormatID(carol.ID)+"/"+action, btok, nil)
		wantStatus(t, code, 404, body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/follow_requests", btok, nil)
	if wantStatus(t, code, 200, body); len(decode[[]accountJSON](t, body)) != 0 {
		t.Errorf("bob sees alice's follow requests: %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/relationships?id[]="+model.FormatID(alice.ID), ctok, nil)
	if rs := decode[[]relJSON](t, body); len(rs) != 1 || !rs[0].Requested || rs[0].Following {
		t.Errorf("carol's request was answered: %s", body)
	}
}

// TestNULBytesInText sends NUL bytes (which PostgreSQL refuses in text)
// wherever a client's text reaches a lookup: never a 500.
func TestNULBytesInText(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", allScopes)
	app := e.newApp(t, "read write")
	appTok := e.appToken(t, "read write")
	for _, c := range []struct {
		method, path, token string
		body                any
	}{
		{"GET", "/api/v1/accounts/lookup?acct=al%00ice", "", nil},
		{"GET", "/api/v1/accounts/lookup?acct=alice@ex%00ample.org", "", nil},
		{"GET", "/api/v1/accounts/search?q=al%00", tok, nil},
		{"GET", "/api/v1/timelines/tag/ro%00ost", "", nil},
		{"GET", "/api/v1/accounts/" + "1/statuses?tagged=a%00b", "", nil},
		{"GET", "/api/v1/notifications?types[]=fav%00ourite&exclude_types[]=%00", tok, nil},
		{"GET", "/api/v1/markers?timeline[]=ho%00me", tok, nil},
		{"POST", "/api/v1/statuses", tok, map[string]any{"status": "nul \x00 byte #ta\x00g @al\x00ice", "spoiler_text": "\x00", "language": "e\x00"}},
		{"PATCH", "/api/v1/accounts/update_credentials", tok, map[string]any{"display_name": "a\x00b", "note": "\x00", "source": map[string]any{"language": "e\x00"}}},
		{"POST", "/api/v1/accounts", appTok, map[string]any{"username": "nul\x00", "email": "a\x00@example.org", "password": "pass\x00word-long", "agreement": true}},
		{"POST", "/api/v1/apps", "", map[string]any{"client_name": "a\x00", "redirect_uris": "https://a\x00.example/", "scopes": "read\x00"}},
		{"POST", "/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "username": {"al\x00ice"}, "password": {"x\x00"}}},
		{"POST", "/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "username": {"al\x00ice@example.org"}, "password": {"x"}}},
		{"POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"id\x00"}, "client_secret": {"s\x00"}}},
		{"POST", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "code": {"c\x00"}, "redirect_uri": {"x\x00"}}},
		{"POST", "/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {"t\x00"}}},
	} {
		code, _, body := e.do(t, c.method, c.path, c.token, c.body)
		if code >= 500 {
			t.Errorf("%s %s: %d %s", c.method, c.path, code, body)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/oauth/authorize?client_id=a%00&redirect_uri=b%00&response_type=code", nil)
	if code, _, body := e.send(t, req); code >= 500 {
		t.Errorf("authorize: %d %s", code, body)
	}
}

// TestOAuthStrictness checks that a redirect URI must be exactly a
// registered one, and that no grant widens the app's scopes.
func TestOAuthStrictness(t *testing.T) {
	e := newTestEnv(t)
	e.user(t, "alice", "read")
	app := e.newApp(t, "read write")
	for _, uri := range []string{callback + "/", callback + "?next=1", strings.ToUpper(callback), callback + "#x",
		"https://app.example/callback/../evil", "https://app.example.evil/callback", "https://app.example/callbac"} {
		q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {uri}, "response_type": {"code"}}
		req, _ := http.NewRequest("GET", e.srv.URL+"/oauth/authorize?"+q.Encode(), nil)
		code, h, _ := e.send(t, req)
		if code != 400 || h.Get("Location") != "" {
			t.Errorf("redirect_uri %q: %d, Location %q; want an error page", uri, code, h.Get("Location"))
		}
	}
	base := url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}
	for _, c := range []url.Values{
		{"grant_type": {"password"}, "username": {"alice"}, "password": {"password-alice"}, "scope": {"read write push"}},
		{"grant_type": {"password"}, "username": {"alice"}, "password": {"password-alice"}, "scope": {"follow"}},
		{"grant_type": {"client_credentials"}, "scope": {"admin:read"}},
		{"grant_type": {"client_credentials"}, "scope": {"read:everything"}},
	} {
		for k, v := range base {
			c[k] = v
		}
		code, body := e.grant(t, c)
		if code != 400 || decode[errorJSON](t, body).Error != "invalid_scope" {
			t.Errorf("%s with scope %q: %d %s", c.Get("grant_type"), c.Get("scope"), code, body)
		}
	}
	wrong := url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret + "x"}}
	if code, body := e.grant(t, wrong); code != 401 {
		t.Errorf("wrong client secret: %d %s", code, body)
	}
}
