package app_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/roost-social/roost/internal/app"
)

// updateReadmeScreenshot rewrites docs/screenshot.png, the README's picture
// of the web client: go test ./internal/app -run TestWebClientPages -readme-screenshot
var updateReadmeScreenshot = flag.Bool("readme-screenshot", false, "rewrite docs/screenshot.png from TestWebClientPages")

// readmeScreenshot is the README's screenshot, and its size limit.
const (
	readmeScreenshot    = "../../docs/screenshot.png"
	readmeScreenshotMax = 200 << 10
)

// axePath is axe-core, installed by `npm ci` in web/.
const axePath = "../../web/node_modules/axe-core/axe.min.js"

// viewport is a window size the pages are checked and photographed at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var viewports = []viewport{
	{"phone", 390, 844, true},
	{"desktop", 1280, 900, false},
}

// webPage is a main page of the web client, or a server-rendered page.
type webPage struct {
	name string
	path string
	// ready is a JavaScript condition that holds once the page shows its
	// content (not a loading state).
	ready string
}

// TestWebClientPages runs axe-core on every main page, signed out and
// signed in as an admin, at a phone's and a desktop's size and in the dark
// theme, and fails on any serious or critical violation, and on a page that
// scrolls sideways on a phone. It saves a screenshot of each page at both
// sizes under $ROOST_ARTIFACTS/screenshots (or artifacts/screenshots).
func TestWebClientPages(t *testing.T) {
	axe := loadAxe(t)
	s := startWith(t, databases[0], webFlags, app.Options{})
	const pass = "erin-pass-9a7c4b2e"
	first := seedPages(t, s, pass)
	b := newTab(t, s)
	dir := screenshotsDir(t)
	start := time.Now()
	var problems []string
	check := func(pages []webPage) {
		for _, p := range pages {
			problems = append(problems, b.checkPage(p, axe, dir)...)
		}
	}
	check(signedOutPages(first))
	// The server's own sign-in and consent page, as the app sends people to it.
	b.open("/web/signin")
	b.click("Sign in")
	b.waitPath("/oauth/authorize")
	var consent string
	b.js(`location.pathname + location.search`, &consent)
	check([]webPage{{"consent", consent, `document.getElementById('username')`}})
	b.signIn("erin", pass)
	b.open("/web/admin/accounts")
	b.do("ask for the admin permissions", chromedp.Click(chromedp.ID("admin-signin")))
	b.signInOAuth("erin", pass)
	b.waitPath("/web/admin/accounts")
	if *updateReadmeScreenshot {
		b.readmeScreenshot()
	}
	check(signedInPages(first))
	t.Logf("axe and screenshots of the pages took %v; screenshots in %s", time.Since(start).Round(time.Millisecond), dir)
	if len(problems) > 0 {
		t.Errorf("%d problems on the main pages (serious or critical axe violations, sideways scrolling on a phone, pages that did not load):\n%s",
			len(problems), strings.Join(problems, "\n"))
	}
	if fi, err := os.Stat(readmeScreenshot); err != nil || fi.Size() > readmeScreenshotMax {
		t.Errorf("docs/screenshot.png: %v (size %d, at most %d); rewrite it with -readme-screenshot", err, sizeOf(fi), readmeScreenshotMax)
	}
}

// seedPages makes an admin, erin, and a user, frank, who follow each other,
// with a post, a reply and another post; it returns the first post's id.
func seedPages(t *testing.T, s *server, pass string) string {
	t.Helper()
	s.roost(t, "", "admin", "create-user", "--username", "erin", "--email", "erin@example.com", "--password", pass, "--role", "admin")
	s.roost(t, "", "admin", "create-user", "--username", "frank", "--email", "frank@example.com", "--password", pass)
	erinTok, frankTok := passwordToken(t, s, "erin", pass), passwordToken(t, s, "frank", pass)
	first := postStatus(t, s, erinTok, "Good morning! Roost is a small, private corner of the fediverse. #introductions", "")
	postStatus(t, s, frankTok, "@erin welcome, glad to see you here", first)
	follow(t, s, frankTok, "erin")
	follow(t, s, erinTok, "frank")
	postStatus(t, s, frankTok, "Reading about crypto-shredding: deleting a key deletes the data, even in old backups.", "")
	return first
}

func signedOutPages(status string) []webPage {
	return []webPage{
		{"sign-in", "/web/signin", `document.querySelector('h1')`},
		{"sign-up", "/web/signup", `document.querySelector('form[aria-label="Sign up"]')`},
		{"about", "/about", `document.querySelector('h1')`},
		{"about-privacy", "/about/privacy", `document.querySelector('h1')`},
		{"profile-public", "/@erin", `document.querySelector('h1')`},
		{"status-public", "/@erin/" + status, `document.querySelector('h1, article')`},
		{"goodbye", "/web/goodbye", `document.querySelector('h1')`},
	}
}

