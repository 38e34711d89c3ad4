package core

import "testing"

func TestScopesAllows(t *testing.T) {
	tests := []struct {
		granted string
		scope   string
		want    bool
	}{
		{"read", "read", true},
		{"read", "read:statuses", true},
		{"read", "read:accounts", true},
		{"read", "write:statuses", false},
		{"read", "admin:read:accounts", false},
		{"read:statuses", "read", false},
		{"read:statuses", "read:statuses", true},
		{"read:statuses", "read:accounts", false},
		{"write", "write:follows", true},
		{"write", "read:follows", false},
		{"follow", "read:follows", true},
		{"follow", "write:follows", true},
		{"follow", "read:blocks", true},
		{"follow", "write:blocks", true},
		{"follow", "read:mutes", true},
		{"follow", "write:mutes", true},
		{"follow", "read:statuses", false},
		{"follow", "write:statuses", false},
		{"follow", "read", false},
		{"push", "push", true},
		{"push", "read", false},
		{"profile", "profile", true},
		{"profile", "read:accounts", false},
		{"read", "profile", false},
		{"admin:read", "admin:read:accounts", true},
		{"admin:read", "admin:write:accounts", false},
		{"admin:write", "admin:write:reports", true},
		{"admin:read:accounts", "admin:read", false},
		{"read write follow push", "write:media", true},
		{"read:accounts write:statuses", "write:statuses", true},
		{"read:accounts write:statuses", "write:media", false},
		{"", "read", false},
		{"read", "", false},
		{"read", "read:statuses:extra", false},
	}
	for _, tt := range tests {
		if got := ParseScopes(tt.granted).Allows(tt.scope); got != tt.want {
			t.Errorf("Scopes(%q).Allows(%q) = %v, want %v", tt.granted, tt.scope, got, tt.want)
		}
	}
}

func TestScopesAllowsAny(t *testing.T) {
	sc := ParseScopes("profile")
	if !sc.AllowsAny("profile", "read:accounts") {
		t.Error("profile should satisfy verify_credentials")
	}
	if sc.AllowsAny("read:accounts", "read:statuses") {
		t.Error("profile must not satisfy read scopes")
	}
}

func TestValidScopes(t *testing.T) {
	if sc, ok := ValidScopes(""); !ok || sc.String() != "read" {
		t.Errorf(`ValidScopes("") = %v, %v; want read`, sc, ok)
	}
	if sc, ok := ValidScopes("read  write read"); !ok || sc.String() != "read write" {
		t.Errorf("repeats not dropped: %v, %v", sc, ok)
	}
	for _, bad := range []string{"read:everything", "crypto", "READ", "read,write"} {
		if _, ok := ValidScopes(bad); ok {
			t.Errorf("ValidScopes(%q) accepted an unknown scope", bad)
		}
	}
}

func TestScopesWithin(t *testing.T) {
	app := ParseScopes("read write:statuses follow")
	for _, tt := range []struct {
		req  string
		want bool
	}{
		{"read", true},
		{"read:notifications", true},
		{"write:statuses", true},
		{"write:follows", true},
		{"write", false},
		{"write:media", false},
		{"push", false},
	} {
		if got := ParseScopes(tt.req).Within(app); got != tt.want {
			t.Errorf("%q within %q = %v, want %v", tt.req, app, got, tt.want)
		}
	}
}
