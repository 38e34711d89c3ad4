package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// fedUser drives one account through the Mastodon API of its server.
type fedUser struct {
	t   *testing.T
	s   *server
	tok string
	id  string // the account's id on its own server
	hc  *http.Client
}

// apiUser makes the local user name on s (see userToken) and returns it as
// a fedUser whose calls go through hc.
func (s *server) apiUser(t *testing.T, hc *http.Client, name string) *fedUser {
	t.Helper()
	acct, tok := s.userToken(t, name)
	return &fedUser{t: t, s: s, tok: tok, id: model.FormatID(acct.ID), hc: hc}
}

// call sends method path with a form body and decodes the JSON answer
// into out when out is not nil; it returns the status code.
func (u *fedUser) call(method, path string, form url.Values, out any) int {
	u.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u.s.URL+path, body)
	if err != nil {
		u.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+u.tok)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := u.hc.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		u.t.Fatal(err)
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			u.t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	return res.StatusCode
}

// must is call that fails the test unless the answer is 200.
func (u *fedUser) must(method, path string, form url.Values, out any) {
	u.t.Helper()
	if code := u.call(method, path, form, out); code != http.StatusOK {
		u.t.Fatalf("%s %s: %d", method, path, code)
	}
}

// fedStatus is the part of a Mastodon status the scenario reads.
type fedStatus struct {
	ID              string
	URI             string
	Content         string
	Visibility      string
	EditedAt        *string `json:"edited_at"`
	RepliesCount    int     `json:"replies_count"`
	ReblogsCount    int     `json:"reblogs_count"`
	FavouritesCount int     `json:"favourites_count"`
	Account         struct{ Acct string }
	Reblog          *fedStatus
}

type fedNotification struct {
	Type    string
	Account struct{ Acct string }
	Status  *fedStatus
}

type fedRelationship struct {
	ID        string
	Following bool
	Requested bool
	Blocking  bool
	BlockedBy bool `json:"blocked_by"`
}

