package webpages

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// TestProfileVisibility: the profile lists public and unlisted posts and
// never followers-only or direct ones; each post's page follows the same
// rule, and a hidden post's 404 is the same as a missing one's.
func TestProfileVisibility(t *testing.T) {
	e := newTestEnv(t)
	alice := e.user(t, "alice")
	e.user(t, "bob")
	pub := e.post(t, alice, "public words", model.VisibilityPublic, 0)
	unl := e.post(t, alice, "unlisted words", model.VisibilityUnlisted, 0)
	priv := e.post(t, alice, "followers words", model.VisibilityPrivate, 0)
	dm := e.post(t, alice, "@bob direct words", model.VisibilityDirect, 0)

	p := e.get(t, "/@alice")
	p.want(t, "profile", 200, []string{"public words", "unlisted words", "@alice@roost.test",
		`href="/@alice/` + model.FormatID(pub.ID) + `"`},
		[]string{"followers words", "direct words"})
	checkHeaders(t, "profile", p)

	e.get(t, "/@alice/"+model.FormatID(pub.ID)).want(t, "public post", 200, []string{"public words"}, nil)
	e.get(t, "/@alice/"+model.FormatID(unl.ID)).want(t, "unlisted post", 200, []string{"unlisted words"}, nil)
	missing := e.get(t, "/@alice/999999999")
	missing.want(t, "missing post", 404, nil, nil)
	for name, st := range map[string]*model.Status{"private": priv, "direct": dm} {
		got := e.get(t, "/@alice/"+model.FormatID(st.ID))
		got.want(t, name+" post", 404, nil, []string{"words"})
		if got.body != missing.body {
			t.Errorf("%s post: 404 page differs from a missing post's", name)
		}
	}
	// A post is only found under its own author.
	e.get(t, "/@bob/"+model.FormatID(pub.ID)).want(t, "post under another account", 404, nil, []string{"public words"})
}

// TestThreadVisibility: a post's page shows the public and unlisted posts
// of its thread, and neither followers-only nor direct replies.
func TestThreadVisibility(t *testing.T) {
	e := newTestEnv(t)
	alice, bob, carol := e.user(t, "alice"), e.user(t, "bob"), e.user(t, "carol")
	root := e.post(t, alice, "root post", model.VisibilityPublic, 0)
	bobs := e.post(t, bob, "@alice public reply", model.VisibilityPublic, root.ID)
	e.post(t, carol, "@alice unlisted reply", model.VisibilityUnlisted, root.ID)
	e.post(t, bob, "@alice followers reply", model.VisibilityPrivate, root.ID)
	e.post(t, carol, "@alice direct reply", model.VisibilityDirect, root.ID)

	p := e.get(t, "/@alice/"+model.FormatID(root.ID))
	p.want(t, "thread", 200, []string{"root post", "public reply", "unlisted reply"}, []string{"followers reply", "direct reply"})
	checkHeaders(t, "thread", p)

	// A reply's page shows what it answers.
	reply := e.post(t, alice, "@bob answer", model.VisibilityPublic, bobs.ID)
	e.get(t, "/@alice/"+model.FormatID(reply.ID)).want(t, "reply", 200, []string{"root post", "public reply", "answer"}, []string{"unlisted reply"})
	// Replies to others stay off the profile; the thread has them.
	e.get(t, "/@alice").want(t, "profile without replies", 200, []string{"root post"}, []string{"answer"})
}

