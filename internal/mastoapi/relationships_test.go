package mastoapi

import (
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

type relJSON struct {
	ID                  string `json:"id"`
	Following           bool   `json:"following"`
	ShowingReblogs      bool   `json:"showing_reblogs"`
	Notifying           bool   `json:"notifying"`
	FollowedBy          bool   `json:"followed_by"`
	Blocking            bool   `json:"blocking"`
	BlockedBy           bool   `json:"blocked_by"`
	Muting              bool   `json:"muting"`
	MutingNotifications bool   `json:"muting_notifications"`
	Requested           bool   `json:"requested"`
	RequestedBy         bool   `json:"requested_by"`
	Note                string `json:"note"`
}

const relScopes = "read write follow"

// rel posts a relationship action and returns the new relationship.
func (e *testEnv) rel(t testing.TB, token, path string, body any) relJSON {
	t.Helper()
	code, _, resp := e.do(t, "POST", path, token, body)
	wantStatus(t, code, 200, resp)
	return decode[relJSON](t, resp)
}

func acctPath(a *model.Account, action string) string {
	return "/api/v1/accounts/" + model.FormatID(a.ID) + "/" + action
}

func TestFollowEndpoints(t *testing.T) {
	e := newTestEnv(t)
	alice, aTok := e.user(t, "alice", relScopes)
	bob, bTok := e.user(t, "bob", relScopes)

	r := e.rel(t, aTok, acctPath(bob, "follow"), map[string]any{"reblogs": false, "notify": true})
	if !r.Following || r.ShowingReblogs || !r.Notifying || r.ID != model.FormatID(bob.ID) {
		t.Errorf("follow = %+v", r)
	}
	code, _, body := e.do(t, "GET", "/api/v1/accounts/relationships?id[]="+model.FormatID(alice.ID)+"&id[]=42", bTok, nil)
	wantStatus(t, code, 200, body)
	if rs := decode[[]relJSON](t, body); len(rs) != 1 || !rs[0].FollowedBy {
		t.Errorf("bob's relationships = %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/relationships?id="+model.FormatID(bob.ID), aTok, nil)
	wantStatus(t, code, 200, body)

	code, h, body := e.do(t, "GET", acctPath(bob, "followers"), "", nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 1 || got[0].Username != "alice" || h.Get("Link") == "" {
		t.Errorf("followers = %s (Link %q)", body, h.Get("Link"))
	}
	code, _, body = e.do(t, "GET", acctPath(alice, "following"), "", nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 1 || got[0].FollowersCount != 1 {
		t.Errorf("following = %s", body)
	}

	r = e.rel(t, bTok, acctPath(alice, "remove_from_followers"), nil)
	if r.FollowedBy {
		t.Errorf("remove_from_followers = %+v", r)
	}
	e.rel(t, aTok, acctPath(bob, "follow"), nil)
	if r := e.rel(t, aTok, acctPath(bob, "unfollow"), nil); r.Following {
		t.Errorf("unfollow = %+v", r)
	}
	if r := e.rel(t, aTok, acctPath(bob, "note"), url.Values{"comment": {"from the bird club"}}); r.Note != "from the bird club" {
		t.Errorf("note = %+v", r)
	}

	code, _, body = e.do(t, "POST", acctPath(alice, "follow"), aTok, nil)
	wantStatus(t, code, 404, body) // oneself
	code, _, body = e.do(t, "POST", "/api/v1/accounts/987654321/follow", aTok, nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "POST", acctPath(bob, "follow"), aTok, `{"reblogs": tru`)
	wantStatus(t, code, 400, body)
	readOnly := e.token(t, "alice", "read")
	code, _, body = e.do(t, "POST", acctPath(bob, "follow"), readOnly, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", "/api/v1/accounts/relationships?id[]=1", e.token(t, "alice", "read:statuses"), nil)
	wantStatus(t, code, 403, body)
	fine := e.token(t, "alice", "write:follows")
	code, _, body = e.do(t, "POST", acctPath(bob, "follow"), fine, nil)
	wantStatus(t, code, 200, body)
}

func TestFollowersPaging(t *testing.T) {
	e := newTestEnv(t)
	target, _ := e.user(t, "target", relScopes)
	for _, name := range []string{"f1", "f2", "f3"} {
		_, tok := e.user(t, name, relScopes)
		e.rel(t, tok, acctPath(target, "follow"), nil)
	}
	code, h, body := e.do(t, "GET", acctPath(target, "followers")+"?limit=2", "", nil)
	wantStatus(t, code, 200, body)
	page1 := decode[[]accountJSON](t, body)
	if len(page1) != 2 || page1[0].Username != "f3" {
		t.Fatalf("page 1 = %s", body)
	}
	next := linkURL(t, h.Get("Link"), "next")
	u, err := url.Parse(next)
	if err != nil || u.Query().Get("limit") != "2" || u.Query().Get("max_id") == "" {
		t.Fatalf("next link %q", next)
	}
	code, _, body = e.do(t, "GET", u.Path+"?"+u.RawQuery, "", nil)
	wantStatus(t, code, 200, body)
	if page2 := decode[[]accountJSON](t, body); len(page2) != 1 || page2[0].Username != "f1" {
		t.Errorf("page 2 = %s", body)
	}
}

func TestFollowRequestEndpoints(t *testing.T) {
	e := newTestEnv(t)
	alice, aTok := e.user(t, "alice", relScopes)
	bob, bTok := e.user(t, "bob", relScopes)
	carol, cTok := e.user(t, "carol", relScopes)
	code, _, body := e.do(t, "PATCH", "/api/v1/accounts/update_credentials", bTok, map[string]any{"locked": true})
	wantStatus(t, code, 200, body)

	if r := e.rel(t, aTok, acctPath(bob, "follow"), nil); r.Following || !r.Requested {
		t.Fatalf("follow of a locked account = %+v", r)
	}
	e.rel(t, cTok, acctPath(bob, "follow"), nil)
	code, _, body = e.do(t, "GET", "/api/v1/follow_requests", bTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 2 {
		t.Fatalf("requests = %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/accounts/verify_credentials", bTok, nil)
	wantStatus(t, code, 200, body)
	if me := decode[accountJSON](t, body); me.Source.FollowRequestsCount != 2 {
		t.Errorf("follow_requests_count = %d", me.Source.FollowRequestsCount)
	}

	r := e.rel(t, bTok, "/api/v1/follow_requests/"+model.FormatID(alice.ID)+"/authorize", nil)
	if !r.FollowedBy || r.RequestedBy {
		t.Errorf("authorize = %+v", r)
	}
	r = e.rel(t, bTok, "/api/v1/follow_requests/"+model.FormatID(carol.ID)+"/reject", nil)
	if r.FollowedBy || r.RequestedBy {
		t.Errorf("reject = %+v", r)
	}
	code, _, body = e.do(t, "POST", "/api/v1/follow_requests/"+model.FormatID(carol.ID)+"/authorize", bTok, nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "GET", "/api/v1/follow_requests", e.token(t, "bob", "read:statuses"), nil)
	wantStatus(t, code, 403, body)
}

func TestBlockMuteEndpoints(t *testing.T) {
	e := newTestEnv(t)
	alice, aTok := e.user(t, "alice", relScopes)
	bob, bTok := e.user(t, "bob", relScopes)
	e.rel(t, bTok, acctPath(alice, "follow"), nil)

	r := e.rel(t, aTok, acctPath(bob, "block"), nil)
	if !r.Blocking || r.FollowedBy {
		t.Errorf("block = %+v", r)
	}
	code, _, body := e.do(t, "POST", acctPath(alice, "follow"), bTok, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", "/api/v1/blocks", aTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 1 || got[0].Username != "bob" {
		t.Errorf("blocks = %s", body)
	}
	if r := e.rel(t, aTok, acctPath(bob, "unblock"), nil); r.Blocking {
		t.Errorf("unblock = %+v", r)
	}

	r = e.rel(t, aTok, acctPath(bob, "mute"), map[string]any{"notifications": false, "duration": 3600})
	if !r.Muting || r.MutingNotifications {
		t.Errorf("mute = %+v", r)
	}
	code, _, body = e.do(t, "GET", "/api/v1/mutes", aTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]accountJSON](t, body); len(got) != 1 {
		t.Errorf("mutes = %s", body)
	}
	if r := e.rel(t, aTok, acctPath(bob, "mute"), nil); !r.MutingNotifications {
		t.Errorf("mute defaults to muting notifications: %+v", r)
	}
	if r := e.rel(t, aTok, acctPath(bob, "unmute"), nil); r.Muting {
		t.Errorf("unmute = %+v", r)
	}
	code, _, body = e.do(t, "POST", acctPath(bob, "mute"), aTok, map[string]any{"duration": "soon"})
	wantStatus(t, code, 422, body)
	code, _, body = e.do(t, "POST", acctPath(bob, "mute"), aTok, map[string]any{"duration": -5})
	wantStatus(t, code, 422, body)

	followOnly := e.token(t, "alice", "follow")
	for _, path := range []string{acctPath(bob, "block"), acctPath(bob, "mute")} {
		code, _, body = e.do(t, "POST", path, followOnly, nil)
		wantStatus(t, code, 200, body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/blocks", e.token(t, "alice", "read:mutes"), nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "POST", acctPath(bob, "note"), followOnly, nil)
	wantStatus(t, code, 403, body) // notes need write:accounts
}

func TestAppTokenOnUserEndpoints(t *testing.T) {
	e := newTestEnv(t)
	bob, _ := e.user(t, "bob", relScopes)
	appTok := e.appToken(t, relScopes)
	code, _, body := e.do(t, "POST", acctPath(bob, "follow"), appTok, nil)
	wantStatus(t, code, 422, body)
	if !strings.Contains(decode[errorJSON](t, body).Error, "authenticated user") {
		t.Errorf("app token: %s", body)
	}
}
