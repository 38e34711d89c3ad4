package mastoapi

import (
	"testing"

	"github.com/roost-social/roost/internal/testutil/openapi"
)

// loadSchema returns the Mastodon OpenAPI checker; openapi.Load skips the
// test when the schema is absent (and fails it with ROOST_REQUIRE_SPEC=1).
func loadSchema(t testing.TB) responseChecker {
	v := openapi.Load(t)
	return withAdminSettings(withSessionsAndImport(withExports(withAccountDeletion(withRetention(withMoves(t, withAdminReports(t, withAdminAccounts(t, withAdminDomainBlocks(t, v), v.Path()), v.Path()), v.Path()))))))
}
