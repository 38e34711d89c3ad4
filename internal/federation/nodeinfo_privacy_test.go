package federation

import (
	"encoding/json"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// TestNodeInfoPrivacyFollowsSettings: NodeInfo's privacy metadata is
// generated from the settings, and changes with them.
func TestNodeInfoPrivacyFollowsSettings(t *testing.T) {
	read := func(e *testEnv) nodeInfo {
		var got nodeInfo
		if err := json.Unmarshal(e.get("/nodeinfo/2.1", "").Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	p := read(newTestEnv(t, nil)).Metadata.Privacy
	if p.IPLogging != "none" || p.UserAgentLogging != "none" || p.E2EEDirectMessages || p.Jurisdiction != "" ||
		p.DirectMessagesReadableBy == "" || p.RetentionDays["notifications"] != 0 || p.PolicyURL == "" {
		t.Errorf("default privacy = %+v", p)
	}
	set := testSettings()
	set.Registration, set.EmailRequired = model.RegistrationApproval, true
	set.Privacy.Jurisdiction, set.Privacy.HostingProvider = "Iceland", "1984 ehf."
	set.Privacy.PurgeScheduled = true
	set.Retention = retention.Policy{retention.Notifications: 45 * retention.Day}
	p = read(newTestEnvWith(t, set, nil)).Metadata.Privacy
	if p.Registrations != "approval" || !p.EmailRequired || p.Jurisdiction != "Iceland" || p.HostingProvider != "1984 ehf." ||
		p.RetentionDays["notifications"] != 45 {
		t.Errorf("changed privacy = %+v", p)
	}
}
