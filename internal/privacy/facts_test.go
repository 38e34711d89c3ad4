package privacy

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

func base() Input {
	return Input{Title: "Birds", BaseURL: "https://birds.example", Registration: model.RegistrationOpen}
}

func TestDeriveFollowsSettings(t *testing.T) {
	open := Derive(base())
	if open.IPAddressesLogged || open.UserAgentsLogged || open.DirectMessages.EndToEndEncrypted ||
		!strings.Contains(open.DirectMessages.ReadableBy, "administrators") || open.URL != "https://birds.example/about/privacy" {
		t.Errorf("open facts = %+v", open)
	}
	if !open.SignUp.Open || open.SignUp.ApprovalRequired || open.SignUp.ReasonRequired || open.SignUp.EmailRequired {
		t.Errorf("open sign-up = %+v", open.SignUp)
	}

	in := base()
	in.Registration, in.EmailRequired = model.RegistrationApproval, true
	in.Jurisdiction, in.HostingProvider, in.LegalPolicyURL = "Iceland", "1984 ehf.", "https://birds.example/legal"
	in.TrustedProxy = true
	in.Retention = []Rule{
		{Category: "notifications", MaxAge: 90 * day, Automatic: true, Held: true, Description: "Read or not."},
		{Category: "remote_media", Held: false, Description: "None cached yet."},
		{Category: "tokens", MaxAge: 30 * day, Automatic: false, Held: true},
		{Category: "brand_new", MaxAge: 36 * time.Hour, Automatic: true, Held: true},
	}
	f := Derive(in)
	if !f.SignUp.ApprovalRequired || !f.SignUp.ReasonRequired || !f.SignUp.EmailRequired || !f.TrustedProxy {
		t.Errorf("approval sign-up = %+v", f.SignUp)
	}
	got := map[string]Retention{}
	for _, r := range f.Retention {
		got[r.Category] = r
	}
	checks := []struct {
		cat, kept string
		days      int
	}{
		{"notifications", KeptFor, 90}, {"remote_media", NotHeld, 0}, {"tokens", KeptUntilDeleted, 0},
		{"brand_new", KeptFor, 2}, {"posts", KeptUntilDeleted, 0}, {"closed_reports", KeptUntilDeleted, 0},
	}
	for _, c := range checks {
		if r := got[c.cat]; r.Kept != c.kept || r.MaxAgeDays != c.days {
			t.Errorf("%s = %+v, want %s %d", c.cat, r, c.kept, c.days)
		}
	}
	if !strings.Contains(got["tokens"].Description, "purge is off") {
		t.Errorf("a limit nothing applies is not called off: %q", got["tokens"].Description)
	}

	in.E2EEDirectMessages = true
	if e := Derive(in); !strings.Contains(e.DMFact(), "only the sender and the recipients") {
		t.Errorf("E2EE fact = %q", e.DMFact())
	}
}

func TestRenderingsAgree(t *testing.T) {
	in := base()
	in.Registration = model.RegistrationApproval
	in.Jurisdiction, in.HostingProvider, in.LegalPolicyURL = "Iceland <IS>", "1984 ehf.", "https://birds.example/legal"
	in.Retention = []Rule{{Category: "notifications", MaxAge: 90 * day, Automatic: true, Held: true}}
	f := Derive(in)
	html, text := string(f.HTML()), f.Text()
	for _, want := range []string{"1984 ehf.", "https://birds.example/legal", "90 days", "approves each one", "A reason for joining is required"} {
		if !strings.Contains(html, want) || !strings.Contains(text, want) {
			t.Errorf("%q missing: html %v, text %v", want, strings.Contains(html, want), strings.Contains(text, want))
		}
	}
	if !strings.Contains(html, "Iceland &lt;IS&gt;") || strings.Contains(html, "<IS>") {
		t.Errorf("declared text not escaped in HTML")
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "style=") {
		t.Errorf("fragment carries script or inline style")
	}
	n := f.NodeInfo()
	if n.IPLogging != "none" || n.E2EEDirectMessages || n.Registrations != "approval" || n.RetentionDays["notifications"] != 90 ||
		n.RetentionDays["remote_statuses"] != 0 || n.Jurisdiction != "Iceland <IS>" {
		t.Errorf("nodeinfo = %+v", n)
	}
	if _, err := json.Marshal(f); err != nil {
		t.Fatal(err)
	}

	closed := base()
	closed.Registration = model.RegistrationClosed
	if c := Derive(closed); len(c.SignUp.Asks) != 0 || !strings.Contains(c.Text(), "Sign-up is closed") ||
		!strings.Contains(c.Text(), "Jurisdiction: not declared") {
		t.Errorf("closed:\n%s", c.Text())
	}
}
