package app

import (
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/federation/outbound"
)

// wireRemote gives core its ways to other servers, all through the one
// outbound client (private addresses only with the development switch):
// fetches signed as the instance actor, and the publisher whose events
// become delivery jobs. It sets the verifier of signed fetches that the
// federation routes use, and returns the job workers of delivery, which
// share the fetcher's memory of each host's signature format, and of the
// scheduled refresh of remote actors, whose periodic job it keeps.
func (a *App) wireRemote(o federation.DeliverOptions) (*river.Workers, error) {
	client := outbound.New(outbound.Options{
		UserAgent:    outbound.UserAgent(a.version, a.cfg.BaseURL()),
		AllowPrivate: a.cfg.Dev.AllowPrivateNetworks,
	})
	fetcher := federation.NewFetcher(a.svc, client)
	a.svc.SetFetcher(fetcher)
	a.requester = federation.NewRequester(a.svc, httpsig.VerifyOptions{})
	if o.Logger == nil {
		o.Logger = a.log
	}
	a.pub = federation.NewPublisher(a.svc, a.log)
	workers := river.NewWorkers()
	if err := federation.NewDeliverer(a.svc, client, fetcher.HostModes(), o).Register(workers, a.pub); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	every := time.Duration(a.cfg.Federation.RefreshMinutes) * time.Minute
	refresh, err := federation.RegisterRefresh(workers, a.svc, a.log, every)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	if refresh != nil {
		a.periodic = append(a.periodic, refresh)
	}
	return workers, nil
}
