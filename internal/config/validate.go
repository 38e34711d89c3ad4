package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// KeyError reports a bad value and names its key, so that the message tells
// the operator exactly what to fix.
type KeyError struct {
	Key     string
	Problem string
}

func (e *KeyError) Error() string {
	return "config: " + e.Key + ": " + e.Problem
}

func bad(key, format string, args ...any) error {
	return &KeyError{Key: key, Problem: fmt.Sprintf(format, args...)}
}

// httpsProblem is the message an operator sees when a public domain is
// configured without the proxy that gives it HTTPS.
const httpsProblem = "Roost must be served over HTTPS behind a TLS-terminating proxy, " +
	"set behind_https_proxy = true (ROOST_BEHIND_HTTPS_PROXY=true) once the proxy is in place"

// Validate checks every key and returns all problems found, each a *KeyError,
// joined with errors.Join; nil means the configuration is usable.
func (c *Config) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := checkDomain(c.Domain); err != nil {
		add(err)
	} else {
		add(c.checkHTTPS())
	}
	add(checkHostPort("listen", c.Listen))
	add(nonEmpty("data_dir", c.DataDir))
	add(nonEmpty("master_key_file", c.MasterKeyFile))
	add(c.Database.check())
	errs = append(errs, c.Instance.check()...)
	errs = append(errs, c.checkPrivacy()...)
	if m := c.Federation.RefreshMinutes; m < 0 || m > 1440 {
		add(bad("federation.refresh_minutes", "must be between 0 (off) and 1440, got %d", m))
	}
	errs = append(errs, c.Retention.check()...)
	errs = append(errs, c.HTTP.check()...)
	add(c.Accounts.check())
	add(oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error"))
	return errors.Join(errs...)
}

func (c *Config) checkHTTPS() error {
	if c.BehindHTTPSProxy || isLoopbackDomain(c.Domain) {
		return nil
	}
	return bad("behind_https_proxy", "domain %q is not a loopback name: %s", c.Domain, httpsProblem)
}

func (d Database) check() error {
	if err := oneOf("database.driver", d.Driver, DriverSQLite, DriverPostgres); err != nil {
		return err
	}
	switch {
	case d.Driver == DriverPostgres && d.URL == "":
		return bad("database.url", "is required when database.driver is %q", DriverPostgres)
	case d.Driver == DriverSQLite && d.URL != "":
		return bad("database.url", "is set but database.driver is %q; set database.driver = %q or remove the URL",
			DriverSQLite, DriverPostgres)
	case d.URL != "":
		u, err := url.Parse(d.URL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return bad("database.url", "must be a postgres:// or postgresql:// URL")
		}
	}
	return nil
}

func (in Instance) check() []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(nonEmpty("instance.title", in.Title))
	if in.ContactEmail != "" {
		if a, err := mail.ParseAddress(in.ContactEmail); err != nil || a.Address != in.ContactEmail {
			add(bad("instance.contact_email", "%q is not a plain email address", in.ContactEmail))
		}
	}
	for i, r := range in.Rules {
		if strings.TrimSpace(r) == "" {
			add(bad("instance.rules", "rule %d is empty", i+1))
		}
	}
	for _, l := range in.Languages {
		if !isLanguageCode(l) {
			add(bad("instance.languages", "%q is not an ISO 639 language code such as \"en\"", l))
		}
	}
	add(oneOf("instance.registration", in.Registration,
		RegistrationOpen, RegistrationApproval, RegistrationInvite, RegistrationClosed))
	if in.MaxStatusChars < 50 || in.MaxStatusChars > 100000 {
		add(bad("instance.max_status_chars", "must be between 50 and 100000, got %d", in.MaxStatusChars))
	}
	return errs
}

func nonEmpty(key, v string) error {
	if strings.TrimSpace(v) == "" {
		return bad(key, "must not be empty")
	}
	return nil
}

func oneOf(key, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		return bad(key, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
	}
	return nil
}

func isLanguageCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// checkHostPort requires host:port with a numeric port; the host may be
// empty (all interfaces).
func checkHostPort(key, v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return bad(key, "must be host:port, got %q", v)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return bad(key, "port must be a number from 1 to 65535, got %q", port)
	}
	return nil
}

// checkDomain requires a lowercase host name or IP address with an optional
// port: what goes between "https://" and the path, nothing more.
func checkDomain(v string) error {
	if v == "" {
		return bad("domain", "must not be empty")
	}
	if v != strings.ToLower(v) {
		return bad("domain", "must be lowercase, got %q", v)
	}
	host, port, ok := splitDomain(v)
	if !ok || strings.ContainsAny(v, "/@?# ") {
		return bad("domain", "must be a host name with an optional port, such as social.example or localhost:8080, got %q", v)
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return bad("domain", "port must be a number from 1 to 65535, got %q", port)
		}
	}
	if net.ParseIP(host) == nil && !isHostName(host) {
		return bad("domain", "%q is not a valid host name", host)
	}
	return nil
}

// splitDomain splits "host", "host:port", "[v6]" or "[v6]:port".
func splitDomain(v string) (host, port string, ok bool) {
	if strings.HasPrefix(v, "[") {
		end := strings.Index(v, "]")
		if end < 0 {
			return "", "", false
		}
		host, rest := v[1:end], v[end+1:]
		if ip := net.ParseIP(host); ip == nil || ip.To4() != nil {
			return "", "", false
		}
		if rest == "" {
			return host, "", true
		}
		if !strings.HasPrefix(rest, ":") {
			return "", "", false
		}
		return host, rest[1:], true
	}
	host, port, found := strings.Cut(v, ":")
	if found && strings.Contains(port, ":") {
		return "", "", false
	}
	if found && port == "" {
		return "", "", false
	}
	return host, port, host != ""
}

func isHostName(h string) bool {
	if len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// isLoopbackDomain reports whether the domain names this machine only:
// localhost, *.localhost, 127.0.0.0/8 or [::1], each with an optional port.
// Only such domains may be served over plain HTTP.
func isLoopbackDomain(domain string) bool {
	host, _, ok := splitDomain(strings.ToLower(domain))
	if !ok {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
