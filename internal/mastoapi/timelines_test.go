package mastoapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// statusIDs decodes a JSON array of statuses into their IDs.
func statusIDs(t testing.TB, body []byte) []string {
	t.Helper()
	var out []string
	for _, s := range decode[[]statusJSON](t, body) {
		out = append(out, s.ID)
	}
	return out
}

func TestTimelinesAPI(t *testing.T) {
	e := newTestEnv(t)
	alice, atok := e.user(t, "alice", allScopes)
	bob, btok := e.user(t, "bob", allScopes)
	_, noRead := e.user(t, "noread", "write")
	e.follow(t, alice, bob)
	b1 := e.postStatus(t, btok, "one #Go", "public")
	b2 := e.postStatus(t, btok, "two", "private")
	b3 := e.postStatus(t, btok, "three #go", "public")

	code, hdr, body := e.do(t, "GET", "/api/v1/timelines/home?limit=2", atok, nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); strings.Join(got, ",") != b3.ID+","+b2.ID {
		t.Errorf("home %v", got)
	}
	link := hdr.Get("Link")
	if !strings.Contains(link, "max_id="+b2.ID) || !strings.Contains(link, "min_id="+b3.ID) || !strings.Contains(link, "https://roost.test/api/v1/timelines/home?") {
		t.Errorf("Link %q", link)
	}
	code, _, body = e.do(t, "GET", "/api/v1/timelines/home?max_id="+b2.ID, atok, nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); len(got) != 1 || got[0] != b1.ID {
		t.Errorf("home next page %v", got)
	}
	code, _, body = e.do(t, "GET", "/api/v1/timelines/home", "", nil)
	wantError(t, code, body, 401, "")
	code, _, body = e.do(t, "GET", "/api/v1/timelines/home", noRead, nil)
	wantError(t, code, body, 403, "")

	code, _, body = e.do(t, "GET", "/api/v1/timelines/public", "", nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); strings.Join(got, ",") != b3.ID+","+b1.ID {
		t.Errorf("public %v", got)
	}
	for _, q := range []string{"?local=true", "?remote=true", "?only_media=true"} {
		code, _, body = e.do(t, "GET", "/api/v1/timelines/public"+q, atok, nil)
		wantStatus(t, code, 200, body)
		n := len(statusIDs(t, body))
		if (q == "?local=true" && n != 2) || (q != "?local=true" && n != 0) {
			t.Errorf("public%s has %d statuses", q, n)
		}
	}
	code, hdr, body = e.do(t, "GET", "/api/v1/timelines/tag/GO?limit=1", "", nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); len(got) != 1 || got[0] != b3.ID || !strings.Contains(hdr.Get("Link"), "/api/v1/timelines/tag/GO?") {
		t.Errorf("tag %v, Link %q", got, hdr.Get("Link"))
	}

	acct := "/api/v1/accounts/" + model.FormatID(bob.ID) + "/statuses"
	code, _, body = e.do(t, "GET", acct, "", nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); len(got) != 2 {
		t.Errorf("bob's statuses signed out %v", got)
	}
	code, _, body = e.do(t, "GET", acct+"?tagged=go&exclude_replies=true", atok, nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); len(got) != 2 {
		t.Errorf("bob's statuses tagged go %v", got)
	}
	code, _, body = e.do(t, "GET", acct, atok, nil)
	wantStatus(t, code, 200, body)
	if got := statusIDs(t, body); len(got) != 3 {
		t.Errorf("bob's statuses for a follower %v", got)
	}
}

