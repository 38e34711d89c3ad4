// Package webapp serves Roost's web client: the single-page app built from
// web/ (TypeScript and Preact, bundled by esbuild) into dist/, which the
// binary embeds. It is an adapter like the Mastodon API, and a client of
// it: the app talks to the server only through that API and Roost's own
// endpoints, on the same origin.
//
// Every address under /web/ answers with the same small HTML page, which
// loads the app; the app then routes on the address. The page and the
// assets carry a Content-Security-Policy that allows nothing but this
// origin's own scripts, styles, images and API, so the client makes no
// request to any other server.
package webapp

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed dist
var dist embed.FS

// CSP is the web client's Content-Security-Policy: its own origin for
// scripts, styles, images, API calls and (for end-to-end encryption)
// workers; no inline code, no frames, no plugins, and no form posts
// anywhere else.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
	"connect-src 'self'; worker-src 'self'; font-src 'none'; object-src 'none'; media-src 'self'; " +
	"frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// assets are the files index.html loads.
var assets = []string{"app.js", "style.css"}

var index = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="same-origin">
<title>{{.Title}}</title>
<link rel="stylesheet" href="/web/assets/style.css?v={{index .Versions "style.css"}}">
<script type="module" src="/web/assets/app.js?v={{index .Versions "app.js"}}"></script>
</head>
<body>
<div id="app"><noscript><p>The {{.Title}} web app needs JavaScript. Without it you can still read
<a href="/about">about this server</a> and its <a href="/about/privacy">privacy facts</a>, and use any Mastodon app.</p></noscript></div>
</body>
</html>
`))

// Handler serves the app.
type Handler struct {
	files    fs.FS
	versions map[string]string // asset name → short content hash, for cache busting
	title    func() string
}

// New returns the handler; title gives the instance's current name, for
// the page's title until the app has loaded the instance.
func New(title func() string) (*Handler, error) {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, err
	}
	h := &Handler{files: files, versions: map[string]string{}, title: title}
	for _, name := range assets {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		h.versions[name] = hex.EncodeToString(sum[:6])
	}
	if _, err := h.render(); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *Handler) render() ([]byte, error) {
	var buf bytes.Buffer
	err := index.Execute(&buf, struct {
		Title    string
		Versions map[string]string
	}{h.title(), h.versions})
	return buf.Bytes(), err
}

// Register adds the app's routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /web", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/web/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /web/assets/{name}", h.asset)
	mux.HandleFunc("GET /web/{path...}", h.app)
}

// app answers every address of the app with the page that loads it.
func (h *Handler) app(w http.ResponseWriter, _ *http.Request) {
	page, err := h.render()
	if err != nil {
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Frame-Options", "DENY")
	_, _ = w.Write(page)
}

// asset serves a built file. A request naming the current version is
// cached for a year; any other for a minute.
func (h *Handler) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, ok := h.versions[name]; !ok || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(h.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	ct := mime.TypeByExtension(path.Ext(name))
	if path.Ext(name) == ".js" {
		ct = "text/javascript; charset=utf-8"
	}
	hd.Set("Content-Type", ct)
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("ETag", `"`+h.versions[name]+`"`)
	if r.URL.Query().Get("v") == h.versions[name] {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "public, max-age=60")
	}
	if strings.Contains(r.Header.Get("If-None-Match"), h.versions[name]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(b)
}
