package mastoapi

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

var pendingSeq atomic.Int64

// freshPending creates a local account waiting for approval for a route
// test, suspended when asked (so that unsuspend has something to do).
func (w *routeWorld) freshPending(t *testing.T, suspended bool) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("pending%d", pendingSeq.Add(1))
	a, err := w.svc.CreateUser(ctx, core.NewUser{Username: name, Password: "password-" + name})
	if err != nil {
		t.Fatal(err)
	}
	if suspended {
		if err := w.svc.SuspendAccount(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	return model.FormatID(a.ID)
}

// signUp registers name through the API in approval mode with reason.
func signUp(t *testing.T, e *testEnv, appTok, name, reason string) (int, []byte) {
	t.Helper()
	code, _, body := e.do(t, "POST", "/api/v1/accounts", appTok, url.Values{"username": {name},
		"email": {name + "@mail.test"}, "password": {"password-" + name}, "agreement": {"true"}, "reason": {reason}})
	return code, body
}

// approvalEnv is an API whose sign-ups wait for approval, with its store.
func approvalEnv(t *testing.T) (*testEnv, store.Store) {
	t.Helper()
	set := testSettings()
	set.Registration = model.RegistrationApproval
	var st store.Store
	e := newTestEnvLogged(t, set, slog.New(slog.NewTextHandler(io.Discard, nil)),
		func(s store.Store) store.Store { st = s; return s })
	return e, st
}

func TestRegistrationReason(t *testing.T) {
	e, _ := approvalEnv(t)
	appTok := e.appToken(t, "read write")
	for _, c := range []struct {
		name, reason string
	}{
		{"no reason", ""},
		{"blank reason", "   "},
		{"overlong reason", strings.Repeat("é", 1001)},
	} {
		code, body := signUp(t, e, appTok, "newbie", c.reason)
		if code != 422 || !strings.Contains(string(body), `"reason"`) {
			t.Errorf("%s: status %d: %s", c.name, code, body)
		}
		wantErrorEntity(t, c.name, routeSpec{}, code, body)
	}
	code, body := signUp(t, e, appTok, "newbie", strings.Repeat("é", 1000))
	wantStatus(t, code, 200, body)
	u := pendingUser(t, e, "newbie")
	if u.Approved || u.Reason != strings.Repeat("é", 1000) {
		t.Errorf("pending user: approved %v, reason %.20q", u.Approved, u.Reason)
	}
	// In open mode no reason is kept at all.
	open := newTestEnv(t)
	code, body = signUp(t, open, open.appToken(t, "read write"), "opener", "because")
	wantStatus(t, code, 200, body)
	if u := pendingUser(t, open, "opener"); !u.Approved || u.Reason != "" {
		t.Errorf("open sign-up kept approved %v, reason %q", u.Approved, u.Reason)
	}
}

// pendingUser reads username's user through the admin listing.
func pendingUser(t *testing.T, e *testEnv, username string) *model.User {
	t.Helper()
	owner := &core.Auth{Account: &model.Account{}, User: &model.User{Role: model.RoleOwner}}
	l, err := e.svc.AdminAccounts(context.Background(), owner, store.AdminAccountFilter{Local: true, Username: username}, store.Page{})
	if err != nil || len(l.Items) != 1 || l.Items[0].User == nil {
		t.Fatalf("user %s: %+v, %v", username, l, err)
	}
	return l.Items[0].User
}

func TestAdminAccountsAPI(t *testing.T) {
	e, st := approvalEnv(t)
	ctx := context.Background()
	_, ownerTok := e.user(t, "boss", "admin:read admin:write")
	_, modTok := e.user(t, "mod", "admin:read admin:write")
	_, plainTok := e.user(t, "plain", "admin:read admin:write read")
	_, readOnly := e.user(t, "reader", "admin:read")
	for name, role := range map[string]model.Role{"boss": model.RoleOwner, "mod": model.RoleModerator, "reader": model.RoleAdmin} {
		if err := e.svc.SetRole(ctx, name, role); err != nil {
			t.Fatal(err)
		}
	}
	appTok := e.appToken(t, "read write")
	for _, n := range []string{"wanna", "gonna"} {
		code, body := signUp(t, e, appTok, n, "I am "+n)
		wantStatus(t, code, 200, body)
	}
	remote := &model.Account{Username: "far", Domain: "far.example", URI: "https://far.example/users/far"}
	if err := st.CreateRemoteAccount(ctx, remote); err != nil {
		t.Fatal(err)
	}

	// Staff only, and the scope counts.
	code, _, body := e.do(t, "GET", "/api/v1/admin/accounts", plainTok, nil)
	wantStatus(t, code, 403, body)
	wantErrorEntity(t, "non-staff", routeSpec{}, code, body)
	code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+idOf(t, st, "wanna")+"/approve", readOnly, nil)
	wantStatus(t, code, 403, body)

	list := func(tok, q string) []AdminAccount {
		t.Helper()
		code, _, body := e.do(t, "GET", "/api/v1/admin/accounts?"+q, tok, nil)
		wantStatus(t, code, 200, body)
		return decode[[]AdminAccount](t, body)
	}
	names := func(l []AdminAccount) string {
		var out []string
		for _, a := range l {
			out = append(out, a.Account.Acct)
		}
		return strings.Join(out, ",")
	}
	for q, want := range map[string]string{
		"pending=true":               "gonna,wanna",
		"local=true&pending=true":    "gonna,wanna",
		"remote=true":                "far@far.example",
		"remote=true&pending=true":   "",
		"username=WAN":               "wanna",
		"username=%25":               "",
		"local=true&remote=true":     "",
		"silenced=true":              "",
		"suspended=true":             "",
		"active=true&username=mod":   "mod",
		"pending=true&limit=1":       "gonna",
		"local=true&limit=abc&x=%00": "gonna,wanna,reader,plain,mod,boss",
	} {
		if got := names(list(ownerTok, q)); got != want {
			t.Errorf("?%s = %q, want %q", q, got, want)
		}
	}
	// Paging goes on with max_id.
	first := list(ownerTok, "pending=true&limit=1")
	if got := names(list(ownerTok, "pending=true&limit=1&max_id="+first[0].ID)); got != "wanna" {
		t.Errorf("next page = %q", got)
	}

	// The reason shows while pending; the email only to owners and admins.
	wanna := idOf(t, st, "wanna")
	code, _, body = e.do(t, "GET", "/api/v1/admin/accounts/"+wanna, ownerTok, nil)
	wantStatus(t, code, 200, body)
	got := decode[AdminAccount](t, body)
	if got.InviteRequest == nil || *got.InviteRequest != "I am wanna" || got.Approved || got.Email == nil || *got.Email != "wanna@mail.test" {
		t.Errorf("pending account as owner = %+v", got)
	}
	code, _, body = e.do(t, "GET", "/api/v1/admin/accounts/"+wanna, modTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[AdminAccount](t, body); got.Email != nil || got.InviteRequest == nil {
		t.Errorf("pending account as moderator = %+v", got)
	}
	code, _, body = e.do(t, "GET", "/api/v1/admin/accounts/"+model.FormatID(remote.ID), modTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[AdminAccount](t, body); got.Domain == nil || *got.Domain != "far.example" || got.Email != nil {
		t.Errorf("remote account = %+v", got)
	}

	// Approve: in, and the reason is gone; approving again is refused.
	code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+wanna+"/approve", modTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[AdminAccount](t, body); !got.Approved || got.InviteRequest != nil {
		t.Errorf("approved = %+v", got)
	}
	if u := pendingUser(t, e, "wanna"); !u.Approved || u.Reason != "" {
		t.Errorf("stored after approval: approved %v, reason %q", u.Approved, u.Reason)
	}
	for _, verb := range []string{"approve", "reject"} {
		code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+wanna+"/"+verb, ownerTok, nil)
		wantStatus(t, code, 403, body)
		if !strings.Contains(string(body), "not waiting for approval") {
			t.Errorf("%s twice: %s", verb, body)
		}
		code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+model.FormatID(remote.ID)+"/"+verb, ownerTok, nil)
		wantStatus(t, code, 403, body)
	}
	if _, err := e.svc.PasswordGrant(ctx, appOf(t, e), "wanna", "password-wanna", ""); err != nil {
		t.Errorf("approved user cannot sign in: %v", err)
	}

	// Reject: refused under a legal hold, else the account is gone for real.
	gonna := idOf(t, st, "gonna")
	gid, _ := model.ParseID(gonna)
	if err := e.svc.PutHold(ctx, gid, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+gonna+"/reject", ownerTok, nil)
	wantStatus(t, code, 409, body)
	if err := e.svc.ReleaseHold(ctx, gid); err != nil {
		t.Fatal(err)
	}
	code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+gonna+"/reject", ownerTok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/admin/accounts/"+gonna, ownerTok, nil)
	wantStatus(t, code, 404, body)
	if got := names(list(ownerTok, "pending=true")); got != "" {
		t.Errorf("pending after reject = %q", got)
	}
	if _, err := e.svc.PasswordGrant(ctx, appOf(t, e), "gonna", "password-gonna", ""); err == nil {
		t.Error("rejected user can sign in")
	}
}