// resolve finds handle through search with resolve=true and returns its
// account id on u's server.
func (u *fedUser) resolve(handle string) string {
	u.t.Helper()
	var out struct {
		Accounts []struct{ ID, Acct string }
	}
	u.must(http.MethodGet, "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape(handle), nil, &out)
	if len(out.Accounts) != 1 || out.Accounts[0].Acct != handle {
		u.t.Fatalf("resolve %s: %+v", handle, out.Accounts)
	}
	return out.Accounts[0].ID
}

func (u *fedUser) relationship(id string) fedRelationship {
	u.t.Helper()
	var rels []fedRelationship
	u.must(http.MethodGet, "/api/v1/accounts/relationships?id[]="+id, nil, &rels)
	if len(rels) != 1 {
		u.t.Fatalf("relationships with %s: %+v", id, rels)
	}
	return rels[0]
}

func (u *fedUser) home() []fedStatus {
	u.t.Helper()
	var sts []fedStatus
	u.must(http.MethodGet, "/api/v1/timelines/home?limit=40", nil, &sts)
	return sts
}

func (u *fedUser) notifications() []fedNotification {
	u.t.Helper()
	var ns []fedNotification
	u.must(http.MethodGet, "/api/v1/notifications?limit=40", nil, &ns)
	return ns
}

func (u *fedUser) post(form url.Values) fedStatus {
	u.t.Helper()
	var st fedStatus
	u.must(http.MethodPost, "/api/v1/statuses", form, &st)
	return st
}

// eventually polls cond until it holds, for at most 30 seconds. Delivery is
// asynchronous; on a loaded 2-core CI machine, with three servers in one
// process, one step once took over 10 s, so the bound is generous. It bounds
// a hang; it measures nothing.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// findURI returns the status with the given ActivityPub id, or nil.
func findURI(sts []fedStatus, uri string) *fedStatus {
	for i := range sts {
		if sts[i].URI == uri {
			return &sts[i]
		}
	}
	return nil
}

// TestFederationScenario is issue 3's proof on loopback: three Roost
// servers federate over real signed HTTP, and every step done through the
// Mastodon API of one server is checked through the Mastodon API of
// another.
func TestFederationScenario(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		a, b, c := startDeliveryPeer(t, db, fastDelivery()), startDeliveryPeer(t, db, fastDelivery()),
			startDeliveryPeer(t, db, fastDelivery())
		hc := checkedClient(t)
		alice, dave := a.apiUser(t, hc, "alice"), a.apiUser(t, hc, "dave")
		bob, carol := b.apiUser(t, hc, "bob"), b.apiUser(t, hc, "carol")
		eve := c.apiUser(t, hc, "eve")
		aliceHandle := "alice@" + a.host()
		bobHandle, carolHandle := "bob@"+b.host(), "carol@"+b.host()
		carol.must(http.MethodPatch, "/api/v1/accounts/update_credentials", url.Values{"locked": {"true"}}, nil)

		// 1. alice@A resolves bob@B and follows him.
		bobOnA := alice.resolve(bobHandle)
		alice.must(http.MethodPost, "/api/v1/accounts/"+bobOnA+"/follow", nil, nil)
		eventually(t, "alice following bob on A", func() bool { return alice.relationship(bobOnA).Following })
		var aliceOnB string
		eventually(t, "alice among bob's followers on B", func() bool {
			var fs []struct{ ID, Acct string }
			bob.must(http.MethodGet, "/api/v1/accounts/"+bob.id+"/followers", nil, &fs)
			for _, f := range fs {
				if f.Acct == aliceHandle {
					aliceOnB = f.ID
					return true
				}
			}
			return false
		})

		// 2. carol@B is locked: a request, authorized on B.
		carolOnA := alice.resolve(carolHandle)
		var rel fedRelationship
		alice.must(http.MethodPost, "/api/v1/accounts/"+carolOnA+"/follow", nil, &rel)
		if rel.Following || !rel.Requested {
			t.Fatalf("follow of a locked account: %+v", rel)
		}
		var reqs []struct{ ID, Acct string }
		eventually(t, "alice's request on B", func() bool {
			carol.must(http.MethodGet, "/api/v1/follow_requests", nil, &reqs)
			return len(reqs) == 1
		})
		if reqs[0].Acct != aliceHandle {
			t.Fatalf("carol's follow requests: %+v", reqs)
		}
		if r := alice.relationship(carolOnA); r.Following || !r.Requested {
			t.Errorf("before authorization: %+v", r)
		}
		carol.must(http.MethodPost, "/api/v1/follow_requests/"+reqs[0].ID+"/authorize", nil, nil)
		eventually(t, "alice following carol on A", func() bool {
			r := alice.relationship(carolOnA)
			return r.Following && !r.Requested
		})

		// eve@C knows bob but does not follow him.
		eve.resolve(bobHandle)

		// 3. bob posts in each visibility.
		pub := bob.post(url.Values{"status": {"hello public"}, "visibility": {"public"}})
		unl := bob.post(url.Values{"status": {"hello unlisted"}, "visibility": {"unlisted"}})
		priv := bob.post(url.Values{"status": {"hello followers"}, "visibility": {"private"}})
		dm := bob.post(url.Values{"status": {"@" + aliceHandle + " hello direct"}, "visibility": {"direct"}})
		var pubOnA, privOnA fedStatus
		eventually(t, "bob's posts in alice's home on A", func() bool {
			home := alice.home()
			for _, st := range []fedStatus{pub, unl, priv} {
				if findURI(home, st.URI) == nil {
					return false
				}
			}
			pubOnA, privOnA = *findURI(home, pub.URI), *findURI(home, priv.URI)
			return true
		})
		for _, c := range []struct {
			st  fedStatus
			vis string
		}{{pubOnA, "public"}, {privOnA, "private"}} {
			if c.st.Visibility != c.vis || c.st.Account.Acct != bobHandle {
				t.Errorf("on A: %+v, want %s by %s", c.st, c.vis, bobHandle)
			}
		}
		if !strings.Contains(pubOnA.Content, "hello public") || !strings.Contains(privOnA.Content, "hello followers") {
			t.Errorf("contents on A: %q, %q", pubOnA.Content, privOnA.Content)
		}

		t.Run("direct", func(t *testing.T) {
			alice := *alice
			alice.t = t
			var dmOnA *fedStatus
			eventually(t, "the direct mention in alice's notifications", func() bool {
				for _, n := range alice.notifications() {
					if n.Type == "mention" && n.Status != nil && n.Status.URI == dm.URI {
						dmOnA = n.Status
						return true
					}
				}
				return false
			})
			if dmOnA.Visibility != "direct" || !strings.Contains(dmOnA.Content, "hello direct") {
				t.Errorf("the direct status on A: %+v", dmOnA)
			}
			alice.must(http.MethodGet, "/api/v1/statuses/"+dmOnA.ID, nil, nil)
			dave := *dave
			dave.t = t
			if code := dave.call(http.MethodGet, "/api/v1/statuses/"+dmOnA.ID, nil, nil); code != http.StatusNotFound {
				t.Errorf("dave reading bob's direct status to alice: %d", code)
			}
		})

		// A followers-only post never reaches a non-follower: not dave, on
		// the same server, nor eve, on a server where no one follows bob.
		if findURI(dave.home(), priv.URI) != nil {
			t.Error("bob's followers-only post is in dave's home")
		}
		if code := dave.call(http.MethodGet, "/api/v1/statuses/"+privOnA.ID, nil, nil); code != http.StatusNotFound {
			t.Errorf("dave reading bob's followers-only post: %d", code)
		}
		var found struct{ Statuses []fedStatus }
		eve.must(http.MethodGet, "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(priv.URI), nil, &found)
		if len(found.Statuses) != 0 {
			t.Errorf("eve on C found bob's followers-only post: %+v", found.Statuses)
		}
		// The public one, pasted as a link, she finds.
		eve.must(http.MethodGet, "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(pub.URI), nil, &found)
		if len(found.Statuses) != 1 || found.Statuses[0].URI != pub.URI {
			t.Errorf("eve on C searching bob's public post: %+v", found.Statuses)
		}
		if _, err := c.app.Store().StatusByURI(t.Context(), priv.URI); err == nil {
			t.Error("C holds bob's followers-only post")
		}

		// 4. alice replies to, boosts and likes bob's public post.
		alice.post(url.Values{"status": {"@" + bobHandle + " nice one"}, "visibility": {"public"},
			"in_reply_to_id": {pubOnA.ID}})
		alice.must(http.MethodPost, "/api/v1/statuses/"+pubOnA.ID+"/reblog", nil, nil)
		alice.must(http.MethodPost, "/api/v1/statuses/"+pubOnA.ID+"/favourite", nil, nil)
		t.Run("interactions", func(t *testing.T) {
			bob := *bob
			bob.t = t
			want := []string{"favourite", "mention", "reblog"}
			var got []string
			eventually(t, "bob's notifications from alice on B", func() bool {
				got = got[:0]
				for _, n := range bob.notifications() {
					if n.Account.Acct == aliceHandle && n.Type != "follow" {
						got = append(got, n.Type)
					}
				}
				slices.Sort(got)
				return slices.Equal(got, want)
			})
			var st fedStatus
			eventually(t, "the counts on B", func() bool {
				bob.must(http.MethodGet, "/api/v1/statuses/"+pub.ID, nil, &st)
				return st.RepliesCount == 1 && st.ReblogsCount == 1 && st.FavouritesCount == 1
			})
		})

		// 5. bob edits, then deletes, his public post.
		bob.must(http.MethodPut, "/api/v1/statuses/"+pub.ID, url.Values{"status": {"hello edited"}}, nil)
		eventually(t, "the edit on A", func() bool {
			var st fedStatus
			alice.must(http.MethodGet, "/api/v1/statuses/"+pubOnA.ID, nil, &st)
			return st.EditedAt != nil && strings.Contains(st.Content, "hello edited")
		})
		bob.must(http.MethodDelete, "/api/v1/statuses/"+pub.ID, nil, nil)
		eventually(t, "the delete on A", func() bool {
			return alice.call(http.MethodGet, "/api/v1/statuses/"+pubOnA.ID, nil, nil) == http.StatusNotFound
		})
		if findURI(alice.home(), pub.URI) != nil {
			t.Error("the deleted post is still in alice's home")
		}

		// 6. bob blocks alice: she no longer follows him, and his new posts
		// do not reach her (dave, who now follows bob, shows they reach A).
		dave.must(http.MethodPost, "/api/v1/accounts/"+dave.resolve(bobHandle)+"/follow", nil, nil)
		eventually(t, "dave following bob", func() bool { return dave.relationship(bobOnA).Following })
		bob.must(http.MethodPost, "/api/v1/accounts/"+aliceOnB+"/block", nil, nil)
		eventually(t, "alice no longer following bob on A", func() bool {
			r := alice.relationship(bobOnA)
			return !r.Following && !r.Requested
		})
		after := bob.post(url.Values{"status": {"after the block"}, "visibility": {"public"}})
		eventually(t, "bob's post after the block in dave's home", func() bool { return findURI(dave.home(), after.URI) != nil })
		if findURI(alice.home(), after.URI) != nil {
			t.Error("bob's post after the block reached alice's home")
		}
		var followers []struct{ Acct string }
		bob.must(http.MethodGet, "/api/v1/accounts/"+bob.id+"/followers", nil, &followers)
		for _, f := range followers {
			if f.Acct == aliceHandle {
				t.Error("alice still follows bob on B")
			}
		}

		for _, s := range []*server{a, b, c} {
			s.assertLogsClean(t, alice.tok, bob.tok, carol.tok, dave.tok, eve.tok,
				"hello public", "hello followers", "hello direct", "nice one", "hello edited")
		}
	})
}