func signedInPages(status string) []webPage {
	list := `document.querySelector('main article, main .empty')`
	return []webPage{
		{"home", "/web", `document.querySelectorAll('main article').length >= 3`},
		{"local", "/web/local", list},
		{"federated", "/web/federated", list},
		{"thread", "/web/statuses/" + status, `document.querySelector('.thread-replies article')`},
		{"profile", "/web/@frank", `document.querySelector('#profile-relationship button.follow') && document.querySelector('main article')`},
		{"followers", "/web/@erin/followers", list},
		{"notifications", "/web/notifications", `document.querySelector('article.notification')`},
		{"search", "/web/search?q=frank", `document.querySelector('#search-accounts')`},
		{"bookmarks", "/web/bookmarks", list},
		{"favourites", "/web/favourites", list},
		{"hashtag", "/web/tags/introductions", `document.querySelector('main article')`},
		{"follow-requests", "/web/follow_requests", list},
		{"settings-profile", "/web/settings/profile", `document.querySelector('main form')`},
		{"settings-autodelete", "/web/settings/autodelete", `document.getElementById('autodelete-enabled')`},
		{"settings-export", "/web/settings/export", `document.getElementById('export-request')`},
		{"settings-sessions", "/web/settings/sessions", `!document.querySelector('main .loading')`},
		{"settings-blocks", "/web/settings/blocks", `!document.querySelector('main .loading')`},
		{"settings-move", "/web/settings/move", `document.querySelector('main form')`},
		{"settings-delete", "/web/settings/delete", `document.getElementById('delete-password')`},
		{"admin-accounts", "/web/admin/accounts", `!document.querySelector('main .loading') && !document.getElementById('admin-signin')`},
		{"admin-reports", "/web/admin/reports", `!document.querySelector('main .loading') && !document.getElementById('admin-signin')`},
		{"admin-domain-blocks", "/web/admin/domain_blocks", `!document.querySelector('main .loading') && !document.getElementById('admin-signin')`},
		{"admin-settings", "/web/admin/settings", `!document.querySelector('main .loading') && !document.getElementById('admin-signin')`},
	}
}

// checkPage opens p at each viewport (and at the desktop's in the dark
// theme), waits until it is ready, saves a screenshot and runs axe; it
// returns the serious and critical violations, described.
func (b *tab) checkPage(p webPage, axe, dir string) []string {
	b.t.Helper()
	var problems []string
	for _, v := range viewports {
		for _, dark := range []bool{false, true} {
			if dark && v.mobile {
				continue
			}
			b.setViewport(v, dark)
			b.do("open "+p.path, chromedp.Navigate(b.base+p.path))
			name := p.name + "-" + v.name
			if dark {
				name += "-dark"
			}
			if err := b.poll(p.ready + ` && !document.querySelector('main .loading')`); err != nil {
				b.saveScreenshot(dir, name)
				// One broken page should not hide the others' results.
				return append(problems, fmt.Sprintf("  %s (%s): the page did not show its content: %v; it shows:\n%s",
					shortPath(p.path), name, err, indent(indent(b.pageText()))))
			}
			b.settle()
			b.saveScreenshot(dir, name)
			if wide := b.overflow(); wide != "" {
				problems = append(problems, fmt.Sprintf("  %s (%s): the page is wider than the window (%s), so it scrolls sideways",
					shortPath(p.path), name, wide))
			}
			for _, found := range b.axe(axe) {
				problems = append(problems, fmt.Sprintf("  %s (%s): %s", shortPath(p.path), name, found))
			}
		}
	}
	return problems
}

// setViewport sizes the window and sets the colour scheme.
func (b *tab) setViewport(v viewport, dark bool) {
	b.t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	opts := []chromedp.EmulateViewportOption{}
	if v.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	b.do("set the viewport",
		chromedp.EmulateViewport(v.width, v.height, opts...),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		}),
	)
}

// overflow describes the widest element when the page is wider than the
// window, or returns "".
func (b *tab) overflow() string {
	b.t.Helper()
	var d string
	b.js(`(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return '';
		let worst = null, right = w;
		const clipped = (e) => {
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
			return false;
		};
		for (const e of document.querySelectorAll('body *')) {
			const r = e.getBoundingClientRect().right;
			if (r > right && clipped(e)) continue; // inside a scrolling strip, which is fine
			if (r > right) { right = r; worst = e; }
		}
		const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
		const path = [];
		for (let e = worst; e && e !== document.body && path.length < 4; e = e.parentElement) path.unshift(name(e));
		const what = path.join(' > ') || '?';
		return document.documentElement.scrollWidth + 'px for ' + w + 'px; widest: ' + what;
	})()`, &d)
	return d
}

