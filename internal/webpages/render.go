package webpages

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"

	"github.com/roost-social/roost/internal/model"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

// pageNames are the pages, each parsed with layout.html into a set of its
// own so that each can define "content".
var pageNames = []string{"profile.html", "status.html", "about.html", "error.html"}

var pages = parsePages()

func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{"date": date, "datetime": datetime, "plural": plural}
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name))
	}
	return out
}

// CSP lets a page load its stylesheet and local images, and nothing else:
// no script, no frame, no form posting elsewhere.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// cachePublic lets a browser or proxy keep a page briefly, so that a
// deletion, suspension or change of visibility shows soon.
const cachePublic = "public, max-age=60"

// head is what layout.html needs besides a page's content.
type head struct {
	Instance string // the instance's title
	Title    string // the page's title
	NoIndex  bool   // ask search engines not to index the page
	SignUp   bool   // registrations are not closed: link to sign-up
}

// pageData is what every page's template gets.
type pageData struct {
	Head head
	Page any
}

// render writes page name with status, or a plain 500 when the template
// fails (logged without the data, which may be personal).
func (s *Server) render(w http.ResponseWriter, status int, name string, h head, data any) {
	set := s.svc.Settings()
	h.Instance, h.SignUp = set.Title, set.Registration != model.RegistrationClosed
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", pageData{Head: h, Page: data}); err != nil {
		s.log.Error("webpages: render", "page", name, "err", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Vary", "Accept")
	if status == http.StatusOK {
		hd.Set("Cache-Control", cachePublic)
	} else {
		hd.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is a page that says what went wrong in words a visitor can
// use; it never says whether something hidden exists.
func (s *Server) errorPage(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error.html", head{Title: http.StatusText(status), NoIndex: true}, msg)
}

func (s *Server) notFound(w http.ResponseWriter) {
	s.errorPage(w, http.StatusNotFound, "There is nothing here, or it is not public.")
}

func (s *Server) gone(w http.ResponseWriter) {
	s.errorPage(w, http.StatusGone, "This account has been deleted.")
}

func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("webpages: request failed", "route", r.Pattern, "err", err)
	s.errorPage(w, http.StatusInternalServerError, "Something went wrong on the server. Please try again later.")
}

// stylesheet is GET /pages/style.css.
func (s *Server) stylesheet(w http.ResponseWriter, r *http.Request) {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		s.failed(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(css)
}

// date is a day for people: "28 Nov 2026".
func date(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// datetime is a time for people and, in <time datetime>, for machines.
func datetime(t time.Time, machine bool) string {
	if machine {
		return t.UTC().Format(time.RFC3339)
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// plural picks the word for n: plural(1, "post", "posts").
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
