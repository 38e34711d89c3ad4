package mastoapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// allScopes is what most test tokens carry.
const allScopes = "read write follow"

// statusJSON is the part of a Status entity the tests look at.
type statusJSON struct {
	ID                 string  `json:"id"`
	Content            *string `json:"content"`
	Text               *string `json:"text"`
	Visibility         string  `json:"visibility"`
	SpoilerText        string  `json:"spoiler_text"`
	Sensitive          bool    `json:"sensitive"`
	Language           *string `json:"language"`
	URI                string  `json:"uri"`
	URL                string  `json:"url"`
	InReplyToID        *string `json:"in_reply_to_id"`
	InReplyToAccountID *string `json:"in_reply_to_account_id"`
	RepliesCount       int     `json:"replies_count"`
	ReblogsCount       int     `json:"reblogs_count"`
	FavouritesCount    int     `json:"favourites_count"`
	EditedAt           *string `json:"edited_at"`
	Favourited         *bool   `json:"favourited"`
	Reblogged          *bool   `json:"reblogged"`
	Bookmarked         *bool   `json:"bookmarked"`
	Pinned             *bool   `json:"pinned"`
	Account            struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"account"`
	Reblog   *statusJSON `json:"reblog"`
	Mentions []struct {
		ID, Username, Acct, URL string
	} `json:"mentions"`
	Tags []struct{ Name, URL string } `json:"tags"`
}

// postStatus posts text with visibility through the API and returns it.
func (e *testEnv) postStatus(t testing.TB, token, text, visibility string) statusJSON {
	t.Helper()
	code, _, body := e.do(t, "POST", "/api/v1/statuses", token, map[string]any{"status": text, "visibility": visibility})
	wantStatus(t, code, http.StatusOK, body)
	return decode[statusJSON](t, body)
}

// follow makes a follow b directly through core.
func (e *testEnv) follow(t testing.TB, a, b *model.Account) {
	t.Helper()
	if _, err := e.svc.Follow(context.Background(), &core.Auth{Account: a}, b.ID, core.FollowOptions{}); err != nil {
		t.Fatalf("follow: %v", err)
	}
}

// wantError checks an error response's status and message.
func wantError(t testing.TB, code int, body []byte, wantCode int, wantMsg string) {
	t.Helper()
	wantStatus(t, code, wantCode, body)
	got := decode[apiError](t, body)
	if got.Error == "" || (wantMsg != "" && got.Error != wantMsg) {
		t.Errorf("error %q, want %q", got.Error, wantMsg)
	}
}

func TestCreateStatus(t *testing.T) {
	e := newTestEnv(t)
	alice, tok := e.user(t, "alice", allScopes)
	bob, _ := e.user(t, "bob", allScopes)

	st := e.postStatus(t, tok, "Hello @bob #Roost\n\nhttps://example.org", "")
	if st.Visibility != "public" || st.Account.ID != model.FormatID(alice.ID) {
		t.Errorf("status %+v", st)
	}
	if st.URI != "https://roost.test/users/alice/statuses/"+st.ID || st.URL != "https://roost.test/@alice/"+st.ID {
		t.Errorf("uri %s url %s", st.URI, st.URL)
	}
	if st.Content == nil || !strings.HasPrefix(*st.Content, "<p>Hello ") || !strings.Contains(*st.Content, `href="https://roost.test/@bob"`) {
		t.Errorf("content %v", st.Content)
	}
	if len(st.Mentions) != 1 || st.Mentions[0].ID != model.FormatID(bob.ID) || st.Mentions[0].URL != "https://roost.test/@bob" {
		t.Errorf("mentions %+v", st.Mentions)
	}
	if len(st.Tags) != 1 || st.Tags[0].Name != "roost" || st.Tags[0].URL != "https://roost.test/tags/roost" {
		t.Errorf("tags %+v", st.Tags)
	}
	if st.Favourited == nil || *st.Favourited || st.Pinned == nil || st.Text != nil {
		t.Errorf("viewer flags %+v", st)
	}

	// A form post, a reply with a content warning.
	form := url.Values{"status": {"a reply"}, "in_reply_to_id": {st.ID}, "spoiler_text": {"cw"}, "visibility": {"unlisted"}, "language": {"en"}}
	code, _, body := e.do(t, "POST", "/api/v1/statuses", tok, form)
	wantStatus(t, code, http.StatusOK, body)
	rep := decode[statusJSON](t, body)
	if rep.InReplyToID == nil || *rep.InReplyToID != st.ID || *rep.InReplyToAccountID != model.FormatID(alice.ID) ||
		!rep.Sensitive || rep.SpoilerText != "cw" || rep.Visibility != "unlisted" || rep.Language == nil || *rep.Language != "en" {
		t.Errorf("reply %+v", rep)
	}
}

func TestCreateStatusErrors(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", allScopes)
	_, readOnly := e.user(t, "reader", "read")

	code, _, body := e.do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": strings.Repeat("x", 501)})
	wantError(t, code, body, 422, "Validation failed: Text character limit of 500 exceeded")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": " "})
	wantError(t, code, body, 422, "Validation failed: Text can't be blank")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "x", "visibility": "friends"})
	wantError(t, code, body, 422, "")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", tok, `{"status": "x"`)
	wantError(t, code, body, 400, "")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", "not-a-token", map[string]any{"status": "x"})
	wantError(t, code, body, 401, "The access token is invalid")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", "", map[string]any{"status": "x"})
	wantError(t, code, body, 401, "")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", readOnly, map[string]any{"status": "x"})
	wantError(t, code, body, 403, "This action is outside the authorized scopes")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "x", "in_reply_to_id": "99999"})
	wantError(t, code, body, 404, "The post you are trying to reply to does not appear to exist.")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "x", "media_ids": []string{"1"}})
	wantError(t, code, body, 422, "")
	code, _, body = e.do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "x", "poll": map[string]any{"options": []string{"a", "b"}, "expires_in": 60}})
	wantError(t, code, body, 422, "")
}

func TestIdempotencyKeyHeader(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", allScopes)
	post := func(key string) statusJSON {
		t.Helper()
		req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/statuses", strings.NewReader(`{"status":"only once"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		code, _, body := e.send(t, req)
		wantStatus(t, code, http.StatusOK, body)
		return decode[statusJSON](t, body)
	}
	first := post("8c1a2f")
	if again := post("8c1a2f"); again.ID != first.ID {
		t.Errorf("same key posted twice: %s and %s", first.ID, again.ID)
	}
	if other := post("other"); other.ID == first.ID {
		t.Error("another key returned the same status")
	}
	if none := post(""); none.ID == first.ID {
		t.Error("no key returned the same status")
	}
	code, _, body := e.do(t, "GET", "/api/v1/accounts/"+first.Account.ID+"/statuses", tok, nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]statusJSON](t, body)); n != 3 {
		t.Errorf("%d statuses, want 3", n)
	}
}

