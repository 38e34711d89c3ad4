package mastoapi

import (
	"context"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// visWorld is an author whose four statuses (one per visibility, replies
// to a public root, tagged and mentioning some readers) are read by every
// kind of reader through every endpoint that returns statuses or accounts.
type visWorld struct {
	*testEnv
	accounts map[string]*model.Account
	tokens   map[string]string
	root     statusJSON
	byVis    map[string]statusJSON
}

// visReaders are the readers, "" being signed out. blocked is blocked by
// the author, blocker blocks the author, muted follows and mutes the author,
// pending asked to follow after the author locked the account.
var visReaders = []string{"author", "follower", "pending", "mentioned", "stranger", "blocked", "blocker", "muted", ""}

// sees is what each reader may see once the relationships are set.
var sees = map[string][]string{
	"author":    {"public", "unlisted", "private", "direct"},
	"follower":  {"public", "unlisted", "private"},
	"pending":   {"public", "unlisted"},
	"mentioned": {"public", "unlisted", "private", "direct"},
	"stranger":  {"public", "unlisted"},
	"blocked":   {},
	"blocker":   {},
	"muted":     {"public", "unlisted", "private"},
	"":          {"public", "unlisted"},
}

func newVisWorld(t *testing.T) *visWorld {
	t.Helper()
	e := newTestEnv(t)
	w := &visWorld{testEnv: e, accounts: map[string]*model.Account{}, tokens: map[string]string{}, byVis: map[string]statusJSON{}}
	for _, name := range visReaders[:len(visReaders)-1] {
		w.accounts[name], w.tokens[name] = e.user(t, name, allScopes)
	}
	for _, name := range []string{"follower", "blocked", "blocker", "muted"} {
		e.follow(t, w.accounts[name], w.accounts["author"])
	}
	code, _, body := e.do(t, "PATCH", "/api/v1/accounts/update_credentials", w.tokens["author"], map[string]any{"locked": true})
	wantStatus(t, code, 200, body)
	w.root = e.postStatus(t, w.tokens["author"], "root #vis", "public")
	for _, vis := range []string{"public", "unlisted", "private", "direct"} {
		code, _, body := e.do(t, "POST", "/api/v1/statuses", w.tokens["author"], map[string]any{
			"status": vis + " #vis @mentioned @blocked @blocker", "visibility": vis, "in_reply_to_id": w.root.ID,
		})
		wantStatus(t, code, 200, body)
		w.byVis[vis] = decode[statusJSON](t, body)
	}
	// Everyone who can see a status now favourites and bookmarks it.
	for _, name := range visReaders[1 : len(visReaders)-1] {
		for _, st := range w.byVis {
			for _, action := range []string{"favourite", "bookmark"} {
				code, _, body := e.do(t, "POST", "/api/v1/statuses/"+st.ID+"/"+action, w.tokens[name], nil)
				if code != 200 && code != 404 {
					t.Fatalf("%s %s: %d %s", name, action, code, body)
				}
			}
		}
	}
	// stranger boosts the public status to its followers, among them the
	// readers who are about to block or mute the author.
	code, _, body = e.do(t, "POST", "/api/v1/statuses/"+w.byVis["public"].ID+"/reblog", w.tokens["stranger"], nil)
	wantStatus(t, code, 200, body)
	for _, name := range []string{"blocked", "blocker", "muted", "follower"} {
		w.act(t, name, "stranger", "follow")
	}
	w.act(t, "pending", "author", "follow")
	w.act(t, "author", "blocked", "block")
	w.act(t, "blocker", "author", "block")
	w.act(t, "muted", "author", "mute")
	return w
}

// act has one reader act on another's account.
func (w *visWorld) act(t *testing.T, who, whom, action string) {
	t.Helper()
	w.rel(t, w.tokens[who], acctPath(w.accounts[whom], action), nil)
}

func (w *visWorld) visible(reader, vis string) bool { return slices.Contains(sees[reader], vis) }

// listed returns the status IDs a listing shows, boosted ones included.
func (w *visWorld) listed(t *testing.T, reader, path string) []string {
	t.Helper()
	code, _, body := w.do(t, "GET", path, w.tokens[reader], nil)
	if code == 404 {
		return nil
	}
	wantStatus(t, code, 200, body)
	var out []string
	if path == "/api/v1/notifications" {
		for _, n := range decode[[]struct {
			Status *statusJSON `json:"status"`
		}](t, body) {
			if n.Status != nil {
				out = append(out, n.Status.ID)
			}
		}
		return out
	}
	if len(path) > 8 && path[len(path)-8:] == "/context" {
		c := decode[struct{ Ancestors, Descendants []statusJSON }](t, body)
		for _, s := range append(c.Ancestors, c.Descendants...) {
			out = append(out, s.ID)
		}
		return out
	}
	for _, s := range decode[[]statusJSON](t, body) {
		out = append(out, s.ID)
		if s.Reblog != nil {
			out = append(out, s.Reblog.ID)
		}
	}
	return out
}

// accountNames returns the usernames a listing of accounts shows.
func (w *visWorld) accountNames(t *testing.T, reader, path string) []string {
	t.Helper()
	code, _, body := w.do(t, "GET", path, w.tokens[reader], nil)
	if code == 404 {
		return nil
	}
	wantStatus(t, code, 200, body)
	var out []string
	for _, a := range decode[[]accountJSON](t, body) {
		out = append(out, a.Username)
	}
	return out
}

func TestVisibilityOnEveryReadEndpoint(t *testing.T) {
	w := newVisWorld(t)
	author := model.FormatID(w.accounts["author"].ID)
	listings := []string{
		"/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/vis",
		"/api/v1/accounts/" + author + "/statuses", "/api/v1/bookmarks", "/api/v1/favourites",
		"/api/v1/notifications", "/api/v1/statuses/" + w.root.ID + "/context",
	}
	for _, reader := range visReaders {
		shown := map[string][]string{}
		for _, path := range listings {
			if reader == "" && (path == "/api/v1/timelines/home" || path == "/api/v1/bookmarks" ||
				path == "/api/v1/favourites" || path == "/api/v1/notifications") {
				continue
			}
			shown[path] = w.listed(t, reader, path)
		}
		for vis, st := range w.byVis {
			want := w.visible(reader, vis)
			for _, suffix := range []string{"", "/context", "/history", "/favourited_by", "/reblogged_by"} {
				code, _, body := w.do(t, "GET", "/api/v1/statuses/"+st.ID+suffix, w.tokens[reader], nil)
				if (code == 200) != want || (code != 200 && code != 404) {
					t.Errorf("%s status, reader %q: GET %s = %d, want visible %v: %s", vis, reader, suffix, code, want, body)
				}
			}
			for path, ids := range shown {
				if slices.Contains(ids, st.ID) && !want {
					t.Errorf("%s status, reader %q: %s shows it", vis, reader, path)
				}
			}
		}
		// Timelines leave out what the reader muted or blocked, and the
		// public ones show only public statuses.
		for _, path := range []string{"/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/vis"} {
			for vis, st := range w.byVis {
				in := slices.Contains(shown[path], st.ID)
				if in && (reader == "muted" || (path != "/api/v1/timelines/home" && vis != "public")) {
					t.Errorf("%s status, reader %q: %s shows it", vis, reader, path)
				}
			}
		}
	}
	// Where they may, readers do find the statuses.
	for _, c := range []struct{ reader, path, vis string }{
		{"follower", "/api/v1/timelines/home", "private"},
		{"stranger", "/api/v1/timelines/public", "public"},
		{"", "/api/v1/timelines/tag/vis", "public"},
		{"mentioned", "/api/v1/notifications", "direct"},
		{"follower", "/api/v1/bookmarks", "private"},
		{"mentioned", "/api/v1/favourites", "direct"},
		{"pending", "/api/v1/accounts/" + author + "/statuses", "unlisted"},
		{"follower", "/api/v1/statuses/" + w.root.ID + "/context", "private"},
		{"follower", "/api/v1/accounts/" + model.FormatID(w.accounts["stranger"].ID) + "/statuses", "public"},
	} {
		if !slices.Contains(w.listed(t, c.reader, c.path), w.byVis[c.vis].ID) {
			t.Errorf("reader %q does not find the %s status in %s", c.reader, c.vis, c.path)
		}
	}
}

func TestBlocksAndMutesInAccountLists(t *testing.T) {
	w := newVisWorld(t)
	author := model.FormatID(w.accounts["author"].ID)
	follower := model.FormatID(w.accounts["follower"].ID)
	pub := w.byVis["public"].ID
	w.act(t, "stranger", "follower", "mute")
	// A followers-only boost is nobody else's business, as in Mastodon.
	code, _, body := w.do(t, "POST", "/api/v1/statuses/"+pub+"/reblog", w.tokens["follower"], map[string]any{"visibility": "private"})
	wantStatus(t, code, 200, body)
	for _, reader := range []string{"author", "mentioned", ""} {
		names := w.accountNames(t, reader, "/api/v1/statuses/"+pub+"/reblogged_by")
		if slices.Contains(names, "follower") || !slices.Contains(names, "stranger") {
			t.Errorf("reader %q: reblogged_by shows %v, want stranger's public boost only", reader, names)
		}
	}

	for _, c := range []struct {
		reader, path string
		hidden       []string
	}{
		// The author blocks blocked and is blocked by blocker.
		{"author", "/api/v1/statuses/" + pub + "/favourited_by", []string{"blocked", "blocker"}},
		{"author", "/api/v1/statuses/" + pub + "/reblogged_by", []string{"blocked", "blocker"}},
		// stranger mutes follower, as Mastodon leaves muted accounts out.
		{"stranger", "/api/v1/statuses/" + pub + "/favourited_by", []string{"follower"}},
		{"stranger", "/api/v1/accounts/" + author + "/followers", []string{"follower"}},
		// blocker blocks the author: not in follower's following, seen by blocker.
		{"blocker", "/api/v1/accounts/" + follower + "/following", []string{"author"}},
		{"blocked", "/api/v1/accounts/search?q=author", []string{"author"}},
		{"blocker", "/api/v1/accounts/search?q=author", []string{"author"}},
	} {
		names := w.accountNames(t, c.reader, c.path)
		for _, h := range c.hidden {
			if slices.Contains(names, h) {
				t.Errorf("reader %s: %s shows %s: %v", c.reader, c.path, h, names)
			}
		}
	}
	// The author blocks blocked: its lists are empty for blocked.
	for _, list := range []string{"followers", "following"} {
		if names := w.accountNames(t, "blocked", "/api/v1/accounts/"+author+"/"+list); len(names) != 0 {
			t.Errorf("the author's %s, seen by an account it blocks: %v", list, names)
		}
	}
	// And they are not empty for others.
	for _, c := range []struct{ reader, path, want string }{
		{"stranger", "/api/v1/statuses/" + pub + "/favourited_by", "mentioned"},
		{"", "/api/v1/accounts/" + author + "/followers", "follower"},
		{"stranger", "/api/v1/accounts/search?q=author", "author"},
	} {
		if names := w.accountNames(t, c.reader, c.path); !slices.Contains(names, c.want) {
			t.Errorf("reader %q: %s lacks %s: %v", c.reader, c.path, c.want, names)
		}
	}
}

func TestSuspendedAccountsVanish(t *testing.T) {
	w := newVisWorld(t)
	ctx := context.Background()
	author := model.FormatID(w.accounts["author"].ID)
	pub := w.byVis["public"].ID
	// A suspended reader drops out of the lists it was in.
	if err := w.svc.SuspendAccount(ctx, "pending"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ reader, path string }{
		{"author", "/api/v1/follow_requests"},
		{"stranger", "/api/v1/statuses/" + pub + "/favourited_by"},
		{"stranger", "/api/v1/accounts/search?q=pending"},
		{"stranger", "/api/v1/accounts?id[]=" + model.FormatID(w.accounts["pending"].ID)},
	} {
		if names := w.accountNames(t, c.reader, c.path); slices.Contains(names, "pending") {
			t.Errorf("%s shows a suspended account: %v", c.path, names)
		}
	}

	// A suspended author vanishes with everything it wrote.
	if err := w.svc.SuspendAccount(ctx, "author"); err != nil {
		t.Fatal(err)
	}
	for _, reader := range []string{"follower", "mentioned", "stranger", ""} {
		for _, path := range []string{"/api/v1/accounts/" + author, "/api/v1/accounts/lookup?acct=author",
			"/api/v1/accounts/" + author + "/statuses", "/api/v1/accounts/" + author + "/followers",
			"/api/v1/statuses/" + pub, "/api/v1/statuses/" + pub + "/context", "/api/v1/statuses/" + pub + "/favourited_by"} {
			code, _, body := w.do(t, "GET", path, w.tokens[reader], nil)
			if code != 404 {
				t.Errorf("reader %q: GET %s = %d after the author's suspension: %s", reader, path, code, body)
			}
		}
		paths := []string{"/api/v1/timelines/public", "/api/v1/timelines/tag/vis"}
		if reader != "" {
			paths = append(paths, "/api/v1/timelines/home", "/api/v1/bookmarks", "/api/v1/favourites", "/api/v1/notifications")
		}
		for _, path := range paths {
			for _, id := range w.listed(t, reader, path) {
				for vis, st := range w.byVis {
					if id == st.ID || id == w.root.ID {
						t.Errorf("reader %q: %s shows the suspended author's %s status", reader, path, vis)
					}
				}
			}
		}
		if reader != "" {
			if names := w.accountNames(t, reader, "/api/v1/accounts/search?q=author"); len(names) != 0 {
				t.Errorf("search shows a suspended account: %v", names)
			}
		}
	}
	code, _, body := w.do(t, "GET", "/api/v1/accounts/verify_credentials", w.tokens["author"], nil)
	wantError(t, code, body, 401, "")

}
