package webpages

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/testutil/browser"
)

// TestBrowserWithoutJavaScript walks from a profile to a post and its
// reply in Chromium with JavaScript off, on a phone-sized and a
// desktop-sized window, and checks that the pages work, are styled by
// their own stylesheet, and make no request anywhere but this server.
func TestBrowserWithoutJavaScript(t *testing.T) {
	e := newTestEnv(t)
	alice, bob := e.user(t, "alice"), e.user(t, "bob")
	root := e.post(t, alice, "hello from alice", model.VisibilityPublic, 0)
	e.post(t, bob, "@alice hello back", model.VisibilityPublic, root.ID)
	e.post(t, alice, "secret for followers", model.VisibilityPrivate, 0)
	srv := browser.LocalServer(t, e.srv.Config.Handler)

	ctx := browser.New(t)
	var mu sync.Mutex
	var requested []string
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(step, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		t.Fatalf("turn JavaScript off: %v", err)
	}
	err = chromedp.Listen(ctx, func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, r.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		err := chromedp.Do(step,
			chromedp.EmulateViewport(size.w, size.h),
			chromedp.Navigate(srv.URL+"/@alice"),
			chromedp.WaitVisible(chromedp.CSS("h1#profile-name")),
		)
		if err != nil {
			t.Fatalf("%s: open the profile: %v", size.name, err)
		}
		browser.Screenshot(t, step, size.name+"-profile")
		body, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("main")))
		if err != nil || !strings.Contains(body, "hello from alice") || strings.Contains(body, "secret for followers") {
			t.Errorf("%s: profile text %q, %v", size.name, body, err)
		}
		// The post's time links to its page, where the reply shows.
		err = chromedp.Do(step,
			chromedp.Click(chromedp.CSS(`a.when[href="/@alice/`+model.FormatID(root.ID)+`"]`)),
			chromedp.WaitVisible(chromedp.CSS("#replies-heading")),
		)
		if err != nil {
			t.Fatalf("%s: open the post: %v", size.name, err)
		}
		browser.Screenshot(t, step, size.name+"-post")
		thread, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("main")))
		if err != nil || !strings.Contains(thread, "hello back") {
			t.Errorf("%s: thread text %q, %v", size.name, thread, err)
		}
		// No horizontal scrolling on a phone: the page fits its width.
		scroll, err := chromedp.Run(step, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
		if err != nil || scroll > size.w {
			t.Errorf("%s: page is %d px wide, window %d (%v)", size.name, scroll, size.w, err)
		}
		// The stylesheet loaded: the main column is centred and bounded.
		width, err := chromedp.Run(step, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('main')).maxWidth`))
		if err != nil || width == "none" || width == "" {
			t.Errorf("%s: stylesheet not applied: main max-width %q, %v", size.name, width, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requested) == 0 {
		t.Fatal("no request seen")
	}
	for _, u := range requested {
		if !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("request outside the server: %s", u)
		}
	}
}
