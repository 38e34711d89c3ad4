-- Local account deletion (issue 4 §4). Deleting an account shreds its data
-- keys and deletes its rows at once; these two small tables are all that
-- is left, and only for a while:
--
-- deleted_accounts keeps a deleted username reserved (against
-- impersonation) until reserved_until, and, until its Delete(Person) is
-- delivered or sign_until passes, the vault owner (account_id) whose actor
-- keys are kept to sign that Delete. account_id becomes NULL when those
-- keys are shredded; the row goes when the reservation ends. No email,
-- display name or other profile text is kept: the username is public and
-- stored in clear like every username.
--
-- deleted_account_inboxes lists the inboxes the Delete(Person) is still on
-- its way to, worked out before the account's rows went. Inbox URLs are
-- public and stored in clear; each row goes when its delivery ends.

CREATE TABLE deleted_accounts (
	username_lower TEXT PRIMARY KEY,
	username TEXT NOT NULL,
	account_id BIGINT,
	deleted_at BIGINT NOT NULL,
	reserved_until BIGINT NOT NULL,
	sign_until BIGINT NOT NULL
);
CREATE UNIQUE INDEX deleted_accounts_account ON deleted_accounts (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX deleted_accounts_reserved ON deleted_accounts (reserved_until);

CREATE TABLE deleted_account_inboxes (
	account_id BIGINT NOT NULL,
	inbox TEXT NOT NULL,
	PRIMARY KEY (account_id, inbox)
);
