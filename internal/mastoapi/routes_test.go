package mastoapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// authKind is how a route checks its caller.
type authKind int

const (
	noAuth     authKind = iota // no token looked at
	appAuth                    // any valid token, an app-only one too
	userAuth                   // a user's token
	publicAuth                 // signed out, or a valid token with the scope
)

// routeSpec is what the route tests know of one endpoint: its caller, the
// scopes of which Mastodon asks for one (checked against Mastodon's
// controllers and documentation), the body parameters it reads, and a
// query it needs to do anything.
type routeSpec struct {
	auth   authKind
	scopes string
	params []string
	query  string
	html   bool // answers with a page, not JSON
}

// routeSpecs covers every registered route; TestEveryRouteIsSpecified
// fails when a route is added without an entry here.
var routeSpecs = map[string]routeSpec{
	"POST /api/v1/apps":                           {auth: noAuth, params: []string{"client_name", "redirect_uris", "scopes", "website"}},
	"GET /api/v1/apps/verify_credentials":         {auth: appAuth},
	"GET /oauth/authorize":                        {auth: noAuth, html: true},
	"POST /oauth/authorize":                       {auth: noAuth, html: true, params: []string{"csrf", "client_id", "redirect_uri", "scope", "username", "password"}},
	"GET /oauth/style.css":                        {auth: noAuth, html: true},
	"POST /oauth/token":                           {auth: noAuth, params: []string{"grant_type", "client_id", "client_secret", "code", "redirect_uri", "code_verifier", "username", "password", "scope"}},
	"POST /oauth/revoke":                          {auth: noAuth, params: []string{"client_id", "client_secret", "token"}},
	"GET /oauth/userinfo":                         {auth: userAuth, scopes: "profile"},
	"GET /.well-known/oauth-authorization-server": {auth: noAuth},

	"GET /api/v1/instance":          {auth: noAuth},
	"GET /api/v2/instance":          {auth: noAuth},
	"GET /api/v1/instance/rules":    {auth: noAuth},
	"GET /api/v1/instance/peers":    {auth: noAuth},
	"GET /api/v1/instance/activity": {auth: noAuth},
	// The privacy facts (privacy_facts.go): public, as Mastodon's policy.
	"GET /api/v1/instance/privacy_policy": {auth: noAuth},
	"GET /about/privacy":                  {auth: noAuth, html: true},
	// Mastodon asks for no scope, only a signed-in user (its default
	// "show domain blocks: users"); see instance_domain_blocks.go.
	"GET /api/v1/instance/domain_blocks": {auth: userAuth},

	"POST /api/v1/accounts":                            {auth: appAuth, scopes: "write:accounts", params: []string{"username", "email", "password", "agreement", "locale", "reason", "invite_code"}},
	"GET /api/v1/accounts":                             {auth: publicAuth, scopes: "read:accounts", query: "id[]={account}"},
	"GET /api/v1/accounts/verify_credentials":          {auth: userAuth, scopes: "profile read:accounts"},
	"PATCH /api/v1/accounts/update_credentials":        {auth: userAuth, scopes: "write:accounts", params: []string{"display_name", "note", "locked", "bot", "discoverable", "fields_attributes", "source"}},
	"GET /api/v1/accounts/lookup":                      {auth: publicAuth, scopes: "read:accounts", query: "acct=bob"},
	"GET /api/v1/accounts/search":                      {auth: userAuth, scopes: "read:accounts", query: "q=bo"},
	"GET /api/v1/accounts/relationships":               {auth: userAuth, scopes: "read:follows", query: "id[]={account}"},
	"GET /api/v1/accounts/{id}":                        {auth: publicAuth, scopes: "read:accounts"},
	"GET /api/v1/accounts/{id}/followers":              {auth: publicAuth, scopes: "read:accounts"},
	"GET /api/v1/accounts/{id}/following":              {auth: publicAuth, scopes: "read:accounts"},
	"POST /api/v1/accounts/{id}/follow":                {auth: userAuth, scopes: "write:follows", params: []string{"reblogs", "notify"}},
	"POST /api/v1/accounts/{id}/unfollow":              {auth: userAuth, scopes: "write:follows"},
	"POST /api/v1/accounts/{id}/remove_from_followers": {auth: userAuth, scopes: "write:follows"},
	"POST /api/v1/accounts/{id}/block":                 {auth: userAuth, scopes: "write:blocks"},
	"POST /api/v1/accounts/{id}/unblock":               {auth: userAuth, scopes: "write:blocks"},
	"POST /api/v1/accounts/{id}/mute":                  {auth: userAuth, scopes: "write:mutes", params: []string{"notifications", "duration"}},
	"POST /api/v1/accounts/{id}/unmute":                {auth: userAuth, scopes: "write:mutes"},
	"POST /api/v1/accounts/{id}/note":                  {auth: userAuth, scopes: "write:accounts", params: []string{"comment"}},
	"POST /api/v1/accounts/alias":                      {auth: userAuth, scopes: "write:accounts", params: []string{"also_known_as"}},
	"POST /api/v1/accounts/move":                       {auth: userAuth, scopes: "write:accounts", params: []string{"password", "moved_to_uri"}},
	"POST /api/v1/accounts/delete":                     {auth: userAuth, scopes: "write:accounts", params: []string{"password"}},
	"GET /api/v1/follow_requests":                      {auth: userAuth, scopes: "read:follows"},
	"POST /api/v1/follow_requests/{id}/authorize":      {auth: userAuth, scopes: "write:follows"},
	"POST /api/v1/follow_requests/{id}/reject":         {auth: userAuth, scopes: "write:follows"},
	"GET /api/v1/blocks":                               {auth: userAuth, scopes: "read:blocks"},
	"GET /api/v1/mutes":                                {auth: userAuth, scopes: "read:mutes"},
	"GET /api/v1/preferences":                          {auth: userAuth, scopes: "read:accounts"},
	"POST /api/v1/statuses":                            {auth: userAuth, scopes: "write:statuses", params: []string{"status", "spoiler_text", "visibility", "language", "sensitive", "in_reply_to_id", "media_ids", "poll", "scheduled_at"}},
	"GET /api/v1/statuses/{id}":                        {auth: publicAuth, scopes: "read:statuses"},
	"PUT /api/v1/statuses/{id}":                        {auth: userAuth, scopes: "write:statuses", params: []string{"status", "spoiler_text", "sensitive", "language", "media_ids", "poll"}},
	"DELETE /api/v1/statuses/{id}":                     {auth: userAuth, scopes: "write:statuses"},
	"GET /api/v1/statuses/{id}/context":                {auth: publicAuth, scopes: "read:statuses"},
	"GET /api/v1/statuses/{id}/history":                {auth: publicAuth, scopes: "read:statuses"},
	"GET /api/v1/statuses/{id}/source":                 {auth: userAuth, scopes: "read:statuses"},
	"GET /api/v1/statuses/{id}/favourited_by":          {auth: publicAuth, scopes: "read:accounts read:statuses"},
	"GET /api/v1/statuses/{id}/reblogged_by":           {auth: publicAuth, scopes: "read:accounts read:statuses"},
	"POST /api/v1/statuses/{id}/favourite":             {auth: userAuth, scopes: "write:favourites"},
	"POST /api/v1/statuses/{id}/unfavourite":           {auth: userAuth, scopes: "write:favourites"},
	"POST /api/v1/statuses/{id}/reblog":                {auth: userAuth, scopes: "write:statuses", params: []string{"visibility"}},
	"POST /api/v1/statuses/{id}/unreblog":              {auth: userAuth, scopes: "write:statuses"},
	"POST /api/v1/statuses/{id}/bookmark":              {auth: userAuth, scopes: "write:bookmarks"},
	"POST /api/v1/statuses/{id}/unbookmark":            {auth: userAuth, scopes: "write:bookmarks"},
	"POST /api/v1/statuses/{id}/pin":                   {auth: userAuth, scopes: "write:accounts"},
	"POST /api/v1/statuses/{id}/unpin":                 {auth: userAuth, scopes: "write:accounts"},
	"GET /api/v1/timelines/home":                       {auth: userAuth, scopes: "read:statuses"},
	"GET /api/v1/timelines/public":                     {auth: publicAuth, scopes: "read:statuses"},
	"GET /api/v1/timelines/tag/{hashtag}":              {auth: publicAuth, scopes: "read:statuses"},
	"GET /api/v1/accounts/{id}/statuses":               {auth: publicAuth, scopes: "read:statuses"},
	"GET /api/v1/notifications":                        {auth: userAuth, scopes: "read:notifications"},
	"GET /api/v1/notifications/{id}":                   {auth: userAuth, scopes: "read:notifications"},
	"POST /api/v1/notifications/clear":                 {auth: userAuth, scopes: "write:notifications"},
	"POST /api/v1/notifications/{id}/dismiss":          {auth: userAuth, scopes: "write:notifications"},
	"GET /api/v1/bookmarks":                            {auth: userAuth, scopes: "read:bookmarks"},
	"GET /api/v1/favourites":                           {auth: userAuth, scopes: "read:favourites"},
	"GET /api/v1/markers":                              {auth: userAuth, scopes: "read:statuses", query: "timeline[]=home"},
	"POST /api/v1/markers":                             {auth: userAuth, scopes: "write:statuses", params: []string{"home", "notifications"}},
	"GET /api/v1/custom_emojis":                        {auth: noAuth},
	"GET /api/v1/domain_blocks":                        {auth: userAuth, scopes: "read:blocks"},
	"POST /api/v1/domain_blocks":                       {auth: userAuth, scopes: "write:blocks", params: []string{"domain"}, query: "domain=spam.example"},
	"DELETE /api/v1/domain_blocks":                     {auth: userAuth, scopes: "write:blocks", params: []string{"domain"}, query: "domain=spam.example"},
	"GET /api/v1/admin/domain_blocks":                  {auth: userAuth, scopes: "admin:read:domain_blocks"},
	"GET /api/v1/admin/domain_blocks/{id}":             {auth: userAuth, scopes: "admin:read:domain_blocks"},
	"POST /api/v1/admin/domain_blocks":                 {auth: userAuth, scopes: "admin:write:domain_blocks", params: []string{"domain", "severity", "reject_media", "reject_reports", "private_comment", "public_comment", "obfuscate"}},
	"PUT /api/v1/admin/domain_blocks/{id}":             {auth: userAuth, scopes: "admin:write:domain_blocks", params: []string{"severity", "reject_media", "reject_reports", "private_comment", "public_comment", "obfuscate"}},
	"DELETE /api/v1/admin/domain_blocks/{id}":          {auth: userAuth, scopes: "admin:write:domain_blocks"},
	"POST /api/v1/reports":                             {auth: userAuth, scopes: "write:reports", params: []string{"account_id", "status_ids", "comment", "forward", "category", "rule_ids"}},
	"GET /api/v1/admin/reports":                        {auth: userAuth, scopes: "admin:read:reports"},
	"GET /api/v1/admin/reports/{id}":                   {auth: userAuth, scopes: "admin:read:reports"},
	"POST /api/v1/admin/reports/{id}/resolve":          {auth: userAuth, scopes: "admin:write:reports"},
	"POST /api/v1/admin/reports/{id}/reopen":           {auth: userAuth, scopes: "admin:write:reports"},
	"GET /api/v1/admin/retention":                      {auth: userAuth, scopes: "admin:read"},
	"GET /api/v1/admin/accounts":                       {auth: userAuth, scopes: "admin:read:accounts"},
	"GET /api/v1/admin/accounts/{id}":                  {auth: userAuth, scopes: "admin:read:accounts"},
	"POST /api/v1/admin/accounts/{id}/approve":         {auth: userAuth, scopes: "admin:write:accounts"},
	"POST /api/v1/admin/accounts/{id}/reject":          {auth: userAuth, scopes: "admin:write:accounts"},
	"POST /api/v1/admin/accounts/{id}/unsuspend":       {auth: userAuth, scopes: "admin:write:accounts"},
	"POST /api/v1/admin/accounts/{id}/action":          {auth: userAuth, scopes: "admin:write:accounts", params: []string{"type", "report_id", "text"}},
	"POST /api/v1/admin/domain_blocks/import":          {auth: userAuth, scopes: "admin:write:domain_blocks", params: []string{"data"}},
	"GET /api/v1/roost/sessions":                       {auth: userAuth, scopes: "read"},
	"GET /api/v1/roost/admin/settings":                 {auth: userAuth, scopes: "admin:read"},
	"PATCH /api/v1/roost/admin/settings":               {auth: userAuth, scopes: "admin:write", params: []string{"instance.title"}},
	"DELETE /api/v1/roost/admin/settings/{key}":        {auth: userAuth, scopes: "admin:write"},
	"DELETE /api/v1/roost/sessions/{id}":               {auth: userAuth, scopes: "write"},
	"GET /api/v1/statuses_cleanup":                     {auth: userAuth, scopes: "read:accounts"},
	"PUT /api/v1/statuses_cleanup":                     {auth: userAuth, scopes: "write:accounts", params: []string{"enabled", "min_status_age_days", "keep_direct", "keep_pinned", "keep_polls", "keep_media", "keep_self_fav", "keep_self_bookmark", "min_favs", "min_reblogs"}},
	"POST /api/v1/roost/exports":                       {auth: userAuth, scopes: "read"},
	"GET /api/v1/roost/exports":                        {auth: userAuth, scopes: "read"},
	"GET /api/v1/roost/exports/{id}":                   {auth: userAuth, scopes: "read"},
	"GET /api/v1/roost/exports/{id}/download":          {auth: userAuth, scopes: "read"},
	"GET /api/v1/roost/inventory":                      {auth: userAuth, scopes: "read"},
	"GET /api/v1/roost/inventory.html":                 {auth: userAuth, scopes: "read", html: true},
	"GET /api/v1/exports/following.csv":                {auth: userAuth, scopes: "read:follows"},
	"GET /api/v1/exports/blocks.csv":                   {auth: userAuth, scopes: "read:blocks"},
	"GET /api/v1/exports/mutes.csv":                    {auth: userAuth, scopes: "read:mutes"},
	"GET /api/v1/exports/lists.csv":                    {auth: userAuth, scopes: "read:lists"},
	"GET /api/v1/exports/domain_blocks.csv":            {auth: userAuth, scopes: "read:blocks"},
	"GET /api/v2/search":                               {auth: publicAuth, scopes: "read:search", query: "q=bob"},
	"/api/":                                            {auth: noAuth},
}

