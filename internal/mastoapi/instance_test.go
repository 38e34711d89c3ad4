package mastoapi

import (
	"testing"
)

func TestInstanceEndpoints(t *testing.T) {
	e := newTestEnv(t)
	e.user(t, "alice", "read")
	code, _, body := e.do(t, "GET", "/api/v2/instance", "", nil)
	wantStatus(t, code, 200, body)
	v2 := decode[map[string]any](t, body)
	conf := v2["configuration"].(map[string]any)
	if conf["statuses"].(map[string]any)["max_characters"] != float64(500) || v2["domain"] != "roost.test" {
		t.Errorf("v2 = %s", body)
	}
	if reg := v2["registrations"].(map[string]any); reg["enabled"] != true || reg["approval_required"] != false {
		t.Errorf("registrations = %v", reg)
	}

	code, _, body = e.do(t, "GET", "/api/v1/instance", "", nil)
	wantStatus(t, code, 200, body)
	v1 := decode[map[string]any](t, body)
	if v1["uri"] != "roost.test" || v1["stats"].(map[string]any)["user_count"] != float64(1) {
		t.Errorf("v1 = %s", body)
	}

	code, _, body = e.do(t, "GET", "/api/v1/instance/rules", "", nil)
	wantStatus(t, code, 200, body)
	if rules := decode[[]ruleEntity](t, body); len(rules) != 1 || rules[0].Text != "Be kind" || rules[0].ID != "1" {
		t.Errorf("rules = %s", body)
	}
	code, _, body = e.do(t, "GET", "/api/v1/instance/peers", "", nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/instance/activity", "", nil)
	wantStatus(t, code, 200, body)
	if weeks := decode[[]map[string]string](t, body); len(weeks) != 12 || weeks[0]["registrations"] == "" {
		t.Errorf("activity = %s", body)
	}
}

func TestInstanceSettings(t *testing.T) {
	set := testSettings()
	set.ShowPeers, set.ShowActivity = false, false
	set.MaxStatusChars = 1000
	set.Registration = "approval"
	e := newTestEnvWith(t, set)
	for _, path := range []string{"/api/v1/instance/peers", "/api/v1/instance/activity"} {
		code, _, body := e.do(t, "GET", path, "", nil)
		wantStatus(t, code, 404, body)
	}
	code, _, body := e.do(t, "GET", "/api/v2/instance", "", nil)
	wantStatus(t, code, 200, body)
	v2 := decode[map[string]any](t, body)
	if v2["configuration"].(map[string]any)["statuses"].(map[string]any)["max_characters"] != float64(1000) {
		t.Errorf("max_characters not from settings: %s", body)
	}
	if reg := v2["registrations"].(map[string]any); reg["approval_required"] != true {
		t.Errorf("registrations = %v", reg)
	}
}
