package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// Instance settings an admin edits at run time (issue 5). The
// configuration file gives every setting; an admin may override some of
// them through the API, and the overrides, kept in the store, are layered
// over the configuration: effective = configuration + overrides. Every
// reader (the use cases, the privacy facts, NodeInfo, the retention sweep)
// goes through s.settings(), which returns the effective settings from an
// atomic pointer, so a change is seen at once and whole by concurrent
// readers on the node that made it. Other nodes reload the overrides every
// SettingsReloadInterval (WatchInstanceSettings), and every admin read
// reloads them first. A change is validated by the configuration's own
// Validate, so the API refuses exactly what the configuration file would.

// SettingsReloadInterval is how often WatchInstanceSettings looks for
// overrides another node wrote.
const SettingsReloadInterval = 15 * time.Second

// Where an effective setting comes from.
const (
	SourceConfig   = "config"
	SourceOverride = "override"
)

// settingKind is the JSON type of a setting's value.
type settingKind int

const (
	kindText  settingKind = iota // a string
	kindRules                    // a list of strings
	kindDays                     // a whole number of days
)

// settingDef is one editable setting, named by its configuration key, and
// where its value lives in a config.Config.
type settingDef struct {
	key   string
	kind  settingKind
	field func(c *config.Config) any // *string, *[]string or *int
}

// settingDefs are the settings an admin may change at run time, in the
// order the API lists them. retention.purge_minutes and
// retention.jobs_days are left out: the job queue reads them once, at
// start, so a change at run time would be published without being applied.
var settingDefs = append([]settingDef{
	{"instance.title", kindText, func(c *config.Config) any { return &c.Instance.Title }},
	{"instance.description", kindText, func(c *config.Config) any { return &c.Instance.Description }},
	{"instance.contact_email", kindText, func(c *config.Config) any { return &c.Instance.ContactEmail }},
	{"instance.rules", kindRules, func(c *config.Config) any { return &c.Instance.Rules }},
	{"instance.registration", kindText, func(c *config.Config) any { return &c.Instance.Registration }},
	{"instance.jurisdiction", kindText, func(c *config.Config) any { return &c.Instance.Jurisdiction }},
	{"instance.hosting_provider", kindText, func(c *config.Config) any { return &c.Instance.HostingProvider }},
	{"instance.legal_policy_url", kindText, func(c *config.Config) any { return &c.Instance.LegalPolicyURL }},
}, retentionDefs()...)

// editableRetention are the retention categories an admin may change at
// run time (see settingDefs).
var editableRetention = []retention.Category{
	retention.RemoteStatuses, retention.DirectMessages, retention.RemoteAccounts, retention.RemoteMedia,
	retention.Notifications, retention.Tokens, retention.ClosedReports, retention.Delivery, retention.Audit,
}

func retentionDefs() []settingDef {
	var out []settingDef
	for _, c := range editableRetention {
		out = append(out, settingDef{"retention." + string(c) + "_days", kindDays,
			func(cfg *config.Config) any { return retentionDays(&cfg.Retention)[c] }})
	}
	return out
}

// retentionDays maps each category to its field of the [retention]
// section.
func retentionDays(r *config.Retention) map[retention.Category]*int {
	return map[retention.Category]*int{
		retention.RemoteStatuses: &r.RemoteStatusesDays, retention.DirectMessages: &r.DirectMessagesDays,
		retention.RemoteAccounts: &r.RemoteAccountsDays, retention.RemoteMedia: &r.RemoteMediaDays,
		retention.Notifications: &r.NotificationsDays, retention.Tokens: &r.TokensDays,
		retention.ClosedReports: &r.ClosedReportsDays, retention.Delivery: &r.DeliveryDays,
		retention.Jobs: &r.JobsDays, retention.Audit: &r.AuditDays,
	}
}

func settingDefOf(key string) (settingDef, bool) {
	i := slices.IndexFunc(settingDefs, func(d settingDef) bool { return d.key == key })
	if i < 0 {
		return settingDef{}, false
	}
	return settingDefs[i], true
}

// liveSettings are a node's effective settings and the overrides (at
// store version) they were built from.
type liveSettings struct {
	eff       Settings
	overrides map[string][]byte
	version   int64
}

type atomicSettings = atomic.Pointer[liveSettings]

// settingsState is the Service's part for run-time settings.
type settingsState struct {
	base Settings // from the configuration
	live atomicSettings
	mu   sync.Mutex // serialises this node's writes and reloads
}

// settings returns the effective instance settings.
func (s *Service) settings() Settings {
	if l := s.runtime.live.Load(); l != nil {
		return l.eff
	}
	return s.runtime.base
}

