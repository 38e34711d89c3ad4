package vault

import (
	"context"
	"fmt"
)

// Deleting a local account shreds its data keys at once but must still
// sign the Delete(Person) that tells other servers: ShredData keeps the
// actor keys, KeptActorKeys reads them without ever making new ones, and
// Shred, once the deliveries are over, destroys them too.

// ShredData destroys every data key of owner and keeps its actor keys.
// Everything sealed for owner becomes unreadable (model.ErrShredded), as
// with Shred; the actor keys stay in the key store, wrapped under the
// master key like every key, until Shred.
func (v *Vault) ShredData(ctx context.Context, owner int64) error {
	return v.shredWhere(ctx, owner, func(k *WrappedKey) bool {
		return k.Period != actorRSAName && k.Period != actorEdName
	})
}

// KeptActorKeys returns owner's actor keys as ActorKeys does, but never
// creates them: keys that are gone (shredded) are model.ErrNotFound. It is
// for signing as an account that no longer exists, which must not get
// fresh keys.
func (v *Vault) KeptActorKeys(ctx context.Context, owner int64) (*ActorKeys, error) {
	if k, ok := v.cachedActor(owner); ok {
		return k, nil
	}
	rk, err := v.ks.KeyFor(ctx, owner, actorRSAName)
	if err != nil {
		return nil, fmt.Errorf("vault: kept actor keys of owner %d: %w", owner, err)
	}
	ek, err := v.ks.KeyFor(ctx, owner, actorEdName)
	if err != nil {
		return nil, fmt.Errorf("vault: kept actor keys of owner %d: %w", owner, err)
	}
	k, err := v.openActorKeys(rk, ek)
	if err != nil {
		return nil, fmt.Errorf("vault: kept actor keys of owner %d: %w", owner, err)
	}
	return k, nil
}
