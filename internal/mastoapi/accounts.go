package mastoapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// Account listings page 40 at a time, up to 80, as Mastodon's.
const (
	accountPageDefault = 40
	accountPageMax     = 80
)

// renderCredentials renders the caller's own account: Mastodon's
// CredentialAccount, with source and role.
func (s *Server) renderCredentials(c *core.Credentials) Account {
	out := s.renderAccount(c.Account)
	src := &AccountSource{
		Privacy:   string(c.Prefs.PostingVisibility),
		Sensitive: c.Prefs.PostingSensitive,
		Note:      c.Account.Note, Fields: []AccountField{},
		FollowRequestsCount: c.FollowRequests,
		Indexable:           out.Indexable, Discoverable: out.Discoverable,
	}
	if c.Prefs.PostingLanguage != "" {
		lang := c.Prefs.PostingLanguage
		src.Language = &lang
	}
	for _, f := range c.Account.Fields {
		af := AccountField{Name: f.Name, Value: f.Value}
		if f.VerifiedAt != nil {
			v := mastoTime(*f.VerifiedAt)
			af.VerifiedAt = &v
		}
		src.Fields = append(src.Fields, af)
	}
	out.Source = src
	role := renderRole(model.RoleUser)
	if c.User != nil {
		role = renderRole(c.User.Role)
	}
	out.Role = &role
	return out
}

// renderRole renders a staff role as Mastodon's built-in roles look:
// the IDs and permission bits of its default Owner, Admin and Moderator,
// and the nameless everyone role.
func renderRole(r model.Role) Role {
	switch r {
	case model.RoleOwner:
		return Role{ID: "3", Name: "Owner", Permissions: "1", Highlighted: true}
	case model.RoleAdmin:
		return Role{ID: "2", Name: "Admin", Permissions: "1048572", Highlighted: true}
	case model.RoleModerator:
		return Role{ID: "1", Name: "Moderator", Permissions: "1948", Highlighted: true}
	}
	return Role{ID: "-99", Name: "", Permissions: "65536"}
}

// verifyCredentials is GET /api/v1/accounts/verify_credentials.
func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	c, err := s.svc.Credentials(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderCredentials(c))
}

// updateCredentials is PATCH /api/v1/accounts/update_credentials. Avatar
// and header uploads are not supported yet and are ignored.
func (s *Server) updateCredentials(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	p := paramsOf(r)
	u := core.ProfileUpdate{
		DisplayName: optString(p, "display_name"), Note: optString(p, "note"),
		Locked: optBool(p, "locked"), Bot: optBool(p, "bot"), Discoverable: optBool(p, "discoverable"),
		NoIndex: optBool(p, "noindex"), // Roost's: Mastodon sets it on its settings page
	}
	if v := optBool(p, "indexable"); v != nil && u.NoIndex == nil {
		no := !*v // Mastodon 4.2's indexable is the opposite of noindex
		u.NoIndex = &no
	}
	if fs, ok := profileFields(p); ok {
		u.Fields = &fs
	}
	src := p.Object("source")
	if v, ok := src["privacy"]; ok {
		vis := model.Visibility(v)
		u.Privacy = &vis
	}
	if v, ok := src["sensitive"]; ok {
		b := parseBool(v)
		u.Sensitive = &b
	}
	if v, ok := src["language"]; ok {
		if v == "null" {
			v = ""
		}
		u.Language = &v
	}
	c, err := s.svc.UpdateProfile(r.Context(), a, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderCredentials(c))
}

// optString is a parameter to set when given: null clears it, and an array
// or object, being no string, leaves it as it is.
func optString(p *params, key string) *string {
	if !p.Has(key) {
		return nil
	}
	v := p.String(key)
	if raw, ok := p.json[key]; ok {
		if _, ok := scalar(raw); !ok && string(bytes.TrimSpace(raw)) != "null" {
			return nil
		}
	}
	return &v
}

func optBool(p *params, key string) *bool {
	if !p.Has(key) {
		return nil
	}
	b := p.Bool(key, false)
	return &b
}

func parseBool(s string) bool {
	switch strings.ToLower(s) {
	case "true", "1", "on", "yes":
		return true
	}
	return false
}

// fieldKey matches the form keys of profile fields:
// fields_attributes[0][name], or fields_attributes[][value].
var fieldKey = regexp.MustCompile(`^fields_attributes\[(\d*)\]\[(name|value)\]$`)

