-- Roost's schema, shared by SQLite and PostgreSQL. {{pk}} is the dialect's
-- 64-bit integer primary key (a rowid alias on SQLite) and {{blob}} its byte
-- string type. Times are Unix microseconds (UTC). Columns of type {{blob}}
-- named after text (display_name, note, text, ...) hold vault ciphertexts;
-- hashes (email_hash, tag_hash, token hashes) are the only other blobs.

CREATE TABLE accounts (
	id {{pk}},
	username TEXT NOT NULL,
	username_lower TEXT NOT NULL,
	domain TEXT NOT NULL DEFAULT '',
	display_name {{blob}},
	note {{blob}},
	fields {{blob}},
	locked BOOLEAN NOT NULL DEFAULT FALSE,
	bot BOOLEAN NOT NULL DEFAULT FALSE,
	discoverable BOOLEAN NOT NULL DEFAULT FALSE,
	noindex BOOLEAN NOT NULL DEFAULT FALSE,
	uri TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	suspended_at BIGINT,
	followers_count INTEGER NOT NULL DEFAULT 0,
	following_count INTEGER NOT NULL DEFAULT 0,
	statuses_count INTEGER NOT NULL DEFAULT 0,
	last_status_at BIGINT
);
CREATE UNIQUE INDEX accounts_username ON accounts (domain, username_lower);
CREATE INDEX accounts_suspended ON accounts (suspended_at);

CREATE TABLE users (
	account_id {{pk}} REFERENCES accounts (id) ON DELETE CASCADE,
	email {{blob}},
	email_hash {{blob}} UNIQUE,
	password_hash TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL,
	approved BOOLEAN NOT NULL DEFAULT FALSE,
	reason {{blob}},
	locale TEXT NOT NULL DEFAULT '',
	invite_id BIGINT,
	created_at BIGINT NOT NULL,
	disabled_at BIGINT,
	otp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT,
	last_sign_in_day TEXT NOT NULL DEFAULT ''
);

CREATE TABLE invites (
	id {{pk}},
	code TEXT NOT NULL UNIQUE,
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	max_uses INTEGER NOT NULL DEFAULT 0,
	uses INTEGER NOT NULL DEFAULT 0,
	expires_at BIGINT,
	created_at BIGINT NOT NULL
);

CREATE TABLE statuses (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	uri TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	text {{blob}},
	content {{blob}},
	spoiler_text {{blob}},
	entities {{blob}},
	sensitive BOOLEAN NOT NULL DEFAULT FALSE,
	visibility TEXT NOT NULL,
	language TEXT NOT NULL DEFAULT '',
	in_reply_to_id BIGINT,
	in_reply_to_account_id BIGINT,
	reblog_of_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
	conversation_id BIGINT NOT NULL DEFAULT 0,
	local BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL,
	edited_at BIGINT,
	deleted_at BIGINT,
	replies_count INTEGER NOT NULL DEFAULT 0,
	reblogs_count INTEGER NOT NULL DEFAULT 0,
	favourites_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE UNIQUE INDEX statuses_boost ON statuses (account_id, reblog_of_id);
CREATE INDEX statuses_reblog ON statuses (reblog_of_id, id);
CREATE INDEX statuses_reply ON statuses (in_reply_to_id, id);
-- The home and public timelines walk this narrow index newest first: it
-- holds every column their visibility rules read, so rows that fail them
-- are skipped without reading the status.
CREATE INDEX statuses_feed ON statuses (id, account_id, visibility, reblog_of_id);

CREATE TABLE status_mentions (
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	PRIMARY KEY (status_id, account_id)
);
CREATE INDEX status_mentions_account ON status_mentions (account_id, status_id);

-- tag_hash is the vault's blind index of the lower-cased tag; the tag itself
-- is only in the status's sealed entities.
CREATE TABLE status_tags (
	tag_hash {{blob}} NOT NULL,
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	PRIMARY KEY (tag_hash, status_id)
);
CREATE INDEX status_tags_status ON status_tags (status_id);

CREATE TABLE status_edits (
	id {{pk}},
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	account_id BIGINT NOT NULL,
	text {{blob}},
	content {{blob}},
	spoiler_text {{blob}},
	sensitive BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE favourites (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, status_id)
);
CREATE INDEX favourites_account ON favourites (account_id, id);
CREATE INDEX favourites_status ON favourites (status_id, id);

CREATE TABLE bookmarks (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, status_id)
);
CREATE INDEX bookmarks_account ON bookmarks (account_id, id);
CREATE INDEX bookmarks_status ON bookmarks (status_id);

CREATE TABLE pins (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, status_id)
);
CREATE INDEX pins_status ON pins (status_id);

CREATE TABLE follows (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	reblogs BOOLEAN NOT NULL DEFAULT TRUE,
	notify BOOLEAN NOT NULL DEFAULT FALSE,
	pending BOOLEAN NOT NULL DEFAULT FALSE,
	uri TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, target_id)
);
-- Covers the home timeline's "whom does the viewer follow" without a table lookup.
CREATE INDEX follows_account ON follows (account_id, pending, target_id, reblogs);
CREATE INDEX follows_account_id ON follows (account_id, id);
CREATE INDEX follows_target ON follows (target_id, id);

CREATE TABLE blocks (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, target_id)
);
CREATE INDEX blocks_target ON blocks (target_id);

CREATE TABLE mutes (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	notifications BOOLEAN NOT NULL DEFAULT TRUE,
	expires_at BIGINT,
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, target_id)
);

-- A private note's owner (for the vault) is its author, account_id.
CREATE TABLE account_notes (
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	note {{blob}},
	PRIMARY KEY (account_id, target_id)
);

CREATE TABLE notifications (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	from_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	type TEXT NOT NULL,
	status_id BIGINT REFERENCES statuses (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	dismissed_at BIGINT
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE INDEX notifications_status ON notifications (status_id);

CREATE TABLE apps (
	id {{pk}},
	name TEXT NOT NULL,
	website TEXT NOT NULL DEFAULT '',
	redirect_uris TEXT NOT NULL DEFAULT '',
	scopes TEXT NOT NULL DEFAULT '',
	client_id TEXT NOT NULL UNIQUE,
	client_secret_hash {{blob}} NOT NULL,
	owner_id BIGINT,
	created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
	id {{pk}},
	hash {{blob}} NOT NULL UNIQUE,
	app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
	scopes TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	last_used_day TEXT NOT NULL DEFAULT '',
	revoked_at BIGINT
);
CREATE INDEX tokens_account ON tokens (account_id);

CREATE TABLE auth_codes (
	hash {{blob}} NOT NULL PRIMARY KEY,
	app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	redirect_uri TEXT NOT NULL DEFAULT '',
	scopes TEXT NOT NULL DEFAULT '',
	code_challenge TEXT NOT NULL DEFAULT '',
	code_challenge_method TEXT NOT NULL DEFAULT '',
	expires_at BIGINT NOT NULL
);

-- key_hash is SHA-256 of the client's Idempotency-Key header.
CREATE TABLE idempotency_keys (
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	key_hash {{blob}} NOT NULL,
	status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	expires_at BIGINT NOT NULL,
	PRIMARY KEY (account_id, key_hash)
);
CREATE INDEX idempotency_keys_status ON idempotency_keys (status_id);

CREATE TABLE markers (
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	timeline TEXT NOT NULL,
	last_read_id BIGINT NOT NULL,
	version INTEGER NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (account_id, timeline)
);

CREATE TABLE preferences (
	account_id {{pk}} REFERENCES accounts (id) ON DELETE CASCADE,
	data TEXT NOT NULL
);
