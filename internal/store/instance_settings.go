package store

import (
	"context"
	"time"
)

// InstanceOverrides are the instance settings an admin changed at run
// time, layered over the configuration file by core. Values are JSON,
// keyed by their configuration key ("instance.title"); they are instance
// data, not personal data, and are stored in clear.
type InstanceOverrides struct {
	Values map[string][]byte
	// Version counts the writes; 0 means no override was ever written.
	Version   int64
	UpdatedAt time.Time
}

// InstanceSettings keeps the instance's setting overrides as one record,
// changed by compare-and-swap so that two admins (or two nodes) never
// overwrite each other's changes unseen.
type InstanceSettings interface {
	// InstanceOverrides returns the overrides; none written yet is an
	// empty set at version 0, not an error.
	InstanceOverrides(ctx context.Context) (*InstanceOverrides, error)
	// PutInstanceOverrides replaces every override with values if the
	// record is still at version expect, and returns the new version.
	// A record that moved on is model.ErrConflict.
	PutInstanceOverrides(ctx context.Context, values map[string][]byte, expect int64, now time.Time) (int64, error)
}
