package core

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/testutil/teststore"
)

// declaredSettings are settings the configuration accepts as they are: a
// public domain, closed registrations, nothing declared yet, and a
// retention policy.
func declaredSettings() Settings {
	set := testSettings()
	set.Registration = model.RegistrationClosed
	set.Retention = retention.Policy{retention.Notifications: 90 * retention.Day, retention.Tokens: 90 * retention.Day}
	set.Privacy.PurgeScheduled = true
	return set
}

func settingsByKey(list []InstanceSetting) map[string]InstanceSetting {
	out := map[string]InstanceSetting{}
	for _, s := range list {
		out[s.Key] = s
	}
	return out
}

func patchOf(t *testing.T, kv map[string]any) SettingsPatch {
	t.Helper()
	p := SettingsPatch{}
	for k, v := range kv {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p[k] = b
	}
	return p
}

func TestInstanceSettingsLayerOverConfig(t *testing.T) {
	ctx := context.Background()
	s := newTestServiceWith(t, declaredSettings(), nil)
	list, err := s.InstanceSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := settingsByKey(list)
	if g := got["instance.title"]; g.Value != "Roost test" || g.Source != SourceConfig {
		t.Errorf("title before = %+v, want the configuration's", g)
	}
	if g := got["retention.notifications_days"]; g.Value != 90 || g.Source != SourceConfig {
		t.Errorf("notifications before = %+v, want 90 from config", g)
	}
	if _, ok := got["retention.jobs_days"]; ok {
		t.Error("retention.jobs_days is listed, but the job queue reads it only at start")
	}

	list, err = s.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{
		"instance.title": "Nest", "instance.jurisdiction": "Iceland", "instance.hosting_provider": "1984 ehf",
		"instance.registration": "approval", "instance.rules": []string{"Be kind", "No ads"},
		"retention.notifications_days": 14, "retention.tokens_days": 0,
	}))
	if err != nil {
		t.Fatal(err)
	}
	got = settingsByKey(list)
	for key, want := range map[string]any{"instance.title": "Nest", "retention.notifications_days": 14, "retention.tokens_days": 0} {
		if g := got[key]; g.Value != want || g.Source != SourceOverride {
			t.Errorf("%s = %+v, want %v from an override", key, g, want)
		}
	}
	if g := got["instance.description"]; g.Source != SourceConfig {
		t.Errorf("description source = %s, want config", g.Source)
	}
	set := s.Settings()
	if set.Title != "Nest" || set.Registration != model.RegistrationApproval || len(set.Rules) != 2 {
		t.Errorf("effective settings = %q %q %q", set.Title, set.Registration, set.Rules)
	}
	if set.Description != "A test instance" || set.Domain != "roost.test" {
		t.Errorf("settings not overridden changed: %q %q", set.Description, set.Domain)
	}
	if age := s.RetentionPolicy().MaxAge(retention.Notifications); age != 14*retention.Day {
		t.Errorf("retention policy notifications = %v, want 14 days", age)
	}
	if age := s.RetentionPolicy().MaxAge(retention.Tokens); age != 0 {
		t.Errorf("retention policy tokens = %v, want forever", age)
	}
	facts := s.PrivacyFacts()
	if !strings.Contains(facts.Text(), "Iceland") || !strings.Contains(facts.Text(), "1984 ehf") {
		t.Errorf("privacy facts do not follow the override:\n%s", facts.Text())
	}

	// Resetting a key (null) brings the configuration's value back.
	list, err = s.UpdateInstanceSettings(ctx, SettingsPatch{"instance.title": json.RawMessage("null")})
	if err != nil {
		t.Fatal(err)
	}
	if g := settingsByKey(list)["instance.title"]; g.Value != "Roost test" || g.Source != SourceConfig {
		t.Errorf("title after reset = %+v", g)
	}
	if s.Settings().Title != "Roost test" || s.Settings().Privacy.Jurisdiction != "Iceland" {
		t.Errorf("after reset: title %q, jurisdiction %q", s.Settings().Title, s.Settings().Privacy.Jurisdiction)
	}
}

