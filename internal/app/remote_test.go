package app_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/federation/outbound"
	"github.com/roost-social/roost/internal/model"
)

// startPeer starts a Roost like startServer, with outbound requests to
// loopback addresses allowed (the development switch), so that several
// servers in one process federate over real HTTP, each on its own port
// and so its own domain.
func startPeer(t *testing.T, db database) *server {
	t.Helper()
	s := startWith(t, db, []string{"--dev-allow-private-networks"}, app.Options{Version: "test"})
	if !loadConfig(t, s.flags...).Dev.AllowPrivateNetworks {
		t.Fatal("the development switch did not take")
	}
	return s
}

// host is the server's domain, host:port.
func (s *server) host() string { return strings.TrimPrefix(s.URL, "http://") }

// userToken creates an approved user on s and returns it with a token.
func (s *server) userToken(t *testing.T, username string) (*model.Account, string) {
	t.Helper()
	ctx := context.Background()
	svc := s.app.Service()
	a, err := svc.CreateUser(ctx, core.NewUser{Username: username, Password: "password-" + username, Approved: true})
	if err != nil {
		t.Fatal(err)
	}
	ap, _, err := svc.CreateApp(ctx, core.NewApp{Name: "test", RedirectURIs: []string{core.OOBRedirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := svc.PasswordGrant(ctx, ap, username, "password-"+username, "read write")
	if err != nil {
		t.Fatal(err)
	}
	return a, g.AccessToken
}

// TestRemoteActors federates two servers over loopback HTTP: A resolves
// B's user through the Mastodon search API (WebFinger, then the actor,
// fetched with A's signature), and fetches B's statuses signed as its
// instance actor, which B verifies by fetching A's actor in turn.
func TestRemoteActors(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := startPeer(t, db), startPeer(t, db)
		_, aliceTok := a.userToken(t, "alice")
		bob, _ := b.userToken(t, "bob")
		if _, err := b.app.Service().UpdateProfile(ctx, &core.Auth{Account: bob}, core.ProfileUpdate{
			DisplayName: ptr("Bob B."), Note: ptr("Hello from B"),
		}); err != nil {
			t.Fatal(err)
		}
		private, err := b.app.Service().PostStatus(ctx, bob, core.NewStatus{Text: "for followers only", Visibility: model.VisibilityPrivate})
		if err != nil {
			t.Fatal(err)
		}
		public, err := b.app.Service().PostStatus(ctx, bob, core.NewStatus{Text: "for everyone", Visibility: model.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}

		// A resolves bob@B through the Mastodon API.
		client := checkedClient(t)
		handle := "bob@" + b.host()
		get := func(q string) []map[string]any {
			t.Helper()
			req, _ := http.NewRequest(http.MethodGet, a.URL+"/api/v2/search?"+q, nil)
			req.Header.Set("Authorization", "Bearer "+aliceTok)
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out struct{ Accounts []map[string]any }
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
				t.Fatalf("search %s: %d, %v", q, res.StatusCode, err)
			}
			return out.Accounts
		}
		if got := get("q=" + url.QueryEscape(handle)); len(got) != 0 {
			t.Errorf("found without resolving: %v", got)
		}
		for _, q := range []string{handle, "@" + handle, b.URL + "/users/bob"} {
			got := get("resolve=true&q=" + url.QueryEscape(q))
			if len(got) != 1 || got[0]["acct"] != handle || got[0]["uri"] != b.URL+"/users/bob" ||
				got[0]["display_name"] != "Bob B." || !strings.Contains(got[0]["note"].(string), "Hello from B") {
				t.Fatalf("resolve %s: %v", q, got)
			}
		}
		remoteBob, err := a.app.Store().AccountByURI(ctx, b.URL+"/users/bob")
		if err != nil || remoteBob.Acct() != handle {
			t.Fatalf("bob on A: %+v, %v", remoteBob, err)
		}
		ra, err := a.app.Store().RemoteActor(ctx, remoteBob.ID)
		if err != nil || ra.Inbox != b.URL+"/users/bob/inbox" || ra.KeyID != b.URL+"/users/bob#main-key" ||
			!strings.Contains(ra.PublicKeyPEM, "PUBLIC KEY") || ra.Ed25519KeyID == "" {
			t.Errorf("bob's actor on A: %+v, %v", ra, err)
		}

		// Signed fetches from A, as A's instance actor.
		fetcher := federation.NewFetcher(a.app.Service(), outbound.New(outbound.Options{AllowPrivate: true, UserAgent: "test"}))
		statusURL := func(st *core.StatusView) string {
			return b.URL + "/users/bob/statuses/" + model.FormatID(st.Status.ID)
		}
		doc, err := fetcher.FetchObject(ctx, statusURL(public))
		if err != nil || !strings.Contains(string(doc.Body), "for everyone") {
			t.Fatalf("signed fetch of a public status: %v", err)
		}
		if _, err := fetcher.FetchObject(ctx, statusURL(private)); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("signed fetch of a followers-only status by a non-follower: %v", err)
		}
		// B learnt A's instance actor from the signature; once it follows
		// bob, the same signed fetch is allowed.
		actorOnB, err := b.app.Store().AccountByURI(ctx, a.URL+"/actor")
		if err != nil {
			t.Fatalf("A's instance actor on B: %v", err)
		}
		if err := b.app.Store().PutFollow(ctx, &model.Follow{AccountID: actorOnB.ID, TargetID: bob.ID}); err != nil {
			t.Fatal(err)
		}
		doc, err = fetcher.FetchObject(ctx, statusURL(private))
		if err != nil || !strings.Contains(string(doc.Body), "for followers only") {
			t.Errorf("signed fetch by a follower: %v", err)
		}

		// Unsigned, and forged, fetches of the followers-only status.
		if code := fetchStatus(t, statusURL(private), nil); code != http.StatusUnauthorized {
			t.Errorf("unsigned fetch: %d", code)
		}
		forged, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []httpsig.Mode{httpsig.ModeRFC9421, httpsig.ModeCavage} {
			code := fetchStatus(t, statusURL(private), func(r *http.Request) error {
				return httpsig.SignFor(mode, r, nil, forged, a.URL+"/actor#main-key", time.Now())
			})
			if code != http.StatusUnauthorized {
				t.Errorf("forged %v signature: %d", mode, code)
			}
		}
		code := fetchStatus(t, statusURL(public), func(r *http.Request) error {
			return httpsig.SignFor(httpsig.ModeCavage, r, nil, forged, b.URL+"/users/nobody#main-key", time.Now())
		})
		if code != http.StatusUnauthorized {
			t.Errorf("signature by an unknown key: %d", code)
		}
		a.assertLogsClean(t, aliceTok)
	})
}

// fetchStatus GETs an ActivityPub object, signed by sign when not nil,
// and returns the status code.
func fetchStatus(t *testing.T, rawURL string, sign func(*http.Request) error) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	if sign != nil {
		if err := sign(req); err != nil {
			t.Fatal(err)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

func ptr[T any](v T) *T { return &v }
