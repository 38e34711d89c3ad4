// Package privacy derives the privacy facts an instance publishes from its
// live settings: that it logs no addresses, who can read direct messages,
// how data is encrypted at rest and how long each kind is kept, what
// sign-up asks for, and who runs the server under which law. It renders
// them as an HTML fragment, as plain text and in NodeInfo's shape.
//
// It knows neither HTTP nor SQL, and nothing of the configuration file:
// core hands Derive the settings it runs with, and every adapter (the
// /about/privacy page, the Mastodon API, NodeInfo, the CLI) publishes what
// Derive returns, so the outputs cannot say different things, nor drift
// from the settings the server enforces.
package privacy

import (
	"time"

	"github.com/roost-social/roost/internal/model"
)

// PagePath is where the instance serves its privacy facts as a page.
const PagePath = "/about/privacy"

// Input is what the facts are derived from: the instance's settings.
type Input struct {
	Title        string // the instance's name
	BaseURL      string // e.g. "https://social.example"
	Registration model.RegistrationMode
	// EmailRequired is true when sign-up refuses an account without an
	// email address.
	EmailRequired bool
	// Jurisdiction, HostingProvider and LegalPolicyURL are what the admin
	// declares; empty means not declared.
	Jurisdiction    string
	HostingProvider string
	LegalPolicyURL  string
	// TrustedProxy is true when a reverse proxy is trusted to pass the
	// client's address (for rate limiting only).
	TrustedProxy bool
	// E2EEDirectMessages is true once direct messages are end-to-end
	// encrypted; Roost does not do that yet, so core passes false.
	E2EEDirectMessages bool
	// Retention is the instance's retention policy, one rule per
	// category; categories of the built-in table it leaves out are kept
	// until deleted.
	Retention []Rule
}

// Rule is the retention policy's word on one category of data.
type Rule struct {
	Category string
	// MaxAge is how long the data is kept; 0 keeps it until deleted.
	MaxAge time.Duration
	// Automatic is true when something deletes expired data on its own (a
	// scheduled purge, the job queue); a limit nothing applies is no limit.
	Automatic bool
	// Held is false when Roost stores no such data yet.
	Held bool
	// Description says, for users, what the category covers.
	Description string
}

// Facts are the privacy facts of an instance. Empty strings mean "not
// declared".
type Facts struct {
	Instance string `json:"instance"`
	URL      string `json:"url"` // the /about/privacy page
	// IPAddressesLogged and UserAgentsLogged are false in every build:
	// Roost writes neither to its log nor its database.
	IPAddressesLogged bool `json:"ip_addresses_logged"`
	UserAgentsLogged  bool `json:"user_agents_logged"`
	// TrustedProxy is whether a proxy's forwarded address is read (for
	// rate limiting only, never stored).
	TrustedProxy     bool             `json:"trusted_proxy"`
	DirectMessages   DirectMessages   `json:"direct_messages"`
	EncryptionAtRest EncryptionAtRest `json:"encryption_at_rest"`
	Retention        []Retention      `json:"retention"`
	SignUp           SignUp           `json:"sign_up"`
	Jurisdiction     string           `json:"jurisdiction"`
	HostingProvider  string           `json:"hosting_provider"`
	LegalPolicyURL   string           `json:"legal_policy_url"`
}

// DirectMessages says who can read a direct message.
type DirectMessages struct {
	EndToEndEncrypted bool   `json:"end_to_end_encrypted"`
	ReadableBy        string `json:"readable_by"`
}

// EncryptionAtRest says how stored data is encrypted.
type EncryptionAtRest struct {
	Enabled bool   `json:"enabled"`
	Keys    string `json:"keys"`
	Cipher  string `json:"cipher"`
	Summary string `json:"summary"`
}

// Retention is how long one category of data is kept.
type Retention struct {
	Category string `json:"category"`
	Label    string `json:"label"`
	// MaxAgeDays is the limit in days, 0 when there is none.
	MaxAgeDays int `json:"max_age_days"`
	// Kept is one of KeptFor, KeptUntilDeleted, NotHeld.
	Kept        string `json:"kept"`
	Description string `json:"description"`
}

// Ways data is kept.
const (
	KeptFor          = "deleted_after_max_age"
	KeptUntilDeleted = "kept_until_deleted"
	NotHeld          = "not_held"
)

// SignUp says who may sign up and what sign-up asks for.
type SignUp struct {
	Mode             string   `json:"mode"` // open, approval, invite or closed
	Open             bool     `json:"open"` // anyone may ask for an account
	ApprovalRequired bool     `json:"approval_required"`
	InviteRequired   bool     `json:"invite_required"`
	EmailRequired    bool     `json:"email_required"`
	ReasonRequired   bool     `json:"reason_required"`
	Asks             []string `json:"asks"` // the fields the form asks for, required or not
}

// dmReaders is who can read a direct message while they are not end-to-end
// encrypted: they are sealed at rest, but the servers open them to serve
// and deliver them.
const (
	dmReadersServer = "the administrators of the sender's server and of every recipient's server"
	dmReadersE2EE   = "only the sender and the recipients"
)

// Derive returns the facts that hold under in.
func Derive(in Input) Facts {
	f := Facts{
		Instance:        in.Title,
		URL:             in.BaseURL + PagePath,
		TrustedProxy:    in.TrustedProxy,
		DirectMessages:  DirectMessages{EndToEndEncrypted: in.E2EEDirectMessages, ReadableBy: dmReadersServer},
		Retention:       retention(in.Retention),
		SignUp:          signUp(in.Registration, in.EmailRequired),
		Jurisdiction:    in.Jurisdiction,
		HostingProvider: in.HostingProvider,
		LegalPolicyURL:  in.LegalPolicyURL,
		EncryptionAtRest: EncryptionAtRest{
			Enabled: true, Keys: "per account, kind of data and month", Cipher: "AES-256-GCM",
			Summary: "Everything an account writes, or that is about it, is encrypted under a key of that account's own, " +
				"one per kind of data (posts, direct messages, cached posts, reports, exports) and month; those keys are " +
				"stored apart from the data, wrapped under the server's master key. Deleting an account destroys its keys, " +
				"and once a month's data has passed its retention limit the month's key is destroyed too, so copies in old " +
				"backups can no longer be read.",
		},
	}
	if in.E2EEDirectMessages {
		f.DirectMessages.ReadableBy = dmReadersE2EE
	}
	return f
}

func signUp(mode model.RegistrationMode, emailRequired bool) SignUp {
	s := SignUp{
		Mode:             string(mode),
		Open:             mode == model.RegistrationOpen || mode == model.RegistrationApproval,
		ApprovalRequired: mode == model.RegistrationApproval,
		InviteRequired:   mode == model.RegistrationInvite,
		EmailRequired:    emailRequired,
		ReasonRequired:   mode == model.RegistrationApproval,
	}
	if mode == model.RegistrationClosed {
		s.Asks = []string{}
		return s
	}
	s.Asks = []string{"username", "password", "email", "agreement", "locale"}
	if mode == model.RegistrationApproval {
		s.Asks = append(s.Asks, "reason")
	}
	if mode == model.RegistrationInvite || mode == model.RegistrationApproval {
		s.Asks = append(s.Asks, "invite_code")
	}
	return s
}
