-- Retention (issue 4 §2). legal_holds keeps an account's data from the
-- purges (and from deletion) until until_at; no reason is stored, since a
-- reason is personal or legal text that belongs in the legal desk's sealed
-- records. retention_runs is the purge's progress per category, for the
-- admin API: counts and times only. The indexes serve the purges' scans
-- by age. auto_delete_policies is each user's own choice (see below).

CREATE TABLE legal_holds (
	account_id {{pk}} REFERENCES accounts (id) ON DELETE CASCADE,
	until_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE retention_runs (
	category TEXT PRIMARY KEY,
	last_run_at BIGINT NOT NULL,
	last_purged BIGINT NOT NULL DEFAULT 0,
	total_purged BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX statuses_age ON statuses (local, created_at);
CREATE INDEX notifications_age ON notifications (created_at);
CREATE INDEX notifications_from ON notifications (from_id);
CREATE INDEX reports_resolved ON reports (action_taken_at) WHERE action_taken_at IS NOT NULL;

-- A local account's own auto-delete policy (Mastodon's "automated post
-- deletion"): posts older than min_age_days are deleted unless a keep_*
-- flag or a favourite or boost threshold (0: none) spares them.
CREATE TABLE auto_delete_policies (
	account_id {{pk}} REFERENCES accounts (id) ON DELETE CASCADE,
	enabled BOOLEAN NOT NULL DEFAULT FALSE,
	min_age_days INTEGER NOT NULL,
	keep_direct BOOLEAN NOT NULL DEFAULT TRUE,
	keep_pinned BOOLEAN NOT NULL DEFAULT TRUE,
	keep_polls BOOLEAN NOT NULL DEFAULT FALSE,
	keep_media BOOLEAN NOT NULL DEFAULT FALSE,
	keep_self_fav BOOLEAN NOT NULL DEFAULT TRUE,
	keep_self_bookmark BOOLEAN NOT NULL DEFAULT TRUE,
	min_favs INTEGER NOT NULL DEFAULT 0,
	min_reblogs INTEGER NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL
);
