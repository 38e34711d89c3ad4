package mastoapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/testutil/openapi"
)

// TestGoMastodonAccounts drives the account endpoints with a real client
// library, every response checked against the schema on the way.
func TestGoMastodonAccounts(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	bob, _ := e.user(t, "bob", "read")
	e.user(t, "alice", "read")
	hc := &http.Client{Transport: openapi.Load(t).Transport(t, http.DefaultTransport)}

	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{
		Client: *hc, Server: e.srv.URL, ClientName: "go-mastodon", Scopes: "read write follow",
	})
	if err != nil {
		t.Fatalf("register app: %v", err)
	}
	c := mastodon.NewClient(&mastodon.Config{Server: e.srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	c.Client = *hc
	if err := c.Authenticate(ctx, "alice", "password-alice"); err != nil {
		t.Fatalf("password grant: %v", err)
	}
	me, err := c.GetAccountCurrentUser(ctx)
	if err != nil || me.Username != "alice" {
		t.Fatalf("verify_credentials: %v, %v", me, err)
	}
	rel, err := c.AccountFollow(ctx, mastodon.ID(model.FormatID(bob.ID)))
	if err != nil || !rel.Following {
		t.Fatalf("follow: %+v, %v", rel, err)
	}
	rels, err := c.GetAccountRelationships(ctx, []string{model.FormatID(bob.ID)})
	if err != nil || len(rels) != 1 || !rels[0].Following {
		t.Fatalf("relationships: %+v, %v", rels, err)
	}
	name := "Alice from go-mastodon"
	if got, err := c.AccountUpdate(ctx, &mastodon.Profile{DisplayName: &name}); err != nil || got.DisplayName != name {
		t.Fatalf("update_credentials: %v, %v", got, err)
	}
	if inst, err := c.GetInstance(ctx); err != nil || inst.URI != "roost.test" {
		t.Fatalf("instance: %+v, %v", inst, err)
	}
}
