package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/roost-social/roost/internal/app"
)

// webFlags configure the instance the web client tests run on: rules and
// privacy declarations, which the sign-up page must show.
var webFlags = []string{
	"--instance-title", "Roost",
	"--instance-rules", "Be kind to each other.\nNo spam or advertising.",
	"--instance-jurisdiction", "Iceland",
	"--instance-hosting-provider", "Example Hosting ehf.",
}

// TestWebClientJourney is issue 5's browser proof: in Chromium, through the
// web client only, a person signs up, signs in, posts and sees the post; a
// second person finds them, follows and replies; the first sees the
// notification, sets auto-delete, exports their data and deletes the
// account, after which signing in fails. It runs on SQLite and PostgreSQL.
func TestWebClientJourney(t *testing.T) {
	forEachDatabase(t, webJourney)
}

func webJourney(t *testing.T, db database) {
	s := startWith(t, db, webFlags, app.Options{})
	start := time.Now()
	alice := newTab(t, s)
	const alicePass = "alice-pass-7c1e93aa"

	// 1, 2: sign up, sign out, sign in again through the consent page.
	webSignUp(alice, "alice", alicePass)
	alice.click("Sign out")
	alice.waitPath("/web/signin")
	alice.signIn("alice", alicePass)

	// 3, 4: post, and see the post in the home timeline once reloaded.
	const hello = "Hello from the web client, first post"
	alice.post(hello)
	alice.open("/web")
	alice.waitText(hello)

	// 5: a second person, in another browser, finds alice, follows and replies.
	const bobPass = "bob-pass-3f00c2d9"
	s.roost(t, "", "admin", "create-user", "--username", "bob", "--email", "bob@example.com", "--password", bobPass)
	bob := alice.isolated()
	bob.signIn("bob", bobPass)
	const reply = "Welcome, alice! A reply from bob"
	followAndReply(bob, "alice", hello, reply)

	// 6: alice's menu counts the two unread notifications; she sees them,
	// and the count goes.
	alice.open("/web")
	alice.waitFor("the unread count", `document.querySelector('nav a[href="/web/notifications"] .badge')?.innerText.trim().startsWith('2')`)
	alice.open("/web/notifications")
	alice.waitFor("bob's follow", `document.querySelector('article.notification-follow')?.innerText.includes('@bob')`)
	alice.waitFor("bob's reply", `document.querySelector('article.notification-mention')?.innerText.includes('A reply from bob')`)
	alice.waitFor("the unread count to go", `!document.querySelector('nav a[href="/web/notifications"] .badge')`)

	// 7, 8, 9: auto-delete, export, deletion.
	token := alice.token()
	setAutoDelete(alice, s, token)
	exportAndDownload(alice, hello)
	deleteAccount(alice, s, token, "alice", alicePass)
	s.assertLogsClean(t, alicePass, bobPass, token, bob.token(), "alice@example.com", "bob@example.com", hello, reply)
	t.Logf("web client journey took %v", time.Since(start).Round(time.Millisecond))
}

