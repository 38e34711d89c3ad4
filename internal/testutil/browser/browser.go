// Package browser starts a headless Chromium for tests, through chromedp.
//
// New finds Debian's /usr/bin/chromium (or $ROOST_CHROMIUM), starts it with
// a fresh profile and no background traffic, and stops it when the test
// ends. Where Chromium is missing the test is skipped, unless
// ROOST_REQUIRE_BROWSER=1 (set by .ci/run), which makes it a failure.
// Screenshots go to $ROOST_ARTIFACTS, or to roost-artifacts in the system
// temporary directory.
package browser

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// startTimeout bounds how long Chromium may take to start.
const startTimeout = 60 * time.Second

// New starts a headless Chromium and returns a chromedp context for its
// first tab. The browser is stopped at t's cleanup; if t has failed by then,
// a screenshot of the tab is saved first (see Screenshot).
//
// The context has no deadline, because chromedp stops the whole browser when
// the context of its first action expires. Bound each step instead with
// context.WithTimeout on the returned context.
func New(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), options(path, t.TempDir())...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // also waits for the process to exit
	})
	if err := start(ctx); err != nil {
		t.Fatalf("browser: start %s: %v", path, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			Screenshot(t, ctx, "failure")
		}
	})
	return ctx
}

// options are the command-line flags: headless, no sandbox (CI runs as
// root), no GPU, and nothing that phones home or updates itself, so a test
// run makes no network traffic of its own.
func options(path, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// /dev/shm is 64 MB in default containers; Chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
	}
}

// start runs the first (empty) action, which launches the browser. Its
// deadline is applied from outside, because a deadline on the context of the
// first action would later stop the browser.
func start(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		return err
	case <-time.After(startTimeout):
		return fmt.Errorf("not started after %v", startTimeout)
	}
}

// chromiumPath returns $ROOST_CHROMIUM, /usr/bin/chromium, or a chromium
// on PATH; when there is none it skips t, or fails it under
// ROOST_REQUIRE_BROWSER=1.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ROOST_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("browser: ROOST_CHROMIUM: %v", err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("browser: %v", err)
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "browser: Chromium not found (install Debian's chromium package or set ROOST_CHROMIUM)"
	if os.Getenv("ROOST_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (required: ROOST_REQUIRE_BROWSER=1)")
	}
	t.Skip(msg)
	return ""
}

// unsafeChars are replaced in artifact file names.
var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a PNG of the whole page of ctx as
// <artifacts>/<test name>-<name>.png, logs the path and returns it. A failure
// to take or save it is logged, not fatal, so it can run in cleanup.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("browser: screenshot %s: %v", name, err)
		return ""
	}
	dir, err := artifactsDir()
	if err == nil {
		path := filepath.Join(dir, unsafeChars.ReplaceAllString(t.Name()+"-"+name, "_")+".png")
		if err = os.WriteFile(path, png, 0o644); err == nil {
			t.Logf("browser: screenshot saved to %s", path)
			return path
		}
	}
	t.Logf("browser: screenshot %s: %v", name, err)
	return ""
}

// ArtifactsDir returns $ROOST_ARTIFACTS, or roost-artifacts in the system
// temporary directory, creating it if needed. Files there outlive the test.
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	dir, err := artifactsDir()
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return dir
}

func artifactsDir() (string, error) {
	dir := os.Getenv("ROOST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "roost-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("artifacts directory: %w", err)
	}
	return dir, nil
}

// LocalServer serves h on 127.0.0.1 only (httptest may pick another
// loopback address), so a page's own origin is the one the browser test
// checks requests against. The server is closed at t's cleanup.
func LocalServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
