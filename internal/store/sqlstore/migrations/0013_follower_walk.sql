-- Moving an account's followers walks them in account-id order, a batch at
-- a time (store.FollowerIDsAfter); this index makes each batch cost what it
-- returns, however many followers the account has.

CREATE INDEX follows_target_account ON follows (target_id, account_id) WHERE pending = FALSE;