func TestAdminAccountActions(t *testing.T) {
	e, st := newStoreEnv(t)
	ctx := context.Background()
	_, adminTok := e.user(t, "boss", "admin:read admin:write")
	_, modTok := e.user(t, "mod", "admin:read admin:write")
	_, mod2Tok := e.user(t, "mod2", "admin:write")
	victim, victimTok := e.user(t, "victim", "read write")
	bystander, _ := e.user(t, "bystander", "read write:reports")
	for name, role := range map[string]model.Role{"boss": model.RoleAdmin, "mod": model.RoleModerator, "mod2": model.RoleModerator} {
		if err := e.svc.SetRole(ctx, name, role); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.PostStatus(ctx, victim, core.NewStatus{Text: "hello", Visibility: model.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	vid := model.FormatID(victim.ID)
	act := func(tok, id string, form url.Values) (int, []byte) {
		t.Helper()
		code, _, body := e.do(t, "POST", "/api/v1/admin/accounts/"+id+"/action", tok, form)
		return code, body
	}

	// Bad input: a clear 422, and nothing done.
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "type can't be blank"},
		{url.Values{"type": {"silence"}}, "not supported"},
		{url.Values{"type": {"sensitive"}}, "not supported"},
		{url.Values{"type": {"obliterate"}}, "must be one of"},
	} {
		code, body := act(modTok, vid, c.form)
		if code != 422 || !strings.Contains(string(body), c.want) {
			t.Errorf("action %v: %d %s", c.form, code, body)
		}
		wantErrorEntity(t, "action", routeSpec{}, code, body)
	}
	code, _, body := e.do(t, "POST", "/api/v1/admin/accounts/"+vid+"/action", modTok, `{"type": ["suspend"]}`)
	wantStatus(t, code, 422, body)
	code, body = act(modTok, vid, url.Values{"type": {"suspend"}, "report_id": {"nope"}})
	wantStatus(t, code, 404, body)

	// Never oneself, nor a peer or a higher role.
	code, body = act(modTok, idOf(t, st, "mod"), url.Values{"type": {"suspend"}})
	wantStatus(t, code, 403, body)
	code, body = act(modTok, idOf(t, st, "mod2"), url.Values{"type": {"suspend"}})
	wantStatus(t, code, 403, body)
	code, body = act(mod2Tok, idOf(t, st, "boss"), url.Values{"type": {"suspend"}})
	wantStatus(t, code, 403, body)

	code, body = act(modTok, vid, url.Values{"type": {"none"}})
	wantStatus(t, code, 200, body)
	if code, _, _ := e.do(t, "GET", "/api/v1/accounts/"+vid, "", nil); code != 200 {
		t.Fatalf("none suspended: %d", code)
	}

	// Suspend, resolving a report about the account.
	rep, err := e.svc.CreateReport(ctx, &core.Auth{Account: bystander}, core.NewReport{TargetID: victim.ID})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.svc.CreateReport(ctx, &core.Auth{Account: victim}, core.NewReport{TargetID: bystander.ID})
	if err != nil {
		t.Fatal(err)
	}
	code, body = act(modTok, vid, url.Values{"type": {"suspend"}, "report_id": {model.FormatID(other.Report.ID)}})
	wantStatus(t, code, 422, body)
	code, body = act(modTok, vid, url.Values{"type": {"suspend"}, "report_id": {model.FormatID(rep.Report.ID)}})
	wantStatus(t, code, 200, body)
	if string(body) != "{}\n" {
		t.Errorf("action body = %q", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/admin/reports/"+model.FormatID(rep.Report.ID), adminTok, nil)
	wantStatus(t, code, 200, body)
	if !decode[AdminReport](t, body).ActionTaken {
		t.Error("report not resolved by the action")
	}
	// Suspended: token dead, no sign-in, profile 404, listed as suspended.
	if code, _, _ := e.do(t, "GET", "/api/v1/accounts/verify_credentials", victimTok, nil); code != 401 && code != 403 {
		t.Errorf("suspended token still works: %d", code)
	}
	if _, err := e.svc.PasswordGrant(ctx, appOf(t, e), "victim", "password-victim", ""); err == nil {
		t.Error("suspended user can sign in")
	}
	if code, _, _ := e.do(t, "GET", "/api/v1/accounts/"+vid, "", nil); code != 404 {
		t.Errorf("suspended profile: %d", code)
	}
	code, _, body = e.do(t, "GET", "/api/v1/admin/accounts?suspended=true", modTok, nil)
	wantStatus(t, code, 200, body)
	if l := decode[[]AdminAccount](t, body); len(l) != 1 || l[0].ID != vid || !l[0].Suspended || !l[0].Disabled {
		t.Errorf("suspended listing = %+v", l)
	}

	// Unsuspend: back, signing in works again; unsuspending twice is refused.
	code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+vid+"/unsuspend", modTok, nil)
	wantStatus(t, code, 200, body)
	if got := decode[AdminAccount](t, body); got.Suspended || got.Disabled {
		t.Errorf("unsuspended = %+v", got)
	}
	code, _, body = e.do(t, "POST", "/api/v1/admin/accounts/"+vid+"/unsuspend", modTok, nil)
	wantStatus(t, code, 403, body)
	if _, err := e.svc.PasswordGrant(ctx, appOf(t, e), "victim", "password-victim", ""); err != nil {
		t.Errorf("unsuspended user cannot sign in: %v", err)
	}
	if code, _, _ := e.do(t, "GET", "/api/v1/accounts/"+vid, "", nil); code != 200 {
		t.Errorf("unsuspended profile: %d", code)
	}
}

// idOf is username's account ID.
func idOf(t *testing.T, st store.Store, username string) string {
	t.Helper()
	a, err := st.AccountByUsername(context.Background(), username, "")
	if err != nil {
		t.Fatal(err)
	}
	return model.FormatID(a.ID)
}

// appOf is a fresh app allowed every scope, for password grants.
func appOf(t *testing.T, e *testEnv) *model.App {
	t.Helper()
	app, _, err := e.svc.CreateApp(context.Background(), core.NewApp{Name: "test", RedirectURIs: []string{core.OOBRedirect}, Scopes: "read write"})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

const adminAccountsPath = "/api/v1/admin/accounts"

// withAdminAccounts checks the admin accounts answers against Mastodon's
// Admin::Account entity (its schema has the entity but not these
// operations): an array for the listing, {} for an action. Email, locale
// and role may be null, as for a remote account or a moderator's view.
func withAdminAccounts(t testing.TB, next responseChecker, path string) responseChecker {
	t.Helper()
	es := entities(t, path, "AdminReport", "AdminAccount", "Error")
	account := nullableUserFields(es[0], es[1]).Properties["account"].Value
	return entityChecker{next: next, errEntity: es[2],
		handles: func(_, path string) bool { return strings.HasPrefix(path, adminAccountsPath) },
		schemaFor: func(t testing.TB, method, path string, status int, v any, body []byte) *openapi3.Schema {
			switch {
			case method == "GET" && path == adminAccountsPath:
				return openapi3.NewArraySchema().WithItems(account)
			case strings.HasSuffix(path, "/action"):
				emptyObject(t, method, path, status, v, body)
				return nil
			}
			return account
		}}
}
