package app_test

import (
	"net/http"
	"net/url"
	"testing"
)

// fedMovedAccount is the part of a Mastodon account the move test reads.
type fedMovedAccount struct {
	ID    string
	Acct  string
	Moved *struct{ Acct string }
}

// TestFederationMove is issue 3's "Move: followers are migrated", between
// three Roost servers on loopback: alice@A follows bob@B; eve@C names
// bob@B as an alias; bob moves to eve through B's API. A receives the Move,
// checks eve's aliases on C, and alice ends up following eve instead of
// bob, which her server's Mastodon API shows, with bob marked as moved.
func TestFederationMove(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		a, b, c := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery()),
			startDeliveryPeer(t, db, fastDelivery())
		hc := checkedClient(t)
		alice, bob, eve := a.apiUser(t, hc, "alice"), b.apiUser(t, hc, "bob"), c.apiUser(t, hc, "eve")
		bobHandle, eveHandle := "bob@"+b.host(), "eve@"+c.host()

		bobOnA := alice.resolve(bobHandle)
		alice.must(http.MethodPost, "/api/v1/accounts/"+bobOnA+"/follow", nil, nil)
		eventually(t, "alice following bob on A", func() bool { return alice.relationship(bobOnA).Following })

		// Without the alias, B refuses the move and nothing is sent.
		form := url.Values{"password": {"password-bob"}, "moved_to_uri": {c.URL + "/users/eve"}}
		if code := bob.call(http.MethodPost, "/api/v1/accounts/move", form, nil); code != http.StatusUnprocessableEntity {
			t.Fatalf("move to an account without the alias: %d", code)
		}
		// A wrong password is refused too.
		wrong := url.Values{"password": {"nope"}, "moved_to_uri": {c.URL + "/users/eve"}}
		if code := bob.call(http.MethodPost, "/api/v1/accounts/move", wrong, nil); code != http.StatusUnprocessableEntity {
			t.Fatalf("move with a wrong password: %d", code)
		}

		eve.must(http.MethodPost, "/api/v1/accounts/alias", url.Values{"also_known_as[]": {bobHandle}}, nil)
		var moved fedMovedAccount
		if code := bob.call(http.MethodPost, "/api/v1/accounts/move", form, &moved); code != http.StatusAccepted {
			t.Fatalf("move: %d", code)
		}
		if moved.Moved == nil || moved.Moved.Acct != eveHandle {
			t.Errorf("bob on B after the move: %+v", moved)
		}
		if code := bob.call(http.MethodPost, "/api/v1/statuses", url.Values{"status": {"still here"}}, nil); code != http.StatusUnprocessableEntity {
			t.Errorf("a moved account posts: %d", code)
		}

		// A moves alice's follow: she follows eve (once C accepts) and
		// no longer bob.
		var eveOnA string
		eventually(t, "alice following eve on A", func() bool {
			var out struct{ Accounts []struct{ ID, Acct string } }
			alice.must(http.MethodGet, "/api/v2/search?type=accounts&q="+url.QueryEscape(eveHandle), nil, &out)
			if len(out.Accounts) != 1 {
				return false
			}
			eveOnA = out.Accounts[0].ID
			r := alice.relationship(eveOnA)
			return r.Following && !r.Requested
		})
		eventually(t, "alice no longer following bob on A", func() bool {
			r := alice.relationship(bobOnA)
			return !r.Following && !r.Requested
		})
		var bobSeenOnA fedMovedAccount
		alice.must(http.MethodGet, "/api/v1/accounts/"+bobOnA, nil, &bobSeenOnA)
		if bobSeenOnA.Moved == nil || bobSeenOnA.Moved.Acct != eveHandle {
			t.Errorf("bob on A: %+v", bobSeenOnA)
		}
		// C sees alice among eve's followers; B no longer among bob's.
		eventually(t, "alice among eve's followers on C", func() bool {
			var fs []struct{ Acct string }
			eve.must(http.MethodGet, "/api/v1/accounts/"+eve.id+"/followers", nil, &fs)
			return len(fs) == 1 && fs[0].Acct == "alice@"+a.host()
		})
		eventually(t, "alice gone from bob's followers on B", func() bool {
			var fs []struct{ Acct string }
			bob.must(http.MethodGet, "/api/v1/accounts/"+bob.id+"/followers", nil, &fs)
			return len(fs) == 0
		})
	})
}
