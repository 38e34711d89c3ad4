package config

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/BurntSushi/toml"
)

// redactedMark replaces secrets in Redacted's output.
const redactedMark = "REDACTED"

// Redacted returns the effective configuration as TOML, for
// `roost config check`, with any password in database.url masked.
func (c *Config) Redacted() string {
	cp := *c
	cp.Database.URL = redactURL(c.Database.URL)
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cp); err != nil {
		// Config holds only strings, bools, ints and string slices, which
		// always encode.
		panic("config: encode: " + err.Error())
	}
	return buf.String()
}

// redactURL masks the password in the user info and in any query parameter
// whose name mentions a password (pgx accepts ?password=...). A URL that does
// not parse is masked whole, since it might still hold a secret.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return redactedMark
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), redactedMark)
	}
	q := u.Query()
	changed := false
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, redactedMark)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.String()
}
