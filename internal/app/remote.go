package app

import (
	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/federation/outbound"
)

// wireRemote gives core its way to other servers: the one outbound
// client (private addresses only with the development switch), whose
// fetches are signed as the instance actor. It returns the verifier of
// signed fetches that the federation routes use.
func (a *App) wireRemote() federation.RequesterFunc {
	client := outbound.New(outbound.Options{
		UserAgent:    outbound.UserAgent(a.version, a.cfg.BaseURL()),
		AllowPrivate: a.cfg.Dev.AllowPrivateNetworks,
	})
	a.svc.SetFetcher(federation.NewFetcher(a.svc, client))
	return federation.NewRequester(a.svc, httpsig.VerifyOptions{})
}