func TestStatusVisibilityPerEndpoint(t *testing.T) {
	e := newTestEnv(t)
	author, atok := e.user(t, "author", allScopes)
	follower, ftok := e.user(t, "follower", allScopes)
	_, mtok := e.user(t, "mentioned", allScopes)
	_, stok := e.user(t, "stranger", allScopes)
	e.follow(t, follower, author)

	readers := []struct {
		name, token string
		sees        map[string]bool
	}{
		{"author", atok, map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}},
		{"follower", ftok, map[string]bool{"public": true, "unlisted": true, "private": true}},
		{"mentioned", mtok, map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}},
		{"stranger", stok, map[string]bool{"public": true, "unlisted": true}},
		{"signed out", "", map[string]bool{"public": true, "unlisted": true}},
	}
	for _, vis := range []string{"public", "unlisted", "private", "direct"} {
		st := e.postStatus(t, atok, "hi @mentioned", vis)
		for _, r := range readers {
			want := http.StatusNotFound
			if r.sees[vis] {
				want = http.StatusOK
			}
			for _, path := range []string{"", "/context", "/history", "/favourited_by", "/reblogged_by"} {
				code, _, body := e.do(t, "GET", "/api/v1/statuses/"+st.ID+path, r.token, nil)
				if code != want {
					t.Errorf("%s status, %s: GET %s = %d, want %d: %s", vis, r.name, path, code, want, body)
				}
			}
			if r.token == "" {
				continue
			}
			for _, action := range []string{"favourite", "bookmark", "unfavourite", "unbookmark"} {
				code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/"+action, r.token, nil)
				if code != want {
					t.Errorf("%s status, %s: %s = %d, want %d: %s", vis, r.name, action, code, want, body)
				}
			}
			// Boosting what one sees but may not boost is 403, as in Mastodon.
			wantBoost := want
			if want == http.StatusOK && (vis == "direct" || (vis == "private" && r.name != "author")) {
				wantBoost = http.StatusForbidden
			}
			code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/reblog", r.token, nil)
			if code != wantBoost {
				t.Errorf("%s status, %s: reblog = %d, want %d: %s", vis, r.name, code, wantBoost, body)
			}
			code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/unreblog", r.token, nil)
			if code != want {
				t.Errorf("%s status, %s: unreblog = %d, want %d: %s", vis, r.name, code, want, body)
			}
			if r.name != "author" {
				checkOwnOnly(t, e, st.ID, r.token, want == http.StatusOK, vis+" status, "+r.name)
			}
		}
	}
}

