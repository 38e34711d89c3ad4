package mastoapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const (
	defaultLimit = 20
	maxLimit     = 40
)

// pageOf reads max_id, since_id, min_id and limit from the query string.
// Unparsable IDs are ignored, as Mastodon does; limit is clamped.
func pageOf(r *http.Request) store.Page {
	q := r.URL.Query()
	id := func(k string) int64 {
		n, _ := model.ParseID(q.Get(k))
		return n
	}
	p := store.Page{MaxID: id("max_id"), SinceID: id("since_id"), MinID: id("min_id"), Limit: defaultLimit}
	var n int
	if _, err := fmt.Sscan(q.Get("limit"), &n); err == nil && n > 0 {
		p.Limit = min(n, maxLimit)
	}
	return p
}

// setLink writes Mastodon's Link header for a listing whose keys run from
// newest to oldest. It keeps the request's other query parameters.
func setLink(w http.ResponseWriter, r *http.Request, base string, newest, oldest int64) {
	if newest == 0 && oldest == 0 {
		return
	}
	link := func(rel, k string, v int64) string {
		q := url.Values{}
		for key, vals := range r.URL.Query() {
			if key == "max_id" || key == "since_id" || key == "min_id" {
				continue
			}
			q[key] = vals
		}
		q.Set(k, model.FormatID(v))
		return fmt.Sprintf("<%s%s?%s>; rel=\"%s\"", base, r.URL.Path, q.Encode(), rel)
	}
	parts := []string{link("next", "max_id", oldest), link("prev", "min_id", newest)}
	w.Header().Set("Link", strings.Join(parts, ", "))
}
