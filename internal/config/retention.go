package config

import "reflect"

// Retention is the instance's data retention policy: the maximum age, in
// days, of each category of data (0 keeps it forever). internal/retention
// turns it into the purge schedule and the published privacy facts.
type Retention struct {
	RemoteStatusesDays int `toml:"remote_statuses_days" help:"days to keep cached posts from other servers that no local account interacted with (0 = forever, else 1..3650)"`
	RemoteAccountsDays int `toml:"remote_accounts_days" help:"days to keep cached accounts of other servers that no local account refers to, from their last fetch (0 = forever, else 1..3650)"`
	RemoteMediaDays    int `toml:"remote_media_days" help:"days to keep cached media of other servers, once Roost caches any (0 = forever, else 1..3650)"`
	NotificationsDays  int `toml:"notifications_days" help:"days to keep notifications (0 = forever, else 1..3650)"`
	TokensDays         int `toml:"tokens_days" help:"days after which sessions and app tokens not used are deleted (0 = never, else 1..3650)"`
	ClosedReportsDays  int `toml:"closed_reports_days" help:"days to keep reports after they are resolved (0 = forever, else 1..3650)"`
	DirectMessagesDays int `toml:"direct_messages_days" help:"days to keep direct messages, local and received (0 = forever, else 1..3650)"`
	DeliveryDays       int `toml:"delivery_days" help:"days to keep delivery bookkeeping (server failure streaks, pending posts) (0 = forever, else 1..3650)"`
	JobsDays           int `toml:"jobs_days" help:"days to keep records of failed background jobs; finished ones go after a day at most (0 = forever, else 1..3650)"`
	AuditDays          int `toml:"audit_days" help:"days to keep moderation audit records, once Roost keeps any (0 = forever, else 1..3650)"`
	PurgeMinutes       int `toml:"purge_minutes" help:"minutes between purge sweeps; 0 turns the schedule off (0..1440)"`
}

// defaultRetention is the default policy, the table in docs/PRIVACY.md.
func defaultRetention() Retention {
	return Retention{
		RemoteStatusesDays: 30,
		RemoteAccountsDays: 30,
		NotificationsDays:  90,
		TokensDays:         90,
		ClosedReportsDays:  180,
		DeliveryDays:       30,
		JobsDays:           7,
		PurgeMinutes:       60,
	}
}

// MaxRetentionDays bounds every retention value but 0 (forever): ten years.
const MaxRetentionDays = 3650

// check validates every retention key: days are 0 (forever) or
// 1..MaxRetentionDays, the schedule 0..1440 minutes.
func (r Retention) check() []error {
	var errs []error
	v, t := reflect.ValueOf(r), reflect.TypeOf(r)
	for i := range t.NumField() {
		key := "retention." + t.Field(i).Tag.Get("toml")
		n := int(v.Field(i).Int())
		if t.Field(i).Name == "PurgeMinutes" {
			if n < 0 || n > 1440 {
				errs = append(errs, bad(key, "must be between 0 (off) and 1440, got %d", n))
			}
			continue
		}
		if n < 0 || n > MaxRetentionDays {
			errs = append(errs, bad(key, "must be 0 (keep forever) or between 1 and %d days, got %d", MaxRetentionDays, n))
		}
	}
	return errs
}
