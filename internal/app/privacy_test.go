package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/testutil/browser"
)

// privacyOutputs is every place a running Roost publishes its privacy
// facts, plus what `roost privacy report` prints for its configuration.
type privacyOutputs struct {
	page, policy, cliText string
	v1, v2, cli           map[string]any // roost_privacy, and the CLI's --json
	nodeinfo              map[string]any // metadata.privacy
}

func readPrivacyOutputs(t *testing.T, s *server) privacyOutputs {
	t.Helper()
	hc := checkedClient(t)
	get := func(path string) []byte {
		t.Helper()
		res, err := hc.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v\n%s", path, res.StatusCode, err, b)
		}
		return b
	}
	field := func(body []byte, keys ...string) map[string]any {
		t.Helper()
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %v in %s", keys, body)
		}
		return m
	}
	var o privacyOutputs
	o.page = string(get("/about/privacy"))
	var pp struct{ Content, UpdatedAt string }
	if err := json.Unmarshal(get("/api/v1/instance/privacy_policy"), &pp); err != nil {
		t.Fatal(err)
	}
	o.policy = pp.Content
	o.v1 = field(get("/api/v1/instance"), "roost_privacy")
	o.v2 = field(get("/api/v2/instance"), "roost_privacy")
	o.nodeinfo = field(get("/nodeinfo/2.1"), "metadata", "privacy")
	o.cliText = s.roost(t, "", "privacy", "report")
	if err := json.Unmarshal([]byte(s.roost(t, "", "privacy", "report", "--json")), &o.cli); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestPrivacyFactsCannotDrift is issue 4's "they cannot drift" proof: two
// servers with different configurations publish the facts on the page,
// Mastodon's privacy policy, both instance documents, NodeInfo and the
// CLI; within a server every output says the same, and between the two
// every output changes with the settings.
func TestPrivacyFactsCannotDrift(t *testing.T) {
	plain := startServer(t, databases[0])
	changed := startWith(t, databases[0], []string{
		"--instance-registration", "approval", "--instance-email-required",
		"--instance-jurisdiction", "Iceland", "--instance-hosting-provider", "1984 ehf.",
		"--instance-legal-policy-url", "https://legal.example/roost",
		"--retention-notifications-days", "45", "--http-trusted-proxies", "127.0.0.1",
	}, app.Options{})

	before, after := readPrivacyOutputs(t, plain), readPrivacyOutputs(t, changed)
	for name, o := range map[string]privacyOutputs{"default": before, "changed": after} {
		if !reflect.DeepEqual(o.v1, o.v2) || !reflect.DeepEqual(o.v1, o.cli) {
			t.Errorf("%s: the API and the CLI disagree:\nv1  %v\nv2  %v\ncli %v", name, o.v1, o.v2, o.cli)
		}
		signUp := o.v1["sign_up"].(map[string]any)
		if o.nodeinfo["registrations"] != signUp["mode"] || o.nodeinfo["jurisdiction"] != o.v1["jurisdiction"] ||
			o.nodeinfo["hostingProvider"] != o.v1["hosting_provider"] || o.nodeinfo["ipLogging"] != "none" ||
			o.nodeinfo["e2eeDirectMessages"] != false || o.nodeinfo["trustedProxy"] != o.v1["trusted_proxy"] {
			t.Errorf("%s: NodeInfo disagrees with the API:\n%v\n%v", name, o.nodeinfo, o.v1)
		}
	}

	if m := before.v1["sign_up"].(map[string]any)["mode"]; m != "open" || before.v1["jurisdiction"] != "" {
		t.Errorf("default facts: %v", before.v1)
	}
	if m := after.v1["sign_up"].(map[string]any); m["mode"] != "approval" || m["email_required"] != true ||
		after.v1["jurisdiction"] != "Iceland" || after.v1["trusted_proxy"] != true {
		t.Errorf("changed facts: %v", after.v1)
	}
	if d := after.nodeinfo["retentionDays"].(map[string]any)["notifications"]; d != float64(45) {
		t.Errorf("NodeInfo notifications retention = %v, want 45", d)
	}
	texts := map[string][2]string{
		"page": {before.page, after.page}, "privacy_policy": {before.policy, after.policy}, "CLI": {before.cliText, after.cliText},
	}
	for name, pair := range texts {
		for _, want := range []string{"Iceland", "1984 ehf.", "https://legal.example/roost", "45 days",
			"an administrator approves each one", "A trusted proxy is configured"} {
			if strings.Contains(pair[0], want) {
				t.Errorf("%s of the default server says %q", name, want)
			}
			if !strings.Contains(pair[1], want) {
				t.Errorf("%s of the changed server lacks %q", name, want)
			}
		}
		if !strings.Contains(pair[0], "Anyone may sign up") || !strings.Contains(pair[0], "90 days") {
			t.Errorf("%s of the default server lacks its own facts", name)
		}
	}
}

// TestBrowserPrivacyPage follows the front page's link to /about/privacy in
// Chromium and checks the basics of an accessible page: a language, one h1,
// a main landmark, the sections as h2, a captioned table with header cells,
// and no script.
func TestBrowserPrivacyPage(t *testing.T) {
	s := startServer(t, databases[0])
	ctx := browser.New(t)
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	type pageProbe struct {
		Lang     string   `json:"lang"`
		H1       []string `json:"h1"`
		H2       []string `json:"h2"`
		Mains    int      `json:"mains"`
		Scripts  int      `json:"scripts"`
		Caption  string   `json:"caption"`
		RowHeads int      `json:"rowHeads"`
		Rows     int      `json:"rows"`
		Link     bool     `json:"link"`
	}
	const probe = `(() => {
		const all = s => Array.from(document.querySelectorAll(s));
		return {
			lang: document.documentElement.lang,
			h1: all('h1').map(e => e.textContent.trim()),
			h2: all('h2').map(e => e.textContent.trim()),
			mains: all('main').length,
			scripts: all('script').length,
			caption: (document.querySelector('main table caption') || {}).textContent || '',
			rowHeads: all('main table tbody th[scope=row]').length,
			rows: all('main table tbody tr').length,
			link: !!document.querySelector('a[href="/"]'),
		};
	})()`
	// The front page's sign-up hint leads there.
	err := chromedp.Do(step, chromedp.Navigate(s.URL+"/"), chromedp.Click(chromedp.CSS(`a[href="/about/privacy"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main#privacy h1`)))
	if err != nil {
		t.Fatalf("load the privacy page: %v", err)
	}
	page, err := chromedp.Run(step, chromedp.Evaluate[pageProbe](probe))
	if err != nil {
		t.Fatalf("probe the privacy page: %v", err)
	}
	if page.Lang != "en" || len(page.H1) != 1 || !strings.HasPrefix(page.H1[0], "Privacy at ") || page.Mains != 1 || page.Scripts != 0 {
		t.Errorf("page basics: %+v", page)
	}
	want := []string{"Addresses and logs", "Who can read direct messages", "Encryption at rest", "How long data is kept",
		"What sign-up asks for", "Who runs this server, and under which law"}
	if !reflect.DeepEqual(page.H2, want) {
		t.Errorf("h2 = %q, want %q", page.H2, want)
	}
	if page.Caption == "" || page.Rows == 0 || page.RowHeads != page.Rows || !page.Link {
		t.Errorf("table: %+v", page)
	}
}
