package store

// Moderation stores instance and per-user domain blocks.
type Moderation interface {
}