func TestNotificationsAPI(t *testing.T) {
	e := newTestEnv(t)
	alice, atok := e.user(t, "alice", allScopes)
	bob, btok := e.user(t, "bob", allScopes)
	_, noNotif := e.user(t, "other", "read:statuses write:statuses")
	st := e.postStatus(t, atok, "hello", "public")
	e.postStatus(t, btok, "@alice hi", "direct")
	code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/favourite", btok, nil)
	wantStatus(t, code, 200, body)
	e.follow(t, bob, alice)

	type notif struct {
		ID, Type string
		Account  struct{ ID string }
		Status   *statusJSON
	}
	code, hdr, body := e.do(t, "GET", "/api/v1/notifications", atok, nil)
	wantStatus(t, code, 200, body)
	ns := decode[[]notif](t, body)
	if len(ns) != 3 || ns[0].Type != "follow" || ns[1].Type != "favourite" || ns[2].Type != "mention" {
		t.Fatalf("notifications %s", body)
	}
	if ns[0].Status != nil || ns[1].Status == nil || ns[1].Status.ID != st.ID || ns[1].Account.ID != model.FormatID(bob.ID) {
		t.Errorf("notification entities %+v", ns)
	}
	if !strings.Contains(hdr.Get("Link"), "max_id="+ns[2].ID) {
		t.Errorf("Link %q", hdr.Get("Link"))
	}
	code, _, body = e.do(t, "GET", "/api/v1/notifications?types[]=mention&types[]=favourite", atok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]notif](t, body)); n != 2 {
		t.Errorf("types filter: %d", n)
	}
	code, _, body = e.do(t, "GET", "/api/v1/notifications?exclude_types[]=mention&exclude_types[]=follow", atok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[[]notif](t, body); len(got) != 1 || got[0].Type != "favourite" {
		t.Errorf("exclude_types filter: %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/notifications?account_id="+model.FormatID(alice.ID), atok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]notif](t, body)); n != 0 {
		t.Errorf("account_id filter: %d", n)
	}

	code, _, body = e.do(t, "GET", "/api/v1/notifications/"+ns[1].ID, atok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/notifications/"+ns[1].ID, btok, nil)
	wantError(t, code, body, 404, "")
	code, _, body = e.do(t, "GET", "/api/v1/notifications", noNotif, nil)
	wantError(t, code, body, 403, "")
	code, _, body = e.do(t, "POST", "/api/v1/notifications/"+ns[1].ID+"/dismiss", atok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/notifications/"+ns[1].ID, atok, nil)
	wantError(t, code, body, 404, "")
	code, _, body = e.do(t, "POST", "/api/v1/notifications/clear", noNotif, nil)
	wantError(t, code, body, 403, "")
	code, _, body = e.do(t, "POST", "/api/v1/notifications/clear", atok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/notifications", atok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]notif](t, body)); n != 0 {
		t.Errorf("after clear: %d", n)
	}
}

func TestBookmarksFavouritesAPI(t *testing.T) {
	e := newTestEnv(t)
	_, atok := e.user(t, "alice", allScopes)
	_, btok := e.user(t, "bob", allScopes)
	_, noBm := e.user(t, "nobm", "read:statuses read:favourites write:bookmarks")
	var posted []statusJSON
	for _, s := range []string{"one", "two", "three"} {
		posted = append(posted, e.postStatus(t, btok, s, "public"))
	}
	for _, st := range posted {
		for _, act := range []string{"bookmark", "favourite"} {
			code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/"+act, atok, nil)
			wantStatus(t, code, 200, body)
		}
	}
	for _, path := range []string{"/api/v1/bookmarks", "/api/v1/favourites"} {
		code, hdr, body := e.do(t, "GET", path+"?limit=2", atok, nil)
		wantStatus(t, code, 200, body)
		got := statusIDs(t, body)
		if len(got) != 2 || got[0] != posted[2].ID {
			t.Fatalf("%s %v", path, got)
		}
		// The Link header pages by the bookmark or favourite, not the status.
		next := linkURL(t, hdr.Get("Link"), "next")
		code, _, body = e.do(t, "GET", strings.TrimPrefix(next, "https://roost.test"), atok, nil)
		wantStatus(t, code, 200, body)
		if got := statusIDs(t, body); len(got) != 1 || got[0] != posted[0].ID {
			t.Errorf("%s next page %v", path, got)
		}
	}
	code, _, body := e.do(t, "GET", "/api/v1/bookmarks", noBm, nil)
	wantError(t, code, body, 403, "")
	code, _, body = e.do(t, "GET", "/api/v1/favourites", noBm, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+posted[0].ID+"/unbookmark", atok, nil)
	wantStatus(t, code, 200, body)
	if b := decode[statusJSON](t, body); b.Bookmarked == nil || *b.Bookmarked {
		t.Errorf("unbookmarked %+v", b)
	}
}

// linkURL returns the URL of rel in a Link header.
func linkURL(t testing.TB, link, rel string) string {
	t.Helper()
	for _, part := range strings.Split(link, ",") {
		if strings.Contains(part, `rel="`+rel+`"`) {
			start, end := strings.Index(part, "<"), strings.Index(part, ">")
			if start >= 0 && end > start {
				return part[start+1 : end]
			}
		}
	}
	t.Fatalf("no %s link in %q", rel, link)
	return ""
}

func TestMarkersAPI(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", allScopes)
	code, _, body := e.do(t, "GET", "/api/v1/markers?timeline[]=home", tok, nil)
	wantStatus(t, code, 200, body)
	if string(body) != "{}\n" {
		t.Errorf("no markers yet: %s", body)
	}
	code, _, body = e.do(t, "POST", "/api/v1/markers", tok, map[string]any{"home": map[string]string{"last_read_id": "103"}})
	wantStatus(t, code, 200, body)
	type marker struct {
		LastReadID string `json:"last_read_id"`
		Version    int
	}
	got := decode[map[string]marker](t, body)
	if got["home"].LastReadID != "103" {
		t.Errorf("set %s", body)
	}
	form := "notifications[last_read_id]=7&home[last_read_id]=104"
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/markers", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	code, _, body = e.send(t, req)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications", tok, nil)
	wantStatus(t, code, 200, body)
	got2 := decode[map[string]marker](t, body)
	if got2["home"].LastReadID != "104" || got2["notifications"].LastReadID != "7" || got2["home"].Version <= got["home"].Version {
		t.Errorf("markers %s", body)
	}
	code, _, body = e.do(t, "POST", "/api/v1/markers", tok, map[string]any{"home": map[string]string{"last_read_id": "x"}})
	wantError(t, code, body, 422, "")
	code, _, body = e.do(t, "POST", "/api/v1/markers", tok, "[")
	wantError(t, code, body, 400, "")
	code, _, body = e.do(t, "GET", "/api/v1/markers", "", nil)
	wantError(t, code, body, 401, "")
}

func TestCustomEmojis(t *testing.T) {
	e := newTestEnv(t)
	code, _, body := e.do(t, "GET", "/api/v1/custom_emojis", "", nil)
	wantStatus(t, code, 200, body)
	if strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("custom emojis %s", body)
	}
}
