package core

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/roost-social/roost/internal/retention"
)

// The inventory (issue 4 §5): every category of data the server holds
// about a local account, whether it is encrypted at rest, who can read it
// and when it goes. It is built from one table, inventoryTable, whose
// expiries come from the live retention policy, so it changes with the
// configuration.

// Who can read a category of data.
const (
	ReaderYou        = "you"
	ReaderAudience   = "the accounts you addressed (anyone, for public posts)"
	ReaderPublic     = "anyone"
	ReaderAdmins     = "the admins of this server"
	ReaderRemote     = "the servers it was delivered to, and their admins"
	ReaderNobody     = "nobody (only checked, never read back)"
	ReaderSomeRemote = "the server of the account concerned, and its admins"
)

// InventoryItem is one category of data held about an account.
type InventoryItem struct {
	Category    string
	Description string
	// Count is how many items the account has, when it is cheap to know;
	// nil otherwise.
	Count *int
	// Encrypted says whether the data is encrypted at rest; Encryption
	// says how, or what is stored in clear.
	Encrypted  bool
	Encryption string
	Readers    []string
	// MaxAge is how long the data is kept under the retention policy, 0
	// for until deleted; Expiry says it in words.
	MaxAge time.Duration
	Expiry string
}

// Inventory is what the server holds about one account.
type Inventory struct {
	Username    string
	GeneratedAt time.Time
	Items       []InventoryItem
}

// inventoryEntry is a row of inventoryTable: everything but the live
// numbers. A row with a retention category takes its expiry from the
// policy; fixed overrides it.
type inventoryEntry struct {
	category, description string
	encrypted             bool
	encryption            string
	readers               []string
	policy                retention.Category
	from                  string // what the age counts from, for the words
	fixed                 time.Duration
}

const (
	sealedOwn  = "sealed (AES-256-GCM) under your own keys, destroyed when you delete your account"
	clearIDs   = "stored in clear: ids and times only, no text"
	untilYours = "until you delete it, or your account"
)