// checkOwnOnly checks that a reader who is not the author can neither edit,
// delete, pin nor read the source of a status: 404 when they cannot see it,
// else Mastodon's refusal.
func checkOwnOnly(t *testing.T, e *testEnv, id, token string, visible bool, what string) {
	t.Helper()
	cases := []struct {
		method, path string
		body         any
		seen         int
	}{
		{"GET", "/source", nil, http.StatusForbidden},
		{"PUT", "", map[string]any{"status": "mine now"}, http.StatusForbidden},
		{"POST", "/pin", nil, http.StatusUnprocessableEntity},
		{"DELETE", "", nil, http.StatusNotFound},
	}
	for _, c := range cases {
		want := http.StatusNotFound
		if visible {
			want = c.seen
		}
		code, _, body := e.do(t, c.method, "/api/v1/statuses/"+id+c.path, token, c.body)
		if code != want {
			t.Errorf("%s: %s %s = %d, want %d: %s", what, c.method, c.path, code, want, body)
		}
	}
}

func TestStatusNotFound(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", allScopes)
	for _, p := range []struct{ method, path string }{
		{"GET", "/api/v1/statuses/123"}, {"GET", "/api/v1/statuses/abc"}, {"DELETE", "/api/v1/statuses/123"},
		{"GET", "/api/v1/statuses/123/context"}, {"GET", "/api/v1/statuses/123/source"},
		{"POST", "/api/v1/statuses/123/favourite"}, {"POST", "/api/v1/statuses/123/reblog"},
		{"POST", "/api/v1/statuses/123/pin"}, {"GET", "/api/v1/accounts/123/statuses"},
		{"GET", "/api/v1/notifications/123"}, {"POST", "/api/v1/notifications/123/dismiss"},
	} {
		code, _, body := e.do(t, p.method, p.path, tok, nil)
		wantError(t, code, body, 404, "Record not found")
	}
}

func TestEditDeleteHistorySource(t *testing.T) {
	e := newTestEnv(t)
	_, atok := e.user(t, "alice", allScopes)
	_, btok := e.user(t, "bob", allScopes)
	st := e.postStatus(t, atok, "first", "public")

	code, _, body := e.do(t, "PUT", "/api/v1/statuses/"+st.ID, atok, map[string]any{"status": "second", "spoiler_text": "cw"})
	wantStatus(t, code, 200, body)
	ed := decode[statusJSON](t, body)
	if ed.EditedAt == nil || *ed.Content != "<p>second</p>" || ed.SpoilerText != "cw" || !ed.Sensitive {
		t.Errorf("edited %+v", ed)
	}
	code, _, body = e.do(t, "PUT", "/api/v1/statuses/"+st.ID, btok, map[string]any{"status": "mine now"})
	wantError(t, code, body, 403, "")
	code, _, body = e.do(t, "PUT", "/api/v1/statuses/"+st.ID, atok, map[string]any{"status": strings.Repeat("y", 501)})
	wantError(t, code, body, 422, "Validation failed: Text character limit of 500 exceeded")
	code, _, body = e.do(t, "PUT", "/api/v1/statuses/"+st.ID, atok, "{")
	wantError(t, code, body, 400, "")

	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/history", "", nil)
	wantStatus(t, code, 200, body)
	hist := decode[[]struct{ Content, SpoilerText string }](t, body)
	if len(hist) != 2 || hist[0].Content != "<p>first</p>" || hist[1].Content != "<p>second</p>" {
		t.Errorf("history %+v", hist)
	}
	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/source", atok, nil)
	wantStatus(t, code, 200, body)
	if src := decode[map[string]string](t, body); src["text"] != "second" || src["spoiler_text"] != "cw" || src["id"] != st.ID {
		t.Errorf("source %v", src)
	}
	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/source", btok, nil)
	wantError(t, code, body, 403, "")

	code, _, body = e.do(t, "DELETE", "/api/v1/statuses/"+st.ID, btok, nil)
	wantError(t, code, body, 404, "")
	code, _, body = e.do(t, "DELETE", "/api/v1/statuses/"+st.ID, atok, nil)
	wantStatus(t, code, 200, body)
	del := decode[statusJSON](t, body)
	if del.Text == nil || *del.Text != "second" || del.Content != nil || del.ID != st.ID {
		t.Errorf("deleted %+v", del)
	}
	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID, atok, nil)
	wantError(t, code, body, 404, "")
}

