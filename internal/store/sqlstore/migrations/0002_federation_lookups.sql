-- Lookups the next steps need. Remote accounts are found by their
-- ActivityPub id, which is unique; local accounts store none ('') and are
-- left out. Posting tells the followers who asked for it, read from an
-- index of those follows alone.

CREATE UNIQUE INDEX accounts_uri ON accounts (uri) WHERE uri <> '';
CREATE INDEX follows_notify ON follows (target_id, account_id) WHERE notify = TRUE AND pending = FALSE;
