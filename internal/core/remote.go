package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Remote actors: what the server learns of accounts on other servers, by
// fetching their actor documents (signed as the instance actor) and
// caching them with their keys.

// Fetched is a remote JSON document and where it was finally found, after
// redirects; an object's origin is checked against URL.
type Fetched struct {
	Body []byte
	URL  string
}

// Fetcher fetches remote JSON documents for core, through the one
// outbound client, signed as the instance actor. core knows no HTTP: an
// implementation answers a 404 or 410 with an error wrapping
// model.ErrNotFound (a 410 with ErrGone, which wraps it), and every other
// failure (refused address, other status, not JSON, too large) with some
// other error.
type Fetcher interface {
	// FetchObject GETs an ActivityStreams document.
	FetchObject(ctx context.Context, rawURL string) (*Fetched, error)
	// FetchWebFinger GETs a WebFinger JRD.
	FetchWebFinger(ctx context.Context, rawURL string) (*Fetched, error)
}

// SetFetcher gives the service its way to the network. It is called once,
// while wiring, before the service is used; without it every remote lookup
// is model.ErrNotFound.
func (s *Service) SetFetcher(f Fetcher) { s.fetch = f }

// Cache lifetimes of remote actors.
const (
	// RemoteActorTTL is how long a fetched actor is used before a resolve
	// fetches it again.
	RemoteActorTTL = 24 * time.Hour
	// KeyRefreshInterval is how soon after a fetch a failed signature may
	// make the key's owner be fetched again: it keeps forged signatures
	// from turning the server into a fetching machine.
	KeyRefreshInterval = time.Minute
)

// Bounds on what is kept of a remote profile.
const (
	maxRemoteUsername    = 100
	maxRemoteDisplayName = 200
	maxRemoteFields      = 16
	maxRemoteFieldName   = 500
)

// errNoFetcher is a remote lookup on a service that cannot fetch.
var errNoFetcher = fmt.Errorf("core: remote lookups are off: %w", model.ErrNotFound)

// ResolveActor returns the account of the actor whose ActivityPub id is
// uri, fetching its document when it is unknown or older than
// RemoteActorTTL. A URL of this server names a local account. A stale
// actor whose refresh fails is returned as cached. The document must be
// an actor whose id is on the host it was finally fetched from.
func (s *Service) ResolveActor(ctx context.Context, uri string) (*model.Account, error) {
	u, err := s.remoteURL(uri)
	if err != nil {
		return nil, err
	}
	if s.isLocalHost(u.Host) {
		return s.localActorByURL(ctx, u)
	}
	a, err := s.store.AccountByURI(ctx, uri)
	if err == nil {
		ra, err := s.store.RemoteActor(ctx, a.ID)
		if err == nil && s.now().Sub(ra.FetchedAt) < RemoteActorTTL {
			return a, nil
		}
	} else if !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: resolve actor: %w", err)
	}
	fresh, _, ferr := s.fetchActor(ctx, uri)
	if ferr != nil && a != nil {
		return a, nil // keep using what we had
	}
	return fresh, ferr
}

// ResolveAcct returns the account named by a handle, "user@domain" (an
// "@" or "acct:" in front is allowed): a local one for this server's
// domain, else the actor the domain's WebFinger names, through
// ResolveActor. A known remote account fetched within RemoteActorTTL is
// answered from the cache. The account's domain is its actor's host.
func (s *Service) ResolveAcct(ctx context.Context, acct string) (*model.Account, error) {
	acct = strings.TrimPrefix(strings.TrimSpace(acct), "acct:")
	name, domain := s.splitAcct(acct)
	if name == "" || strings.ContainsAny(name, "/?#% ") {
		return nil, fmt.Errorf("core: resolve %q: %w", acct, model.ErrNotFound)
	}
	if domain == "" {
		return s.LookupAccount(ctx, 0, name)
	}
	if !validDomain(domain) {
		return nil, fmt.Errorf("core: resolve acct: %w", model.ErrNotFound)
	}
	if a, err := s.store.AccountByUsername(ctx, name, domain); err == nil {
		ra, err := s.store.RemoteActor(ctx, a.ID)
		if err == nil && s.now().Sub(ra.FetchedAt) < RemoteActorTTL {
			return a, nil
		}
	}
	if s.fetch == nil {
		return nil, errNoFetcher
	}
	wf := schemeFor(domain) + "://" + domain + "/.well-known/webfinger?resource=" +
		url.QueryEscape("acct:"+name+"@"+domain)
	doc, err := s.fetch.FetchWebFinger(ctx, wf)
	if err != nil {
		return nil, fmt.Errorf("core: webfinger %s: %w", domain, err)
	}
	href, err := selfLink(doc.Body)
	if err != nil {
		return nil, fmt.Errorf("core: webfinger %s: %w", domain, err)
	}
	return s.ResolveActor(ctx, href)
}

