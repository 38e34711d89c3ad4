package app_test

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// TestFederationFeaturedFetch proves on loopback, between two Roost
// servers, that pins made before a server knew the actor show there: bob
// on B pins a public, an unlisted and a followers-only post; then alice on
// A resolves bob for the first time, A reads bob's featured collection in
// the background, and alice sees the public and unlisted pins under
// pinned=true. The followers-only pin and bob's unpinned post never reach
// A.
func TestFederationFeaturedFetch(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		hc := checkedClient(t)
		alice, bob := a.apiUser(t, hc, "alice"), b.apiUser(t, hc, "bob")

		pub := bob.post(url.Values{"status": {"featured for all"}, "visibility": {"public"}})
		unl := bob.post(url.Values{"status": {"featured quietly"}, "visibility": {"unlisted"}})
		priv := bob.post(url.Values{"status": {"featured for followers"}, "visibility": {"private"}})
		plain := bob.post(url.Values{"status": {"not featured"}, "visibility": {"public"}})
		for _, st := range []fedStatus{pub, unl, priv} {
			bob.must(http.MethodPost, "/api/v1/statuses/"+st.ID+"/pin", nil, nil)
		}

		bobOnA := alice.resolve("bob@" + b.host())
		pinned := func() []string {
			var sts []fedStatus
			alice.must(http.MethodGet, "/api/v1/accounts/"+bobOnA+"/statuses?pinned=true", nil, &sts)
			var uris []string
			for _, st := range sts {
				uris = append(uris, st.URI)
			}
			slices.Sort(uris)
			return uris
		}
		want := []string{pub.URI, unl.URI}
		slices.Sort(want)
		var got []string
		eventually(t, "bob's earlier pins on A", func() bool { got = pinned(); return len(got) >= len(want) })
		if !slices.Equal(got, want) {
			t.Errorf("bob's pins on A: %v, want %v", got, want)
		}
		for _, uri := range []string{priv.URI, plain.URI} {
			if _, err := a.app.Store().StatusByURI(t.Context(), uri); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("%s on A: %v, want not found", uri, err)
			}
		}

		for _, s := range []*server{a, b} {
			s.assertLogsClean(t, alice.tok, bob.tok, "featured for all", "featured quietly", "featured for followers", "not featured")
		}
	})
}