func TestEveryRouteIsSpecified(t *testing.T) {
	e := newTestEnv(t)
	registered := e.api.mux.patterns
	for _, p := range registered {
		if _, ok := routeSpecs[p]; !ok {
			t.Errorf("route %q has no entry in routeSpecs: add one so that the route tests reach it", p)
		}
	}
	for p := range routeSpecs {
		if !slices.Contains(registered, p) {
			t.Errorf("routeSpecs names %q, which is not registered", p)
		}
	}
}

// routeWorld is one API with the accounts and records the route tests aim
// at: alice calls, bob is another account, carol asks alice to follow her.
type routeWorld struct {
	*testEnv
	alice, bob, carol *model.Account
	full              string            // alice's token with every scope
	tokens            map[string]string // alice's tokens by scope string
}

func newRouteWorld(t *testing.T) *routeWorld {
	t.Helper()
	e := newTestEnv(t)
	w := &routeWorld{testEnv: e, tokens: map[string]string{}}
	w.alice, _ = e.user(t, "alice", "read")
	w.bob, _ = e.user(t, "bob", "read")
	w.carol, _ = e.user(t, "carol", "read")
	locked := true
	if _, err := e.svc.UpdateProfile(context.Background(), &core.Auth{Account: w.alice}, core.ProfileUpdate{Locked: &locked}); err != nil {
		t.Fatal(err)
	}
	w.promoteAlice(t)
	w.full = w.token(t, strings.Join(core.KnownScopes, " "))
	return w
}

