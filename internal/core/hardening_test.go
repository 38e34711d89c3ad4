package core

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// TestRefusedMarkersSaveNothing checks that markers are checked before any
// is saved: one bad position leaves the good one unsaved.
func TestRefusedMarkersSaveNothing(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	if _, err := w.s.SetMarkers(w.ctx, alice.ID, map[string]int64{"home": 42, "notifications": -1}); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("bad marker: %v", err)
	}
	if got, err := w.s.Markers(w.ctx, alice.ID, MarkerTimelines); err != nil || len(got) != 0 {
		t.Errorf("a refused request saved markers: %v %+v", err, got)
	}
}

// nulRefusingStore fails, as PostgreSQL does, when text holding a NUL
// byte reaches a lookup.
type nulRefusingStore struct{ store.Store }

var errNUL = errors.New(`invalid byte sequence for encoding "UTF8": 0x00`)

func (n nulRefusingStore) AccountByUsername(ctx context.Context, username, domain string) (*model.Account, error) {
	if hasNULForTest(username, domain) {
		return nil, errNUL
	}
	return n.Store.AccountByUsername(ctx, username, domain)
}

func (n nulRefusingStore) SearchAccounts(ctx context.Context, prefix string, limit, offset int) ([]*model.Account, error) {
	if hasNULForTest(prefix) {
		return nil, errNUL
	}
	return n.Store.SearchAccounts(ctx, prefix, limit, offset)
}

func (n nulRefusingStore) AppByClientID(ctx context.Context, clientID string) (*model.App, error) {
	if hasNULForTest(clientID) {
		return nil, errNUL
	}
	return n.Store.AppByClientID(ctx, clientID)
}

func (n nulRefusingStore) UseInvite(ctx context.Context, code string, now time.Time) (*model.Invite, error) {
	if hasNULForTest(code) {
		return nil, errNUL
	}
	return n.Store.UseInvite(ctx, code, now)
}

func (n nulRefusingStore) Notifications(ctx context.Context, id int64, f store.NotificationFilter, p store.Page) ([]*model.Notification, error) {
	for _, t := range append(f.Types, f.ExcludeTypes...) {
		if hasNULForTest(string(t)) {
			return nil, errNUL
		}
	}
	return n.Store.Notifications(ctx, id, f, p)
}

func hasNULForTest(ss ...string) bool {
	for _, s := range ss {
		if strings.Contains(s, "\x00") {
			return true
		}
	}
	return false
}

// TestNULBytesFindNothing checks that client text holding a NUL byte never
// reaches a lookup, which on PostgreSQL would be a server error.
func TestNULBytesFindNothing(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	w.s.store = nulRefusingStore{w.s.store}
	ctx := w.ctx
	app, _, err := w.s.CreateApp(ctx, NewApp{Name: "app", RedirectURIs: []string{OOBRedirect}})
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]error{}
	_, checks["lookup"] = w.s.LookupAccount(ctx, alice.ID, "al\x00ice")
	_, checks["password grant"] = w.s.PasswordGrant(ctx, app, "al\x00ice", "password-alice", "")
	_, checks["client"] = w.s.AppByCredentials(ctx, "id\x00", "secret")
	_, _, checks["authorize"] = w.s.CheckAuthRequest(ctx, AuthRequest{ClientID: "id\x00", RedirectURI: OOBRedirect, ResponseType: "code"})
	_, _, checks["invite"] = w.s.Register(ctx, app, Registration{Username: "bob", Password: "password-bob", Agreement: true, InviteCode: "c\x00de"})
	for name, err := range checks {
		if errors.Is(err, errNUL) || err == nil {
			t.Errorf("%s: %v, want a refusal that never asked the store", name, err)
		}
	}
	if found, err := w.s.SearchAccounts(ctx, alice.ID, "al\x00", false, 5, 0); err != nil || len(found) != 0 {
		t.Errorf("search: %v %v", found, err)
	}
	f := store.NotificationFilter{Types: []model.NotificationType{"fav\x00"}, ExcludeTypes: []model.NotificationType{"\x00"}}
	if l, err := w.s.Notifications(ctx, alice.ID, f, store.Page{Limit: 5}); err != nil || len(l.Items) != 0 {
		t.Errorf("notifications: %v %v", l, err)
	}
}
