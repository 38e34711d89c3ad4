package sqlstore

import (
	"slices"
	"testing"
)

// TestAccountColumns checks that the migrations' account columns, which
// the proof of account deletion counts rows in, are found: a parser that
// missed them would prove nothing.
func TestAccountColumns(t *testing.T) {
	cols, err := accountColumns()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"users.account_id", "statuses.account_id", "statuses.in_reply_to_account_id", "status_edits.account_id",
		"status_mentions.account_id", "favourites.account_id", "bookmarks.account_id", "pins.account_id",
		"follows.account_id", "follows.target_id", "blocks.target_id", "mutes.target_id", "account_notes.target_id",
		"notifications.account_id", "notifications.from_id", "apps.owner_id", "tokens.account_id",
		"auth_codes.account_id", "idempotency_keys.account_id", "markers.account_id", "preferences.account_id",
		"remote_actors.account_id", "user_domain_blocks.account_id", "reports.account_id",
		"reports.target_account_id", "reports.action_taken_by_account_id", "account_aliases.account_id",
		"account_moves.account_id", "account_moves.target_id", "invites.account_id",
		"deleted_accounts.account_id", "deleted_account_inboxes.account_id",
	} {
		if !slices.Contains(cols, want) {
			t.Errorf("account columns lack %s: %v", want, cols)
		}
	}
	for _, not := range []string{"statuses.id", "statuses.reblog_of_id", "accounts.id", "pending_creates.status_id"} {
		if slices.Contains(cols, not) {
			t.Errorf("account columns include %s", not)
		}
	}
}

// TestScriptAccountColumns reads a column added by ALTER TABLE too.
func TestScriptAccountColumns(t *testing.T) {
	got := scriptAccountColumns("-- a comment naming account_id\nALTER TABLE things ADD COLUMN keeper BIGINT REFERENCES accounts (id);\n" +
		"CREATE TABLE t (\n\tid BIGINT,\n\tcreator_account_id BIGINT NOT NULL,\n\tPRIMARY KEY (id)\n);\n")
	if want := []string{"things.keeper", "t.creator_account_id"}; !slices.Equal(got, want) {
		t.Errorf("columns = %v, want %v", got, want)
	}
}