// token returns a token of alice's with scopes, one per distinct set.
func (w *routeWorld) token(t *testing.T, scopes string) string {
	t.Helper()
	if tok, ok := w.tokens[scopes]; ok {
		return tok
	}
	tok := w.testEnv.token(t, "alice", scopes)
	w.tokens[scopes] = tok
	return tok
}

// revokedToken returns a token of alice's with every scope, revoked.
func (w *routeWorld) revokedToken(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	app, _, err := w.svc.CreateApp(ctx, core.NewApp{Name: "revoked", RedirectURIs: []string{core.OOBRedirect}, Scopes: "read write follow push profile"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := w.svc.PasswordGrant(ctx, app, "alice", "password-alice", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RevokeToken(ctx, app, g.AccessToken); err != nil {
		t.Fatal(err)
	}
	return g.AccessToken
}

// path makes a concrete path for pattern with fresh records to act on: a
// new status of alice's, bob's account, carol's pending request, a new
// notification of alice's.
func (w *routeWorld) path(t *testing.T, pattern string) (method, path string) {
	t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return "GET", "/api/v1/nothing-here"
	}
	ctx := context.Background()
	id := ""
	switch {
	case strings.HasPrefix(path, "/api/v1/statuses/{id}"):
		id = model.FormatID(w.aliceStatus(t).Status.ID)
	case strings.HasPrefix(path, "/api/v1/accounts/{id}"):
		_, _ = w.svc.Unblock(ctx, &core.Auth{Account: w.alice}, w.bob.ID)
		id = model.FormatID(w.bob.ID)
	case strings.HasPrefix(path, "/api/v1/follow_requests/{id}"):
		_, _ = w.svc.Unfollow(ctx, &core.Auth{Account: w.carol}, w.alice.ID)
		if _, err := w.svc.Follow(ctx, &core.Auth{Account: w.carol}, w.alice.ID, core.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
		id = model.FormatID(w.carol.ID)
	case strings.HasPrefix(path, "/api/v1/admin/domain_blocks/{id}"):
		id = w.freshDomainBlock(t)
	case strings.HasPrefix(path, "/api/v1/admin/reports/{id}"):
		id = w.freshReport(t)
	case strings.HasPrefix(path, "/api/v1/roost/exports/{id}"):
		id = w.freshExport(t)
	case strings.HasPrefix(path, "/api/v1/admin/accounts/{id}"):
		id = w.freshPending(t, strings.HasSuffix(path, "/unsuspend"))
	case strings.HasPrefix(path, "/api/v1/roost/sessions/{id}"):
		id = w.freshSession(t)
	case strings.HasPrefix(path, "/api/v1/notifications/{id}"):
		st := w.aliceStatus(t)
		if _, err := w.svc.Favourite(ctx, w.bob.ID, st.Status.ID); err != nil {
			t.Fatal(err)
		}
		l, err := w.svc.Notifications(ctx, w.alice.ID, store.NotificationFilter{}, store.Page{Limit: 1})
		if err != nil || len(l.Items) == 0 {
			t.Fatalf("no notification: %v", err)
		}
		id = model.FormatID(l.Items[0].Notification.ID)
	}
	path = strings.Replace(path, "{id}", id, 1)
	path = strings.Replace(path, "{hashtag}", "roost", 1)
	path = strings.Replace(path, "{key}", "instance.title", 1)
	if q := routeSpecs[pattern].query; q != "" {
		path += "?" + strings.ReplaceAll(q, "{account}", model.FormatID(w.bob.ID))
	}
	return method, path
}

func (w *routeWorld) aliceStatus(t *testing.T) *core.StatusView {
	t.Helper()
	v, err := w.svc.PostStatus(context.Background(), w.alice, core.NewStatus{Text: "a status #roost", Visibility: model.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// request sends one request with a raw body and content type.
func (w *routeWorld) request(t *testing.T, method, path, token, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	code, _, out := w.send(t, req)
	return code, out
}

// wantSafe checks a response is neither a server error nor anything but
// Mastodon's error entity when it is a refusal.
func wantSafe(t *testing.T, what string, spec routeSpec, code int, body []byte) {
	t.Helper()
	if code >= 500 || code == 0 {
		t.Errorf("%s: status %d: %s", what, code, body)
		return
	}
	wantErrorEntity(t, what, spec, code, body)
}

func wantErrorEntity(t *testing.T, what string, spec routeSpec, code int, body []byte) {
	t.Helper()
	if code < 400 || (spec.html && bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))) {
		return // the sign-in pages answer in HTML
	}
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Errorf("%s: %d without Mastodon's error entity: %s", what, code, body)
	}
}

func sortedPatterns() []string {
	out := make([]string, 0, len(routeSpecs))
	for p := range routeSpecs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// lackingScopes is every scope Roost knows that grants none of scopes.
func lackingScopes(scopes string) string {
	var out []string
	for _, s := range core.KnownScopes {
		if !(core.Scopes{s}).AllowsAny(strings.Fields(scopes)...) {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

func TestRoutesRefuseBadTokensAndScopes(t *testing.T) {
	w := newRouteWorld(t)
	revoked := w.revokedToken(t)
	appOnly := map[string]string{}
	for _, pattern := range sortedPatterns() {
		spec := routeSpecs[pattern]
		if spec.auth == noAuth {
			continue
		}
		check := func(name, token string, want func(int) bool) {
			t.Helper()
			method, path := w.path(t, pattern)
			code, body := w.request(t, method, path, token, "", nil)
			what := pattern + " with " + name
			if !want(code) {
				t.Errorf("%s: status %d: %s", what, code, body)
			}
			wantSafe(t, what, spec, code, body)
		}
		is := func(want int) func(int) bool { return func(c int) bool { return c == want } }
		authorized := func(c int) bool { return c != 401 && c != 403 && c < 500 }
		if spec.auth == publicAuth {
			check("no token", "", authorized)
		} else {
			check("no token", "", is(401))
		}
		check("a bad token", "not-a-token", is(401))
		check("an overlong token", strings.Repeat("x", 4096), is(401))
		check("a revoked token", revoked, is(401))
		if spec.scopes != "" {
			check("a token lacking the scope", w.token(t, lackingScopes(spec.scopes)), is(403))
		}
		for _, sc := range strings.Fields(spec.scopes) {
			check("only "+sc, w.token(t, sc), authorized)
			if appOnly[sc] == "" {
				appOnly[sc] = w.appToken(t, sc)
			}
			if spec.auth == userAuth {
				check("an app token with "+sc, appOnly[sc], is(422))
			} else {
				check("an app token with "+sc, appOnly[sc], authorized)
			}
		}
	}
}

// wrongShapes are JSON values of every kind but the one expected.
var wrongShapes = []string{
	`["a", "b"]`, `{"a": "b"}`, `12345678901234567890123`, `-1.5e300`, `null`, `true`, `""`,
	strings.Repeat("[", 200) + strings.Repeat("]", 200),
	strings.Repeat(`{"a":`, 200) + "1" + strings.Repeat("}", 200),
	`"` + strings.Repeat("\u00e9", 1000) + `"`,
}

func TestRoutesRejectBadBodies(t *testing.T) {
	w := newRouteWorld(t)
	limit := int(w.api.opts.MaxBodyBytes)
	bigJSON := []byte(`{"status": "` + strings.Repeat("x", limit) + `"}`)
	bigForm := []byte("status=" + strings.Repeat("x", limit))
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("status", strings.Repeat("x", limit))
	_ = mw.Close()
	for _, pattern := range sortedPatterns() {
		spec := routeSpecs[pattern]
		method, _, _ := strings.Cut(pattern, " ")
		if method == "GET" || !strings.Contains(pattern, " ") {
			continue
		}
		send := func(name, ctype string, body []byte, want int) {
			t.Helper()
			method, path := w.path(t, pattern)
			code, out := w.request(t, method, path, w.full, ctype, body)
			what := pattern + " with " + name
			if spec.html && ctype != "application/x-www-form-urlencoded" && code/100 == 4 {
				want = code // the sign-in form reads urlencoded forms only: any refusal will do
			}
			if want != 0 && code != want {
				t.Errorf("%s: status %d, want %d: %.300s", what, code, want, out)
			}
			wantSafe(t, what, spec, code, out)
		}
		send("malformed JSON", "application/json", []byte(`{"status": "unterminated`), 400)
		send("JSON with trailing garbage", "application/json", []byte(`{"status": "x"} {"status": "y"}`), 400)
		send("a JSON array", "application/json", []byte(`["status"]`), 400)
		send("an oversized JSON body", "application/json", bigJSON, 413)
		send("an oversized form", "application/x-www-form-urlencoded", bigForm, 413)
		send("an oversized multipart form", mw.FormDataContentType(), mp.Bytes(), 413)
		send("a malformed form", "application/x-www-form-urlencoded", []byte("a=%zz"), 400)
		for _, p := range spec.params {
			for _, v := range wrongShapes {
				send(fmt.Sprintf("%s=%.40s", p, v), "application/json", []byte(`{"`+p+`": `+v+`}`), 0)
			}
		}
	}
}

func TestRoutesRejectBadIDsAndPaging(t *testing.T) {
	w := newRouteWorld(t)
	for _, pattern := range sortedPatterns() {
		spec := routeSpecs[pattern]
		method, rest, ok := strings.Cut(pattern, " ")
		if !ok || spec.html {
			continue
		}
		if strings.Contains(rest, "{id}") {
			for _, bad := range []string{"abc", "-1", "0", "1.5", "99999999999999999999999", "123", "%00", "1e3"} {
				path := strings.Replace(rest, "{id}", bad, 1)
				if q := spec.query; q != "" {
					path += "?" + strings.ReplaceAll(q, "{account}", model.FormatID(w.bob.ID))
				}
				code, body := w.request(t, method, path, w.full, "", nil)
				if code != 404 {
					t.Errorf("%s with id %q: status %d, want 404: %s", pattern, bad, code, body)
				}
				wantSafe(t, pattern+" with id "+bad, spec, code, body)
			}
		}
		if method != "GET" {
			continue
		}
		for _, q := range []string{
			"limit=99999999999999999999999&max_id=-5&since_id=abc&min_id=1.5&offset=-3",
			"limit=-20&max_id=99999999999999999999999&offset=99999999999999999999",
			"limit=abc&max_id=&since_id=%00&min_id=-0&offset=abc",
			"limit=9223372036854775807&offset=9223372036854775807",
		} {
			_, path := w.path(t, pattern)
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			code, body := w.request(t, method, path+sep+q, w.full, "", nil)
			if code != 200 {
				t.Errorf("%s?%s: status %d, want 200: %.300s", pattern, q, code, body)
			}
			wantSafe(t, pattern+"?"+q, spec, code, body)
		}
	}
}

// TestPagingLimitsClamped checks a huge limit returns at most Mastodon's
// maximum, and a garbage one its default.
func TestPagingLimitsClamped(t *testing.T) {
	w := newRouteWorld(t)
	ctx := context.Background()
	for range 45 {
		w.aliceStatus(t)
	}
	for i := range 3 {
		a, _ := w.user(t, fmt.Sprintf("fan%d", i), "read")
		if _, err := w.svc.Follow(ctx, &core.Auth{Account: a}, w.bob.ID, core.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/api/v1/timelines/public?limit=1000000", 40},
		{"/api/v1/timelines/public?limit=99999999999999999999", 20},
		{"/api/v1/timelines/public?limit=-1", 20},
		{"/api/v1/accounts/" + model.FormatID(w.alice.ID) + "/statuses?limit=41", 40},
		{"/api/v1/accounts/" + model.FormatID(w.bob.ID) + "/followers?limit=2", 2},
		{"/api/v1/accounts/search?q=fan&limit=1000000", 3},
		{"/api/v1/accounts/search?q=fan&limit=-4", 1},
	} {
		code, body := w.request(t, "GET", tt.path, w.full, "", nil)
		wantStatus(t, code, 200, body)
		if n := len(decode[[]map[string]any](t, body)); n != tt.want {
			t.Errorf("%s: %d items, want %d", tt.path, n, tt.want)
		}
	}
}
