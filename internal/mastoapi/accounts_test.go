package mastoapi

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// accountJSON is the part of Account and CredentialAccount the tests read.
type accountJSON struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	Note           string `json:"note"`
	Locked         bool   `json:"locked"`
	Bot            bool   `json:"bot"`
	FollowersCount int    `json:"followers_count"`
	FollowingCount int    `json:"following_count"`
	Fields         []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
	Source *struct {
		Privacy             string  `json:"privacy"`
		Sensitive           bool    `json:"sensitive"`
		Language            *string `json:"language"`
		Note                string  `json:"note"`
		FollowRequestsCount int     `json:"follow_requests_count"`
		Fields              []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
	} `json:"source"`
	Role *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"role"`
}

func TestRegistrationEndpoint(t *testing.T) {
	e := newTestEnv(t)
	appTok := e.appToken(t, "read write follow")
	reg := map[string]any{"username": "newbie", "email": "newbie@example.org", "password": "password-newbie",
		"agreement": true, "locale": "en"}
	code, _, body := e.do(t, "POST", "/api/v1/accounts", appTok, reg)
	wantStatus(t, code, 200, body)
	tok := decode[tokenJSON](t, body)
	if tok.Scope != "read write follow" {
		t.Errorf("sign-up token scope %q", tok.Scope)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok.AccessToken, nil)
	wantStatus(t, code, 200, body)
	if a := decode[accountJSON](t, body); a.Username != "newbie" {
		t.Errorf("signed up as %q", a.Username)
	}

	// Taken username and email, with Mastodon's per-field details.
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, reg)
	wantStatus(t, code, 422, body)
	ej := decode[errorJSON](t, body)
	if ej.Details["username"][0]["error"] != "ERR_TAKEN" || ej.Details["email"][0]["error"] != "ERR_TAKEN" ||
		!strings.HasPrefix(ej.Error, "Validation failed: ") {
		t.Errorf("422 = %s", body)
	}
	form := url.Values{"username": {"formy"}, "password": {"password-formy"}, "agreement": {"1"}}
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, form)
	wantStatus(t, code, 200, body)

	code, _, body = e.do(t, "POST", "/api/v1/accounts", "", reg)
	wantStatus(t, code, 401, body)
	readOnly := e.appToken(t, "read")
	code, _, body = e.do(t, "POST", "/api/v1/accounts", readOnly, reg)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, `{"username": `)
	wantStatus(t, code, 400, body)
}

func TestRegistrationModes(t *testing.T) {
	set := testSettings()
	set.Registration = model.RegistrationClosed
	e := newTestEnvWith(t, set)
	reg := map[string]any{"username": "newbie", "password": "password-newbie", "agreement": true}
	code, _, body := e.do(t, "POST", "/api/v1/accounts", e.appToken(t, "write:accounts"), reg)
	wantStatus(t, code, 403, body)

	set.Registration = model.RegistrationApproval
	e = newTestEnvWith(t, set)
	appTok := e.appToken(t, "read write")
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, reg)
	wantStatus(t, code, 422, body)
	if decode[errorJSON](t, body).Details["reason"] == nil {
		t.Errorf("no reason: %s", body)
	}
	reg["reason"] = "birds"
	code, _, body = e.do(t, "POST", "/api/v1/accounts", appTok, reg)
	wantStatus(t, code, 200, body)
	tok := decode[tokenJSON](t, body).AccessToken
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil)
	wantStatus(t, code, 403, body)
	if !strings.Contains(decode[errorJSON](t, body).Error, "pending approval") {
		t.Errorf("pending user: %s", body)
	}
	if err := e.svc.ApproveUser(context.Background(), "newbie"); err != nil {
		t.Fatal(err)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil)
	wantStatus(t, code, 200, body)
}

func TestVerifyAndUpdateCredentials(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", "read write")
	code, _, body := e.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil)
	wantStatus(t, code, 200, body)
	me := decode[accountJSON](t, body)
	if me.Source == nil || me.Source.Privacy != "public" || me.Role == nil || me.Role.ID != "-99" || me.Source.Language != nil {
		t.Fatalf("credentials = %s", body)
	}

	upd := map[string]any{
		"display_name": "Alice <3", "note": "Birds & bees\nhttps://birds.example", "locked": true, "bot": "true",
		"fields_attributes": map[string]any{"1": map[string]string{"name": "Pronouns", "value": "she/her"},
			"0": map[string]string{"name": "Site", "value": "https://alice.example"}},
		"source": map[string]any{"privacy": "unlisted", "sensitive": true, "language": "fr"}, "noindex": true,
	}
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, upd)
	wantStatus(t, code, 200, body)
	if !strings.Contains(string(body), `"noindex":true`) || !strings.Contains(string(body), `"indexable":false`) {
		t.Errorf("noindex not saved: %s", body)
	}
	me = decode[accountJSON](t, body)
	if me.DisplayName != "Alice <3" || !me.Locked || !me.Bot || me.Source.Privacy != "unlisted" || !me.Source.Sensitive ||
		me.Source.Language == nil || *me.Source.Language != "fr" || me.Source.Note != "Birds & bees\nhttps://birds.example" {
		t.Errorf("after update: %s", body)
	}
	if !strings.Contains(me.Note, "&amp;") || !strings.Contains(me.Note, `<a href="https://birds.example"`) {
		t.Errorf("note HTML = %q", me.Note)
	}
	if len(me.Fields) != 2 || me.Fields[0].Name != "Site" || !strings.Contains(me.Fields[0].Value, "<a ") || me.Source.Fields[0].Value != "https://alice.example" {
		t.Errorf("fields = %+v / source %+v", me.Fields, me.Source.Fields)
	}

	// Forms, as most apps send them.
	form := url.Values{"display_name": {"Form Alice"}, "fields_attributes[0][name]": {"A"}, "fields_attributes[0][value]": {"1"},
		"source[privacy]": {"private"}, "locked": {"false"}, "indexable": {"true"}}
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, form)
	wantStatus(t, code, 200, body)
	if !strings.Contains(string(body), `"noindex":false`) {
		t.Errorf("indexable=true did not clear noindex: %s", body)
	}
	me = decode[accountJSON](t, body)
	if me.DisplayName != "Form Alice" || me.Locked || len(me.Fields) != 1 || me.Source.Privacy != "private" {
		t.Errorf("form update: %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/preferences", tok, nil)
	wantStatus(t, code, 200, body)
	if p := decode[map[string]any](t, body); p["posting:default:visibility"] != "private" || p["posting:default:language"] != "fr" {
		t.Errorf("preferences = %s", body)
	}

	for _, bad := range []any{
		map[string]any{"display_name": strings.Repeat("x", 31)},
		map[string]any{"note": strings.Repeat("x", 501)},
		map[string]any{"source": map[string]any{"privacy": "direct"}},
		url.Values{"fields_attributes[0][name]": {"a"}, "fields_attributes[1][name]": {"b"}, "fields_attributes[2][name]": {"c"},
			"fields_attributes[3][name]": {"d"}, "fields_attributes[4][name]": {"e"}},
	} {
		code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, bad)
		wantStatus(t, code, 422, body)
	}
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, "{not json")
	wantStatus(t, code, 400, body)
}

func TestCredentialScopes(t *testing.T) {
	e := newTestEnv(t)
	_, profile := e.user(t, "alice", "profile")
	code, _, body := e.do(t, "GET", "/api/v1/accounts/verify_credentials", profile, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", profile, map[string]any{"note": "x"})
	wantStatus(t, code, 403, body)
	statusesOnly := e.token(t, "alice", "read:statuses")
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", statusesOnly, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", "/api/v1/preferences", statusesOnly, nil)
	wantStatus(t, code, 403, body)
	fine := e.token(t, "alice", "read:accounts write:accounts")
	code, _, body = e.do(t, "PATCH", "/api/v1/accounts/update_credentials", fine, map[string]any{"note": "x"})
	wantStatus(t, code, 200, body)
	// Not through e.do: the schema documents no body for /oauth/userinfo
	// (Mastodon 4.4 sends OpenID Connect claims).
	req, _ := http.NewRequest("GET", e.srv.URL+"/oauth/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+profile)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"preferred_username":"alice"`) {
		t.Errorf("userinfo: %d %s", resp.StatusCode, body)
	}
}