// followAndReply finds acct through the search page, follows it from its
// profile, and replies to its post text from the thread.
func followAndReply(b *tab, acct, text, reply string) {
	b.t.Helper()
	b.open("/web/search")
	b.fill("Search", acct)
	b.do("search", chromedp.Click(chromedp.ID("search-submit")))
	b.waitFor("the account in the results", fmt.Sprintf(`document.querySelector('a[href="/web/@%s"]')`, acct))
	b.do("open the profile", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/web/@%s"]`, acct))))
	b.waitPath("/web/@" + acct)
	b.waitText(text) // the profile lists the post
	b.do("follow", chromedp.Click(chromedp.CSS(`#profile-relationship button.follow`)))
	b.waitFor("the follow to be confirmed", `document.querySelector('#profile-relationship button.follow')?.innerText.trim() === 'Unfollow'`)

	b.click("Reply (0)")
	b.waitFor("the thread with a focused reply box", `location.pathname.startsWith('/web/statuses/') && document.activeElement?.matches('form[aria-label=Reply] textarea')`)
	b.waitText(text)
	b.do("write the reply", chromedp.SendKeys(chromedp.CSS(`form[aria-label=Reply] textarea`), reply))
	b.do("send the reply", chromedp.Click(chromedp.CSS(`form[aria-label=Reply] button[type=submit]`)))
	b.waitFor("the reply in the thread", `document.querySelector('.thread-replies')?.innerText.includes(`+jsString(reply)+`)`)
}

// setAutoDelete turns auto-delete on for posts older than a month and checks
// that the server holds it and the page shows it after a reload.
func setAutoDelete(b *tab, s *server, token string) {
	b.t.Helper()
	b.open("/web/settings/autodelete")
	b.do("turn auto-delete on",
		chromedp.WaitVisible(chromedp.ID("autodelete-enabled")),
		chromedp.Click(chromedp.ID("autodelete-enabled")),
		chromedp.SetValue(chromedp.ID("autodelete-age"), "30"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('autodelete-age').dispatchEvent(new Event('change', {bubbles: true}))`),
		chromedp.Click(chromedp.ID("autodelete-save")),
	)
	var policy struct {
		Enabled bool `json:"enabled"`
		Days    int  `json:"min_status_age_days"`
	}
	deadline := time.Now().Add(stepTimeout)
	for {
		if st := apiJSON(b.t, http.MethodGet, s.URL+"/api/v1/statuses_cleanup", token, nil, &policy); st != http.StatusOK {
			b.t.Fatalf("GET statuses_cleanup = %d", st)
		}
		if policy.Enabled && policy.Days == 30 {
			break
		}
		if time.Now().After(deadline) {
			b.fatalf("auto-delete on the server = %+v, want enabled after 30 days", policy)
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.open("/web/settings/autodelete")
	b.waitFor("the saved policy", `document.getElementById('autodelete-enabled')?.checked && document.getElementById('autodelete-age').value === '30'`)
}

// exportAndDownload requests an export, waits until it is ready and
// downloads it, checking that a zip archive arrives.
func exportAndDownload(b *tab, posted string) {
	b.t.Helper()
	dir := b.t.TempDir()
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir,
		})
		return err
	}))
	b.open("/web/settings/export")
	b.do("request an export", chromedp.Click(chromedp.ID("export-request")))
	b.do("download it", chromedp.Click(chromedp.CSS(`button.export-download`)))
	deadline := time.Now().Add(stepTimeout)
	for {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err == nil && len(data) > 100 && string(data[:2]) == "PK" {
				zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					b.t.Fatalf("the download is not a zip archive: %v", err)
				}
				checkExportArchive(b.t, zr, posted)
				return
			}
		}
		if time.Now().After(deadline) {
			b.fatalf("no zip archive was downloaded to %s (%d files)", dir, len(entries))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkExportArchive checks that the archive holds the actor, and the
// outbox with the post.
func checkExportArchive(t *testing.T, zr *zip.Reader, posted string) {
	t.Helper()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	if files["actor.json"] == nil {
		t.Errorf("the export archive has no actor.json (it has %v)", files)
	}
	f := files["outbox.json"]
	if f == nil {
		t.Fatalf("the export archive has no outbox.json (it has %v)", files)
	}
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	outbox, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(outbox, []byte(posted)) {
		t.Errorf("the exported outbox does not hold the post %q", posted)
	}
}

// deleteAccount deletes the account from its settings, then checks that the
// token is dead and that signing in fails.
func deleteAccount(b *tab, s *server, token, username, password string) {
	b.t.Helper()
	b.open("/web/settings/delete")
	b.waitText("This cannot be undone.")
	b.do("delete the account",
		chromedp.SendKeys(chromedp.ID("delete-password"), password),
		chromedp.Click(chromedp.ID("delete-confirm")),
		chromedp.Click(chromedp.ID("delete-submit")),
	)
	b.waitPath("/web/goodbye")
	b.waitText("Your account has been deleted")
	if st := apiJSON(b.t, http.MethodGet, s.URL+"/api/v1/accounts/verify_credentials", token, nil, nil); st != http.StatusUnauthorized {
		b.t.Errorf("the deleted account's token answers %d, want 401", st)
	}
	b.open("/web/signin")
	b.click("Sign in")
	b.signInOAuth(username, password)
	b.waitFor("the sign-in to be refused", `location.pathname === '/oauth/authorize' && document.querySelector('[role=alert]')?.innerText.trim()`)
}

// webSignUp signs up on the app's sign-up page, checking that it shows the
// rules and the privacy facts first, and waits for the home timeline.
func webSignUp(b *tab, username, password string) {
	b.t.Helper()
	b.open("/web/signup")
	for _, want := range []string{
		"Server rules", "Be kind to each other.", "No spam or advertising.",
		"What this server holds about you", "IP addresses are not logged.",
		"Jurisdiction: Iceland", "Hosted by: Example Hosting ehf.",
	} {
		b.waitText(want)
	}
	b.fill("Username", username)
	b.fill("Email", username+"@example.com")
	b.fill("Password", password)
	b.check("I agree to the rules")
	b.click("Sign up")
	b.waitPath("/web")
	b.waitFor("the home timeline", `document.querySelector('h1')?.innerText.trim() === 'Home'`)
}

// post writes text in the home composer, posts it and waits for it to be
// accepted and shown.
func (b *tab) post(text string) {
	b.t.Helper()
	b.fill("What's on your mind?", text)
	b.click("Post")
	b.waitFor("the post to be accepted", `[...document.querySelectorAll('[role=status]')].some((e) => e.innerText.includes('Posted.'))`)
	b.waitFor("the post in the timeline", `[...document.querySelectorAll('article')].some((e) => e.innerText.includes(`+jsString(text)+`))`)
}

// TestWebClientBadInput checks issue 5's bad-input promises in the browser:
// a draft survives a reload; a post the server refuses shows the server's
// own message and keeps the draft; and an expired session returns the user
// to sign-in, then back where they were.
func TestWebClientBadInput(t *testing.T) {
	s := startWith(t, databases[0], webFlags, app.Options{})
	const pass = "carol-pass-0b5e7e61"
	s.roost(t, "", "admin", "create-user", "--username", "carol", "--email", "carol@example.com", "--password", pass)
	carol := newTab(t, s)
	carol.signIn("carol", pass)

	// A draft survives a reload.
	const draft = "A draft that must survive a reload"
	carol.fill("What's on your mind?", draft)
	carol.do("reload", chromedp.Reload())
	carol.waitFor("the draft after the reload", `document.getElementById('compose-text')?.value === `+jsString(draft))

	// A post the server refuses: the text is swapped in flight for one over
	// the limit (the composer itself would not send it).
	long := strings.Repeat("x", 600)
	var refusal struct{ Error string }
	if st := apiJSON(t, http.MethodPost, s.URL+"/api/v1/statuses", carol.token(), url.Values{"status": {long}}, &refusal); st != http.StatusUnprocessableEntity || refusal.Error == "" {
		t.Fatalf("posting %d characters = %d %+v, want 422 with a message", len(long), st, refusal)
	}
	carol.js(`(() => {
		const real = window.fetch;
		window.fetch = (url, o) => {
			if (String(url).startsWith('/api/v1/statuses') && o?.method === 'POST') o = { ...o, body: JSON.stringify({ ...JSON.parse(o.body), status: `+jsString(long)+` }) };
			return real(url, o);
		};
		return true;
	})()`, nil)
	carol.click("Post")
	carol.waitFor("the server's message", `document.querySelector('form.compose [role=alert]')?.innerText.includes(`+jsString(refusal.Error)+`)`)
	carol.waitFor("the draft kept in the composer", `document.getElementById('compose-text').value === `+jsString(draft))
	var saved struct{ Text string }
	if !carol.storage("roost.draft.new", &saved) || saved.Text != draft {
		t.Errorf("the stored draft = %+v, want %q", saved, draft)
	}

	// An expired session: the token is revoked on the server while the page is open.
	revokeSession(carol)
	carol.open("/web/notifications")
	carol.waitPath("/web/signin")
	carol.waitText("Your session has ended.")
	carol.click("Sign in")
	carol.signInOAuth("carol", pass)
	carol.waitPath("/web/notifications")
	carol.waitFor("the notifications page", `document.querySelector('h1')?.innerText.trim() === 'Notifications'`)

	// A newcomer at a page that needs an account is sent to sign in, and
	// not told that a session they never had has ended.
	newcomer := carol.isolated()
	newcomer.open("/web/settings")
	newcomer.waitPath("/web/signin")
	newcomer.waitFor("the sign-in page", `document.querySelector('h1')?.innerText.startsWith('Sign in')`)
	newcomer.waitFor("no word of an ended session", `!document.body.innerText.includes('Your session has ended')`)
}

// revokeSession revokes the app's token on the server, as the web client's
// own OAuth app, behind the app's back.
func revokeSession(b *tab) {
	b.t.Helper()
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if !b.storage("roost.app", &app) {
		b.t.Fatal("the app registration is not in localStorage")
	}
	tok := b.token()
	form := url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {tok}}
	if st := apiJSON(b.t, http.MethodPost, b.base+"/oauth/revoke", "", form, nil); st != http.StatusOK {
		b.t.Fatalf("revoke = %d", st)
	}
	if st := apiJSON(b.t, http.MethodGet, b.base+"/api/v1/accounts/verify_credentials", tok, nil, nil); st != http.StatusUnauthorized {
		b.t.Fatalf("the revoked token still answers %d", st)
	}
}

// TestWebClientKeyboard checks that the app works from the keyboard alone:
// Tab reaches the skip link, the main navigation and the composer; the
// skip link moves focus to the content; every stop shows a focus ring; a
// post is written and sent with keys only; and nothing moves for a reader
// who asks for reduced motion.
func TestWebClientKeyboard(t *testing.T) {
	s := startWith(t, databases[0], webFlags, app.Options{})
	const pass = "dave-pass-5d2b8e14"
	s.roost(t, "", "admin", "create-user", "--username", "dave", "--email", "dave@example.com", "--password", pass)
	dave := newTab(t, s)
	dave.signIn("dave", pass)
	dave.open("/web")

	reached := map[string]bool{}
	for i := 0; i < 40 && len(reached) < 3; i++ {
		dave.key(kb.Tab)
		f := dave.focused()
		if f != "body" && !dave.focusVisible() {
			t.Errorf("%s has the keyboard focus but no visible focus indicator (outline or shadow) on screen", f)
		}
		switch {
		case f == "skip":
			reached["the skip link"] = true
		case strings.HasPrefix(f, "nav:"):
			reached["the main navigation"] = true
		case f == "#compose-text":
			reached["the composer"] = true
		}
	}
	for _, want := range []string{"the skip link", "the main navigation", "the composer"} {
		if !reached[want] {
			t.Errorf("40 presses of Tab never reached %s (reached %v)", want, reached)
		}
	}

	dave.tabTo("skip", 40)
	dave.key(kb.Enter)
	if f := dave.focused(); f != "#main" {
		t.Errorf("after the skip link, the focus is on %s, want the main content", f)
	}

	const text = "Typed and sent with the keyboard only"
	dave.tabTo("#compose-text", 40)
	dave.key(text)
	dave.tabTo("button:Post", 6)
	dave.key(kb.Enter)
	dave.waitFor("the post to be accepted", `[...document.querySelectorAll('[role=status]')].some((e) => e.innerText.includes('Posted.'))`)
	dave.waitFor("the post in the timeline", `[...document.querySelectorAll('article')].some((e) => e.innerText.includes(`+jsString(text)+`))`)

	dave.do("ask for reduced motion", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		})
		return err
	}))
	var moving []string
	dave.js(`[...document.querySelectorAll('*')].filter((e) => {
		const st = getComputedStyle(e);
		const long = (d) => d.split(',').some((x) => parseFloat(x) > 0.01);
		return (st.animationName !== 'none' && long(st.animationDuration)) || long(st.transitionDuration);
	}).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))`, &moving)
	if len(moving) > 0 {
		t.Errorf("with prefers-reduced-motion: reduce, these elements still animate: %v", moving)
	}
}

// focusVisible reports whether the focused element is on screen and
// shows that it has the focus (an outline or a box shadow).
func (b *tab) focusVisible() bool {
	b.t.Helper()
	var ok bool
	b.js(`(() => {
		const e = document.activeElement, st = getComputedStyle(e), r = e.getBoundingClientRect();
		const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
		const ring = (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none';
		return onScreen && ring;
	})()`, &ok)
	return ok
}

// key presses keys (kb constants or text) on the focused element.
func (b *tab) key(keys string) {
	b.t.Helper()
	b.do("press keys", chromedp.KeyEvent(keys))
}

// focused describes the focused element: "skip" for the skip link,
// "nav:<text>" for a main navigation link, "#id" for an element with an id,
// "button:<text>" for a button, else its tag name.
func (b *tab) focused() string {
	b.t.Helper()
	var d string
	b.js(`(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return 'body';
		if (e.matches('a.skip')) return 'skip';
		if (e.closest('nav[aria-label=Main]')) return 'nav:' + e.innerText.trim();
		if (e.id) return '#' + e.id;
		if (e.tagName === 'BUTTON') return 'button:' + e.innerText.trim();
		return e.tagName.toLowerCase();
	})()`, &d)
	return d
}

// tabTo presses Tab until want (as focused describes it) has the focus.
func (b *tab) tabTo(want string, most int) {
	b.t.Helper()
	var seen []string
	for i := 0; i < most; i++ {
		b.key(kb.Tab)
		f := b.focused()
		if f == want {
			return
		}
		seen = append(seen, f)
	}
	b.fatalf("%d presses of Tab did not reach %s; they went to %v", most, want, seen)
}

// TestWebClientApproval: when sign-ups need approval, the sign-up page asks
// for a reason; the person cannot sign in until a moderator approves them
// on the admin accounts screen, where the reason shows; then they can.
func TestWebClientApproval(t *testing.T) {
	s := startWith(t, databases[0], append([]string{"--instance-registration", "approval"}, webFlags...), app.Options{})
	const pass, adminPass = "hank-pass-61c0f2d7", "gina-pass-a83e55b0"
	s.roost(t, "", "admin", "create-user", "--username", "gina", "--email", "gina@example.com", "--password", adminPass, "--role", "moderator")

	hank := newTab(t, s)
	hank.open("/web/signup")
	hank.waitText("Be kind to each other.")
	hank.fill("Username", "hank")
	hank.fill("Email", "hank@example.com")
	hank.fill("Password", pass)
	const reason = "I sing in the town choir and we want a place to talk"
	hank.fill("Why do you want to join?", reason)
	hank.check("I agree to the rules")
	hank.click("Sign up")
	hank.waitText("Thanks for signing up")

	// Not yet approved: the consent page refuses the sign-in.
	hank.open("/web/signin")
	hank.click("Sign in")
	hank.signInOAuth("hank", pass)
	hank.waitFor("the sign-in to be refused", `location.pathname === '/oauth/authorize' && document.querySelector('[role=alert]')?.innerText.trim()`)

	gina := hank.isolated()
	gina.signIn("gina", adminPass)
	gina.open("/web/admin/accounts")
	gina.do("ask for the admin permissions", chromedp.Click(chromedp.ID("admin-signin")))
	gina.signInOAuth("gina", adminPass)
	gina.waitPath("/web/admin/accounts")
	gina.waitFor("hank's sign-up with its reason", `document.querySelector('article.admin-account[aria-label="@hank"]')?.innerText.includes(`+jsString(reason)+`)`)
	gina.click("Approve @hank")
	gina.waitText("Approved @hank.")

	hank.open("/web/signin")
	hank.click("Sign in")
	hank.signInOAuth("hank", pass)
	hank.waitPath("/web")
	hank.waitFor("the home timeline", `document.querySelector('h1')?.innerText.trim() === 'Home'`)
}
