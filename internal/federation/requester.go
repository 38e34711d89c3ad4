package federation

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/httpsig"
)

// NewRequester returns the RequesterFunc that verifies signed fetches
// ("authorized fetch"): a request without a signature is anonymous (0);
// a signature, in either format, must verify with its key, found through
// core.PublicKeyForKeyID (the cache first, the owner's actor document
// when unknown, fetched once more when the cached key fails, for key
// rotation), and the request is then made by the key's owner, the remote
// account whose visibility rules apply. Any failure is an error, and the
// fetch is refused with 401. opts tunes the checks; its Scheme defaults
// to the scheme of the instance's base URL.
func NewRequester(svc *core.Service, opts httpsig.VerifyOptions) RequesterFunc {
	if opts.Scheme == "" {
		opts.Scheme, _, _ = strings.Cut(svc.Settings().BaseURL, "://")
	}
	return func(r *http.Request) (int64, error) {
		var owner int64
		lookup := func(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error) {
			k, err := svc.PublicKeyForKeyID(ctx, keyID, refresh)
			if err != nil {
				return nil, err
			}
			pub, err := parseRemoteKey(k)
			if err != nil {
				return nil, err
			}
			owner = k.AccountID
			return pub, nil
		}
		_, err := httpsig.Verify(r, nil, lookup, opts)
		switch {
		case errors.Is(err, httpsig.ErrNoSignature):
			return 0, nil
		case err != nil:
			return 0, fmt.Errorf("federation: signed fetch: %w", err)
		}
		return owner, nil
	}
}

// parseRemoteKey parses a key as its owner's document published it.
func parseRemoteKey(k *core.RemoteKey) (crypto.PublicKey, error) {
	if k.PEM != "" {
		return httpsig.ParsePublicKeyPEM(k.PEM)
	}
	return httpsig.ParseMultikey(k.Multibase)
}