func TestGetLookupSearchAccounts(t *testing.T) {
	e := newTestEnv(t)
	alice, tok := e.user(t, "alice", "read")
	e.user(t, "alicia", "read")
	bob, _ := e.user(t, "bob", "read")
	id := model.FormatID(alice.ID)

	code, _, body := e.do(t, "GET", "/api/v1/accounts/"+id, "", nil)
	wantStatus(t, code, 200, body)
	if a := decode[accountJSON](t, body); a.Username != "alice" || a.Acct != "alice" || a.Source != nil {
		t.Errorf("account = %s", body)
	}
	for _, path := range []string{"/api/v1/accounts/123456789", "/api/v1/accounts/abc", "/api/v1/accounts/-1"} {
		code, _, body = e.do(t, "GET", path, "", nil)
		wantStatus(t, code, 404, body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/"+id, "bad-token", nil)
	wantStatus(t, code, 401, body)

	code, _, body = e.do(t, "GET", "/api/v1/accounts/lookup?acct=@alice@roost.test", "", nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/lookup?acct=nobody", "", nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/lookup", "", nil)
	wantStatus(t, code, 400, body)

	code, _, body = e.do(t, "GET", "/api/v1/accounts/search?q=ali&limit=5", tok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 2 {
		t.Errorf("search = %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/search?q=ali", "", nil)
	wantStatus(t, code, 401, body)

	code, _, body = e.do(t, "GET", "/api/v1/accounts?id[]="+id+"&id[]="+model.FormatID(bob.ID)+"&id[]=999", "", nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 2 || got[0].Username != "alice" {
		t.Errorf("accounts by id = %s", body)
	}

	if err := e.svc.SuspendAccount(context.Background(), "bob"); err != nil {
		t.Fatal(err)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/"+model.FormatID(bob.ID), tok, nil)
	wantStatus(t, code, 404, body)
}
