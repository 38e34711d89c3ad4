package vault_test

import (
	"testing"

	"github.com/roost-social/roost/internal/vault"
	"github.com/roost-social/roost/internal/vault/vaulttest"
)

func TestMemKeyStore(t *testing.T) {
	t.Parallel()
	vaulttest.RunKeyStore(t, func(*testing.T) vault.KeyStore { return vault.NewMemKeyStore() })
}
