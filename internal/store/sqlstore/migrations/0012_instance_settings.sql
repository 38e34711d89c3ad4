-- Instance settings an admin changed at run time (issue 5), layered over
-- the configuration file: one row holding a JSON object of overrides keyed
-- by configuration key, with a version for compare-and-swap writes.
-- Instance data, not personal: stored in clear.

CREATE TABLE instance_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	overrides TEXT NOT NULL,
	version BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
