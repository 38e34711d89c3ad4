package mastoapi

import (
	"net/http"
	"strings"
)

// Browser clients (Elk, Phanpy, the Mastodon web app on another origin)
// call the API cross-origin. Like Mastodon, Roost allows any origin on the
// API and token endpoints without credentials: authentication is a bearer
// token the client holds, never a cookie, so a foreign page gains nothing
// it could not do with the token itself.
const corsMaxAge = "7200"

// corsPath reports whether path answers cross-origin requests.
func corsPath(path string) bool {
	switch path {
	case "/oauth/token", "/oauth/revoke", "/oauth/userinfo":
		return true
	}
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/.well-known/")
}

// cors sets the CORS response headers and answers preflight requests. It
// reports whether the request was fully handled.
func cors(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Origin") == "" || !corsPath(r.URL.Path) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", corsMaxAge)
	h.Add("Vary", "Access-Control-Request-Headers")
	w.WriteHeader(http.StatusNoContent)
	return true
}
