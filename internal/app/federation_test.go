package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
)

// TestFederationMounted checks that the served handler carries the
// federation routes beside the Mastodon API, behind the same security
// headers.
func TestFederationMounted(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		s := startServer(t, db)
		if _, err := s.app.Service().CreateUser(context.Background(), core.NewUser{
			Username: "alice", Password: "password-alice", Approved: true,
		}); err != nil {
			t.Fatal(err)
		}
		host := strings.TrimPrefix(s.URL, "http://")
		for _, c := range []struct {
			path, accept, contentType string
			want                      int
		}{
			{"/.well-known/webfinger?resource=" + url.QueryEscape("acct:alice@"+host), "", "application/jrd+json; charset=utf-8", 200},
			{"/.well-known/webfinger?resource=" + url.QueryEscape("acct:ghost@"+host), "", "application/json; charset=utf-8", 404},
			{"/.well-known/nodeinfo", "", "application/json; charset=utf-8", 200},
			{"/.well-known/host-meta", "", "application/xrd+xml; charset=utf-8", 200},
			{"/users/alice", "application/activity+json", "application/activity+json; charset=utf-8", 200},
			{"/users/alice", "text/html", "text/html; charset=utf-8", 200}, // redirected to the profile page, /@alice
			{"/users/alice", "*/*", "text/plain; charset=utf-8", 406},
			{"/actor", "application/activity+json", "application/activity+json; charset=utf-8", 200},
			{"/api/v1/instance", "", "application/json; charset=utf-8", 200},
		} {
			req, _ := http.NewRequest(http.MethodGet, s.URL+c.path, nil)
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != c.want || res.Header.Get("Content-Type") != c.contentType {
				t.Errorf("GET %s: %d %q, want %d %q\n%s", c.path, res.StatusCode, res.Header.Get("Content-Type"), c.want, c.contentType, body)
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s: no security headers", c.path)
			}
		}
		var ni struct {
			Software struct{ Name string } `json:"software"`
		}
		res, err := http.Get(s.URL + "/nodeinfo/2.1")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if err := json.NewDecoder(res.Body).Decode(&ni); err != nil || ni.Software.Name != "roost" {
			t.Errorf("nodeinfo: %v, %+v", err, ni)
		}
	})
}
