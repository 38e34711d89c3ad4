package config

import (
	"strings"
	"testing"
)

func TestFederationRefreshMinutes(t *testing.T) {
	if c := Default(); c.Federation.RefreshMinutes != 10 {
		t.Errorf("default refresh_minutes = %d, want 10", c.Federation.RefreshMinutes)
	}
	c, err := Load([]string{"ROOST_FEDERATION_REFRESH_MINUTES=0"}, nil)
	if err != nil || c.Federation.RefreshMinutes != 0 {
		t.Fatalf("refresh off from the environment: %+v, %v", c, err)
	}
	for _, v := range []string{"-1", "1441"} {
		_, err := Load([]string{"ROOST_FEDERATION_REFRESH_MINUTES=" + v}, nil)
		if err == nil || !strings.Contains(err.Error(), "federation.refresh_minutes") {
			t.Errorf("refresh_minutes %s: %v", v, err)
		}
	}
}
