// Package retention owns Roost's data retention: the instance policy that
// gives every category of data a maximum age, the catalogue of those
// categories (which the privacy facts and the admin API read), and the
// scheduled purge that applies the policy in bounded, resumable batches
// while honouring legal holds.
//
// The purges themselves are core use cases (core.Service.PurgeBatch); this
// package decides what runs, when, and how far. A category with a zero
// maximum age is kept forever.
package retention

import (
	"time"

	"github.com/roost-social/roost/internal/config"
)

// Category names one kind of data the policy gives a maximum age.
type Category string

// The categories, in the order a sweep purges them: statuses before the
// accounts they would keep cached.
const (
	RemoteStatuses Category = "remote_statuses"
	DirectMessages Category = "direct_messages"
	RemoteAccounts Category = "remote_accounts"
	RemoteMedia    Category = "remote_media"
	Notifications  Category = "notifications"
	Tokens         Category = "tokens"
	ClosedReports  Category = "closed_reports"
	Delivery       Category = "delivery"
	Jobs           Category = "jobs"
	Audit          Category = "audit"
	// AutoDelete is not an instance category: it is the accounts' own
	// auto-delete policies, which the sweep runs last and records under
	// this name.
	AutoDelete Category = "auto_delete"
	// Keys is not a category of data either: it is the retirement of the
	// data keys whose data the purges made due (re-sealing what is kept,
	// then destroying the key, so purged rows die in old backups too),
	// which the sweep runs after every purge and records under this name,
	// counting keys.
	Keys Category = "keys"
)

// How says how a category is purged.
type How string

// Ways a category is purged.
const (
	// Sweep: the scheduled purge job deletes the expired rows.
	Sweep How = "sweep"
	// Queue: the job queue (River) deletes its own finished jobs after
	// the maximum age.
	Queue How = "queue"
	// Nothing: Roost stores no such data yet; the limit is kept for when
	// it does.
	Nothing How = "none"
)

// Info describes one category: its maximum age under a policy (0: kept
// forever), how it is purged, and what it covers, in words fit for users.
type Info struct {
	Category    Category
	MaxAge      time.Duration
	How         How
	Description string
}

// Days returns the maximum age in whole days, 0 for forever.
func (i Info) Days() int { return int(i.MaxAge / Day) }

// Day is the unit of the policy.
const Day = 24 * time.Hour

// catalogue is every category, in sweep order, with how it is purged and
// what it covers.
var catalogue = []Info{
	{RemoteStatuses, 0, Sweep, "Posts from other servers cached here, counted from when they were written. " +
		"Posts a local account favourited, boosted, bookmarked, replied to or pinned are kept, " +
		"and direct messages follow their own limit."},
	{DirectMessages, 0, Sweep, "Direct messages (posts visible only to the accounts they mention), " +
		"local and received, counted from when they were written. Deleting a local one tells the " +
		"servers it went to, as its author's own delete would."},
	{RemoteAccounts, 0, Sweep, "Accounts of other servers cached here that no local account refers to: " +
		"none follows, is followed by, blocks, mutes, notes, reported or was reported by it, it has no post, " +
		"favourite or notification left here and no post mentions it; counted from its last fetch."},
	{RemoteMedia, 0, Nothing, "Media files of other servers' posts. Roost caches none yet."},
	{Notifications, 0, Sweep, "Notifications, read or not, counted from when they were made."},
	{Tokens, 0, Sweep, "Sign-in sessions and app tokens not used for this long (only the day of last use is kept), " +
		"revoked tokens, and expired authorization codes."},
	{ClosedReports, 0, Sweep, "Reports, with their comments, counted from when they were resolved. Open reports are kept."},
	{Delivery, 0, Sweep, "Delivery bookkeeping: failure streaks of servers not tried for this long, " +
		"and records of posts still on their way to a server."},
	{Jobs, 0, Queue, "Records of background jobs (ids only, never content): finished ones go after a day at most, " +
		"failed ones after this long."},
	{Audit, 0, Nothing, "Moderation audit records. Roost keeps none yet."},
}

// Policy is the instance's maximum age per category; a category missing or
// at zero is kept forever.
type Policy map[Category]time.Duration

// MaxAge returns c's maximum age, 0 for forever.
func (p Policy) MaxAge(c Category) time.Duration { return p[c] }

// FromConfig builds the policy from the [retention] configuration section.
func FromConfig(r config.Retention) Policy {
	days := map[Category]int{
		RemoteStatuses: r.RemoteStatusesDays,
		DirectMessages: r.DirectMessagesDays,
		RemoteAccounts: r.RemoteAccountsDays,
		RemoteMedia:    r.RemoteMediaDays,
		Notifications:  r.NotificationsDays,
		Tokens:         r.TokensDays,
		ClosedReports:  r.ClosedReportsDays,
		Delivery:       r.DeliveryDays,
		Jobs:           r.JobsDays,
		Audit:          r.AuditDays,
	}
	p := Policy{}
	for c, d := range days {
		if d > 0 {
			p[c] = time.Duration(d) * Day
		}
	}
	return p
}

// Default is the policy of the default configuration.
func Default() Policy { return FromConfig(config.Default().Retention) }

// Categories lists every category in sweep order with its maximum age under
// p, how it is purged and what it covers. The privacy facts and the admin
// API are built from it, so they cannot drift from the configuration.
func Categories(p Policy) []Info {
	out := make([]Info, len(catalogue))
	for i, c := range catalogue {
		c.MaxAge = p.MaxAge(c.Category)
		out[i] = c
	}
	return out
}

// Swept lists the categories the purge job handles, in order.
func Swept() []Category {
	var out []Category
	for _, c := range catalogue {
		if c.How == Sweep {
			out = append(out, c.Category)
		}
	}
	return out
}
