package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"
)

// TestMastodonClientAcrossServers is issue 3's "done when": a Mastodon
// app (github.com/mattn/go-mastodon) signed in on server A finds a user of
// server B by handle, follows them, sees the follow accepted, and reads
// their new posts, public and followers-only, in its home timeline.
func TestMastodonClientAcrossServers(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		a, b := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery())
		a.userToken(t, "alice")
		b.userToken(t, "bob")
		ctx := context.Background()
		hc := checkedClient(t)
		signInOn := func(s *server, name string) *mastodon.Client {
			app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{
				Client: *hc, Server: s.URL, ClientName: "go-mastodon federation", Scopes: "read write follow",
			})
			if err != nil {
				t.Fatalf("register app on %s: %v", s.URL, err)
			}
			return signIn(t, s, app, hc, name, "password-"+name)
		}
		alice, bob := signInOn(a, "alice"), signInOn(b, "bob")

		found, err := alice.Search(ctx, "@bob@"+b.host(), true)
		if err != nil || len(found.Accounts) != 1 {
			t.Fatalf("search for bob from A: %+v, %v", found, err)
		}
		bobOnA := found.Accounts[0]
		if bobOnA.Acct != "bob@"+b.host() {
			t.Fatalf("bob on A is %q", bobOnA.Acct)
		}
		rel, err := alice.AccountFollow(ctx, bobOnA.ID)
		if err != nil {
			t.Fatalf("follow: %v", err)
		}
		if rel.Following {
			t.Errorf("following a remote account before its server accepted: %+v", rel)
		}
		eventually(t, "the follow accepted on A", func() bool {
			rels, err := alice.GetAccountRelationships(ctx, []string{string(bobOnA.ID)})
			return err == nil && len(rels) == 1 && rels[0].Following && !rels[0].Requested
		})

		public := post(t, bob, "Hello across servers", "public")
		private := post(t, bob, "Followers across servers", "private")
		eventually(t, "bob's posts in alice's home on A", func() bool {
			home, err := alice.GetTimelineHome(ctx, nil)
			if err != nil {
				t.Fatalf("home: %v", err)
			}
			var got []string
			for _, st := range home {
				if st.Account.Acct == bobOnA.Acct {
					got = append(got, st.URI)
				}
			}
			// In the order they arrived: see the note on remote status ids
			// in docs/FEDERATION.md.
			slices.Sort(got)
			want := []string{public.URI, private.URI}
			slices.Sort(want)
			return slices.Equal(got, want)
		})
		st, err := alice.GetStatus(ctx, homeStatusID(t, alice, private.URI))
		if err != nil || !strings.Contains(st.Content, "Followers across servers") || st.Visibility != "private" {
			t.Errorf("bob's followers-only post on A: %+v, %v", st, err)
		}
	})
}

// homeStatusID finds, in c's home, the id of the status with ActivityPub id
// uri.
func homeStatusID(t *testing.T, c *mastodon.Client, uri string) mastodon.ID {
	t.Helper()
	home, err := c.GetTimelineHome(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range home {
		if st.URI == uri {
			return st.ID
		}
	}
	t.Fatalf("%s not in home", uri)
	return ""
}