func TestInstanceSettingsBadInput(t *testing.T) {
	ctx := context.Background()
	s := newTestServiceWith(t, declaredSettings(), nil)
	if _, err := s.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{"instance.title": "Before"})); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		patch map[string]any
		want  string
	}{
		{"unknown key", map[string]any{"instance.colour": "red"}, "instance.colour: is not a setting"},
		{"not at run time", map[string]any{"retention.purge_minutes": 5}, "retention.purge_minutes: is not a setting"},
		{"domain", map[string]any{"domain": "evil.example"}, "domain: is not a setting"},
		{"empty title", map[string]any{"instance.title": " "}, "instance.title: must not be empty"},
		{"title type", map[string]any{"instance.title": 5}, "instance.title: must be a string"},
		{"days type", map[string]any{"retention.notifications_days": "30"}, "must be a whole number of days"},
		{"days fraction", map[string]any{"retention.notifications_days": 1.5}, "must be a whole number of days"},
		{"days negative", map[string]any{"retention.notifications_days": -1}, "retention.notifications_days: must be 0 (keep forever) or between 1 and 3650 days, got -1"},
		{"days too many", map[string]any{"retention.closed_reports_days": 3651}, "got 3651"},
		{"mode", map[string]any{"instance.registration": "sometimes"}, "instance.registration: must be one of open, approval, invite, closed"},
		{"email", map[string]any{"instance.contact_email": "Admin <a@b.test>"}, "instance.contact_email"},
		{"policy url", map[string]any{"instance.legal_policy_url": "ftp://legal.test/p"}, "instance.legal_policy_url: must be an absolute https:// URL"},
		{"empty rule", map[string]any{"instance.rules": []string{"Be kind", ""}}, "instance.rules: rule 2 is empty"},
		{"rules type", map[string]any{"instance.rules": "Be kind"}, "must be a list of strings"},
		{"two lines", map[string]any{"instance.jurisdiction": "A\nB"}, "instance.jurisdiction: must be one line"},
		{"opening undeclared", map[string]any{"instance.registration": "open"},
			"instance.jurisdiction: must be declared before registrations are opened"},
		{"half declared", map[string]any{"instance.registration": "approval", "instance.jurisdiction": "Iceland"},
			"instance.hosting_provider: must be declared before registrations are opened"},
		{"one bad of two", map[string]any{"instance.title": "After", "retention.tokens_days": 99999}, "retention.tokens_days"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, err := s.store.InstanceOverrides(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.UpdateInstanceSettings(ctx, patchOf(t, c.patch))
			var ve *model.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(ve.Msg, c.want) {
				t.Fatalf("error %v, want a validation error containing %q", err, c.want)
			}
			after, err := s.store.InstanceOverrides(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after.Version != before.Version || s.Settings().Title != "Before" || s.Settings().Registration != model.RegistrationClosed {
				t.Errorf("a refused patch changed something: version %d → %d, title %q", before.Version, after.Version, s.Settings().Title)
			}
		})
	}
	// Declaring both opens registrations.
	if _, err := s.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{"instance.registration": "open",
		"instance.jurisdiction": "Iceland", "instance.hosting_provider": "1984 ehf"})); err != nil {
		t.Fatalf("opening with both declared: %v", err)
	}
	// ... and the declaration cannot then be withdrawn while they are open.
	_, err := s.UpdateInstanceSettings(ctx, SettingsPatch{"instance.jurisdiction": nil})
	if !errors.Is(err, model.ErrInvalid) || s.Settings().Privacy.Jurisdiction != "Iceland" {
		t.Errorf("withdrawing the jurisdiction with registrations open: %v, jurisdiction %q", err, s.Settings().Privacy.Jurisdiction)
	}
}

