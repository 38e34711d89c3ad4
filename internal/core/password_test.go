package core

import (
	"strings"
	"testing"
)

// prodHashParams is hashParams before the test init lowers it: package
// variables are initialized before any init function runs.
var prodHashParams = hashParams

func TestPasswordDefaults(t *testing.T) {
	p := prodHashParams
	if p.memory != 19*1024 || p.time != 2 || p.threads != 1 || p.keyLen < 32 || p.saltLen < 16 {
		t.Fatalf("production argon2id parameters %+v are below OWASP's m=19MiB,t=2,p=1", p)
	}
	saved := hashParams
	hashParams = prodHashParams
	defer func() { hashParams = saved }()
	h, err := hashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with the production parameters", h)
	}
	if ok, err := verifyPassword(h, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("verify = %v, %v", ok, err)
	}
}

func TestHashAndVerify(t *testing.T) {
	h1, err := hashPassword("s3cret-password")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := hashPassword("s3cret-password")
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if strings.Contains(h1, "s3cret") {
		t.Error("hash contains the password")
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{{"s3cret-password", true}, {"s3cret-passwore", false}, {"", false}, {"S3cret-password", false}} {
		ok, err := verifyPassword(h1, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("verify(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
}

func TestVerifyKeepsOldParameters(t *testing.T) {
	old, _ := hashPassword("password1")
	saved := hashParams
	hashParams.time = 3
	hashParams.memory = 128
	defer func() { hashParams = saved }()
	if ok, err := verifyPassword(old, "password1"); !ok || err != nil {
		t.Fatalf("a hash made with earlier parameters no longer verifies: %v, %v", ok, err)
	}
}

func TestMalformedHashes(t *testing.T) {
	good, _ := hashPassword("password1")
	parts := strings.Split(good, "$")
	for _, bad := range []string{
		"",
		"plaintext",
		"$argon2i$" + strings.Join(parts[2:], "$"),
		"$argon2id$v=18$" + strings.Join(parts[3:], "$"),
		"$argon2id$v=19$m=99999999,t=1,p=1$" + parts[4] + "$" + parts[5], // absurd memory
		"$argon2id$v=19$m=64,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$!!!$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$short",
	} {
		if ok, err := verifyPassword(bad, "password1"); ok || err == nil {
			t.Errorf("verify(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

func TestCheckNewPassword(t *testing.T) {
	for _, tt := range []struct {
		pw   string
		code string
	}{
		{"", "ERR_BLANK"},
		{"1234567", "ERR_TOO_SHORT"},
		{"12345678", ""},
		{strings.Repeat("é", 72), ""},
		{strings.Repeat("x", 73), "ERR_TOO_LONG"},
	} {
		err := checkNewPassword(tt.pw)
		if tt.code == "" {
			if err != nil {
				t.Errorf("checkNewPassword(len %d) = %v", len(tt.pw), err)
			}
			continue
		}
		if got := fieldCodes(t, err)["password"]; got != tt.code {
			t.Errorf("checkNewPassword(len %d) code %q, want %q", len(tt.pw), got, tt.code)
		}
	}
}
