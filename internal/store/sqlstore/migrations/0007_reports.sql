-- Reports: a local user's complaint about an account, or one received from
-- another server in a Flag (uri is the Flag's id, '' for local reports).
-- The comment is sealed under the reporter's key; the rest is ids, flags
-- and times. Status and rule ids are JSON arrays of numbers. An incoming
-- Flag is recorded once per target: (uri, target) is unique when uri is
-- set. A report goes with its reporter and its target (as in Mastodon).

CREATE TABLE reports (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_ids TEXT NOT NULL DEFAULT '[]',
	rule_ids TEXT NOT NULL DEFAULT '[]',
	comment {{blob}},
	category TEXT NOT NULL CHECK (category IN ('spam', 'legal', 'violation', 'other')),
	forwarded BOOLEAN NOT NULL DEFAULT FALSE,
	uri TEXT NOT NULL DEFAULT '',
	action_taken_at BIGINT,
	action_taken_by_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX reports_uri ON reports (uri, target_account_id) WHERE uri <> '';
CREATE INDEX reports_account ON reports (account_id, id);
CREATE INDEX reports_target ON reports (target_account_id, id);
