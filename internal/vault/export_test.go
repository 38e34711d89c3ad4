package vault

import "testing"

// UseFastKDF lowers argon2id's costs until test t ends, so key file tests
// stay quick. Tests that use it must not run in parallel.
func UseFastKDF(t testing.TB) {
	old := defaultKDF
	defaultKDF = kdfParams{time: 1, memory: 64, threads: 1}
	t.Cleanup(func() { defaultKDF = old })
}
