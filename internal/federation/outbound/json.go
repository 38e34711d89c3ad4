package outbound

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// AcceptActivity is the Accept header for ActivityPub objects, used when a
// JSON fetch names none.
const AcceptActivity = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// jsonTypes are the media types a JSON fetch accepts.
var jsonTypes = map[string]bool{
	"application/activity+json": true,
	"application/ld+json":       true,
	"application/json":          true,
	"application/jrd+json":      true,
}

// Document is a fetched JSON body and where it came from.
type Document struct {
	Body   []byte
	Header http.Header
	// URL is the final URL after redirects; an object's origin is checked
	// against it.
	URL *url.URL
}

// GetJSON fetches rawURL with the given Accept header (AcceptActivity if
// empty) and a body limit of maxBytes (the client's default if zero). See
// FetchJSON for the errors.
func (c *Client) GetJSON(ctx context.Context, rawURL, accept string, maxBytes int64) ([]byte, http.Header, error) {
	d, err := c.FetchJSON(ctx, rawURL, accept, Call{MaxBytes: maxBytes})
	if err != nil {
		return nil, nil, err
	}
	return d.Body, d.Header, nil
}

// FetchJSON GETs rawURL and returns the body when the status is 2xx and the
// media type is JSON (activity+json, ld+json, json or jrd+json). Otherwise
// it fails with a *StatusError carrying the status code, or with ErrNotJSON,
// ErrTooLarge, or an error from DoCall.
func (c *Client) FetchJSON(ctx context.Context, rawURL, accept string, call Call) (*Document, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("outbound: GET: unparsable URL: %w", ErrURL)
	}
	if accept == "" {
		accept = AcceptActivity
	}
	req.Header.Set("Accept", accept)
	resp, err := c.DoCall(req, call)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	where := redactURL(resp.Request.URL.String())
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{Code: resp.StatusCode, Header: resp.Header}
	}
	if mt, ok := jsonType(resp.Header.Get("Content-Type")); !ok {
		return nil, fmt.Errorf("outbound: GET %s: %w: %q", where, ErrNotJSON, mt)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("outbound: GET %s: read body: %w", where, err)
	}
	return &Document{Body: body, Header: resp.Header, URL: resp.Request.URL}, nil
}

func jsonType(contentType string) (string, bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "invalid", false
	}
	return shorten(mt), jsonTypes[mt]
}
