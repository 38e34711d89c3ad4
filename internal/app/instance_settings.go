package app

import (
	"context"
	"errors"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// loadInstanceSettings applies the admin's stored run-time overrides over
// the configuration before anything is served. Overrides the configuration
// now refuses are left out (the configuration's values are served) and
// the admin is told to fix them; the problem itself is not logged, since
// it may quote a value such as the contact address.
func (a *App) loadInstanceSettings(ctx context.Context) {
	if err := a.svc.ReloadInstanceSettings(ctx); err != nil {
		a.reportSettingsReload(err)
	}
}

// watchInstanceSettings reloads the overrides until ctx ends, so that a
// change made through another node is served here within
// core.SettingsReloadInterval.
func (a *App) watchInstanceSettings(ctx context.Context) {
	a.svc.WatchInstanceSettings(ctx, core.SettingsReloadInterval, a.reportSettingsReload)
}

func (a *App) reportSettingsReload(err error) {
	if errors.Is(err, model.ErrInvalid) {
		a.log.Warn("instance settings overridden at run time are refused by the configuration and not applied; " +
			"PATCH /api/v1/roost/admin/settings names the problem, and a null value resets a setting")
		return
	}
	a.log.Error("reloading instance settings", "error", err)
}

// liveLanding gives the front page the title and registration mode in
// force, overrides included.
func (a *App) liveLanding() (title, reg string) {
	set := a.svc.Settings()
	return set.Title, string(set.Registration)
}
