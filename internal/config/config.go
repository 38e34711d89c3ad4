// Package config owns Roost's configuration: the one Config struct, where its
// values come from and which values are acceptable.
//
// Values are applied in this order, each source overriding the one before:
// built-in defaults, a TOML file, ROOST_* environment variables, then
// command-line flags. Every key has an environment variable and a flag named
// after it: instance.max_status_chars is ROOST_INSTANCE_MAX_STATUS_CHARS and
// -instance-max-status-chars. An unknown file key or ROOST_* variable is an
// error, so a typo never silently falls back to a default.
//
// Zero configuration works: data in ./roost-data, listening on
// 127.0.0.1:8080 as domain localhost:8080, on SQLite. Two defaults are derived
// from other keys once every source is applied: master_key_file defaults to
// <data_dir>/master.key, and instance.registration defaults to "open" when the
// domain is a loopback name (a private test instance) and to "approval"
// otherwise, so a public server never starts with open sign-ups by accident.
//
// Plain HTTP is only allowed for loopback domains; any other domain must be
// served over HTTPS by a TLS-terminating proxy, and behind_https_proxy must say
// so.
//
// A command wires it up like this:
//
//	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
//	flags := config.RegisterFlags(fs) // -config plus one flag per key
//	if err := fs.Parse(args); err != nil { ... }
//	cfg, err := config.Load(os.Environ(), flags) // validated
package config

import "path/filepath"

// Config is Roost's whole configuration. It is built by Load or Default and
// passed explicitly to whatever needs it; there are no global getters.
type Config struct {
	Domain           string `toml:"domain" help:"public host name, with an optional port, that users and other servers see"`
	Listen           string `toml:"listen" help:"address the HTTP server listens on, host:port"`
	DataDir          string `toml:"data_dir" help:"directory for the SQLite database, media and generated secrets"`
	BehindHTTPSProxy bool   `toml:"behind_https_proxy" help:"set when a TLS-terminating proxy serves Roost over HTTPS"`
	MasterKeyFile    string `toml:"master_key_file" help:"file holding the vault's master key (default <data_dir>/master.key)"`

	Database   Database   `toml:"database"`
	Instance   Instance   `toml:"instance"`
	Federation Federation `toml:"federation"`
	Accounts   Accounts   `toml:"accounts"`
	Retention  Retention  `toml:"retention"`
	HTTP       HTTP       `toml:"http"`
	Log        Log        `toml:"log"`
	Dev        Dev        `toml:"dev"`
}

// Database selects the storage backend.
type Database struct {
	Driver string `toml:"driver" help:"database backend: sqlite or postgres"`
	URL    string `toml:"url" help:"PostgreSQL connection URL, postgres://...; required with driver postgres"`
}

// Instance holds what the server tells the world about itself and its
// sign-up and posting rules.
type Instance struct {
	Title          string   `toml:"title" help:"instance name"`
	Description    string   `toml:"description" help:"short description of the instance"`
	ContactEmail   string   `toml:"contact_email" help:"public contact address of the administrators"`
	Rules          []string `toml:"rules" sep:"\n" help:"server rules; in the environment and flags, one rule per line"`
	Languages      []string `toml:"languages" sep:"," help:"ISO 639 codes of the instance's languages, comma-separated"`
	Registration   string   `toml:"registration" help:"sign-up mode: open, approval, invite or closed (default open on a loopback domain, else approval)"`
	EmailRequired  bool     `toml:"email_required" help:"require an email address at sign-up"`
	MaxStatusChars int      `toml:"max_status_chars" help:"maximum characters in a status (50..100000)"`
	ShowPeers      bool     `toml:"show_peers" help:"publish the list of known servers at /api/v1/instance/peers"`
	ShowActivity   bool     `toml:"show_activity" help:"publish weekly activity at /api/v1/instance/activity"`

	// What the admin declares for the privacy facts (see privacy.go): a
	// public instance cannot open registrations without the first two.
	Jurisdiction    string `toml:"jurisdiction" help:"the country or legal system whose law governs the server and its data, e.g. \"Iceland\"; required to open registrations on a public domain"`
	HostingProvider string `toml:"hosting_provider" help:"who hosts the server's machines and data, e.g. \"Hetzner Online GmbH, Germany\"; required to open registrations on a public domain"`
	LegalPolicyURL  string `toml:"legal_policy_url" help:"https URL of the policy on how the administrators answer legal requests for user data"`
}

// Federation tunes how Roost keeps up with other servers.
type Federation struct {
	RefreshMinutes int `toml:"refresh_minutes" help:"minutes between passes that refetch up to 50 remote accounts followed by or following local ones and fetched over a day ago; 0 turns it off (0..1440)"`
}

// Log configures the server's own log. Whatever the level, Roost never logs
// addresses, user agents, tokens, passwords, emails or post bodies.
type Log struct {
	Level string `toml:"level" help:"log level: debug, info, warn or error"`
}

// Dev holds switches meant only for development and tests.
type Dev struct {
	AllowPrivateNetworks bool `toml:"allow_private_networks" help:"allow outgoing requests to private and loopback addresses (tests only)"`
}

// Registration modes.
const (
	RegistrationOpen     = "open"
	RegistrationApproval = "approval"
	RegistrationInvite   = "invite"
	RegistrationClosed   = "closed"
)

// Database drivers.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// Default returns the zero-configuration settings, derived defaults included.
func Default() *Config {
	c := base()
	c.derive()
	return c
}

// base returns the defaults that do not depend on other keys.
func base() *Config {
	return &Config{
		Domain:  "localhost:8080",
		Listen:  "127.0.0.1:8080",
		DataDir: "./roost-data",
		Database: Database{
			Driver: DriverSQLite,
		},
		Instance: Instance{
			Title:          "Roost",
			Languages:      []string{"en"},
			MaxStatusChars: 500,
			ShowPeers:      true,
			ShowActivity:   true,
		},
		Federation: Federation{RefreshMinutes: 10},
		Accounts:   Accounts{UsernameReserveDays: DefaultUsernameReserveDays},
		Retention:  defaultRetention(),
		Log:        Log{Level: "info"},
	}
}

// derive fills the defaults that depend on other keys; it runs after every
// source is applied so that, for example, a data_dir from a flag moves the
// master key file with it.
func (c *Config) derive() {
	if c.MasterKeyFile == "" && c.DataDir != "" {
		c.MasterKeyFile = filepath.Join(c.DataDir, "master.key")
	}
	if c.Instance.Registration == "" {
		c.Instance.Registration = RegistrationApproval
		if isLoopbackDomain(c.Domain) {
			c.Instance.Registration = RegistrationOpen
		}
	}
}

// BaseURL returns the URL the instance is reached at: plain HTTP for a
// loopback domain that is not behind a proxy, HTTPS otherwise.
func (c *Config) BaseURL() string {
	if isLoopbackDomain(c.Domain) && !c.BehindHTTPSProxy {
		return "http://" + c.Domain
	}
	return "https://" + c.Domain
}
