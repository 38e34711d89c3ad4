package privacy

import (
	"strconv"
	"time"
)

// category is one row of the table of data the instance holds.
type category struct {
	key   string
	label string
	// until is what keeps the data when no retention rule covers it.
	until string
}

// table is every category of data Roost holds, in the order the facts list
// them. The retention policy (Input.Retention) gives a category its limit;
// a category it does not name is kept until deleted, as the until column
// says, which is the truth for a build without a rule for it. A rule for a
// category missing here is listed after these.
var table = []category{
	{"accounts", "Your account: username, email, password hash, profile", "Kept until you delete the account."},
	{"posts", "Your posts, favourites, boosts and bookmarks", "Kept until you delete them or the account."},
	{"relationships", "Follows, blocks, mutes and private notes", "Kept until you undo them or delete the account."},
	{"remote_statuses", "Posts from other servers cached here", "Kept until deleted."},
	{"direct_messages", "Direct messages, sent and received", "Kept until deleted."},
	{"remote_accounts", "Accounts of other servers cached here", "Kept until deleted."},
	{"remote_media", "Media of other servers' posts", "Kept until deleted."},
	{"notifications", "Notifications", "Kept until deleted."},
	{"tokens", "Sign-in sessions and app tokens", "Kept until deleted."},
	{"closed_reports", "Resolved reports", "Kept until deleted."},
	{"delivery", "Delivery bookkeeping", "Kept until deleted."},
	{"jobs", "Background job records (ids only)", "Kept until deleted."},
	{"audit", "Moderation audit records", "Kept until deleted."},
}

// day is the unit retention limits are published in.
const day = 24 * time.Hour

// retention joins the table with the policy's rules.
func retention(rules []Rule) []Retention {
	byKey := make(map[string]Rule, len(rules))
	for _, r := range rules {
		byKey[r.Category] = r
	}
	out := make([]Retention, 0, len(table)+len(rules))
	for _, c := range table {
		r, ok := byKey[c.key]
		delete(byKey, c.key)
		out = append(out, row(c, r, ok))
	}
	for _, r := range rules { // rules for categories the table lacks, in the policy's order
		if _, ok := byKey[r.Category]; ok {
			out = append(out, row(category{key: r.Category, label: r.Category, until: "Kept until deleted."}, r, true))
		}
	}
	return out
}

// days writes a duration in whole days, rounded up.
func days(d time.Duration) string {
	n := int((d + day - 1) / day)
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

func row(c category, r Rule, ruled bool) Retention {
	x := Retention{Category: c.key, Label: c.label, Kept: KeptUntilDeleted, Description: c.until}
	switch {
	case !ruled:
	case !r.Held:
		x.Kept, x.Description = NotHeld, "Not held. "+r.Description
	case r.MaxAge > 0 && r.Automatic:
		x.Kept, x.MaxAgeDays, x.Description = KeptFor, int((r.MaxAge+day-1)/day), "Deleted after "+days(r.MaxAge)+". "+r.Description
	case r.MaxAge > 0:
		x.Description = c.until + " A limit of " + days(r.MaxAge) + " is set, but the automatic purge is off. " + r.Description
	default:
		x.Description = c.until + " " + r.Description
	}
	return x
}
