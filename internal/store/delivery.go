package store

// Delivery answers the questions outgoing delivery asks: which inboxes
// must hear of an account's activity, and which servers are unavailable.
type Delivery interface {
}