// RemoteKey is a remote actor's public key as its document publishes it,
// with the local account of its owner.
type RemoteKey struct {
	KeyID string
	// PEM is a publicKeyPem, or Multibase an FEP-521a publicKeyMultibase;
	// one of them is set.
	PEM       string
	Multibase string
	// AccountID is the owner's local account; Owner its ActivityPub id.
	AccountID int64
	Owner     string
}

// PublicKeyForKeyID returns the key with id keyID for verifying a
// signature. The cache answers first; an unknown key, or refresh (the
// signature failed with the cached key, which may have been rotated),
// fetches the key's owner again, unless it was fetched within
// KeyRefreshInterval. The key must be published in the owner's actor
// document, owned by (or controlled by) that document's id, and be on its
// host. A suspended owner is model.ErrForbidden.
func (s *Service) PublicKeyForKeyID(ctx context.Context, keyID string, refresh bool) (*RemoteKey, error) {
	u, err := s.remoteURL(keyID)
	if err != nil || s.isLocalHost(u.Host) {
		return nil, fmt.Errorf("core: key %.200q: %w", keyID, model.ErrNotFound)
	}
	ra, err := s.store.RemoteActorByKeyID(ctx, keyID)
	switch {
	case err == nil && (!refresh || s.now().Sub(ra.FetchedAt) < KeyRefreshInterval):
		return s.remoteKey(ctx, keyID, ra)
	case err != nil && !errors.Is(err, model.ErrNotFound):
		return nil, fmt.Errorf("core: key: %w", err)
	}
	if s.fetch == nil {
		return nil, errNoFetcher
	}
	u.Fragment, u.RawFragment = "", ""
	if ra, err = s.fetchKey(ctx, u.String(), keyID); err != nil {
		return nil, err
	}
	return s.remoteKey(ctx, keyID, ra)
}

// remoteKey picks keyID out of ra.
func (s *Service) remoteKey(ctx context.Context, keyID string, ra *store.RemoteActor) (*RemoteKey, error) {
	k := &RemoteKey{KeyID: keyID, AccountID: ra.AccountID}
	switch keyID {
	case ra.KeyID:
		k.PEM = ra.PublicKeyPEM
	case ra.Ed25519KeyID:
		k.Multibase = ra.Ed25519Multibase
	default:
		return nil, fmt.Errorf("core: key %.200q: not published by its owner: %w", keyID, model.ErrNotFound)
	}
	a, err := s.store.Account(ctx, ra.AccountID)
	if err != nil {
		return nil, fmt.Errorf("core: key owner: %w", err)
	}
	if a.SuspendedAt != nil {
		return nil, fmt.Errorf("core: key owner: %w", model.ErrForbidden)
	}
	k.Owner = a.URI
	return k, nil
}