// profileFields reads fields_attributes: a JSON array or object of
// {name, value}, or form keys fields_attributes[i][name]. ok is false when
// the request does not set the fields.
func profileFields(p *params) ([]model.Field, bool) {
	if _, ok := p.json["fields_attributes"]; ok {
		return jsonFields(p), true
	}
	byIndex := map[int]*model.Field{}
	var seq []*model.Field // for fields_attributes[][...]: a new pair at each name
	for k, vs := range p.form {
		m := fieldKey.FindStringSubmatch(k)
		if m == nil || m[1] == "" {
			continue
		}
		i, err := strconv.Atoi(m[1])
		if err != nil || i > 1000 {
			continue
		}
		f := byIndex[i]
		if f == nil {
			f = &model.Field{}
			byIndex[i] = f
		}
		setField(f, m[2], vs[0])
	}
	names, values := p.form["fields_attributes[][name]"], p.form["fields_attributes[][value]"]
	for i := range max(len(names), len(values)) {
		f := &model.Field{}
		if i < len(names) {
			f.Name = names[i]
		}
		if i < len(values) {
			f.Value = values[i]
		}
		seq = append(seq, f)
	}
	if len(byIndex) == 0 && len(seq) == 0 {
		return nil, false
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := []model.Field{}
	for _, i := range idx {
		out = append(out, *byIndex[i])
	}
	for _, f := range seq {
		out = append(out, *f)
	}
	return out, true
}

func setField(f *model.Field, part, v string) {
	if part == "name" {
		f.Name = v
	} else {
		f.Value = v
	}
}

// jsonFields reads fields_attributes from JSON, as an array or an object
// keyed by index.
func jsonFields(p *params) []model.Field {
	type pair struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	raw := p.json["fields_attributes"]
	var arr []pair
	if err := json.Unmarshal(raw, &arr); err == nil {
		out := make([]model.Field, 0, len(arr))
		for _, f := range arr {
			out = append(out, model.Field{Name: f.Name, Value: f.Value})
		}
		return out
	}
	var obj map[string]pair
	if err := json.Unmarshal(raw, &obj); err != nil {
		return []model.Field{}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, errA := strconv.Atoi(keys[i])
		b, errB := strconv.Atoi(keys[j])
		if errA != nil || errB != nil {
			return keys[i] < keys[j]
		}
		return a < b
	})
	out := make([]model.Field, 0, len(keys))
	for _, k := range keys {
		out = append(out, model.Field{Name: obj[k].Name, Value: obj[k].Value})
	}
	return out
}

// getAccount is GET /api/v1/accounts/:id.
func (s *Server) getAccount(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	acct, err := s.svc.Account(r.Context(), a.ViewerID(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderAccount(acct))
}

// accountsByID is GET /api/v1/accounts?id[]=: the visible accounts among
// the IDs asked for.
func (s *Server) accountsByID(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	ids := queryIDs(r, "id", core.MaxRelationshipIDs)
	accts, err := s.svc.Accounts(r.Context(), a.ViewerID(), ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAccountList(w, accts)
}

// queryIDs reads an ID array from the query string (key[] or key),
// skipping what is not an ID, at most limit.
func queryIDs(r *http.Request, key string, limit int) []int64 {
	q := r.URL.Query()
	vals := append(q[key+"[]"], q[key]...)
	out := []int64{}
	for _, v := range vals {
		if id, ok := model.ParseID(v); ok && len(out) < limit {
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) writeAccountList(w http.ResponseWriter, accts []*model.Account) {
	out := make([]Account, 0, len(accts))
	for _, acct := range accts {
		out = append(out, s.renderAccount(acct))
	}
	writeJSON(w, http.StatusOK, out)
}

// lookupAccount is GET /api/v1/accounts/lookup?acct=.
func (s *Server) lookupAccount(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	acct := r.URL.Query().Get("acct")
	if acct == "" {
		writeError(w, http.StatusBadRequest, "Missing required parameter: acct")
		return
	}
	found, err := s.svc.LookupAccount(r.Context(), a.ViewerID(), acct)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.renderAccount(found))
}

// searchAccounts is GET /api/v1/accounts/search?q=: local usernames by
// prefix. resolve (WebFinger) comes with federation.
func (s *Server) searchAccounts(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	q := r.URL.Query()
	if strings.TrimSpace(q.Get("q")) == "" {
		writeError(w, http.StatusBadRequest, "Missing required parameter: q")
		return
	}
	limit := atoiOr(q.Get("limit"), 40)
	limit = min(max(limit, 1), 80)
	offset := max(atoiOr(q.Get("offset"), 0), 0)
	accts, err := s.svc.SearchAccounts(r.Context(), a.ViewerID(), q.Get("q"), parseBool(q.Get("following")), limit, offset)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeAccountList(w, accts)
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// followers is GET /api/v1/accounts/:id/followers.
func (s *Server) followers(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	l, err := s.svc.Followers(r.Context(), a.ViewerID(), id, pageWithin(r, accountPageDefault, accountPageMax))
	s.writeAccounts(w, r, l, err)
}

// following is GET /api/v1/accounts/:id/following.
func (s *Server) following(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	l, err := s.svc.Following(r.Context(), a.ViewerID(), id, pageWithin(r, accountPageDefault, accountPageMax))
	s.writeAccounts(w, r, l, err)
}
