package vault

import (
	"context"
	"sync"

	"github.com/roost-social/roost/internal/model"
)

// MemKeyStore is a KeyStore in memory, for tests.
type MemKeyStore struct {
	mu   sync.Mutex
	keys map[int64]*WrappedKey
}

// NewMemKeyStore returns an empty in-memory key store.
func NewMemKeyStore() *MemKeyStore { return &MemKeyStore{keys: map[int64]*WrappedKey{}} }

func (s *MemKeyStore) PutKey(_ context.Context, k *WrappedKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.keys {
		if e.Owner == k.Owner && e.Period == k.Period {
			return model.ErrConflict
		}
	}
	c := *k
	s.keys[k.ID] = &c
	return nil
}

func (s *MemKeyStore) Key(_ context.Context, id int64) (*WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return nil, model.ErrNotFound
	}
	c := *k
	return &c, nil
}

func (s *MemKeyStore) KeyFor(_ context.Context, owner int64, period string) (*WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.Owner == owner && k.Period == period {
			c := *k
			return &c, nil
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
			c := *k
			out = append(out, &c)
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
		c := *k
		w, mid, err := fn(&c)
		if err != nil {
			return err
		}
		c.Wrapped, c.MasterID = w, mid
		next[id] = &c
	}
	s.keys = next
	return nil
}
