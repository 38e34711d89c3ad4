package app_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"
)

// TestMastodonClient is issue 2's "real client" proof: an admin created
// with `roost admin create-user` signs in from github.com/mattn/go-mastodon
// with the password grant, follows another local user, reads that user's
// posts in the home timeline and favourites one; the other user sees the
// follow and the favourite in their notifications.
func TestMastodonClient(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		s := startServer(t, db)
		ctx := context.Background()
		const adminPW, bobPW = "admin-pass-4a7c9e1b", "bob-pass-93d0f2c5"
		out := s.roost(t, "", "admin", "create-user", "--username", "admin", "--email", "admin@example.com",
			"--role", "owner", "--password", adminPW)
		if !strings.Contains(out, "Created owner admin") {
			t.Fatalf("create-user said:\n%s", out)
		}
		s.roost(t, bobPW+"\n", "admin", "create-user", "--username", "bob", "--password-stdin")

		hc := checkedClient(t)
		app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{
			Client: *hc, Server: s.URL, ClientName: "go-mastodon e2e", Scopes: "read write follow",
		})
		if err != nil {
			t.Fatalf("register app: %v", err)
		}
		admin := signIn(t, s, app, hc, "admin", adminPW)
		bob := signIn(t, s, app, hc, "bob", bobPW)

		me, err := admin.GetAccountCurrentUser(ctx)
		if err != nil || me.Username != "admin" || me.Acct != "admin" {
			t.Fatalf("verify_credentials = %+v, %v", me, err)
		}
		public := post(t, bob, "Hello from Bob #roost", "public")
		private := post(t, bob, "Only for my followers", "private")

		// Admin follows Bob and then sees both posts at home, the
		// followers-only one too; before the follow, only the public one is
		// visible anywhere.
		bobAcct, err := admin.AccountLookup(ctx, "bob")
		if err != nil {
			t.Fatalf("lookup bob: %v", err)
		}
		if _, err := admin.GetStatus(ctx, private.ID); err == nil {
			t.Error("admin read bob's followers-only post before following him")
		}
		rel, err := admin.AccountFollow(ctx, bobAcct.ID)
		if err != nil || !rel.Following {
			t.Fatalf("follow bob = %+v, %v", rel, err)
		}
		own := post(t, admin, "Admin checking in", "public")
		home, err := admin.GetTimelineHome(ctx, nil)
		if err != nil {
			t.Fatalf("home timeline: %v", err)
		}
		ids := statusIDs(home)
		for _, want := range []*mastodon.Status{public, private, own} {
			if !slices.Contains(ids, want.ID) {
				t.Errorf("home timeline %v lacks %q (%s)", ids, want.Content, want.ID)
			}
		}

		fav, err := admin.Favourite(ctx, public.ID)
		if err != nil || fav.Favourited != true || fav.FavouritesCount != 1 {
			t.Fatalf("favourite = %+v, %v", fav, err)
		}
		favs, err := admin.GetFavourites(ctx, nil)
		if err != nil || len(favs) != 1 || favs[0].ID != public.ID {
			t.Fatalf("favourites = %v, %v", statusIDs(favs), err)
		}

		notes, err := bob.GetNotifications(ctx, nil)
		if err != nil {
			t.Fatalf("bob's notifications: %v", err)
		}
		var kinds []string
		for _, n := range notes {
			if n.Account.Username == "admin" {
				kinds = append(kinds, n.Type)
			}
		}
		slices.Sort(kinds)
		if !slices.Equal(kinds, []string{"favourite", "follow"}) {
			t.Errorf("bob was notified of %v by admin, want favourite and follow", kinds)
		}
		s.assertLogsClean(t, adminPW, bobPW, admin.Config.AccessToken, bob.Config.AccessToken,
			app.ClientSecret, "Hello from Bob", "Only for my followers", "admin@example.com")
	})
}

// signIn logs username in through the password grant, as command-line
// clients such as toot do.
func signIn(t *testing.T, s *server, app *mastodon.Application, hc *http.Client, username, password string) *mastodon.Client {
	t.Helper()
	c := mastodon.NewClient(&mastodon.Config{Server: s.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	c.Client = *hc
	if err := c.Authenticate(context.Background(), username, password); err != nil {
		t.Fatalf("password grant for %s: %v", username, err)
	}
	if c.Config.AccessToken == "" {
		t.Fatalf("password grant for %s gave no token", username)
	}
	return c
}

func post(t *testing.T, c *mastodon.Client, text, visibility string) *mastodon.Status {
	t.Helper()
	st, err := c.PostStatus(context.Background(), &mastodon.Toot{Status: text, Visibility: visibility})
	if err != nil {
		t.Fatalf("post %q: %v", text, err)
	}
	if st.Visibility != visibility || !strings.Contains(st.Content, strings.Fields(text)[0]) {
		t.Fatalf("posted %q as %s, got %q as %s", text, visibility, st.Content, st.Visibility)
	}
	return st
}

func statusIDs(sts []*mastodon.Status) []mastodon.ID {
	ids := make([]mastodon.ID, len(sts))
	for i, st := range sts {
		ids[i] = st.ID
	}
	return ids
}
