package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// TestAccountDeletion: bob on B, followed by alice on A, deletes himself
// through the API. A purges his account and posts when his Delete(Person)
// arrives; B answers 410 for his actor and 404 on WebFinger, keeps his
// name reserved, and once the Delete is delivered shreds his signing keys
// and keeps no row that names him.
func TestAccountDeletion(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		hc := checkedClient(t)
		acctAlice, tokAlice := a.userToken(t, "alice")
		acctBob, tokBob := b.userToken(t, "bob")
		alice := &fedUser{t: t, s: a, tok: tokAlice, id: model.FormatID(acctAlice.ID), hc: hc}
		bob := &fedUser{t: t, s: b, tok: tokBob, id: model.FormatID(acctBob.ID), hc: &http.Client{}}

		bobOnA := alice.resolve("bob@" + b.host())
		alice.must(http.MethodPost, "/api/v1/accounts/"+bobOnA+"/follow", nil, nil)
		eventually(t, "alice following bob", func() bool { return alice.relationship(bobOnA).Following })
		pub := bob.post(url.Values{"status": {"soon gone"}, "visibility": {"public"}})
		var onA *fedStatus
		eventually(t, "bob's post on A", func() bool { onA = findURI(alice.home(), pub.URI); return onA != nil })

		if code := bob.call(http.MethodPost, "/api/v1/accounts/delete", url.Values{"password": {"wrong"}}, nil); code != http.StatusUnprocessableEntity {
			t.Fatalf("delete with a wrong password: %d, want 422", code)
		}
		var accepted map[string]string
		if code := bob.call(http.MethodPost, "/api/v1/accounts/delete", url.Values{"password": {"password-bob"}}, &accepted); code != http.StatusAccepted {
			t.Fatalf("delete: %d, want 202", code)
		}

		eventually(t, "bob and his post gone from A", func() bool {
			return alice.call(http.MethodGet, "/api/v1/accounts/"+bobOnA, nil, nil) == http.StatusNotFound &&
				alice.call(http.MethodGet, "/api/v1/statuses/"+onA.ID, nil, nil) == http.StatusNotFound
		})
		if code := alice.call(http.MethodGet, "/api/v1/accounts/"+bobOnA, nil, nil); code != http.StatusNotFound {
			t.Errorf("bob's account on A: %d", code)
		}

		// B: the actor is Gone, WebFinger knows nobody, the token is dead.
		code, body := fetchAccepting(t, b.URL+"/users/bob", "application/activity+json")
		if code != http.StatusGone || !strings.Contains(body, `"Tombstone"`) {
			t.Errorf("bob's actor on B: %d %s, want 410 with a Tombstone", code, body)
		}
		if code, _ := fetchAccepting(t, b.URL+"/.well-known/webfinger?resource=acct:bob@"+b.host(), "application/jrd+json"); code != http.StatusNotFound {
			t.Errorf("WebFinger for bob on B: %d, want 404", code)
		}
		if code := bob.call(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("bob's token after the deletion: %d, want 401", code)
		}
		if code, body := signUp(t, b, "bob"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "ERR_RESERVED") {
			t.Errorf("signing up as bob again while reserved: %d %s, want 422 ERR_RESERVED", code, body)
		}
		_, err := b.app.Service().CreateUser(ctx, core.NewUser{Username: "bob", Password: "a-long-enough-password", Approved: true})
		var fe core.FieldErrors
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "reserved") {
			t.Errorf("registering bob again while reserved: %v, want a reserved-name error", err)
		}

		// The Delete reached A's inbox: the kept keys go, and nothing on B
		// names bob any more.
		st := b.app.Store()
		eventually(t, "the deletion finished on B", func() bool {
			_, err := st.DeletedAccount(ctx, acctBob.ID)
			return errors.Is(err, model.ErrNotFound)
		})
		refs, err := st.(store.AccountReferencer).AccountReferences(ctx, acctBob.ID)
		if err != nil || len(refs) != 0 {
			t.Errorf("rows naming bob on B: %v, %v", refs, err)
		}
		if _, err := st.DeletedUsername(ctx, "bob"); err != nil {
			t.Errorf("bob's name is not reserved: %v", err)
		}
	})
}

// fetchAccepting fetches url accepting accept and returns the status and body.
func fetchAccepting(t *testing.T, url, accept string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", accept)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// signUp registers username on s through the API, as an app would, and
// returns the answer.
func signUp(t *testing.T, s *server, username string) (int, string) {
	t.Helper()
	post := func(path, tok string, form url.Values) (int, map[string]any, string) {
		req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var out map[string]any
		_ = json.Unmarshal(b, &out)
		return res.StatusCode, out, string(b)
	}
	code, app, body := post("/api/v1/apps", "", url.Values{"client_name": {"signup"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"},
		"scopes": {"read write"}})
	if code != http.StatusOK {
		t.Fatalf("register app: %d %s", code, body)
	}
	code, tok, body := post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "scope": {"write"},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}})
	if code != http.StatusOK {
		t.Fatalf("app token: %d %s", code, body)
	}
	code, _, body = post("/api/v1/accounts", tok["access_token"].(string), url.Values{"username": {username},
		"email": {username + "@example.org"}, "password": {"a-long-enough-password"}, "agreement": {"true"}, "locale": {"en"}})
	return code, body
}
