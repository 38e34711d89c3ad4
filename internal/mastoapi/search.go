package mastoapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/roost-social/roost/internal/core"
)

// searchRoutes registers search.
func (s *Server) searchRoutes() {
	s.mux.HandleFunc("GET /api/v2/search", s.public("read:search", s.search))
}

// SearchResults is Mastodon's Search entity.
type SearchResults struct {
	Accounts []Account `json:"accounts"`
	Statuses []Status  `json:"statuses"`
	Hashtags []Tag     `json:"hashtags"`
}

// Tag is Mastodon's Tag entity. Hashtags are stored only as blind
// indexes, so a tag has no row of its own: its ID is its name, and its
// usage history is not kept (always empty).
type Tag struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	URL     string       `json:"url"`
	History []TagHistory `json:"history"`
}

// TagHistory is Mastodon's Tag::History: one day's use of a tag.
type TagHistory struct {
	Day      string `json:"day"`
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

// search is GET /api/v2/search: accounts by username prefix, handle or
// URL, and a hashtag by name. As in Mastodon, resolving remote handles and
// URLs (resolve=true) and paging with offset need a signed-in caller.
func (s *Server) search(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	q := r.URL.Query()
	term := strings.TrimSpace(q.Get("q"))
	if term == "" {
		writeError(w, http.StatusBadRequest, "Missing required parameter: q")
		return
	}
	resolve, offset := parseBool(q.Get("resolve")), max(atoiOr(q.Get("offset"), 0), 0)
	if a.ViewerID() == 0 && resolve {
		writeError(w, http.StatusUnauthorized, "Search queries that resolve remote resources are not supported without authentication")
		return
	}
	if a.ViewerID() == 0 && offset > 0 {
		writeError(w, http.StatusUnauthorized, "Search queries with offset are not supported without authentication")
		return
	}
	typ := q.Get("type")
	switch typ {
	case "", core.SearchAccountsType, core.SearchHashtagsType, core.SearchStatusesType:
	default:
		typ = ""
	}
	res, err := s.svc.Search(r.Context(), a, core.SearchQuery{
		Q: term, Type: typ, Resolve: resolve, Following: parseBool(q.Get("following")),
		Limit: min(max(atoiOr(q.Get("limit"), 20), 1), 40), Offset: offset,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := SearchResults{Accounts: []Account{}, Statuses: s.renderStatuses(res.Statuses), Hashtags: []Tag{}}
	for _, acct := range res.Accounts {
		out.Accounts = append(out.Accounts, s.renderAccount(acct))
	}
	base := s.svc.Settings().BaseURL
	for _, t := range res.Hashtags {
		out.Hashtags = append(out.Hashtags, Tag{ID: t, Name: t, URL: base + "/tags/" + url.PathEscape(t), History: []TagHistory{}})
	}
	writeJSON(w, http.StatusOK, out)
}
