-- What the inbox looks up: remote statuses by their ActivityPub id (unique,
-- so a Create delivered twice at once stores one status; local statuses
-- store none and are left out), and follows by the id of their Follow
-- activity, which an Accept, Reject or Undo names.

CREATE UNIQUE INDEX statuses_uri ON statuses (uri) WHERE uri <> '';
CREATE INDEX follows_uri ON follows (uri) WHERE uri <> '';
