-- Export archives (issue 4 §5): what a local account asked to download
-- about itself. state, progress, size and times are in clear (the job's
-- bookkeeping); the archive is sealed under the account's own key, so
-- shredding the account's keys destroys it in every backup too. A row
-- expires a day after it was asked for and is then deleted, at download
-- time and by the exports' cleanup. It goes with its account.

CREATE TABLE exports (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'ready', 'failed')),
	progress INTEGER NOT NULL DEFAULT 0,
	size BIGINT NOT NULL DEFAULT 0,
	archive {{blob}},
	created_at BIGINT NOT NULL,
	finished_at BIGINT,
	expires_at BIGINT NOT NULL
);
CREATE INDEX exports_account ON exports (account_id, id);
CREATE INDEX exports_expires ON exports (expires_at);
