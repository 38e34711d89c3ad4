package mastoapi

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const adminReportsPath = "/api/v1/admin/reports"

// withAdminReports wraps next: the community Mastodon schema has the
// Admin::Report entity but not the /api/v1/admin/reports operations,
// whose answers are checked against the entity (a list of them for the
// listing). Its Admin::Account requires email, locale and role, which
// Mastodon itself sends as null for remote accounts (they have no user);
// the check allows null there and nowhere else. path is the loaded schema
// file.
func withAdminReports(t testing.TB, next responseChecker, path string) responseChecker {
	t.Helper()
	es := entities(t, path, "AdminReport", "AdminAccount", "Error")
	report := nullableUserFields(es[0], es[1])
	return entityChecker{next: next, errEntity: es[2],
		handles: func(_, path string) bool { return strings.HasPrefix(path, adminReportsPath) },
		schemaFor: func(_ testing.TB, method, path string, _ int, _ any, _ []byte) *openapi3.Schema {
			if method == "GET" && path == adminReportsPath {
				return openapi3.NewArraySchema().WithItems(report)
			}
			return report
		}}
}

// nullableUserFields returns a copy of the AdminReport schema whose
// accounts may have null email, locale and role.
func nullableUserFields(report, account *openapi3.Schema) *openapi3.Schema {
	acct := *account
	acct.Properties = openapi3.Schemas{}
	null := openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"null"}})
	for k, v := range account.Properties {
		switch k {
		case "email", "locale", "role":
			acct.Properties[k] = openapi3.NewSchemaRef("", &openapi3.Schema{OneOf: openapi3.SchemaRefs{v, null}})
		default:
			acct.Properties[k] = v
		}
	}
	r := *report
	r.Properties = openapi3.Schemas{}
	ref := openapi3.NewSchemaRef("", &acct)
	for k, v := range report.Properties {
		switch k {
		case "account", "target_account":
			r.Properties[k] = ref
		case "action_taken_by_account", "assigned_account":
			r.Properties[k] = openapi3.NewSchemaRef("", &openapi3.Schema{OneOf: openapi3.SchemaRefs{ref, null}})
		default:
			r.Properties[k] = v
		}
	}
	return &r
}

// freshReport files a report of alice's about bob for a route test.
func (w *routeWorld) freshReport(t *testing.T) string {
	t.Helper()
	v, err := w.svc.CreateReport(context.Background(), &core.Auth{Account: w.alice}, core.NewReport{TargetID: w.bob.ID})
	if err != nil {
		t.Fatal(err)
	}
	return model.FormatID(v.Report.ID)
}

