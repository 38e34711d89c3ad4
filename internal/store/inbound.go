package store

// Inbound stores what arrives from other servers beyond remote actors:
// remote statuses found by their ActivityPub ids, and the like.
type Inbound interface {
}
