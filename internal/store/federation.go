package store

// Federation stores what Roost knows about remote actors beyond their
// accounts: inboxes, collections and public keys.
type Federation interface {
}
