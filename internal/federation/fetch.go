package federation

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/federation/outbound"
	"github.com/roost-social/roost/internal/model"
)

// acceptJRD is the Accept header of WebFinger lookups.
const acceptJRD = "application/jrd+json, application/json"

// Fetcher is core.Fetcher over the outbound client: every GET is signed
// as the instance actor ({base}/actor#main-key, its RSA key), RFC 9421
// first and draft-cavage after a 400, 401 or 403, remembering per host
// the format that was accepted (FEP-844e double knocking).
type Fetcher struct {
	client *outbound.Client
	svc    *core.Service
	keyID  string
	modes  *httpsig.HostModes
	now    func() time.Time
}

var _ core.Fetcher = (*Fetcher)(nil)

// NewFetcher returns a Fetcher that sends through client and signs with
// the instance actor's key from svc.
func NewFetcher(svc *core.Service, client *outbound.Client) *Fetcher {
	base := strings.TrimSuffix(svc.Settings().BaseURL, "/")
	return &Fetcher{
		client: client, svc: svc, keyID: urls{base: base}.instanceActor() + mainKeyFragment,
		modes: &httpsig.HostModes{}, now: time.Now,
	}
}

// FetchObject GETs an ActivityStreams document.
func (f *Fetcher) FetchObject(ctx context.Context, rawURL string) (*core.Fetched, error) {
	return f.fetch(ctx, rawURL, outbound.AcceptActivity)
}

// FetchWebFinger GETs a WebFinger JRD.
func (f *Fetcher) FetchWebFinger(ctx context.Context, rawURL string) (*core.Fetched, error) {
	return f.fetch(ctx, rawURL, acceptJRD)
}

func (f *Fetcher) fetch(ctx context.Context, rawURL, accept string) (*core.Fetched, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("federation: fetch: %w", outbound.ErrURL)
	}
	keys, err := f.svc.ActorKeys(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("federation: fetch: %w", err)
	}
	host := strings.ToLower(u.Host)
	var doc *outbound.Document
	_, err = knock(f.modes, host, func(mode httpsig.Mode) (int, error) {
		var err error
		if doc, err = f.get(ctx, rawURL, accept, keys.RSA, mode); err != nil {
			return statusOf(err), err
		}
		return http.StatusOK, nil
	})
	if err != nil {
		switch statusOf(err) {
		case http.StatusGone:
			return nil, fmt.Errorf("federation: fetch from %s: %w", host, core.ErrGone)
		case http.StatusNotFound:
			return nil, fmt.Errorf("federation: fetch from %s: %w", host, model.ErrNotFound)
		}
		return nil, fmt.Errorf("federation: fetch: %w", err)
	}
	return &core.Fetched{Body: doc.Body, URL: doc.URL.String()}, nil
}

// get sends one signed GET; each redirect hop is signed afresh.
func (f *Fetcher) get(ctx context.Context, rawURL, accept string, key crypto.Signer, mode httpsig.Mode) (*outbound.Document, error) {
	call := outbound.Call{Sign: func(r *http.Request) error {
		return httpsig.SignFor(mode, r, nil, key, f.keyID, f.now())
	}}
	return f.client.FetchJSON(ctx, rawURL, accept, call)
}

// statusOf returns the HTTP status of a failed fetch, or 0 when the
// failure was not a response.
func statusOf(err error) int {
	var se *outbound.StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}
