package privacy

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// Sentences shared by the HTML and the text, so that both say the same.
const (
	logsFact = "This server does not log IP addresses or user agents, and does not store them: Roost never writes " +
		"them to its log or its database, whatever the log level. Its log carries no token, password, email or post either."
	proxyFact = "A trusted proxy is configured: Roost reads the address it forwards only to rate-limit requests, " +
		"in memory, and never writes it anywhere."
	noProxyFact  = "No proxy is trusted to forward client addresses."
	dmFactServer = "Direct messages are not end-to-end encrypted. They are encrypted at rest, but the servers open " +
		"them to show and deliver them, so they can be read by %s. Do not share anything in them you would not " +
		"trust those administrators with."
	dmFactE2EE = "Direct messages are end-to-end encrypted: they can be read by %s."
	undeclared = "not declared"
)

// askLabels says in words what each sign-up field is.
var askLabels = map[string]string{
	"username": "a username (public)", "password": "a password (stored only as a hash)",
	"email": "an email address (encrypted, never shown)", "agreement": "agreement to the server rules",
	"locale": "a preferred language", "reason": "a reason for joining (read by the administrators)",
	"invite_code": "an invite code",
}

// DMFact is the sentence on who can read direct messages.
func (f Facts) DMFact() string {
	if f.DirectMessages.EndToEndEncrypted {
		return fmt.Sprintf(dmFactE2EE, f.DirectMessages.ReadableBy)
	}
	return fmt.Sprintf(dmFactServer, f.DirectMessages.ReadableBy)
}

// ProxyFact is the sentence on forwarded client addresses.
func (f Facts) ProxyFact() string {
	if f.TrustedProxy {
		return proxyFact
	}
	return noProxyFact
}

// LogsFact is the sentence on logs.
func (f Facts) LogsFact() string { return logsFact }

// SignUpFacts lists, in sentences, who may sign up and what sign-up asks
// for and requires.
func (f Facts) SignUpFacts() []string {
	s := f.SignUp
	var out []string
	switch s.Mode {
	case "open":
		out = append(out, "Anyone may sign up; the account works at once.")
	case "approval":
		out = append(out, "Anyone may ask for an account; an administrator approves each one, reading the reason given.")
	case "invite":
		out = append(out, "Sign-up needs an invite from this server.")
	default:
		return []string{"Sign-up is closed: the administrators create accounts."}
	}
	var asks []string
	for _, a := range s.Asks {
		if a == "invite_code" && s.Mode == "approval" {
			asks = append(asks, "an invite code if you have one (it skips the approval)")
			continue
		}
		asks = append(asks, askLabels[a])
	}
	out = append(out, "Sign-up asks for "+strings.Join(asks, ", ")+".")
	if s.EmailRequired {
		out = append(out, "An email address is required.")
	} else {
		out = append(out, "An email address is optional.")
	}
	if s.ReasonRequired {
		out = append(out, "A reason for joining is required.")
	}
	return out
}

// Declared returns v, or "not declared".
func Declared(v string) string {
	if strings.TrimSpace(v) == "" {
		return undeclared
	}
	return v
}

var fragment = template.Must(template.New("facts").Funcs(template.FuncMap{"declared": Declared}).Parse(fragmentHTML))

// fragmentHTML is the facts as HTML, headings from h2 down: the body of
// the /about/privacy page and the content of Mastodon's privacy policy.
const fragmentHTML = `<p>These facts are generated from the configuration {{.Instance}} runs with: when its administrators change a setting, they change with it.</p>
<h2 id="logs">Addresses and logs</h2>
<ul>
<li>{{.LogsFact}}</li>
<li>{{.ProxyFact}}</li>
</ul>
<h2 id="direct-messages">Who can read direct messages</h2>
<p>{{.DMFact}}</p>
<h2 id="encryption">Encryption at rest</h2>
<p>{{.EncryptionAtRest.Summary}}</p>
<h2 id="retention">How long data is kept</h2>
<table>
<caption>Each category of data this server holds, and how long it keeps it</caption>
<thead><tr><th scope="col">Data</th><th scope="col">Kept</th><th scope="col">Details</th></tr></thead>
<tbody>
{{range .Retention}}<tr id="retention-{{.Category}}"><th scope="row">{{.Label}}</th><td>{{if eq .Kept "deleted_after_max_age"}}{{.MaxAgeDays}} days{{else if eq .Kept "not_held"}}Not held{{else}}Until deleted{{end}}</td><td>{{.Description}}</td></tr>
{{end}}</tbody>
</table>
<h2 id="sign-up">What sign-up asks for</h2>
<ul>
{{range .SignUpFacts}}<li>{{.}}</li>
{{end}}</ul>
<h2 id="operator">Who runs this server, and under which law</h2>
<dl>
<dt>Jurisdiction</dt><dd id="jurisdiction">{{declared .Jurisdiction}}</dd>
<dt>Hosting provider</dt><dd id="hosting-provider">{{declared .HostingProvider}}</dd>
<dt>Legal process policy</dt><dd id="legal-policy">{{if .LegalPolicyURL}}<a href="{{.LegalPolicyURL}}">{{.LegalPolicyURL}}</a>{{else}}{{declared ""}}{{end}}</dd>
</dl>
`