// fetchKey fetches the document at rawURL, a key id without its
// fragment, and stores the actor that publishes the key: the document
// itself when it is that actor (Mastodon's #main-key), else the owner it
// names, fetched in turn, on the key's host: a stub actor (GoToSocial's
// /main-key) or a key document of its own (CryptographicKey).
func (s *Service) fetchKey(ctx context.Context, rawURL, keyID string) (*store.RemoteActor, error) {
	doc, err := s.fetch.FetchObject(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("core: fetch key: %w", err)
	}
	var owner string
	o, err := ap.DecodeActor(doc.Body)
	switch {
	case err == nil && o.ID == rawURL:
		_, ra, err := s.storeActor(ctx, o, doc)
		return ra, err
	case err == nil:
		owner = o.ID
	case errors.Is(err, ap.ErrUnsupportedType):
		var key struct {
			ID    string `json:"id"`
			Owner string `json:"owner"`
		}
		if json.Unmarshal(doc.Body, &key) == nil && key.ID == keyID {
			owner = key.Owner
		}
	default:
		return nil, fmt.Errorf("core: key document: %w", err)
	}
	if owner == "" || owner == rawURL || !sameHost(owner, keyID) {
		return nil, fmt.Errorf("core: key document names no owner on its host: %w", model.ErrInvalid)
	}
	_, ra, err := s.fetchActor(ctx, owner)
	return ra, err
}

// fetchActor fetches the actor document at uri, checks it and stores it.
func (s *Service) fetchActor(ctx context.Context, uri string) (*model.Account, *store.RemoteActor, error) {
	if s.fetch == nil {
		return nil, nil, errNoFetcher
	}
	doc, err := s.fetch.FetchObject(ctx, uri)
	if err != nil {
		return nil, nil, fmt.Errorf("core: fetch actor: %w", err)
	}
	o, err := ap.DecodeActor(doc.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("core: actor document: %w", err)
	}
	return s.storeActor(ctx, o, doc)
}

// storeActor checks an actor document fetched as doc and stores it.
func (s *Service) storeActor(ctx context.Context, o *ap.Object, doc *Fetched) (*model.Account, *store.RemoteActor, error) {
	id, err := s.remoteURL(o.ID)
	if err != nil || !sameHost(o.ID, doc.URL) || s.isLocalHost(id.Host) {
		return nil, nil, fmt.Errorf("core: actor id %.200q not on the host it came from: %w", o.ID, model.ErrInvalid)
	}
	a, ra, err := s.actorFromDocument(o, id)
	if err != nil {
		return nil, nil, err
	}
	newID := a.ID // kept only when the account is created
	err = s.store.PutRemoteActor(ctx, a, ra)
	if errors.Is(err, model.ErrConflict) {
		// Another resolve stored the same actor meanwhile: update it.
		a, ra, _ = s.actorFromDocument(o, id)
		err = s.store.PutRemoteActor(ctx, a, ra)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("core: store actor: %w", err)
	}
	if a.ID == newID {
		s.queueFeatured(ctx, a, ra) // first seen: read what it pinned (featured_fetch.go)
	}
	return a, ra, nil
}

// actorFromDocument maps an actor document onto an account and its
// details. Remote HTML is sanitized here, once, before it is stored.
func (s *Service) actorFromDocument(o *ap.Object, id *url.URL) (*model.Account, *store.RemoteActor, error) {
	name := o.PreferredUsername
	if !validRemoteUsername(name) {
		return nil, nil, fmt.Errorf("core: actor %.200q: %w", o.ID, model.Invalid("unusable preferredUsername"))
	}
	a := &model.Account{
		// The ID is made now, not at the published date: servers publish
		// days, and IDs made at one instant could collide.
		ID:           model.NewID(s.now()),
		Username:     name,
		Domain:       strings.ToLower(id.Host),
		DisplayName:  plainText(o.Name, maxRemoteDisplayName),
		Note:         ap.SanitizeHTML(o.Summary),
		Fields:       []model.Field{},
		Locked:       o.ManuallyApprovesFollowers,
		Bot:          o.HasType(ap.TypeService) || o.HasType(ap.TypeApplication),
		Discoverable: o.Discoverable,
		NoIndex:      !o.Indexable,
		URI:          o.ID,
		URL:          o.ID,
	}
	if h := o.HTMLURL(); isHTTPURL(h) {
		a.URL = h
	}
	if p := o.Published; !p.IsZero() && p.Before(s.now()) {
		a.CreatedAt = p
	}
	for _, at := range o.Attachment {
		if at.Type == ap.TypePropertyValue && len(a.Fields) < maxRemoteFields {
			a.Fields = append(a.Fields, model.Field{
				Name: plainText(at.Name, maxRemoteFieldName), Value: ap.SanitizeHTML(at.Value),
			})
		}
	}
	ra := &store.RemoteActor{
		Inbox: httpURL(o.Inbox), SharedInbox: httpURL(o.SharedInbox), Outbox: httpURL(o.Outbox),
		Followers: httpURL(o.Followers), Following: httpURL(o.Following), Featured: httpURL(o.Featured),
		FetchedAt: s.now(),
		Moves:     actorMoves(o),
	}
	for _, k := range o.PublicKey {
		if k.Owner == o.ID && k.PEM != "" && sameHost(k.ID, o.ID) {
			ra.KeyID, ra.PublicKeyPEM = k.ID, k.PEM
			break
		}
	}
	for _, k := range o.AssertionMethod {
		if k.Controller != o.ID || !sameHost(k.ID, o.ID) {
			continue
		}
		if _, err := k.Ed25519(); err == nil {
			ra.Ed25519KeyID, ra.Ed25519Multibase = k.ID, k.PublicKeyMultibase
			break
		}
	}
	return a, ra, nil
}