// TestInstanceSettingsAcrossNodes runs two Services over one store, as two
// nodes: a change on one reaches the other at its next reload, concurrent
// writes from stale copies both land, and a restarted node keeps them.
func TestInstanceSettingsAcrossNodes(t *testing.T) {
	ctx := context.Background()
	st, v := teststore.SQLite(t)
	a := New(Options{Store: st, Vault: v, Settings: declaredSettings()})
	b := New(Options{Store: st, Vault: v, Settings: declaredSettings()})

	if _, err := a.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{"instance.title": "From A"})); err != nil {
		t.Fatal(err)
	}
	if b.Settings().Title != "Roost test" {
		t.Fatalf("b saw the change before reloading")
	}
	// b writes from its stale copy: its write merges over a's.
	if _, err := b.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{"retention.notifications_days": 7})); err != nil {
		t.Fatal(err)
	}
	if b.Settings().Title != "From A" {
		t.Errorf("b's write lost a's title: %q", b.Settings().Title)
	}
	watchCtx, stop := context.WithCancel(ctx)
	defer stop()
	go a.WatchInstanceSettings(watchCtx, 10*time.Millisecond, func(err error) { t.Error(err) })
	deadline := time.Now().Add(5 * time.Second)
	for a.RetentionPolicy().MaxAge(retention.Notifications) != 7*retention.Day {
		if time.Now().After(deadline) {
			t.Fatal("a never picked up b's change")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// A restarted node starts from the configuration and loads the overrides.
	c := New(Options{Store: st, Vault: v, Settings: declaredSettings()})
	if err := c.ReloadInstanceSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Settings().Title != "From A" || c.RetentionPolicy().MaxAge(retention.Notifications) != 7*retention.Day {
		t.Errorf("after restart: title %q, notifications %v", c.Settings().Title, c.RetentionPolicy().MaxAge(retention.Notifications))
	}
}

// TestInstanceSettingsRefusedAfterConfigChange: overrides stored under one
// configuration that the next refuses are not applied, and say why.
func TestInstanceSettingsRefusedAfterConfigChange(t *testing.T) {
	ctx := context.Background()
	st, v := teststore.SQLite(t)
	declared := declaredSettings()
	declared.Privacy.Jurisdiction, declared.Privacy.HostingProvider = "Iceland", "1984 ehf"
	a := New(Options{Store: st, Vault: v, Settings: declared})
	if _, err := a.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{"instance.registration": "open", "instance.title": "Nest"})); err != nil {
		t.Fatal(err)
	}
	// The next start's configuration no longer declares a jurisdiction.
	b := New(Options{Store: st, Vault: v, Settings: declaredSettings()})
	err := b.ReloadInstanceSettings(ctx)
	if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), "instance.jurisdiction") {
		t.Fatalf("reload: %v, want the jurisdiction problem", err)
	}
	if b.Settings().Registration != model.RegistrationClosed || b.Settings().Title != "Roost test" {
		t.Errorf("refused overrides applied: %q %q", b.Settings().Registration, b.Settings().Title)
	}
	list, err := b.InstanceSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g := settingsByKey(list)["instance.registration"]; g.Source != SourceConfig || g.Value != "closed" {
		t.Errorf("registration shown as %+v, want closed from config", g)
	}
	// Resetting the offending key makes the rest apply again.
	if _, err := b.UpdateInstanceSettings(ctx, SettingsPatch{"instance.registration": nil}); err != nil {
		t.Fatal(err)
	}
	if b.Settings().Title != "Nest" {
		t.Errorf("title after fixing = %q, want the override", b.Settings().Title)
	}
}

// TestInstanceSettingsConcurrentReaders changes settings while readers
// read them; run with -race.
func TestInstanceSettingsConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	s := newTestServiceWith(t, declaredSettings(), nil)
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				set := s.Settings()
				if set.Title != "Roost test" && !strings.HasPrefix(set.Title, "T") {
					t.Errorf("torn title %q", set.Title)
				}
				_ = s.PrivacyFacts()
			}
		})
	}
	for i := range 20 {
		if _, err := s.UpdateInstanceSettings(ctx, patchOf(t, map[string]any{"instance.title": "T" + string(rune('a'+i))})); err != nil {
			t.Error(err)
		}
	}
	close(done)
	wg.Wait()
}
