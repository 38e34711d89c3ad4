package vault

import "testing"

// UseFastKDF lowers argon2id's costs until test t ends, so key file tests
// stay quick. Tests that use it must not run in parallel.
func UseFastKDF(t testing.TB) {
	old := defaultKDF
	defaultKDF = kdfParams{time: 1, memory: 64, threads: 1}
	t.Cleanup(func() { defaultKDF = old })
}

// WithActorRSABits makes the vault generate RSA actor keys of this size
// (1024 is the least crypto/rsa allows), so tests stay quick.
func WithActorRSABits(bits int) Option { return func(v *Vault) { v.act.rsaBits = bits } }