func TestInteractionsAPI(t *testing.T) {
	e := newTestEnv(t)
	alice, atok := e.user(t, "alice", allScopes)
	bob, btok := e.user(t, "bob", allScopes)
	_, favOnly := e.user(t, "favonly", "read:statuses write:favourites")
	st := e.postStatus(t, atok, "like me", "public")

	code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/favourite", btok, nil)
	wantStatus(t, code, 200, body)
	if f := decode[statusJSON](t, body); !*f.Favourited || f.FavouritesCount != 1 {
		t.Errorf("favourited %+v", f)
	}
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/favourite", favOnly, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/bookmark", favOnly, nil)
	wantError(t, code, body, 403, "")

	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/reblog", btok, map[string]any{"visibility": "unlisted"})
	wantStatus(t, code, 200, body)
	boost := decode[statusJSON](t, body)
	if boost.Reblog == nil || boost.Reblog.ID != st.ID || boost.Visibility != "unlisted" || boost.Account.ID != model.FormatID(bob.ID) ||
		!*boost.Reblog.Reblogged || boost.Reblog.ReblogsCount != 1 || !strings.HasSuffix(boost.URI, "/activity") {
		t.Errorf("boost %+v", boost)
	}

	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/reblog", atok, map[string]any{"visibility": "everyone"})
	wantError(t, code, body, 422, "Validation failed: Visibility is not included in the list")

	code, hdr, body := e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/favourited_by?limit=1", "", nil)
	wantStatus(t, code, 200, body)
	if accts := decode[[]struct{ ID string }](t, body); len(accts) != 1 || !strings.Contains(hdr.Get("Link"), `rel="next"`) {
		t.Errorf("favourited_by page: %s; Link %q", body, hdr.Get("Link"))
	}
	code, _, body = e.do(t, "GET", "/api/v1/statuses/"+st.ID+"/reblogged_by", "", nil)
	wantStatus(t, code, 200, body)
	if accts := decode[[]struct{ ID string }](t, body); len(accts) != 1 || accts[0].ID != model.FormatID(bob.ID) {
		t.Errorf("reblogged_by %s", body)
	}

	// Pins: write:accounts, own statuses, at most five.
	for i := range 5 {
		s := e.postStatus(t, atok, "pin "+string(rune('a'+i)), "public")
		code, _, body := e.do(t, "POST", "/api/v1/statuses/"+s.ID+"/pin", atok, nil)
		wantStatus(t, code, 200, body)
		if p := decode[statusJSON](t, body); p.Pinned == nil || !*p.Pinned {
			t.Errorf("pinned %+v", p)
		}
	}
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/pin", atok, nil)
	wantError(t, code, body, 422, "Validation failed: You have already pinned the maximum number of posts")
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/pin", btok, nil)
	wantError(t, code, body, 422, "Validation failed: Someone else's post cannot be pinned")
	code, _, body = e.do(t, "GET", "/api/v1/accounts/"+model.FormatID(alice.ID)+"/statuses?pinned=true", "", nil)
	wantStatus(t, code, 200, body)
	if n := len(decode[[]statusJSON](t, body)); n != 5 {
		t.Errorf("%d pinned statuses, want 5", n)
	}
}
