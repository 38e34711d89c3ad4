package config

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "roost.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func parseFlags(t *testing.T, args ...string) *Flags {
	t.Helper()
	fs := flag.NewFlagSet("roost", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	f := RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f
}

// keysOf returns the keys named by the *KeyErrors inside err.
func keysOf(err error) []string {
	var keys []string
	var walk func(error)
	walk = func(err error) {
		if ke, ok := err.(*KeyError); ok {
			keys = append(keys, ke.Key)
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return keys
}

func TestZeroConfiguration(t *testing.T) {
	c, err := Load(nil, nil)
	if err != nil {
		t.Fatalf("Load with nothing: %v", err)
	}
	want := Default()
	if c.Redacted() != want.Redacted() {
		t.Errorf("Load() differs from Default():\n%s\nvs\n%s", c.Redacted(), want.Redacted())
	}
	checks := []struct{ name, got, want string }{
		{"data_dir", c.DataDir, "./roost-data"},
		{"listen", c.Listen, "127.0.0.1:8080"},
		{"domain", c.Domain, "localhost:8080"},
		{"database.driver", c.Database.Driver, "sqlite"},
		{"master_key_file", c.MasterKeyFile, filepath.Join("roost-data", "master.key")},
		{"instance.registration", c.Instance.Registration, "open"},
		{"instance.title", c.Instance.Title, "Roost"},
		{"log.level", c.Log.Level, "info"},
		{"BaseURL", c.BaseURL(), "http://localhost:8080"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	if c.Instance.MaxStatusChars != 500 || !c.Instance.ShowPeers || !c.Instance.ShowActivity ||
		c.Instance.EmailRequired || c.BehindHTTPSProxy || c.Dev.AllowPrivateNetworks {
		t.Errorf("bad defaults: %+v", c)
	}
}

func TestPrecedence(t *testing.T) {
	path := writeFile(t, `
domain = "file.localhost"
listen = "127.0.0.1:1001"
data_dir = "/file"
[instance]
title = "From file"
description = "file description"
max_status_chars = 1000
`)
	env := []string{
		"ROOST_CONFIG=" + path,
		"ROOST_LISTEN=127.0.0.1:2002",
		"ROOST_DATA_DIR=/env",
		"ROOST_INSTANCE_TITLE=From env",
		"ROOST_INSTANCE_MAX_STATUS_CHARS=", // blank counts as unset
		"HOME=/ignored",
	}
	flags := parseFlags(t, "-data-dir", "/flag", "-instance-title", "From flag")
	c, err := Load(env, flags)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"domain (file only)", c.Domain, "file.localhost"},
		{"instance.description (file only)", c.Instance.Description, "file description"},
		{"listen (file < env)", c.Listen, "127.0.0.1:2002"},
		{"data_dir (file < env < flag)", c.DataDir, "/flag"},
		{"instance.title (file < env < flag)", c.Instance.Title, "From flag"},
		{"master_key_file (derived from final data_dir)", c.MasterKeyFile, "/flag/master.key"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	if c.Instance.MaxStatusChars != 1000 {
		t.Errorf("max_status_chars = %d, want file's 1000 (blank env must not override)", c.Instance.MaxStatusChars)
	}
}

func TestConfigFlagBeatsEnvFile(t *testing.T) {
	envFile := writeFile(t, `domain = "env.localhost"`)
	flagFile := writeFile(t, `domain = "flag.localhost"`)
	c, err := Load([]string{"ROOST_CONFIG=" + envFile}, parseFlags(t, "-config", flagFile))
	if err != nil {
		t.Fatal(err)
	}
	if c.Domain != "flag.localhost" {
		t.Errorf("domain = %q, want the -config file's", c.Domain)
	}
}

func TestTypedValuesFromEnvAndFlags(t *testing.T) {
	env := []string{
		"ROOST_INSTANCE_RULES=Be kind, always.\nNo spam.",
		"ROOST_INSTANCE_LANGUAGES=en, de",
		"ROOST_INSTANCE_SHOW_PEERS=false",
		"ROOST_INSTANCE_MAX_STATUS_CHARS=640",
	}
	c, err := Load(env, parseFlags(t, "-dev-allow-private-networks", "-instance-email-required=true"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Instance.Rules, []string{"Be kind, always.", "No spam."}) {
		t.Errorf("rules = %q", c.Instance.Rules)
	}
	if !slices.Equal(c.Instance.Languages, []string{"en", "de"}) {
		t.Errorf("languages = %q", c.Instance.Languages)
	}
	if c.Instance.ShowPeers || c.Instance.MaxStatusChars != 640 {
		t.Errorf("show_peers = %v, max_status_chars = %d", c.Instance.ShowPeers, c.Instance.MaxStatusChars)
	}
	if !c.Dev.AllowPrivateNetworks || !c.Instance.EmailRequired {
		t.Errorf("bare and explicit bool flags not applied: %+v %+v", c.Dev, c.Instance)
	}
}

func TestEveryKeyHasEnvAndFlag(t *testing.T) {
	fs := flag.NewFlagSet("roost", flag.ContinueOnError)
	RegisterFlags(fs)
	seen := map[string]bool{}
	for _, f := range fields(&Config{}) {
		if f.key == "" || strings.HasSuffix(f.key, ".") || f.help == "" {
			t.Errorf("field %q lacks a toml or help tag", f.key)
		}
		if fs.Lookup(f.flagName()) == nil {
			t.Errorf("no flag for %s", f.key)
		}
		if seen[f.envName()] || otherEnv[f.envName()] {
			t.Errorf("environment name %s is not unique", f.envName())
		}
		seen[f.envName()] = true
	}
	if !seen["ROOST_DATABASE_URL"] || !seen["ROOST_DOMAIN"] || !seen["ROOST_INSTANCE_MAX_STATUS_CHARS"] {
		t.Errorf("expected names missing from %v", seen)
	}
}

func TestUnknownFileKey(t *testing.T) {
	path := writeFile(t, "domain = \"localhost\"\n[instance]\ntitel = \"typo\"\n")
	_, err := Load([]string{"ROOST_CONFIG=" + path}, nil)
	if err == nil || !strings.Contains(err.Error(), `unknown key "instance.titel"`) {
		t.Fatalf("err = %v, want unknown key instance.titel", err)
	}
}

func TestFileTypeErrorNamesKey(t *testing.T) {
	path := writeFile(t, "[instance]\nmax_status_chars = \"many\"\n")
	_, err := Load([]string{"ROOST_CONFIG=" + path}, nil)
	if err == nil || !strings.Contains(err.Error(), "max_status_chars") {
		t.Fatalf("err = %v, want it to name max_status_chars", err)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load([]string{"ROOST_CONFIG=" + filepath.Join(t.TempDir(), "absent.toml")}, nil)
	if err == nil {
		t.Fatal("missing config file accepted")
	}
}

func TestUnknownEnv(t *testing.T) {
	_, err := Load([]string{"ROOST_DOMIAN=social.example"}, nil)
	if err == nil || !strings.Contains(err.Error(), "ROOST_DOMIAN") {
		t.Fatalf("err = %v, want it to name ROOST_DOMIAN", err)
	}
	allowed := []string{
		"ROOST_MASTER_KEY=x", "ROOST_MASTER_PASSPHRASE=x", "ROOST_TEST_POSTGRES=x",
		"ROOST_REQUIRE_POSTGRES=1", "ROOST_REQUIRE_BROWSER=1", "ROOST_MASTODON_SPEC=x",
	}
	if _, err := Load(allowed, nil); err != nil {
		t.Fatalf("allowlisted variables rejected: %v", err)
	}
}

func TestBadEnvAndFlagValuesNameKey(t *testing.T) {
	_, err := Load([]string{"ROOST_BEHIND_HTTPS_PROXY=maybe"}, nil)
	if err == nil || !strings.Contains(err.Error(), "behind_https_proxy") || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("env bool: err = %v", err)
	}
	_, err = Load(nil, parseFlags(t, "-instance-max-status-chars", "lots"))
	if err == nil || !strings.Contains(err.Error(), "instance.max_status_chars") {
		t.Errorf("flag int: err = %v", err)
	}
}

func TestValidateNamesBadKeys(t *testing.T) {
	cases := []struct {
		key    string
		mutate func(*Config)
	}{
		{"domain", func(c *Config) { c.Domain = "" }},
		{"domain", func(c *Config) { c.Domain = "https://social.example" }},
		{"domain", func(c *Config) { c.Domain = "Social.Example" }},
		{"domain", func(c *Config) { c.Domain = "localhost:99999" }},
		{"domain", func(c *Config) { c.Domain = "bad_host.localhost" }},
		{"listen", func(c *Config) { c.Listen = "8080" }},
		{"listen", func(c *Config) { c.Listen = "127.0.0.1:http" }},
		{"data_dir", func(c *Config) { c.DataDir = " " }},
		{"master_key_file", func(c *Config) { c.MasterKeyFile = "" }},
		{"database.driver", func(c *Config) { c.Database.Driver = "mysql" }},
		{"database.url", func(c *Config) { c.Database.Driver = "postgres" }},
		{"database.url", func(c *Config) { c.Database.URL = "postgres://db/roost" }},
		{"database.url", func(c *Config) { c.Database.Driver, c.Database.URL = "postgres", "mysql://db" }},
		{"instance.title", func(c *Config) { c.Instance.Title = "" }},
		{"instance.contact_email", func(c *Config) { c.Instance.ContactEmail = "Admin <a@b.example>" }},
		{"instance.rules", func(c *Config) { c.Instance.Rules = []string{"ok", ""} }},
		{"instance.languages", func(c *Config) { c.Instance.Languages = []string{"English"} }},
		{"instance.registration", func(c *Config) { c.Instance.Registration = "sometimes" }},
		{"instance.max_status_chars", func(c *Config) { c.Instance.MaxStatusChars = 49 }},
		{"instance.max_status_chars", func(c *Config) { c.Instance.MaxStatusChars = 100001 }},
		{"log.level", func(c *Config) { c.Log.Level = "loud" }},
	}
	for _, tc := range cases {
		c := Default()
		tc.mutate(c)
		err := c.Validate()
		if got := keysOf(err); !slices.Equal(got, []string{tc.key}) {
			t.Errorf("%s: keys named = %v, want [%s] (err: %v)", tc.key, got, tc.key, err)
		}
	}
}

func TestValidateAcceptsGoodValues(t *testing.T) {
	c := Default()
	c.Domain = "social.example"
	c.BehindHTTPSProxy = true
	c.Database = Database{Driver: "postgres", URL: "postgres://roost:pw@db:5432/roost?sslmode=require"}
	c.Instance.ContactEmail = "admin@social.example"
	c.Instance.MaxStatusChars = 50
	c.Instance.Languages = []string{"en", "fil"}
	c.Instance.Jurisdiction, c.Instance.HostingProvider = "Iceland", "1984 ehf."
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateReportsAllProblems(t *testing.T) {
	c := Default()
	c.Log.Level = "loud"
	c.Instance.MaxStatusChars = 1
	got := keysOf(c.Validate())
	if !slices.Contains(got, "log.level") || !slices.Contains(got, "instance.max_status_chars") {
		t.Errorf("keys = %v, want both problems", got)
	}
}

func TestHTTPSRule(t *testing.T) {
	loopback := []string{
		"localhost", "localhost:8080", "roost.localhost", "a.b.localhost:3000",
		"127.0.0.1", "127.1.2.3:8080", "[::1]", "[::1]:8080",
	}
	for _, d := range loopback {
		c, err := Load([]string{"ROOST_DOMAIN=" + d}, nil)
		if err != nil {
			t.Errorf("%s: plain HTTP refused: %v", d, err)
			continue
		}
		if c.BaseURL() != "http://"+d {
			t.Errorf("%s: BaseURL = %q", d, c.BaseURL())
		}
		if c.Instance.Registration != RegistrationOpen {
			t.Errorf("%s: registration = %q, want open on loopback", d, c.Instance.Registration)
		}
	}
	public := []string{"social.example", "localhost.example", "notlocalhost", "10.0.0.1:8080", "[2001:db8::1]"}
	declared := []string{"ROOST_INSTANCE_JURISDICTION=Iceland", "ROOST_INSTANCE_HOSTING_PROVIDER=1984 ehf."} // see privacy.go
	for _, d := range public {
		_, err := Load(append([]string{"ROOST_DOMAIN=" + d}, declared...), nil)
		if err == nil || !strings.Contains(err.Error(),
			"Roost must be served over HTTPS behind a TLS-terminating proxy, set behind_https_proxy") {
			t.Errorf("%s: err = %v, want the HTTPS message", d, err)
		}
		if got := keysOf(err); !slices.Equal(got, []string{"behind_https_proxy"}) {
			t.Errorf("%s: keys = %v", d, got)
		}
		c, err := Load(append([]string{"ROOST_DOMAIN=" + d, "ROOST_BEHIND_HTTPS_PROXY=true"}, declared...), nil)
		if err != nil {
			t.Errorf("%s behind proxy: %v", d, err)
			continue
		}
		if c.BaseURL() != "https://"+d {
			t.Errorf("%s: BaseURL = %q", d, c.BaseURL())
		}
		if c.Instance.Registration != RegistrationApproval {
			t.Errorf("%s: registration = %q, want approval by default", d, c.Instance.Registration)
		}
	}
	c := Default()
	c.BehindHTTPSProxy = true
	if c.BaseURL() != "https://localhost:8080" {
		t.Errorf("loopback behind proxy: BaseURL = %q", c.BaseURL())
	}
}

func TestRedacted(t *testing.T) {
	c := Default()
	c.Database = Database{Driver: "postgres", URL: "postgres://roost:s3cret@db/roost?sslmode=disable&password=other"}
	out := c.Redacted()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "other") {
		t.Errorf("password leaked:\n%s", out)
	}
	if !strings.Contains(out, "roost:REDACTED@db/roost") {
		t.Errorf("URL not kept recognisable:\n%s", out)
	}
	if c.Database.URL != "postgres://roost:s3cret@db/roost?sslmode=disable&password=other" {
		t.Errorf("Redacted modified the config")
	}
	// The output is a valid config file that yields the same configuration.
	var back Config
	md, err := toml.Decode(out, &back)
	if err != nil || len(md.Undecoded()) > 0 {
		t.Fatalf("decode Redacted output: %v, undecoded %v", err, md.Undecoded())
	}
	if back.Domain != c.Domain || back.Instance.MaxStatusChars != c.Instance.MaxStatusChars ||
		back.MasterKeyFile != c.MasterKeyFile {
		t.Errorf("round trip differs: %+v", back)
	}
}

func TestRedactURLUnparsable(t *testing.T) {
	if got := redactURL("postgres://u:p@[bad"); got != redactedMark {
		t.Errorf("unparsable URL shown as %q", got)
	}
}
