-- What federation knows of a remote actor beyond its account row: where to
-- deliver (inbox, shared inbox), its collections, and the public keys its
-- signatures are checked with, with the time the actor document was last
-- fetched. All of it is public data the actor publishes to anyone, so it is
-- stored in clear; the actor's profile text stays sealed in accounts.
-- A key id belongs to one actor at a time (the store moves it when another
-- actor claims it), so the key lookups are unique.

CREATE TABLE remote_actors (
	account_id {{pk}} REFERENCES accounts (id) ON DELETE CASCADE,
	inbox TEXT NOT NULL DEFAULT '',
	shared_inbox TEXT NOT NULL DEFAULT '',
	outbox TEXT NOT NULL DEFAULT '',
	followers TEXT NOT NULL DEFAULT '',
	following TEXT NOT NULL DEFAULT '',
	featured TEXT NOT NULL DEFAULT '',
	key_id TEXT NOT NULL DEFAULT '',
	public_key_pem TEXT NOT NULL DEFAULT '',
	ed25519_key_id TEXT NOT NULL DEFAULT '',
	ed25519_multibase TEXT NOT NULL DEFAULT '',
	fetched_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX remote_actors_key_id ON remote_actors (key_id) WHERE key_id <> '';
CREATE UNIQUE INDEX remote_actors_ed25519_key_id ON remote_actors (ed25519_key_id) WHERE ed25519_key_id <> '';
