package app_test

import (
	"bytes"
	"context"
	"crypto"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// deliverSigned POSTs body to rawURL signed with key as keyID, and
// returns the status code.
func deliverSigned(t *testing.T, rawURL, body string, key crypto.Signer, keyID string, mode httpsig.Mode) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if key != nil {
		if err := httpsig.SignFor(mode, req, []byte(body), key, keyID, time.Now()); err != nil {
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

// TestInboxBetweenServers: A's user alice, signing with her own key (as
// A's delivery would), follows bob on B and mentions him; B verifies each
// delivery against alice's actor document fetched from A over HTTP, and
// shows the results through its Mastodon API.
func TestInboxBetweenServers(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := startPeer(t, db), startPeer(t, db)
		alice, _ := a.userToken(t, "alice")
		bob, bobTok := b.userToken(t, "bob")
		keys, err := a.app.Service().ActorKeys(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		aliceIRI, bobIRI := a.URL+"/users/alice", b.URL+"/users/bob"
		keyID := aliceIRI + "#main-key"
		hc := checkedClient(t)

		follow := `{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow","id":"` + aliceIRI +
			`/follows/1","actor":"` + aliceIRI + `","object":"` + bobIRI + `"}`
		if code := deliverSigned(t, bobIRI+"/inbox", follow, keys.RSA, keyID, httpsig.ModeRFC9421); code != http.StatusAccepted {
			t.Fatalf("follow: %d", code)
		}
		var followers []map[string]any
		u := fmt.Sprintf("%s/api/v1/accounts/%d/followers", b.URL, bob.ID)
		if code := getJSON(t, hc, u, bobTok, &followers); code != 200 || len(followers) != 1 ||
			followers[0]["acct"] != "alice@"+a.host() {
			t.Fatalf("bob's followers on B: %d %v", code, followers)
		}

		note := `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","id":"` + aliceIRI + `/statuses/1/activity",
			"actor":"` + aliceIRI + `","to":["` + bobIRI + `"],"object":{"type":"Note","id":"` + aliceIRI + `/statuses/1",
			"attributedTo":"` + aliceIRI + `","to":["` + bobIRI + `"],"content":"<p>hello bob<script>x</script></p>",
			"tag":[{"type":"Mention","href":"` + bobIRI + `","name":"@bob"}]}}`
		for range 2 { // the second is a replay, applied once
			if code := deliverSigned(t, b.URL+"/inbox", note, keys.RSA, keyID, httpsig.ModeCavage); code != http.StatusAccepted {
				t.Fatalf("create: %d", code)
			}
		}
		var notes []struct {
			Type    string
			Account struct{ Acct string }
			Status  struct {
				Content    string
				Visibility string
			}
		}
		if code := getJSON(t, hc, b.URL+"/api/v1/notifications?types[]=mention", bobTok, &notes); code != 200 || len(notes) != 1 {
			t.Fatalf("bob's mentions: %d %+v", code, notes)
		}
		if n := notes[0]; n.Account.Acct != "alice@"+a.host() || n.Status.Visibility != "direct" ||
			!strings.Contains(n.Status.Content, "hello bob") || strings.Contains(n.Status.Content, "script") {
			t.Errorf("mention %+v", n)
		}

		// Refusals, with nothing written.
		forged := `{"type":"Follow","id":"` + aliceIRI + `/follows/2","actor":"` + aliceIRI + `","object":"` + bobIRI + `"}`
		if code := deliverSigned(t, b.URL+"/inbox", forged, nil, "", 0); code != http.StatusUnauthorized {
			t.Errorf("unsigned: %d", code)
		}
		other, err := b.app.Service().ActorKeys(ctx, bob.ID) // a key that is not alice's
		if err != nil {
			t.Fatal(err)
		}
		if code := deliverSigned(t, b.URL+"/inbox", forged, other.RSA, keyID, httpsig.ModeCavage); code != http.StatusUnauthorized {
			t.Errorf("bad signature: %d", code)
		}
		big := bytes.Repeat([]byte("a"), 1<<20+1)
		res, err := http.Post(b.URL+"/inbox", "application/activity+json", bytes.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("oversize: %d", res.StatusCode)
		}
		if got, err := b.app.Store().Account(ctx, bob.ID); err != nil || got.FollowersCount != 1 {
			t.Errorf("bob after refusals: %+v, %v", got, err)
		}
		remoteAlice, err := b.app.Store().AccountByURI(ctx, aliceIRI)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := b.app.Store().StatusByURI(ctx, aliceIRI+"/statuses/1"); err != nil || st.AccountID != remoteAlice.ID ||
			st.Visibility != model.VisibilityDirect {
			t.Errorf("alice's note on B: %+v, %v", st, err)
		}
	})
}