// localActorByURL finds the local account a URL of this server names:
// its actor id (/users/name) or profile page (/@name).
func (s *Service) localActorByURL(ctx context.Context, u *url.URL) (*model.Account, error) {
	p := strings.TrimSuffix(u.Path, "/")
	name, ok := strings.CutPrefix(p, "/users/")
	if !ok {
		name, ok = strings.CutPrefix(p, "/@")
	}
	if !ok || strings.Contains(name, "/") {
		return nil, fmt.Errorf("core: local url: %w", model.ErrNotFound)
	}
	return s.LocalActor(ctx, name)
}

// remoteURL parses an absolute http(s) URL with a host and no
// credentials.
func (s *Service) remoteURL(raw string) (*url.URL, error) {
	if len(raw) > 2048 || hasNUL(raw) {
		return nil, model.ErrNotFound
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("core: not a remote url: %w", model.ErrNotFound)
	}
	return u, nil
}

// isLocalHost reports whether host (host[:port]) is this server.
func (s *Service) isLocalHost(host string) bool { return strings.EqualFold(host, s.settings().Domain) }

// sameHost reports whether two URLs have the same host and port.
func sameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2048
}

// httpURL returns s when it is an http(s) URL, else "".
func httpURL(s string) string {
	if isHTTPURL(s) {
		return s
	}
	return ""
}

// schemeFor is the scheme a domain is reached with: http for loopback
// development domains (which only the development switch lets the
// outbound client reach), https for every other.
func schemeFor(domain string) string {
	host := domain
	if h, _, err := net.SplitHostPort(domain); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "http"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return "http"
	}
	return "https"
}

// validDomain accepts a host name or IP literal with an optional port.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 || strings.ContainsAny(d, "/?#@\\ ") {
		return false
	}
	u, err := url.Parse("https://" + d)
	return err == nil && u.Host == d && u.Hostname() != ""
}

// validRemoteUsername accepts what other servers use as names, bounded,
// without what would break a handle or a URL.
func validRemoteUsername(n string) bool {
	if n == "" || len(n) > maxRemoteUsername || !utf8.ValidString(n) {
		return false
	}
	for _, r := range n {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("@/?#%\\\"'<>", r) {
			return false
		}
	}
	return true
}

// plainText trims s, drops control characters and keeps at most max runes.
func plainText(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) || r == utf8.RuneError {
			continue
		}
		if n == max {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// selfLink returns the ActivityPub actor a WebFinger JRD names.
func selfLink(body []byte) (string, error) {
	var jrd struct {
		Links []struct {
			Rel  string `json:"rel"`
			Type string `json:"type"`
			Href string `json:"href"`
		} `json:"links"`
	}
	if err := json.Unmarshal(body, &jrd); err != nil {
		return "", model.Invalid("malformed WebFinger document")
	}
	for _, l := range jrd.Links {
		mt := strings.TrimSpace(strings.SplitN(l.Type, ";", 2)[0])
		if l.Rel == "self" && (mt == "application/activity+json" || mt == "application/ld+json") && isHTTPURL(l.Href) {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("no ActivityPub self link: %w", model.ErrNotFound)
}