// HTML renders the facts as an HTML fragment (h2 sections, no scripts or
// styles), safe to embed in a page.
func (f Facts) HTML() template.HTML {
	var b bytes.Buffer
	if err := fragment.Execute(&b, f); err != nil {
		// The template is fixed and its data plain values: a failure is a
		// bug that the package's tests catch.
		panic("privacy: render facts: " + err.Error())
	}
	return template.HTML(b.String()) // #nosec: escaped by html/template
}

// Text renders the facts as plain text for a terminal.
func (f Facts) Text() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("Privacy facts of %s (%s)\n", f.Instance, f.URL)
	w("Generated from the configuration; they change when it does.\n\n")
	w("Addresses and logs\n  - %s\n  - %s\n\n", f.LogsFact(), f.ProxyFact())
	w("Who can read direct messages\n  %s\n\n", f.DMFact())
	w("Encryption at rest\n  %s\n\n", f.EncryptionAtRest.Summary)
	w("How long data is kept\n")
	for _, r := range f.Retention {
		w("  - %s: %s\n", r.Label, r.Description)
	}
	w("\nWhat sign-up asks for\n")
	for _, s := range f.SignUpFacts() {
		w("  - %s\n", s)
	}
	w("\nWho runs this server, and under which law\n")
	w("  Jurisdiction: %s\n  Hosting provider: %s\n  Legal process policy: %s\n",
		Declared(f.Jurisdiction), Declared(f.HostingProvider), Declared(f.LegalPolicyURL))
	return b.String()
}

// NodeInfo is the facts in NodeInfo metadata's camelCase shape. The first
// four keys are those Roost published before the facts were generated.
type NodeInfo struct {
	IPLogging                string         `json:"ipLogging"`
	UserAgentLogging         string         `json:"userAgentLogging"`
	EncryptionAtRest         string         `json:"encryptionAtRest"`
	E2EEDirectMessages       bool           `json:"e2eeDirectMessages"`
	DirectMessagesReadableBy string         `json:"directMessagesReadableBy"`
	TrustedProxy             bool           `json:"trustedProxy"`
	Registrations            string         `json:"registrations"`
	EmailRequired            bool           `json:"emailRequired"`
	Jurisdiction             string         `json:"jurisdiction"`
	HostingProvider          string         `json:"hostingProvider"`
	LegalPolicyURL           string         `json:"legalPolicyUrl"`
	PolicyURL                string         `json:"policyUrl"`
	RetentionDays            map[string]int `json:"retentionDays"` // 0: kept until deleted; -1: not held
}

// NodeInfo returns the facts for NodeInfo's metadata.
func (f Facts) NodeInfo() NodeInfo {
	n := NodeInfo{
		IPLogging: "none", UserAgentLogging: "none", EncryptionAtRest: "per-account keys",
		E2EEDirectMessages: f.DirectMessages.EndToEndEncrypted, DirectMessagesReadableBy: f.DirectMessages.ReadableBy,
		TrustedProxy: f.TrustedProxy, Registrations: f.SignUp.Mode, EmailRequired: f.SignUp.EmailRequired,
		Jurisdiction: f.Jurisdiction, HostingProvider: f.HostingProvider, LegalPolicyURL: f.LegalPolicyURL,
		PolicyURL: f.URL, RetentionDays: map[string]int{},
	}
	if f.IPAddressesLogged {
		n.IPLogging = "yes"
	}
	if f.UserAgentsLogged {
		n.UserAgentLogging = "yes"
	}
	for _, r := range f.Retention {
		switch r.Kept {
		case KeptFor:
			n.RetentionDays[r.Category] = r.MaxAgeDays
		case NotHeld:
			n.RetentionDays[r.Category] = -1
		default:
			n.RetentionDays[r.Category] = 0
		}
	}
	return n
}