// inventoryTable lists every category, in the order the inventory shows
// them. Keep it in step with what the store holds (docs/PRIVACY.md).
var inventoryTable = []inventoryEntry{
	{"username", "Your username and when the account was made.", false,
		"stored in clear: it is your public address", []string{ReaderPublic}, "", "", 0},
	{"profile", "Display name, bio and profile fields.", true, sealedOwn,
		[]string{ReaderPublic, ReaderAdmins, ReaderRemote}, "", "", 0},
	{"email", "Your email address, if you gave one.", true,
		sealedOwn + "; also a keyed hash, for sign-in and uniqueness", []string{ReaderYou, ReaderAdmins}, "", "", 0},
	{"password", "Your password, as an argon2id hash.", true, "hashed (argon2id): it cannot be read back",
		[]string{ReaderNobody}, "", "", 0},
	{"posts", "Your posts (public, unlisted and followers-only), their edits and content warnings.", true,
		sealedOwn + "; visibility, times and counters in clear",
		[]string{ReaderYou, ReaderAudience, ReaderAdmins, ReaderRemote}, "", "", 0},
	{"direct_messages", "Your direct messages, and those you received.", true,
		"sealed under the author's keys; not end-to-end encrypted",
		[]string{ReaderYou, "the accounts they mention", ReaderAdmins, ReaderRemote}, retention.DirectMessages, "when they were written", 0},
	{"favourites", "The posts you favourited.", false, clearIDs,
		[]string{ReaderYou, ReaderAdmins, ReaderSomeRemote}, "", "", 0},
	{"bookmarks", "The posts you bookmarked.", false, clearIDs, []string{ReaderYou, ReaderAdmins}, "", "", 0},
	{"follows", "The accounts you follow and that follow you, and follow requests.", false, clearIDs,
		[]string{ReaderYou, ReaderPublic + " (unless you hide your lists)", ReaderAdmins, ReaderRemote}, "", "", 0},
	{"blocks", "The accounts you block.", false, clearIDs, []string{ReaderYou, ReaderAdmins, ReaderSomeRemote}, "", "", 0},
	{"mutes", "The accounts you mute.", false, clearIDs, []string{ReaderYou, ReaderAdmins}, "", "", 0},
	{"domain_blocks", "The servers you hide.", false, "stored in clear: domain names",
		[]string{ReaderYou, ReaderAdmins}, "", "", 0},
	{"notes", "Your private notes on other accounts.", true, sealedOwn, []string{ReaderYou, ReaderAdmins}, "", "", 0},
	{"notifications", "Your notifications, read or not.", false, clearIDs,
		[]string{ReaderYou, ReaderAdmins}, retention.Notifications, "when they were made", 0},
	{"sessions", "Sign-in sessions and app tokens.", true,
		"tokens stored only as SHA-256 hashes; only the day each was last used is kept, never an address",
		[]string{ReaderYou, ReaderAdmins}, retention.Tokens, "the day they were last used", 0},
	{"reports", "Reports you filed, with your comment.", true,
		"your comment sealed under your keys; who and which posts in clear",
		[]string{ReaderAdmins, ReaderSomeRemote + " (if you forwarded it; your name is not sent)"},
		retention.ClosedReports, "when they were resolved (open reports are kept)", 0},
	{"settings", "Preferences, timeline markers, your auto-delete policy and account aliases.", false,
		"stored in clear: choices and ids, no text", []string{ReaderYou, ReaderAdmins}, "", "", 0},
	{"exports", "Archives you asked to download.", true, sealedOwn, []string{ReaderYou, ReaderAdmins}, "", "when you asked for them", ExportLifetime},
	{"keys", "Your encryption keys (one per kind of data and month) and your ActivityPub signing keys.", true,
		"wrapped under the server's master key, in a key store kept apart from the data and its backups",
		[]string{"the server itself"}, "", "", 0},
	{"media", "Uploaded media, avatars and headers.", false, "none: Roost stores no media yet",
		[]string{ReaderYou}, "", "", 0},
}

// Inventory describes what the server holds about the calling account.
func (s *Service) Inventory(ctx context.Context, a *Auth) (*Inventory, error) {
	acc := a.Account
	exports, err := s.Exports(ctx, a)
	if err != nil {
		return nil, err
	}
	auto, err := s.AutoDelete(ctx, a)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{
		"posts": acc.StatusesCount, "follows": acc.FollowingCount + acc.FollowersCount, "exports": len(exports),
	}
	inv := &Inventory{Username: acc.Username, GeneratedAt: s.now().UTC()}
	for _, e := range inventoryTable {
		it := InventoryItem{Category: e.category, Description: e.description, Encrypted: e.encrypted,
			Encryption: e.encryption, Readers: e.readers, MaxAge: e.fixed}
		if e.policy != "" {
			it.MaxAge = s.settings().Retention.MaxAge(e.policy)
		}
		it.Expiry = expiryWords(it.MaxAge, e.from)
		if e.category == "posts" && auto.Enabled {
			it.MaxAge = time.Duration(auto.MinAgeDays) * retention.Day
			it.Expiry = fmt.Sprintf("%d days after you wrote them, under your auto-delete policy (except what it keeps)", auto.MinAgeDays)
		}
		if n, ok := counts[e.category]; ok {
			it.Count = &n
		}
		inv.Items = append(inv.Items, it)
	}
	return inv, nil
}

// expiryWords says when data of maximum age d, counted from from, goes.
func expiryWords(d time.Duration, from string) string {
	switch {
	case d <= 0:
		return untilYours
	case d < retention.Day:
		return strconv.Itoa(int(d/time.Hour)) + " hours after " + from
	case d == retention.Day:
		return "a day after " + from
	}
	return strconv.Itoa(int(d/retention.Day)) + " days after " + from
}
