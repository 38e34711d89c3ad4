package storetest

import (
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// testInstanceOverrides checks the empty start, the first write, a
// replacing write, and that a write from a stale version (another admin
// or node got there first) is refused and changes nothing.
func testInstanceOverrides(t *testing.T, f *fx) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	o, err := f.s.InstanceOverrides(f.ctx)
	f.must(err)
	if o.Version != 0 || len(o.Values) != 0 {
		t.Fatalf("fresh store: %+v, want version 0 and no values", o)
	}
	v, err := f.s.PutInstanceOverrides(f.ctx, map[string][]byte{
		"instance.title": []byte(`"Nest"`), "retention.notifications_days": []byte(`14`),
	}, 0, now)
	f.must(err)
	if v != 1 {
		t.Fatalf("first write: version %d, want 1", v)
	}
	_, err = f.s.PutInstanceOverrides(f.ctx, map[string][]byte{"instance.title": []byte(`"Late"`)}, 0, now)
	f.is(err, model.ErrConflict) // a second first write
	v, err = f.s.PutInstanceOverrides(f.ctx, map[string][]byte{
		"instance.rules": []byte(`["be kind","no spam"]`),
	}, 1, now.Add(time.Minute))
	f.must(err)
	if v != 2 {
		t.Fatalf("second write: version %d, want 2", v)
	}
	_, err = f.s.PutInstanceOverrides(f.ctx, map[string][]byte{"instance.title": []byte(`"Stale"`)}, 1, now)
	f.is(err, model.ErrConflict)

	o, err = f.s.InstanceOverrides(f.ctx)
	f.must(err)
	if o.Version != 2 || !o.UpdatedAt.Equal(now.Add(time.Minute)) {
		t.Errorf("after writes: version %d at %v, want 2 at %v", o.Version, o.UpdatedAt, now.Add(time.Minute))
	}
	if len(o.Values) != 1 || string(o.Values["instance.rules"]) != `["be kind","no spam"]` {
		t.Errorf("values = %q, want only the rules (a write replaces the set)", o.Values)
	}
	_, err = f.s.PutInstanceOverrides(f.ctx, map[string][]byte{"instance.title": []byte(`not json`)}, 2, now)
	f.is(err, model.ErrInvalid)
	v, err = f.s.PutInstanceOverrides(f.ctx, map[string][]byte{}, 2, now)
	f.must(err)
	if o, err = f.s.InstanceOverrides(f.ctx); err != nil || len(o.Values) != 0 || o.Version != v {
		t.Errorf("after clearing: %+v, %v; want no values at version %d", o, err, v)
	}
}
