package vault

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/roost-social/roost/internal/model"
)

// MemKeyStore is a KeyStore in memory, for tests. It hands out and keeps
// copies, so callers cannot alter what it holds.
type MemKeyStore struct {
	mu   sync.Mutex
	keys map[int64]*WrappedKey
}

// NewMemKeyStore returns an empty in-memory key store.
func NewMemKeyStore() *MemKeyStore { return &MemKeyStore{keys: map[int64]*WrappedKey{}} }

func (s *MemKeyStore) PutKey(_ context.Context, k *WrappedKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.keys[k.ID]; ok {
		return model.ErrConflict
	}
	for _, e := range s.keys {
		if e.Owner == k.Owner && e.Period == k.Period {
			return model.ErrConflict
		}
	}
	s.keys[k.ID] = clone(k)
	return nil
}

func clone(k *WrappedKey) *WrappedKey {
	c := *k
	c.Wrapped = bytes.Clone(k.Wrapped)
	return &c
}

func (s *MemKeyStore) Key(_ context.Context, id int64) (*WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return nil, model.ErrNotFound
	}
	return clone(k), nil
}

func (s *MemKeyStore) KeyFor(_ context.Context, owner int64, period string) (*WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.Owner == owner && k.Period == period {
			return clone(k), nil
		}
	}
	return nil, model.ErrNotFound
}

func (s *MemKeyStore) OwnerKeys(_ context.Context, owner int64) ([]*WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*WrappedKey
	for _, k := range s.keys {
		if k.Owner == owner {
			out = append(out, clone(k))
		}
	}
	return out, nil
}

func (s *MemKeyStore) DeleteKeys(_ context.Context, ids []int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.keys, id)
	}
	return nil
}

func (s *MemKeyStore) RewrapAll(_ context.Context, fn func(*WrappedKey) ([]byte, string, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := map[int64]*WrappedKey{}
	for id, k := range s.keys {
		c := clone(k)
		w, mid, err := fn(clone(k))
		if err != nil {
			return err
		}
		c.Wrapped, c.MasterID = bytes.Clone(w), mid
		next[id] = c
	}
	s.keys = next
	return nil
}

func (s *MemKeyStore) ClassKeysBefore(_ context.Context, class, before string, limit int) ([]*WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := class + "/"
	var out []*WrappedKey
	for _, k := range s.keys {
		if strings.HasPrefix(k.Period, prefix) && k.Period < before {
			out = append(out, clone(k))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Period != out[j].Period {
			return out[i].Period < out[j].Period
		}
		return out[i].ID < out[j].ID
	})
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
