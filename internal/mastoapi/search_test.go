package mastoapi

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// mapFetcher serves remote documents from a map.
type mapFetcher map[string]string

func (m mapFetcher) FetchObject(_ context.Context, u string) (*core.Fetched, error) {
	if b, ok := m[u]; ok {
		return &core.Fetched{Body: []byte(b), URL: u}, nil
	}
	return nil, fmt.Errorf("no %s: %w", u, model.ErrNotFound)
}

func (m mapFetcher) FetchWebFinger(ctx context.Context, u string) (*core.Fetched, error) {
	return m.FetchObject(ctx, u)
}

const remoteBob = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/users/bob",
"type":"Person","preferredUsername":"bob","name":"Bob","summary":"<p>Hi <b>there</b><script>x</script></p>",
"url":"https://remote.example/@bob","inbox":"https://remote.example/users/bob/inbox",
"attachment":[{"type":"PropertyValue","name":"site","value":"<a href=\"https://bob.example\">bob.example</a>"}]}`

func TestSearch(t *testing.T) {
	e := newTestEnv(t)
	e.svc.SetFetcher(mapFetcher{
		"https://remote.example/.well-known/webfinger?resource=acct%3Abob%40remote.example": `{"links":[{"rel":"self","type":"application/activity+json","href":"https://remote.example/users/bob"}]}`,
		"https://remote.example/users/bob":                                                  remoteBob,
	})
	alice, tok := e.user(t, "alice", "read")
	e.user(t, "alicia", "read")
	search := func(token, query string, want int) SearchResults {
		t.Helper()
		code, _, body := e.do(t, "GET", "/api/v2/search?"+query, token, nil)
		wantStatus(t, code, want, body)
		if want != 200 {
			return SearchResults{}
		}
		return decode[SearchResults](t, body)
	}
	res := search("", "q=ali&type=accounts", 200)
	if len(res.Accounts) != 2 || res.Accounts[0].Username != "alice" || len(res.Statuses) != 0 || len(res.Hashtags) != 0 {
		t.Errorf("prefix search: %+v", res)
	}
	if res := search("", "q=ali&limit=1", 200); len(res.Accounts) != 1 {
		t.Errorf("limit: %+v", res.Accounts)
	}
	if res := search(tok, "q=ali&type=accounts&offset=1", 200); len(res.Accounts) != 1 || res.Accounts[0].Username != "alicia" {
		t.Errorf("offset: %+v", res.Accounts)
	}
	if res := search("", "q=%23Tea", 200); len(res.Hashtags) != 1 || res.Hashtags[0].Name != "tea" ||
		res.Hashtags[0].URL != "https://roost.test/tags/tea" {
		t.Errorf("hashtag: %+v", res.Hashtags)
	}
	search("", "q=bob%40remote.example&resolve=true", 401)
	search("", "q=ali&offset=1", 401)
	search(tok, "q=", 400)
	if res := search(tok, "q=bob%40remote.example", 200); len(res.Accounts) != 0 {
		t.Errorf("unknown remote account found without resolve: %+v", res.Accounts)
	}
	for _, q := range []string{"bob@remote.example", "@bob@remote.example", "https://remote.example/users/bob"} {
		res := search(tok, "resolve=true&q="+url.QueryEscape(q), 200)
		if len(res.Accounts) != 1 {
			t.Fatalf("resolve %q: %+v", q, res)
		}
		b := res.Accounts[0]
		if b.Acct != "bob@remote.example" || b.Username != "bob" || b.URI != "https://remote.example/users/bob" ||
			b.URL != "https://remote.example/@bob" || b.DisplayName != "Bob" ||
			b.Note != "<p>Hi <b>there</b></p>" || len(b.Fields) != 1 ||
			b.Fields[0].Value != `<a href="https://bob.example" rel="nofollow noopener" target="_blank">bob.example</a>` {
			t.Errorf("resolve %q: %+v", q, b)
		}
	}
	// Known now, it is found by handle without resolving, and it is a
	// normal account to the rest of the API.
	res = search("", "q=bob%40remote.example&type=accounts", 200)
	if len(res.Accounts) != 1 {
		t.Fatalf("known remote account: %+v", res)
	}
	code, _, body := e.do(t, "GET", "/api/v1/accounts/"+res.Accounts[0].ID, "", nil)
	wantStatus(t, code, 200, body)
	// A blocked account is not shown.
	if _, err := e.svc.Block(context.Background(), &core.Auth{Account: alice}, mustParseID(t, res.Accounts[0].ID)); err != nil {
		t.Fatal(err)
	}
	if res := search(tok, "q=bob%40remote.example&resolve=true", 200); len(res.Accounts) != 0 {
		t.Errorf("blocked account found: %+v", res.Accounts)
	}
}

func mustParseID(t *testing.T, s string) int64 {
	t.Helper()
	id, ok := model.ParseID(s)
	if !ok {
		t.Fatalf("bad id %q", s)
	}
	return id
}
