package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRetentionDefaults(t *testing.T) {
	r := Default().Retention
	if r.RemoteStatusesDays != 30 || r.NotificationsDays != 90 || r.TokensDays != 90 || r.ClosedReportsDays != 180 ||
		r.JobsDays != 7 || r.DirectMessagesDays != 0 || r.PurgeMinutes != 60 {
		t.Errorf("defaults %+v", r)
	}
}

func TestRetentionValues(t *testing.T) {
	c, err := Load([]string{"ROOST_RETENTION_DIRECT_MESSAGES_DAYS=14", "ROOST_RETENTION_NOTIFICATIONS_DAYS=0",
		"ROOST_RETENTION_CLOSED_REPORTS_DAYS=3650"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Retention; r.DirectMessagesDays != 14 || r.NotificationsDays != 0 || r.ClosedReportsDays != 3650 {
		t.Errorf("from the environment: %+v", r)
	}
	path := filepath.Join(t.TempDir(), "roost.toml")
	if err := os.WriteFile(path, []byte("[retention]\ntokens_days = 30\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := Load([]string{"ROOST_CONFIG=" + path}, nil); err != nil || c.Retention.TokensDays != 30 {
		t.Errorf("from a file: %v, %v", c, err)
	}
}

func TestRetentionOutOfRange(t *testing.T) {
	for _, kv := range []string{"ROOST_RETENTION_REMOTE_STATUSES_DAYS=-1", "ROOST_RETENTION_JOBS_DAYS=3651",
		"ROOST_RETENTION_PURGE_MINUTES=1441"} {
		_, err := Load([]string{kv}, nil)
		key := "retention." + strings.ToLower(strings.TrimPrefix(strings.Split(kv, "=")[0], "ROOST_RETENTION_"))
		var ke *KeyError
		if !errors.As(err, &ke) || ke.Key != key {
			t.Errorf("%s: %v, want an error naming %s", kv, err, key)
		}
	}
}
