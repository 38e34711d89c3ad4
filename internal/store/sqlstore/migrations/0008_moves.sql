-- Account moves (ActivityPub Move, Mastodon's account migration).
--
-- account_aliases is an account's alsoKnownAs: the actor ids of the
-- accounts it says it also is, in the order given. A local account sets
-- them before another account may move to it; a remote account's come from
-- its actor document. Both are published in the actor document to anyone,
-- so they are stored in clear, like remote_actors.
--
-- account_moves is where an account moved to: the new account's id when it
-- is known here, and its ActivityPub id (a remote actor's movedTo, "" for a
-- local target), with when the move was learned or made.

CREATE TABLE account_aliases (
	account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	uri TEXT NOT NULL,
	PRIMARY KEY (account_id, uri)
);

CREATE TABLE account_moves (
	account_id {{pk}} REFERENCES accounts (id) ON DELETE CASCADE,
	target_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
	target_uri TEXT NOT NULL DEFAULT '',
	moved_at BIGINT NOT NULL
);
CREATE INDEX account_moves_target_uri ON account_moves (target_uri) WHERE target_uri <> '';
