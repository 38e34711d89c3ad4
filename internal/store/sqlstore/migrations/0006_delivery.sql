-- Outgoing delivery. delivery_hosts keeps each remote host's current
-- failure streak, so that a host failing for days is skipped (but for a
-- periodic probe) until a delivery to it succeeds. pending_creates lists
-- the Creates still on their way to an inbox, so that the Delete of the
-- same status to the same inbox waits for them. Host names and inbox URLs
-- are public and stored in clear; no status text is kept here.

CREATE TABLE delivery_hosts (
	host TEXT PRIMARY KEY,
	failures INTEGER NOT NULL DEFAULT 0,
	failing_since BIGINT NOT NULL,
	last_attempt BIGINT NOT NULL
);

CREATE TABLE pending_creates (
	status_id BIGINT NOT NULL,
	inbox TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (status_id, inbox)
);
