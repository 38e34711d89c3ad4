-- Domain blocks. An instance block covers the domain and its subdomains;
-- its comments are sealed under the instance's own key (owner 0). A
-- per-user block hides a domain's statuses and notifications from one
-- account: the timeline queries join it to accounts by domain, which the
-- accounts_username index (domain first) serves for exact matches.

CREATE TABLE domain_blocks (
	id {{pk}},
	domain TEXT NOT NULL UNIQUE,
	severity TEXT NOT NULL CHECK (severity IN ('noop', 'silence', 'suspend')),
	reject_media BOOLEAN NOT NULL DEFAULT FALSE,
	reject_reports BOOLEAN NOT NULL DEFAULT FALSE,
	obfuscate BOOLEAN NOT NULL DEFAULT FALSE,
	private_comment {{blob}},
	public_comment {{blob}},
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE user_domain_blocks (
	id {{pk}},
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	domain TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (account_id, domain)
);
CREATE INDEX user_domain_blocks_account ON user_domain_blocks (account_id, id);