// InstanceSetting is one editable setting as the admin sees it: its
// configuration key, its effective value (a string, a list of strings or
// a number of days) and whether that comes from the configuration or an
// override.
type InstanceSetting struct {
	Key    string
	Value  any
	Source string
}

// SettingsPatch changes instance settings by configuration key. A value
// is JSON of the key's type; a nil value, or JSON null, resets the key to
// the configuration's value.
type SettingsPatch map[string]json.RawMessage

// InstanceSettings returns every editable setting with its effective value
// and source, after picking up changes made on other nodes.
func (s *Service) InstanceSettings(ctx context.Context) ([]InstanceSetting, error) {
	if err := s.ReloadInstanceSettings(ctx); err != nil {
		return nil, err
	}
	return s.settingsView(), nil
}

func (s *Service) settingsView() []InstanceSetting {
	l := s.runtime.live.Load()
	var eff Settings
	var over map[string][]byte
	if l != nil {
		eff, over = l.eff, l.overrides
	} else {
		eff = s.runtime.base
	}
	cfg := configOf(eff)
	out := make([]InstanceSetting, 0, len(settingDefs))
	for _, d := range settingDefs {
		src := SourceConfig
		if _, ok := over[d.key]; ok {
			src = SourceOverride
		}
		out = append(out, InstanceSetting{Key: d.key, Value: valueOf(d.field(cfg)), Source: src})
	}
	return out
}

func valueOf(p any) any {
	switch v := p.(type) {
	case *string:
		return *v
	case *[]string:
		if *v == nil {
			return []string{}
		}
		return slices.Clone(*v)
	case *int:
		return *v
	}
	return nil
}

// UpdateInstanceSettings applies patch over the stored overrides and
// returns the settings that result. A patch the configuration would refuse
// (an unknown key, a value of the wrong type or out of range, opening
// registrations on a public domain without a declared jurisdiction and
// hosting provider) is model.ErrInvalid with the configuration's message,
// and changes nothing. Two admins writing at once each see the other's
// change: a write made from a stale copy is retried on the fresh one.
func (s *Service) UpdateInstanceSettings(ctx context.Context, patch SettingsPatch) ([]InstanceSetting, error) {
	s.runtime.mu.Lock()
	defer s.runtime.mu.Unlock()
	for range 3 {
		cur, err := s.store.InstanceOverrides(ctx)
		if err != nil {
			return nil, fmt.Errorf("core: instance settings: %w", err)
		}
		vals, err := mergePatch(cur.Values, patch)
		if err != nil {
			return nil, fmt.Errorf("core: instance settings: %w", err)
		}
		eff, err := s.runtime.effective(vals)
		if err != nil {
			return nil, fmt.Errorf("core: instance settings: %w", err)
		}
		v, err := s.store.PutInstanceOverrides(ctx, vals, cur.Version, s.now())
		if errors.Is(err, model.ErrConflict) {
			continue // another node wrote first: merge over its version
		}
		if err != nil {
			return nil, fmt.Errorf("core: instance settings: %w", err)
		}
		s.runtime.live.Store(&liveSettings{eff: eff, overrides: vals, version: v})
		return s.settingsView(), nil
	}
	return nil, fmt.Errorf("core: instance settings: %w", model.ErrConflict)
}

// mergePatch returns cur with patch applied: null values removed, others
// checked against their key's type and stored compact.
func mergePatch(cur map[string][]byte, patch SettingsPatch) (map[string][]byte, error) {
	out := maps.Clone(cur)
	if out == nil {
		out = map[string][]byte{}
	}
	for _, key := range slices.Sorted(maps.Keys(patch)) {
		raw := bytes.TrimSpace(patch[key])
		d, ok := settingDefOf(key)
		if !ok {
			return nil, model.Invalid(fmt.Sprintf("%s: is not a setting that can be changed at run time (known: %s)",
				key, strings.Join(settingKeys(), ", ")))
		}
		if len(raw) == 0 || string(raw) == "null" {
			delete(out, key)
			continue
		}
		if err := decodeSetting(d, raw, d.field(config.Default())); err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return nil, model.Invalid(key + ": is not valid JSON")
		}
		out[key] = b.Bytes()
	}
	return out, nil
}

func settingKeys() []string {
	out := make([]string, len(settingDefs))
	for i, d := range settingDefs {
		out[i] = d.key
	}
	return out
}

// decodeSetting decodes raw into dst (a field of a config.Config), which
// must be of d's kind: a JSON string, list of strings or whole number.
func decodeSetting(d settingDef, raw []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(dst); err != nil || dec.More() {
		want := map[settingKind]string{kindText: "a string", kindRules: "a list of strings", kindDays: "a whole number of days"}[d.kind]
		return model.Invalid(fmt.Sprintf("%s: must be %s", d.key, want))
	}
	return nil
}

