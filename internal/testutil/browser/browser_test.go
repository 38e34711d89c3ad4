package browser

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const page = `<!doctype html>
<html><head><title>greeter</title></head><body>
<input id="name" type="text">
<button id="go" type="button" onclick="document.getElementById('out').textContent = 'Hello, ' + document.getElementById('name').value + '!'">Greet</button>
<p id="out">nobody yet</p>
</body></html>`

func TestFillAndClick(t *testing.T) {
	srv := LocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	ctx := New(t)
	step, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	err := chromedp.Do(step,
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible(chromedp.CSS("#go")),
	)
	if err != nil {
		t.Fatalf("load page: %v", err)
	}
	initial, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("#out")))
	if err != nil || initial != "nobody yet" {
		t.Fatalf("initial text = %q, %v", initial, err)
	}
	err = chromedp.Do(step,
		chromedp.SendKeys(chromedp.CSS("#name"), "Roost"),
		chromedp.Click(chromedp.CSS("#go")),
	)
	if err != nil {
		t.Fatalf("fill and click: %v", err)
	}
	got, err := chromedp.Run(step, chromedp.Text(chromedp.CSS("#out")))
	if err != nil {
		t.Fatalf("read result: %v", err)
	}
	if got != "Hello, Roost!" {
		t.Errorf("result text = %q, want %q", got, "Hello, Roost!")
	}
}

func TestScreenshot(t *testing.T) {
	t.Setenv("ROOST_ARTIFACTS", t.TempDir())
	srv := LocalServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, page)
	}))
	ctx := New(t)
	step, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatalf("load page: %v", err)
	}
	path := Screenshot(t, ctx, "greeter page")
	if filepath.Dir(path) != os.Getenv("ROOST_ARTIFACTS") || !strings.HasSuffix(path, "TestScreenshot-greeter_page.png") {
		t.Fatalf("screenshot path = %q", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "\x89PNG") {
		t.Errorf("screenshot is not a PNG (%d bytes)", len(b))
	}
}