// TestAccountStates: unknown, malformed, suspended, unapproved and remote
// accounts are 404; a deleted one is 410 while its name is reserved.
func TestAccountStates(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	sus := e.user(t, "sus")
	gone := e.user(t, "gone")
	susPost := e.post(t, sus, "suspended post", model.VisibilityPublic, 0)
	gonePost := e.post(t, gone, "deleted post", model.VisibilityPublic, 0)
	if _, err := e.svc.CreateUser(ctx, core.NewUser{Username: "waiting", Password: "password-waiting", Role: model.RoleUser}); err != nil {
		t.Fatal(err)
	}
	far := &model.Account{Username: "far", Domain: "far.example", URI: "https://far.example/users/far"}
	if err := e.st.CreateRemoteAccount(ctx, far); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SuspendAccount(ctx, "sus"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteUser(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/@nobody", "/@nobody/1", "/@sus", "/@sus/" + model.FormatID(susPost.ID), "/@waiting",
		"/@far", "/@far@far.example", "/@", "/@al%20ice", "/@alice.bob", "/@" + strings.Repeat("a", 40),
	} {
		e.get(t, path).want(t, path, 404, nil, []string{"suspended post"})
	}
	e.get(t, "/@gone").want(t, "deleted account", 410, []string{"deleted"}, nil)
	e.get(t, "/@gone/"+model.FormatID(gonePost.ID)).want(t, "deleted account's post", 410, nil, []string{"deleted post"})
}

// TestMalformedIDs: anything but a positive decimal id is a 404, and so is
// a bad page key.
func TestMalformedIDs(t *testing.T) {
	e := newTestEnv(t)
	alice := e.user(t, "alice")
	st := e.post(t, alice, "hello", model.VisibilityPublic, 0)
	id := model.FormatID(st.ID)
	for _, path := range []string{
		"/@alice/0", "/@alice/-1", "/@alice/+" + id, "/@alice/abc", "/@alice/" + id + "x",
		"/@alice/99999999999999999999", "/@alice/1e3", "/@alice?max_id=abc", "/@alice?max_id=-5",
		"/@alice/" + id + "/extra", "/@alice/",
	} {
		e.get(t, path).want(t, path, 404, []string{"There is nothing here"}, []string{"hello"})
	}
}

// TestProfilePaging: ?max_id= walks back through the posts, and the last
// page says there is nothing older.
func TestProfilePaging(t *testing.T) {
	e := newTestEnv(t)
	alice := e.user(t, "alice")
	var ids []int64
	for i := range pageSize + 3 {
		ids = append(ids, e.post(t, alice, "post number x"+strings.Repeat("y", i)+"z", model.VisibilityPublic, 0).ID)
	}
	first := e.get(t, "/@alice")
	first.want(t, "first page", 200, []string{"x" + strings.Repeat("y", pageSize+2) + "z", "x" + strings.Repeat("y", 3) + "z"}, []string{"xz", "xyz", "xyyz"})
	next := regexp.MustCompile(`href="(/@alice\?max_id=\d+)" rel="next"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatalf("first page has no link to older posts:\n%s", first.body)
	}
	second := e.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
	second.want(t, "second page", 200, []string{"xz", "xyyz", "Newest posts", `content="noindex`},
		[]string{"x" + strings.Repeat("y", pageSize+2) + "z", "x" + strings.Repeat("y", 3) + "z", `rel="next"`})
	e.get(t, "/@alice?max_id="+model.FormatID(ids[0])).want(t, "past the end", 200, []string{"No older public posts."}, nil)
}

// TestNoIndex: the robots meta appears unless the account is discoverable
// and has not asked for noindex (the API's "indexable").
func TestNoIndex(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.user(t, "alice")
	pub := e.post(t, alice, "hi", model.VisibilityPublic, 0)
	unl := e.post(t, alice, "quiet", model.VisibilityUnlisted, 0)
	const robots = `<meta name="robots" content="noindex, noarchive">`
	set := func(discoverable, noindex bool) {
		a, err := e.st.Account(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Discoverable, a.NoIndex = discoverable, noindex
		if err := e.st.UpdateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	pubPath, unlPath := "/@alice/"+model.FormatID(pub.ID), "/@alice/"+model.FormatID(unl.ID)
	for _, c := range []struct {
		discoverable, noindex, want bool
	}{{false, false, true}, {true, true, true}, {true, false, false}} {
		set(c.discoverable, c.noindex)
		for _, path := range []string{"/@alice", pubPath} {
			if got := strings.Contains(e.get(t, path).body, robots); got != c.want {
				t.Errorf("discoverable=%v noindex=%v %s: robots meta %v, want %v", c.discoverable, c.noindex, path, got, c.want)
			}
		}
	}
	// Unlisted posts stay out of search engines even then.
	e.get(t, unlPath).want(t, "unlisted post of an indexable account", 200, []string{robots}, nil)
	e.get(t, "/@nobody").want(t, "404 page", 404, []string{robots}, nil)
}

// TestHostileText: display names, bios, fields, content warnings and posts
// are escaped; nothing a user typed becomes markup.
func TestHostileText(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.user(t, "alice")
	name := `"><script>alert(1)</script>`
	note := `bio <b>bold</b> <a href="javascript:alert(3)">x</a> "><img src=x onerror=alert(2)>`
	fields := []model.Field{{Name: `<i>k</i>`, Value: `<svg onload=alert(4)>`}}
	if _, err := e.svc.UpdateProfile(ctx, &core.Auth{Account: alice}, core.ProfileUpdate{DisplayName: &name, Note: &note, Fields: &fields}); err != nil {
		t.Fatal(err)
	}
	alice, _ = e.st.Account(ctx, alice.ID)
	v, err := e.svc.PostStatus(ctx, alice, core.NewStatus{Text: `post <script>alert(5)</script>`, SpoilerText: `cw <b>x</b>`, Visibility: model.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	bad := []string{"<script", "<img src=x", "<b>", "<svg", "<i>k", `href="javascript:`}
	e.get(t, "/@alice").want(t, "profile", 200, []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x", "&lt;svg onload=alert(4)&gt;"}, bad)
	e.get(t, "/@alice/"+model.FormatID(v.Status.ID)).want(t, "post", 200, []string{"post &lt;script&gt;", "<summary>cw &lt;b&gt;x&lt;/b&gt;</summary>"}, bad)
}

// TestRemoteInThread: a reply from another server shows with a link out
// (never a page here), and leaves with its server's suspension.
func TestRemoteInThread(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.user(t, "alice")
	root := e.post(t, alice, "root post", model.VisibilityPublic, 0)
	far := &model.Account{Username: "far", Domain: "far.example", DisplayName: "Far <away>",
		URI: "https://far.example/users/far", URL: "https://far.example/@far"}
	if err := e.st.CreateRemoteAccount(ctx, far); err != nil {
		t.Fatal(err)
	}
	reply := &model.Status{AccountID: far.ID, URI: "https://far.example/users/far/statuses/1", URL: "https://far.example/@far/1",
		Content: "<p>remote reply</p>", Visibility: model.VisibilityPublic, InReplyToID: root.ID,
		InReplyToAccountID: alice.ID, ConversationID: root.ConversationID, CreatedAt: time.Now()}
	if err := e.st.CreateStatus(ctx, reply); err != nil {
		t.Fatal(err)
	}
	path := "/@alice/" + model.FormatID(root.ID)
	p := e.get(t, path)
	p.want(t, "thread", 200, []string{"remote reply", "Far &lt;away&gt;", "@far@far.example",
		`href="https://far.example/@far" rel="nofollow noopener noreferrer"`}, nil)
	checkNoRequestsElsewhere(t, "thread", p.body)
	e.get(t, "/@alice/"+model.FormatID(reply.ID)).want(t, "remote post's page", 404, nil, []string{"remote reply"})

	if _, err := e.svc.AddDomainBlock(ctx, store.DomainBlock{Domain: "far.example", Severity: store.SeveritySuspend}, false); err != nil {
		t.Fatal(err)
	}
	e.get(t, path).want(t, "thread after suspending far.example", 200, []string{"root post"}, []string{"remote reply"})
}

// TestAbout: title, description, rules, contact and the ways in.
func TestAbout(t *testing.T) {
	e := newTestEnv(t)
	p := e.get(t, "/about")
	p.want(t, "about", 200, []string{"About Roost test", "A test instance", "<li>Be kind</li>", "<li>No &lt;spam&gt;</li>",
		`href="mailto:admin@roost.test"`, `href="/about/privacy"`, `href="/web/"`, `href="/web/signup"`, "Anyone may sign up."}, nil)
	checkHeaders(t, "about", p)
	css := e.get(t, StylePath)
	if css.code != 200 || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.body, "prefers-color-scheme: dark") {
		t.Errorf("stylesheet: %d %s", css.code, css.header.Get("Content-Type"))
	}
}

// TestAboutClosed: with registrations closed, no page offers sign-up,
// and an instance without rules or contact says so.
func TestAboutClosed(t *testing.T) {
	e := newTestEnvWith(t, func(s *core.Settings) {
		s.Registration, s.Rules, s.ContactEmail, s.Title = model.RegistrationClosed, nil, "", `Rook <&> "Roost"`
	})
	e.user(t, "alice")
	in := []string{"Sign-up is closed", "not published any rules", "not published a contact address", "Rook &lt;&amp;&gt; &#34;Roost&#34;"}
	e.get(t, "/about").want(t, "about", 200, in, []string{"/web/signup", "mailto:"})
	e.get(t, "/@alice").want(t, "profile", 200, []string{`href="/web/"`}, []string{"/web/signup"})
}

// TestNegotiation: browsers at ActivityPub addresses go to the pages,
// ActivityPub clients at pages go to the documents, and everything else
// is left to the rest of the site.
func TestNegotiation(t *testing.T) {
	e := newTestEnv(t)
	const browser = "text/html,application/xhtml+xml,*/*;q=0.8"
	const ap = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	for _, c := range []struct{ path, accept, location string }{
		{"/users/alice", browser, "/@alice"},
		{"/users/alice/statuses/123", browser, "/@alice/123"},
		{"/@alice", ap, "/users/alice"},
		{"/@alice/123", "application/activity+json", "/users/alice/statuses/123"},
		// Left alone: ActivityPub clients, curl, and odd paths.
		{"/users/alice", ap, ""},
		{"/users/alice", "*/*", ""},
		{"/users/alice", "text/html, application/activity+json", ""},
		{"/users/alice/statuses/12x", browser, ""},
		{"/users/al.ice", browser, ""},
		{"/users/alice/outbox", browser, ""},
		{"/users/alice", "text/html;q=0", ""},
	} {
		p := e.getAccept(t, c.path, c.accept)
		if c.location == "" {
			if p.code == http.StatusFound {
				t.Errorf("%s (%s): redirected to %s", c.path, c.accept, p.header.Get("Location"))
			}
			continue
		}
		if p.code != http.StatusFound || p.header.Get("Location") != c.location || p.header.Get("Vary") != "Accept" {
			t.Errorf("%s (%s): %d to %q (Vary %q), want 302 to %s", c.path, c.accept, p.code, p.header.Get("Location"), p.header.Get("Vary"), c.location)
		}
	}
	if p := e.getAccept(t, "/users/alice", ap); p.body != "rest" {
		t.Errorf("ActivityPub fetch of an actor did not reach the rest of the site: %d %q", p.code, p.body)
	}
	if p := e.get(t, "/about/privacy"); p.body != "rest" {
		t.Errorf("/about/privacy is not the pages': %d %q", p.code, p.body)
	}
	if p := e.getAccept(t, "/@alice", ""); p.code != 404 {
		t.Errorf("/@alice with no Accept: %d, want the page (404 for an unknown account)", p.code)
	}
}

// checkHeaders checks the security headers of a page and that it loads
// nothing from elsewhere.
func checkHeaders(t *testing.T, what string, p page) {
	t.Helper()
	if got := p.header.Get("Content-Security-Policy"); got != CSP {
		t.Errorf("%s: CSP %q, want %q", what, got, CSP)
	}
	if got := p.header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", what, got)
	}
	for _, s := range []string{`<html lang="en">`, `name="viewport"`, "<header", "<main", "<nav", "<footer", `href="/pages/style.css"`} {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: page lacks %s", what, s)
		}
	}
	if strings.Contains(p.body, "<script") || strings.Contains(p.body, "style=") {
		t.Errorf("%s: page has a script or an inline style", what)
	}
	checkNoRequestsElsewhere(t, what, p.body)
	// Pages of local content name no other origin at all.
	for _, m := range absURL.FindAllString(p.body, -1) {
		if !strings.HasPrefix(m, testBase+"/") && m != "http://www.w3.org" {
			t.Errorf("%s: absolute URL outside the instance: %s", what, m)
		}
	}
}

var (
	absURL = regexp.MustCompile(`https?://[^\s"'<>]+`)
	// loads are the attributes and constructs that make a browser fetch.
	loads = regexp.MustCompile(`(?i)(?:src|srcset|poster|data|action|formaction)\s*=\s*"([^"]*)"|<link[^>]*href="([^"]*)"|url\(([^)]*)\)|@import`)
)

// checkNoRequestsElsewhere fails t if body would make a browser fetch
// anything but a path of this site: every src, link, form action and
// CSS url must be a local path.
func checkNoRequestsElsewhere(t *testing.T, what, body string) {
	t.Helper()
	for _, m := range loads.FindAllStringSubmatch(body, -1) {
		u := m[1] + m[2] + m[3]
		if m[0] == "@import" || !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			t.Errorf("%s: loads %q from elsewhere (%s)", what, u, m[0])
		}
	}
}

// TestMovedAccount: a moved account's profile points to where it went.
func TestMovedAccount(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.user(t, "alice")
	far := &model.Account{Username: "alice", Domain: "new.example", DisplayName: "Alice anew",
		URI: "https://new.example/users/alice", URL: "https://new.example/@alice"}
	if err := e.st.CreateRemoteAccount(ctx, far); err != nil {
		t.Fatal(err)
	}
	e.get(t, "/@alice").want(t, "before the move", 200, nil, []string{"has moved"})
	if err := e.st.SetMove(ctx, &store.AccountMove{AccountID: alice.ID, TargetID: far.ID, TargetURI: far.URI}); err != nil {
		t.Fatal(err)
	}
	e.get(t, "/@alice").want(t, "after the move", 200, []string{"This account has moved to",
		`href="https://new.example/@alice" rel="nofollow noopener noreferrer">Alice anew (@alice@new.example)`}, nil)
}

// TestBoosts: a boost shows on the booster's profile as the boosted post,
// by its author; a boost's own id has no page.
func TestBoosts(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice, bob := e.user(t, "alice"), e.user(t, "bob")
	st := e.post(t, alice, "worth sharing", model.VisibilityPublic, 0)
	b, err := e.svc.Reblog(ctx, bob, st.ID, model.VisibilityPublic)
	if err != nil {
		t.Fatal(err)
	}
	e.get(t, "/@bob").want(t, "booster's profile", 200, []string{"Boosted by <a href=\"/@bob\">bob</a>", "worth sharing",
		`href="/@alice/` + model.FormatID(st.ID) + `"`}, nil)
	e.get(t, "/@bob/"+model.FormatID(b.Status.ID)).want(t, "boost's page", 404, nil, []string{"worth sharing"})
}

// TestPinned: pinned public posts head the first page; a pinned
// followers-only post stays hidden.
func TestPinned(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.user(t, "alice")
	pub := e.post(t, alice, "pinned public", model.VisibilityPublic, 0)
	priv := e.post(t, alice, "pinned private", model.VisibilityPrivate, 0)
	for _, st := range []*model.Status{pub, priv} {
		if _, err := e.svc.Pin(ctx, alice.ID, st.ID); err != nil {
			t.Fatal(err)
		}
	}
	p := e.get(t, "/@alice")
	p.want(t, "profile", 200, []string{`<h2 id="pinned-heading">Pinned</h2>`}, []string{"pinned private"})
	if i := strings.Index(p.body, "pinned public"); i < 0 || i > strings.Index(p.body, "posts-heading") {
		t.Errorf("pinned post not above the posts:\n%s", p.body)
	}
	e.get(t, "/@alice?max_id=999999999999999999").want(t, "older page", 200, nil, []string{"pinned-heading"})
}
