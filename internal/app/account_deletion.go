package app

import (
	"fmt"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/federation"
)

// wireAccountDeletion adds the hourly sweep that ends account deletions:
// it shreds the signing keys kept for Delete(Person) once their window
// passed and frees usernames whose reservation ended.
func (a *App) wireAccountDeletion(workers *river.Workers) error {
	sweep, err := federation.RegisterAccountDeletionSweep(workers, a.svc, a.log, 0)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.periodic = append(a.periodic, sweep)
	return nil
}