func TestReportsAPI(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	alice, aliceTok := e.user(t, "alice", "write:reports")
	bob, _ := e.user(t, "bob", "read")
	carol, _ := e.user(t, "carol", "read")
	_, modTok := e.user(t, "mod", "admin:read admin:write")
	_, plainTok := e.user(t, "plain", "admin:read admin:write")
	if err := e.svc.SetRole(ctx, "mod", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	post := func(a *model.Account, vis model.Visibility) string {
		v, err := e.svc.PostStatus(ctx, a, core.NewStatus{Text: "reported text", Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		return model.FormatID(v.Status.ID)
	}
	bobPublic, bobPrivate, carolPublic := post(bob, model.VisibilityPublic), post(bob, model.VisibilityPrivate), post(carol, model.VisibilityPublic)
	bobID := model.FormatID(bob.ID)

	// Refusals write nothing.
	for _, c := range []struct {
		name string
		form url.Values
		want int
	}{
		{"no account", url.Values{"comment": {"x"}}, 404},
		{"unknown account", url.Values{"account_id": {"424242"}}, 404},
		{"oneself", url.Values{"account_id": {model.FormatID(alice.ID)}}, 422},
		{"a status alice cannot see", url.Values{"account_id": {bobID}, "status_ids[]": {bobPrivate}}, 404},
		{"another account's status", url.Values{"account_id": {bobID}, "status_ids[]": {carolPublic}}, 404},
		{"a bad status id", url.Values{"account_id": {bobID}, "status_ids[]": {"abc"}}, 404},
		{"an overlong comment", url.Values{"account_id": {bobID}, "comment": {strings.Repeat("é", core.MaxReportComment+1)}}, 422},
		{"an unknown category", url.Values{"account_id": {bobID}, "category": {"rude"}}, 422},
		{"an unknown rule", url.Values{"account_id": {bobID}, "rule_ids[]": {"7"}}, 422},
		{"rules outside violation", url.Values{"account_id": {bobID}, "category": {"spam"}, "rule_ids[]": {"1"}}, 422},
	} {
		code, _, body := e.do(t, "POST", "/api/v1/reports", aliceTok, c.form)
		if code != c.want {
			t.Errorf("%s: status %d, want %d: %s", c.name, code, c.want, body)
		}
		wantErrorEntity(t, c.name, routeSpec{}, code, body)
	}
	if l, err := e.svc.AdminReports(ctx, &core.Auth{User: &model.User{Role: model.RoleOwner}}, store.ReportFilter{}, store.Page{}); err != nil || len(l.Items) != 0 {
		t.Fatalf("refused reports were written: %v, %v", l, err)
	}

	code, _, body := e.do(t, "POST", "/api/v1/reports", aliceTok, url.Values{"account_id": {bobID},
		"status_ids[]": {bobPublic}, "comment": {"  spam again  "}, "rule_ids[]": {"1"}, "forward": {"true"}})
	wantStatus(t, code, 200, body)
	rep := decode[Report](t, body)
	if rep.TargetAccount.ID != bobID || rep.Comment != "spam again" || rep.Category != "violation" ||
		rep.ActionTaken || rep.Forwarded || len(rep.StatusIDs) != 1 || rep.StatusIDs[0] != bobPublic ||
		len(rep.RuleIDs) != 1 || rep.RuleIDs[0] != "1" {
		t.Errorf("report = %+v (forward of a local account's report must be false)", rep)
	}

	// Staff only.
	code, _, body = e.do(t, "GET", adminReportsPath, plainTok, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", adminReportsPath, aliceTok, nil)
	wantStatus(t, code, 403, body)

	code, _, body = e.do(t, "GET", adminReportsPath, modTok, nil)
	wantStatus(t, code, 200, body)
	list := decode[[]AdminReport](t, body)
	if len(list) != 1 || list[0].ID != rep.ID || list[0].Comment != "spam again" ||
		list[0].Account.Username != "alice" || list[0].TargetAccount.ID != bobID ||
		len(list[0].Statuses) != 1 || list[0].Statuses[0].ID != bobPublic ||
		len(list[0].Rules) != 1 || list[0].Rules[0].Text != "Be kind" {
		t.Fatalf("admin reports = %s", body)
	}

	code, _, body = e.do(t, "POST", adminReportsPath+"/"+rep.ID+"/resolve", modTok, nil)
	wantStatus(t, code, 200, body)
	if r := decode[AdminReport](t, body); !r.ActionTaken || r.ActionTakenAt == nil ||
		r.ActionTakenByAccount == nil || r.ActionTakenByAccount.Username != "mod" {
		t.Errorf("resolved = %s", body)
	}
	code, _, body = e.do(t, "GET", adminReportsPath, modTok, nil)
	wantStatus(t, code, 200, body)
	if l := decode[[]AdminReport](t, body); len(l) != 0 {
		t.Errorf("open reports after resolving: %s", body)
	}
	code, _, body = e.do(t, "GET", adminReportsPath+"?resolved=true&target_account_id="+bobID, modTok, nil)
	wantStatus(t, code, 200, body)
	if l := decode[[]AdminReport](t, body); len(l) != 1 {
		t.Errorf("resolved reports about bob: %s", body)
	}
	code, _, body = e.do(t, "POST", adminReportsPath+"/"+rep.ID+"/reopen", modTok, nil)
	wantStatus(t, code, 200, body)
	if r := decode[AdminReport](t, body); r.ActionTaken || r.ActionTakenAt != nil || r.ActionTakenByAccount != nil {
		t.Errorf("reopened = %s", body)
	}
	code, _, body = e.do(t, "GET", adminReportsPath+"/424242", modTok, nil)
	wantStatus(t, code, 404, body)
}

// TestAdminReportFromRemote: a report received from another server (its
// reporter a remote account, without a user) has Mastodon's shape too, with
// null email, locale and role for the remote account.
func TestAdminReportFromRemote(t *testing.T) {
	e, st := newStoreEnv(t)
	ctx := context.Background()
	bob, _ := e.user(t, "bob", "read")
	_, modTok := e.user(t, "mod", "admin:read")
	if err := e.svc.SetRole(ctx, "mod", model.RoleModerator); err != nil {
		t.Fatal(err)
	}
	inst := &model.Account{Username: "far.example", Domain: "far.example", URI: "https://far.example/actor", Bot: true}
	if err := st.CreateRemoteAccount(ctx, inst); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateReports(ctx, []*store.Report{{AccountID: inst.ID, TargetAccountID: bob.ID,
		Comment: "from afar", Category: store.ReportOther, URI: "https://far.example/flags/1"}}); err != nil {
		t.Fatal(err)
	}
	code, _, body := e.do(t, "GET", adminReportsPath, modTok, nil)
	wantStatus(t, code, 200, body)
	l := decode[[]map[string]any](t, body)
	if len(l) != 1 || l[0]["comment"] != "from afar" {
		t.Fatalf("reports %s", body)
	}
	acct, _ := l[0]["account"].(map[string]any)
	if acct["domain"] != "far.example" || acct["email"] != nil || acct["role"] != nil || acct["ip"] != nil {
		t.Errorf("remote reporter %v", acct)
	}
	target, _ := l[0]["target_account"].(map[string]any)
	if target["domain"] != nil || target["email"] == nil || target["role"] == nil {
		t.Errorf("local target %v", target)
	}
}
