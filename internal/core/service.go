// Package core holds Roost's use cases: registering and signing in, OAuth
// grants, posting, following, reading timelines, notifications. It speaks
// in model types, persists through store.Store and seals nothing itself
// (the store does that through the vault). It imports neither net/http nor
// database/sql; adapters (the Mastodon API, the CLI, later federation and
// the web UI) call it.
package core

import (
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Settings are the instance settings the use cases need.
type Settings struct {
	Domain         string // e.g. "localhost:8080"
	BaseURL        string // e.g. "http://localhost:8080"
	Title          string
	Description    string
	ContactEmail   string
	Rules          []string
	Languages      []string
	Registration   model.RegistrationMode
	EmailRequired  bool
	MaxStatusChars int
	ShowPeers      bool
	ShowActivity   bool
	// ReserveDays is how many days a deleted local username stays
	// reserved; 0 means DefaultUsernameReserveDays.
	ReserveDays int
	// Retention is the instance's retention policy (see retention.go);
	// nil keeps everything.
	Retention retention.Policy
	// Privacy is what only the privacy facts read (see privacy.go).
	Privacy PrivacySettings
}

// Options wires a Service.
type Options struct {
	Store    store.Store
	Vault    *vault.Vault
	Settings Settings
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service runs the use cases. It is safe for concurrent use.
type Service struct {
	store   store.Store
	vault   *vault.Vault
	runtime settingsState // the configuration's settings and the admin's overrides (see instance_settings.go)
	now     func() time.Time
	login   *loginThrottle
	domains domainCache // instance domain blocks, cached per node (see domainblocks.go)
	fetch   Fetcher     // remote documents; nil until SetFetcher (see remote.go)
	pub     Publisher   // federation events; nil: none
	exports ExportQueue // export jobs; nil until SetExportQueue (see export.go)
	moves   MoveQueue   // follower migrations; nil: in the caller (see moves_job.go)

	// featured reads featured collections; nil until SetFeaturedQueue
	// (see featured_fetch.go).
	featured FeaturedQueue
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Settings.MaxStatusChars == 0 {
		o.Settings.MaxStatusChars = 500
	}
	s := &Service{store: o.Store, vault: o.Vault, now: o.Now, login: newLoginThrottle()}
	s.runtime.base = o.Settings
	return s
}

// Settings returns the effective instance settings: the configuration's,
// with the admin's run-time overrides (see instance_settings.go).
func (s *Service) Settings() Settings { return s.settings() }