// effective layers vals over the configuration and validates the result
// as the configuration is validated. Only problems the overrides bring
// are reported: the configuration itself was accepted at start.
func (st *settingsState) effective(vals map[string][]byte) (Settings, error) {
	if len(vals) == 0 {
		return st.base, nil
	}
	cfg := configOf(st.base)
	before := problems(cfg.Validate())
	for _, key := range slices.Sorted(maps.Keys(vals)) {
		d, ok := settingDefOf(key)
		if !ok {
			return Settings{}, model.Invalid(key + ": is not a setting that can be changed at run time")
		}
		if err := decodeSetting(d, vals[key], d.field(cfg)); err != nil {
			return Settings{}, err
		}
	}
	var msgs []string
	for _, p := range problems(cfg.Validate()) {
		if !slices.Contains(before, p) {
			msgs = append(msgs, p)
		}
	}
	if len(msgs) > 0 {
		return Settings{}, model.Invalid(strings.Join(msgs, "; "))
	}
	return fromConfig(st.base, cfg), nil
}

// problems lists a Validate error's problems as "key: problem".
func problems(err error) []string {
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		var ke *config.KeyError
		if errors.As(e, &ke) {
			out = append(out, ke.Key+": "+ke.Problem)
		} else {
			out = append(out, e.Error())
		}
	}
	return out
}

// configOf rebuilds the configuration set was made from, as far as
// validating the editable settings needs it (the domain, HTTPS, the
// [instance] and [retention] sections).
func configOf(set Settings) *config.Config {
	c := config.Default()
	c.Domain = set.Domain
	c.BehindHTTPSProxy = strings.HasPrefix(set.BaseURL, "https://")
	in := &c.Instance
	in.Title, in.Description, in.ContactEmail = set.Title, set.Description, set.ContactEmail
	in.Rules, in.Languages = slices.Clone(set.Rules), slices.Clone(set.Languages)
	in.Registration, in.EmailRequired = string(set.Registration), set.EmailRequired
	in.MaxStatusChars, in.ShowPeers, in.ShowActivity = set.MaxStatusChars, set.ShowPeers, set.ShowActivity
	in.Jurisdiction, in.HostingProvider = set.Privacy.Jurisdiction, set.Privacy.HostingProvider
	in.LegalPolicyURL = set.Privacy.LegalPolicyURL
	if set.ReserveDays > 0 {
		c.Accounts.UsernameReserveDays = set.ReserveDays
	}
	for cat, p := range retentionDays(&c.Retention) {
		*p = int(set.Retention.MaxAge(cat) / retention.Day)
	}
	if !set.Privacy.PurgeScheduled {
		c.Retention.PurgeMinutes = 0
	}
	return c
}

// fromConfig returns base with the editable settings taken from c.
func fromConfig(base Settings, c *config.Config) Settings {
	set := base
	in := c.Instance
	set.Title, set.Description, set.ContactEmail = in.Title, in.Description, in.ContactEmail
	set.Rules = in.Rules
	set.Registration = model.RegistrationMode(in.Registration)
	set.Privacy.Jurisdiction, set.Privacy.HostingProvider = in.Jurisdiction, in.HostingProvider
	set.Privacy.LegalPolicyURL = in.LegalPolicyURL
	set.Retention = retention.FromConfig(c.Retention)
	return set
}

// ReloadInstanceSettings picks up the overrides in the store when another
// node changed them. Stored overrides that the configuration now refuses
// (the file changed under them) are not applied: the node keeps the
// configuration's values and the error says why.
func (s *Service) ReloadInstanceSettings(ctx context.Context) error {
	o, err := s.store.InstanceOverrides(ctx)
	if err != nil {
		return fmt.Errorf("core: reload instance settings: %w", err)
	}
	s.runtime.mu.Lock()
	defer s.runtime.mu.Unlock()
	if l := s.runtime.live.Load(); l != nil && l.version >= o.Version {
		return nil
	}
	eff, err := s.runtime.effective(o.Values)
	if err != nil {
		s.runtime.live.Store(&liveSettings{eff: s.runtime.base, version: o.Version})
		return fmt.Errorf("core: stored instance settings not applied: %w", err)
	}
	s.runtime.live.Store(&liveSettings{eff: eff, overrides: o.Values, version: o.Version})
	return nil
}

// WatchInstanceSettings reloads the overrides every interval until ctx
// ends, so that a change made on another node reaches this one; report
// receives each failed reload.
func (s *Service) WatchInstanceSettings(ctx context.Context, every time.Duration, report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.ReloadInstanceSettings(ctx); err != nil && ctx.Err() == nil && report != nil {
				report(err)
			}
		}
	}
}
