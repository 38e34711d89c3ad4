package federation

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/roost-social/roost/internal/model"
)

// Link relations.
const (
	relSelf        = "self"
	relProfilePage = "http://webfinger.net/rel/profile-page"
	relLRDD        = "lrdd"
)

// jrd is a JSON Resource Descriptor (RFC 7033).
type jrd struct {
	Subject string    `json:"subject,omitempty"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []jrdLink `json:"links"`
}

type jrdLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// target is what a WebFinger resource names on this server: the instance
// actor, or a local account by username (in any case).
type target struct {
	instance bool
	username string
}

// errBadResource is a resource that is missing or cannot be read: 400. A
// well-formed resource that names nothing here is model.ErrNotFound.
var errBadResource = errors.New("federation: malformed webfinger resource")

// maxResourceLen bounds the resource parameter.
const maxResourceLen = 512

// webfinger is GET /.well-known/webfinger?resource=…, for acct: URIs
// (acct:alice@example.org, or alice@example.org without the scheme, as
// Mastodon accepts) and for the actor and profile URLs of local accounts.
// Unknown, suspended and unapproved accounts are the same 404.
func (h *Handler) webfinger(w http.ResponseWriter, r *http.Request) {
	allowCORS(w)
	q := r.URL.Query()
	t, err := h.parseResource(q.Get("resource"))
	switch {
	case errors.Is(err, errBadResource):
		h.writeError(w, r, http.StatusBadRequest, "Invalid resource")
		return
	case err != nil:
		h.fail(w, r, err)
		return
	}
	var d jrd
	if t.instance {
		d = h.instanceJRD()
	} else {
		a, err := h.svc.LocalActor(r.Context(), t.username)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d = h.accountJRD(a)
	}
	if rels := q["rel"]; len(rels) > 0 {
		d.Links = slices.DeleteFunc(d.Links, func(l jrdLink) bool { return !slices.Contains(rels, l.Rel) })
	}
	h.writeJSON(w, r, http.StatusOK, contentTypeJRD, cacheDiscovery, d)
}

// parseResource reads a WebFinger resource.
func (h *Handler) parseResource(res string) (target, error) {
	if res == "" || len(res) > maxResourceLen || strings.ContainsFunc(res, isControl) {
		return target{}, errBadResource
	}
	lower := strings.ToLower(res)
	switch {
	case strings.HasPrefix(lower, "acct:"):
		return h.parseAcct(res[len("acct:"):])
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
		return h.parseURL(res)
	case strings.Contains(res, "@"):
		return h.parseAcct(res)
	}
	return target{}, errBadResource
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// parseAcct reads user@domain (a leading @ allowed). Another server's
// domain names nothing here.
func (h *Handler) parseAcct(s string) (target, error) {
	s = strings.TrimPrefix(s, "@")
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i == len(s)-1 {
		return target{}, errBadResource
	}
	user, domain := s[:i], s[i+1:]
	if !strings.EqualFold(domain, h.set.Domain) {
		return target{}, model.ErrNotFound
	}
	if strings.EqualFold(user, h.set.Domain) {
		return target{instance: true}, nil
	}
	return target{username: user}, nil
}

// parseURL reads the URL of a local actor or profile page.
func (h *Handler) parseURL(s string) (target, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return target{}, errBadResource
	}
	if !strings.EqualFold(u.Host, h.host()) {
		return target{}, model.ErrNotFound
	}
	if u.Path == "/actor" {
		return target{instance: true}, nil
	}
	name, ok := strings.CutPrefix(u.Path, "/users/")
	if !ok {
		name, ok = strings.CutPrefix(u.Path, "/@")
	}
	if !ok || name == "" || strings.Contains(name, "/") {
		return target{}, model.ErrNotFound
	}
	return target{username: name}, nil
}

// host is the host (and port) of the instance's base URL.
func (h *Handler) host() string {
	if u, err := url.Parse(h.urls.base); err == nil && u.Host != "" {
		return u.Host
	}
	return h.set.Domain
}

func (h *Handler) accountJRD(a *model.Account) jrd {
	actor, page := h.urls.actor(a.Username), h.urls.profile(a.Username)
	return jrd{
		Subject: "acct:" + a.Username + "@" + h.set.Domain,
		Aliases: []string{actor, page},
		Links: []jrdLink{
			{Rel: relProfilePage, Type: "text/html", Href: page},
			{Rel: relSelf, Type: "application/activity+json", Href: actor},
		},
	}
}

// instanceJRD describes the instance actor, which Mastodon names
// domain@domain.
func (h *Handler) instanceJRD() jrd {
	actor := h.urls.instanceActor()
	return jrd{
		Subject: "acct:" + h.set.Domain + "@" + h.set.Domain,
		Aliases: []string{actor},
		Links: []jrdLink{
			{Rel: relProfilePage, Type: "text/html", Href: h.urls.base + "/"},
			{Rel: relSelf, Type: "application/activity+json", Href: actor},
		},
	}
}

// hostMeta is GET /.well-known/host-meta: the XRD that points at
// WebFinger, which older software still asks for first.
func (h *Handler) hostMeta(w http.ResponseWriter, r *http.Request) {
	allowCORS(w)
	var tmpl strings.Builder
	_ = xml.EscapeText(&tmpl, []byte(h.urls.webfingerTemplate())) // a strings.Builder never fails
	body := xml.Header +
		`<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">` + "\n" +
		`  <Link rel="lrdd" template="` + tmpl.String() + `"/>` + "\n" +
		"</XRD>\n"
	w.Header().Set("Content-Type", contentTypeXRD)
	w.Header().Set("Cache-Control", cacheDiscovery)
	_, _ = w.Write([]byte(body))
}

// hostMetaJSON is GET /.well-known/host-meta.json, the same as JRD.
func (h *Handler) hostMetaJSON(w http.ResponseWriter, r *http.Request) {
	allowCORS(w)
	d := jrd{Links: []jrdLink{{Rel: relLRDD, Template: h.urls.webfingerTemplate()}}}
	h.writeJSON(w, r, http.StatusOK, contentTypeJRD, cacheDiscovery, d)
}

// allowCORS lets browser clients read discovery documents.
func allowCORS(w http.ResponseWriter) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
}
