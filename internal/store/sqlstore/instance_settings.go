package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// InstanceOverrides reads the one row of instance_settings; no row is the
// empty set at version 0.
func (s *Store) InstanceOverrides(ctx context.Context) (*store.InstanceOverrides, error) {
	var raw string
	var at int64
	o := &store.InstanceOverrides{Values: map[string][]byte{}}
	err := s.conn().row(ctx, `SELECT overrides, version, updated_at FROM instance_settings WHERE id = 1`).
		Scan(&raw, &o.Version, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return o, nil
	}
	if err != nil {
		return nil, s.fail("instance overrides", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, fmt.Errorf("store: instance overrides: %w", err)
	}
	for k, v := range m {
		o.Values[k] = v
	}
	o.UpdatedAt = fromMicros(at)
	return o, nil
}

// PutInstanceOverrides inserts the row at version 1 when expect is 0 (a
// second insert is a unique violation, so ErrConflict), and otherwise
// updates it only where the version is still expect.
func (s *Store) PutInstanceOverrides(ctx context.Context, values map[string][]byte, expect int64, now time.Time) (int64, error) {
	m := make(map[string]json.RawMessage, len(values))
	for k, v := range values {
		m[k] = v
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return 0, fmt.Errorf("store: put instance overrides: %w", model.Invalid("a setting's value is not JSON"))
	}
	if expect == 0 {
		_, err := s.conn().exec(ctx, `INSERT INTO instance_settings (id, overrides, version, updated_at)
			VALUES (1, $1, 1, $2)`, string(raw), micros(now))
		return 1, s.fail("put instance overrides", err)
	}
	n, err := s.conn().affected(ctx, `UPDATE instance_settings SET overrides = $1, version = version + 1, updated_at = $2
		WHERE id = 1 AND version = $3`, string(raw), micros(now), expect)
	if err != nil {
		return 0, s.fail("put instance overrides", err)
	}
	if n == 0 {
		return 0, fmt.Errorf("store: put instance overrides: %w", model.ErrConflict)
	}
	return expect + 1, nil
}
