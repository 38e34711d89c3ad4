package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/roost-social/roost/internal/testutil/browser"
)

// stepTimeout bounds one step of a browser test (a page load, a click and
// what it leads to). The machine running CI is shared, so it is generous.
const stepTimeout = 30 * time.Second

// tab is one browser tab on a Roost, with the test's helpers: every helper
// fails the test with what it was doing, the address and the page's text.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the server's URL
}

// newTab opens a Chromium on s.
func newTab(t *testing.T, s *server) *tab {
	return &tab{t: t, ctx: browser.New(t), base: s.URL}
}

// isolated opens a second tab in a browser context of its own: no shared
// localStorage, sessionStorage or cookies, as if another person used another
// browser.
func (b *tab) isolated() *tab {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	// The first action opens the tab and must run without a deadline: the
	// tab lives as long as the context of that first action.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a second browser context: %v", err)
	}
	b.t.Cleanup(func() {
		if b.t.Failed() {
			browser.Screenshot(b.t, ctx, "failure-second-context")
		}
	})
	return &tab{t: b.t, ctx: ctx, base: b.base}
}

// do runs steps with a timeout, failing the test with what on error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// fatalf fails the test, showing where the browser was and what it showed.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	b.t.Fatalf(format+"\n  at %s\n  page text:\n%s", append(args, loc, indent(text))...)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    ")
}

// js evaluates expr (awaiting a promise) and decodes its value into v.
func (b *tab) js(expr string, v any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("evaluate %.80q: %v", expr, err)
	}
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			b.fatalf("evaluate %.80q: decode %s: %v", expr, raw, err)
		}
	}
}

// open loads path (on the server) and waits until the app has rendered a
// page heading (the app's <h1>, or a server-rendered page's).
func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
	b.waitFor("a page heading on "+path, `document.querySelector('h1') && !document.querySelector('main [role=status].loading')`)
}

// waitFor polls the JavaScript condition cond until it is true, failing
// the test after stepTimeout.
func (b *tab) waitFor(what, cond string) {
	b.t.Helper()
	if err := b.poll(cond); err != nil {
		b.fatalf("wait for %s: %v", what, err)
	}
}

// poll polls the JavaScript condition cond until it is true, or returns an
// error after stepTimeout. It polls from Go rather than in the page, so that
// it survives navigations.
func (b *tab) poll(cond string) error {
	deadline := time.Now().Add(stepTimeout)
	var last error
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(() => { try { return `+cond+` } catch (e) { return false } })()`))
		cancel()
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) {
			if last != nil {
				return fmt.Errorf("not after %v (last error: %v)", stepTimeout, last)
			}
			return fmt.Errorf("not after %v", stepTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pageText returns the start of the page's visible text, for messages.
func (b *tab) pageText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if len(text) > 600 {
		text = text[:600] + "…"
	}
	return text
}

// waitText waits until the page shows text (visible text, innerText).
func (b *tab) waitText(text string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("the text %q", text), fmt.Sprintf(`document.body && document.body.innerText.includes(%s)`, jsString(text)))
}

// waitPath waits until the address's path is path.
func (b *tab) waitPath(path string) {
	b.t.Helper()
	b.waitFor("the address "+path, fmt.Sprintf(`location.pathname.replace(/\/+$/, '') === %s`, jsString(strings.TrimRight(path, "/"))))
}

func jsString(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

// button selects the visible button (or link styled as one) whose text, or
// accessible name, is name.
func button(name string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll('button, a, input[type=submit]')].find((e) =>
		e.offsetParent !== null && [e.innerText, e.value, e.getAttribute('aria-label')].some((t) => (t ?? '').trim() === %s))`, jsString(name)))
}

// field selects the form control whose <label> (or aria-label) starts with label.
func field(label string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`(() => {
		const want = %s;
		const l = [...document.querySelectorAll('label')].find((l) => l.innerText.trim().startsWith(want) && l.control);
		if (l) return l.control;
		return [...document.querySelectorAll('input, textarea, select')].find((e) => (e.getAttribute('aria-label') ?? '').startsWith(want));
	})()`, jsString(label)))
}

// click clicks the button named name, with the mouse.
func (b *tab) click(name string) {
	b.t.Helper()
	b.do("click "+name, chromedp.Click(button(name)))
}

// check clicks the checkbox labelled label, with the mouse.
func (b *tab) check(label string) {
	b.t.Helper()
	b.do("check "+label, chromedp.Click(field(label)))
}

// fill types text into the field labelled label.
func (b *tab) fill(label, text string) {
	b.t.Helper()
	b.do("fill "+label,
		chromedp.WaitVisible(field(label)),
		// Empty it the way a person would, so that the app sees an input event.
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = %s; if (e.value) { e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})); } })()`, string(field(label)))),
		chromedp.SendKeys(field(label), text))
}

// storage reads a localStorage entry, decoded from JSON.
func (b *tab) storage(key string, v any) bool {
	var raw *string
	b.js(fmt.Sprintf(`localStorage.getItem(%s)`, jsString(key)), &raw)
	if raw == nil {
		return false
	}
	if err := json.Unmarshal([]byte(*raw), v); err != nil {
		b.t.Fatalf("localStorage %s: %v", key, err)
	}
	return true
}

// signInOAuth finishes a sign-in on the server's own consent page, which the
// app has sent the browser to.
func (b *tab) signInOAuth(username, password string) {
	b.t.Helper()
	b.waitPath("/oauth/authorize")
	b.do("sign in on the consent page",
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
	)
}

// signIn signs in from the app's sign-in page and waits for the app.
func (b *tab) signIn(username, password string) {
	b.t.Helper()
	b.open("/web/signin")
	b.click("Sign in")
	b.signInOAuth(username, password)
	b.waitPath("/web")
	b.waitFor("the navigation", `document.querySelector('nav[aria-label=Main]')`)
}

// token returns the app's session token, from localStorage.
func (b *tab) token() string {
	var s struct{ Token string }
	if !b.storage("roost.session", &s) || s.Token == "" {
		b.fatalf("no session in localStorage")
	}
	return s.Token
}

// apiJSON calls the server's API with token (outside the browser) and
// decodes the answer into v; it returns the status.
func apiJSON(t *testing.T, method, u, token string, body url.Values, v any) int {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := (&http.Client{Timeout: stepTimeout}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil {
		_ = json.NewDecoder(res.Body).Decode(v)
	}
	return res.StatusCode
}

// screenshotsDir is where the page screenshots go: $ROOST_ARTIFACTS/screenshots,
// or artifacts/screenshots at the top of the repository (ignored by git).
func screenshotsDir(t *testing.T) string {
	dir := os.Getenv("ROOST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	dir, err := filepath.Abs(filepath.Join(dir, "screenshots"))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatalf("screenshots: %v", err)
	}
	return dir
}
