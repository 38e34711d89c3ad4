package mastoapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// TestAdminRetention: staff with admin:read read the policy and the purge
// progress; other users and tokens without the scope are refused.
func TestAdminRetention(t *testing.T) {
	set := testSettings()
	set.Retention = retention.Policy{retention.Notifications: 90 * retention.Day, retention.Jobs: 7 * retention.Day}
	e := newTestEnvWith(t, set)
	ctx := context.Background()
	_, adminTok := e.user(t, "boss", "admin:read")
	_, readTok := e.user(t, "reader", "read")
	_, plainTok := e.user(t, "plain", "admin:read")
	if err := e.svc.SetRole(ctx, "boss", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetRole(ctx, "reader", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RecordPurge(ctx, retention.Notifications, 12); err != nil {
		t.Fatal(err)
	}
	code, _, body := e.do(t, "GET", "/api/v1/admin/retention", plainTok, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", "/api/v1/admin/retention", readTok, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", "/api/v1/admin/retention", "", nil)
	wantStatus(t, code, 401, body)

	code, _, body = e.do(t, "GET", "/api/v1/admin/retention", adminTok, nil)
	wantStatus(t, code, 200, body)
	cats := decode[[]RetentionCategory](t, body)
	if len(cats) != len(retention.Categories(nil)) {
		t.Fatalf("%d categories: %s", len(cats), body)
	}
	by := map[string]RetentionCategory{}
	for _, c := range cats {
		by[c.Category] = c
	}
	n := by["notifications"]
	if n.MaxAgeDays != 90 || n.Purge != "sweep" || n.LastRunAt == nil || n.LastPurged != 12 || n.TotalPurged != 12 {
		t.Errorf("notifications: %+v", n)
	}
	if j := by["jobs"]; j.MaxAgeDays != 7 || j.Purge != "queue" || j.LastRunAt != nil {
		t.Errorf("jobs: %+v", j)
	}
	if a := by["audit"]; a.MaxAgeDays != 0 || a.Purge != "none" {
		t.Errorf("audit: %+v", a)
	}
}

// retentionChecker checks GET /api/v1/admin/retention and
// /api/v1/statuses_cleanup, which Mastodon's schema lacks, against Roost's own entity: every field present with its
// type, or Mastodon's error entity for a refusal.
type retentionChecker struct{ responseChecker }

func withRetention(next responseChecker) responseChecker { return retentionChecker{next} }

func (c retentionChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	if path == "/api/v1/statuses_cleanup" {
		checkAutoDelete(t, status, body)
		return
	}
	if method != http.MethodGet || path != "/api/v1/admin/retention" {
		c.responseChecker.CheckResponse(t, method, path, status, header, body)
		return
	}
	if status >= 400 {
		var e struct {
			Error *string `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
			t.Errorf("retention: %d without an error entity: %.200s", status, body)
		}
		return
	}
	var list []map[string]any
	if err := json.Unmarshal(body, &list); err != nil || len(list) == 0 {
		t.Errorf("retention: not a list of categories: %v: %.200s", err, body)
		return
	}
	for _, m := range list {
		for k, kind := range map[string]string{"category": "string", "max_age_days": "number", "purge": "string",
			"description": "string", "last_run_at": "string|null", "last_purged": "number", "total_purged": "number"} {
			v, ok := m[k]
			got := "null"
			switch v.(type) {
			case string:
				got = "string"
			case float64:
				got = "number"
			}
			if !ok || !strings.Contains(kind, got) {
				t.Errorf("retention: %s is %v, want %s", k, v, kind)
			}
		}
	}
}

// wantErrorJSON checks Mastodon's error entity.
func wantErrorJSON(t testing.TB, status int, body []byte) {
	t.Helper()
	var e struct {
		Error *string `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
		t.Errorf("%d without an error entity: %.200s", status, body)
	}
}

// checkAutoDelete checks the AutoDelete entity's fields and types.
func checkAutoDelete(t testing.TB, status int, body []byte) {
	t.Helper()
	if status >= 400 {
		wantErrorJSON(t, status, body)
		return
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Errorf("statuses_cleanup: %v: %.200s", err, body)
		return
	}
	for _, k := range []string{"enabled", "keep_direct", "keep_pinned", "keep_polls", "keep_media", "keep_self_fav", "keep_self_bookmark"} {
		if _, ok := m[k].(bool); !ok {
			t.Errorf("statuses_cleanup: %s is %v, want a boolean", k, m[k])
		}
	}
	if _, ok := m["min_status_age_days"].(float64); !ok {
		t.Errorf("statuses_cleanup: min_status_age_days is %v", m["min_status_age_days"])
	}
	for _, k := range []string{"min_favs", "min_reblogs"} {
		v, ok := m[k]
		if _, num := v.(float64); !ok || (v != nil && !num) {
			t.Errorf("statuses_cleanup: %s is %v, want a number or null", k, v)
		}
	}
}

// TestAutoDeleteAPI: a user reads the default policy, changes part of it,
// and a bad age is refused without a change.
func TestAutoDeleteAPI(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "alice", "read write")
	_, readTok := e.user(t, "reader", "read")
	code, _, body := e.do(t, "GET", "/api/v1/statuses_cleanup", tok, nil)
	wantStatus(t, code, 200, body)
	if p := decode[AutoDelete](t, body); p.Enabled || p.MinStatusAgeDays != 14 || !p.KeepPinned || p.MinFavs != nil {
		t.Errorf("default: %+v", p)
	}
	code, _, body = e.do(t, "PUT", "/api/v1/statuses_cleanup", tok, map[string]any{"enabled": true,
		"min_status_age_days": 30, "keep_pinned": false, "min_favs": 5})
	wantStatus(t, code, 200, body)
	p := decode[AutoDelete](t, body)
	if !p.Enabled || p.MinStatusAgeDays != 30 || p.KeepPinned || !p.KeepDirect || p.MinFavs == nil || *p.MinFavs != 5 || p.MinReblogs != nil {
		t.Errorf("after PUT: %+v", p)
	}
	for _, bad := range []map[string]any{{"min_status_age_days": 3}, {"min_favs": -2}, {"min_reblogs": "many"}} {
		code, _, body = e.do(t, "PUT", "/api/v1/statuses_cleanup", tok, bad)
		wantStatus(t, code, 422, body)
	}
	code, _, body = e.do(t, "PUT", "/api/v1/statuses_cleanup", readTok, map[string]any{"enabled": true})
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "GET", "/api/v1/statuses_cleanup", tok, nil)
	if p := decode[AutoDelete](t, body); code != 200 || p.MinStatusAgeDays != 30 || !p.Enabled {
		t.Errorf("after refusals: %d %+v", code, p)
	}
}