// settle waits for fonts and two animation frames, so that a screenshot
// and axe's colour checks see the page as drawn.
func (b *tab) settle() {
	b.js(`document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`, nil)
}

// saveScreenshot saves a PNG of the whole page as dir/name.png.
func (b *tab) saveScreenshot(dir, name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
	}
}

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core on the page and describes its serious and critical
// violations, one line per element.
func (b *tab) axe(source string) []string {
	b.t.Helper()
	var loaded bool
	b.js(`typeof axe !== 'undefined'`, &loaded)
	if !loaded {
		b.js(source+"\n;true", nil)
	}
	var found []axeViolation
	b.js(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`, &found)
	var out []string
	for _, v := range found {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		for _, n := range v.Nodes {
			target, _ := json.Marshal(n.Target)
			out = append(out, fmt.Sprintf("[%s] %s: %s at %s\n      %s", v.Impact, v.ID, v.Help, target, strings.ReplaceAll(n.Summary, "\n", "\n      ")))
		}
	}
	return out
}

// loadAxe reads axe-core's script, or skips the test when web/node_modules
// is missing (fails it under ROOST_REQUIRE_BROWSER=1).
func loadAxe(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(axePath)
	if err != nil {
		msg := fmt.Sprintf("axe-core is missing (%v): run npm ci in web/", err)
		if os.Getenv("ROOST_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + " (required: ROOST_REQUIRE_BROWSER=1)")
		}
		t.Skip(msg)
	}
	return string(src)
}

// readmeScreenshot rewrites docs/screenshot.png: the desktop home timeline.
func (b *tab) readmeScreenshot() {
	b.t.Helper()
	b.setViewport(viewports[1], false)
	b.do("open the home timeline", chromedp.Navigate(b.base+"/web"))
	b.waitFor("the home timeline", `document.querySelectorAll('main article').length >= 3 && !document.querySelector('main .loading')`)
	b.js(`document.activeElement.blur(), true`, nil)
	b.settle()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(readmeScreenshot, png, 0o644)
	}
	if err != nil {
		b.t.Fatalf("docs/screenshot.png: %v", err)
	}
	b.t.Logf("wrote docs/screenshot.png (%d bytes)", len(png))
}

// shortPath is path without its query, for messages.
func shortPath(path string) string {
	return strings.SplitN(path, "?", 2)[0]
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}

// passwordToken signs username in with the password grant, for test data
// made through the API.
func passwordToken(t *testing.T, s *server, username, password string) string {
	t.Helper()
	id, secret := registerApp(t, &http.Client{Timeout: stepTimeout}, s.URL, "urn:ietf:wg:oauth:2.0:oob")
	var tok tokenResponse
	st := apiJSON(t, http.MethodPost, s.URL+"/oauth/token", "", url.Values{
		"grant_type": {"password"}, "username": {username}, "password": {password},
		"client_id": {id}, "client_secret": {secret}, "scope": {"read write"},
	}, &tok)
	if st != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("password grant for %s = %d", username, st)
	}
	return tok.AccessToken
}

// postStatus posts text (in reply to replyTo, when set) and returns its id.
func postStatus(t *testing.T, s *server, token, text, replyTo string) string {
	t.Helper()
	var st struct{ ID string }
	form := url.Values{"status": {text}}
	if replyTo != "" {
		form.Set("in_reply_to_id", replyTo)
	}
	if code := apiJSON(t, http.MethodPost, s.URL+"/api/v1/statuses", token, form, &st); code != http.StatusOK {
		t.Fatalf("post %q = %d", text, code)
	}
	return st.ID
}

// follow makes token's account follow the local account username.
func follow(t *testing.T, s *server, token, username string) {
	t.Helper()
	var a struct{ ID string }
	if code := apiJSON(t, http.MethodGet, s.URL+"/api/v1/accounts/lookup?acct="+username, token, nil, &a); code != http.StatusOK {
		t.Fatalf("lookup %s = %d", username, code)
	}
	if code := apiJSON(t, http.MethodPost, s.URL+"/api/v1/accounts/"+a.ID+"/follow", token, nil, nil); code != http.StatusOK {
		t.Fatalf("follow %s = %d", username, code)
	}
}
