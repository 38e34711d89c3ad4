package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	if c := Default(); len(c.HTTP.TrustedProxies) != 0 {
		t.Errorf("default trusted_proxies = %v, want none", c.HTTP.TrustedProxies)
	}
	file := filepath.Join(t.TempDir(), "roost.toml")
	if err := os.WriteFile(file, []byte("[http]\ntrusted_proxies = [\"127.0.0.1/32\", \"::1\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load([]string{"ROOST_CONFIG=" + file}, nil)
	if err != nil || !slices.Equal(c.HTTP.TrustedProxies, []string{"127.0.0.1/32", "::1"}) {
		t.Fatalf("from the file: %v, %v", c, err)
	}
	// The environment overrides the file, one comma-separated list.
	c, err = Load([]string{"ROOST_CONFIG=" + file, "ROOST_HTTP_TRUSTED_PROXIES=10.0.0.0/8, fd00::/8"}, nil)
	if err != nil || !slices.Equal(c.HTTP.TrustedProxies, []string{"10.0.0.0/8", "fd00::/8"}) {
		t.Fatalf("from the environment: %v, %v", c, err)
	}
	for _, bad := range []string{"localhost", "10.0.0.0/40", "0.0.0.0/0", "::/0"} {
		_, err := Load([]string{"ROOST_HTTP_TRUSTED_PROXIES=" + bad}, nil)
		if err == nil || !strings.Contains(err.Error(), "http.trusted_proxies") || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
