package mastoapi

// accountRoutes registers apps, OAuth, instance, accounts, relationships,
// follow requests, blocks, mutes and preferences. (Accounts slice.) Scopes
// are Mastodon's for each endpoint; "a b" means either will do.
func (s *Server) accountRoutes() {
	m, svc := s.mux, s.svc

	m.HandleFunc("POST /api/v1/apps", s.createApp)
	m.HandleFunc("GET /api/v1/apps/verify_credentials", s.app("", s.verifyApp))
	m.HandleFunc("GET /oauth/authorize", s.authorizePage)
	m.HandleFunc("POST /oauth/authorize", s.authorizeSubmit)
	m.HandleFunc("GET /oauth/style.css", s.stylesheet)
	m.HandleFunc("POST /oauth/token", s.token)
	m.HandleFunc("POST /oauth/revoke", s.revoke)
	m.HandleFunc("GET /oauth/userinfo", s.user("profile", s.userinfo))
	m.HandleFunc("GET /.well-known/oauth-authorization-server", s.metadata)

	m.HandleFunc("GET /api/v1/instance", s.instanceV1)
	m.HandleFunc("GET /api/v2/instance", s.instanceV2)
	m.HandleFunc("GET /api/v1/instance/rules", s.instanceRules)
	m.HandleFunc("GET /api/v1/instance/peers", s.instancePeers)
	m.HandleFunc("GET /api/v1/instance/activity", s.instanceActivity)

	m.HandleFunc("POST /api/v1/accounts", s.app("write:accounts", s.register))
	m.HandleFunc("GET /api/v1/accounts", s.public("read:accounts", s.accountsByID))
	m.HandleFunc("GET /api/v1/accounts/verify_credentials", s.user("profile read:accounts", s.verifyCredentials))
	m.HandleFunc("PATCH /api/v1/accounts/update_credentials", s.user("write:accounts", s.updateCredentials))
	m.HandleFunc("GET /api/v1/accounts/lookup", s.public("read:accounts", s.lookupAccount))
	m.HandleFunc("GET /api/v1/accounts/search", s.user("read:accounts", s.searchAccounts))
	m.HandleFunc("GET /api/v1/accounts/relationships", s.user("read:follows", s.relationships))
	m.HandleFunc("GET /api/v1/accounts/{id}", s.public("read:accounts", s.getAccount))
	m.HandleFunc("GET /api/v1/accounts/{id}/followers", s.public("read:accounts", s.followers))
	m.HandleFunc("GET /api/v1/accounts/{id}/following", s.public("read:accounts", s.following))
	m.HandleFunc("POST /api/v1/accounts/{id}/follow", s.user("write:follows", s.follow))
	m.HandleFunc("POST /api/v1/accounts/{id}/unfollow", s.user("write:follows", s.onAccount(svc.Unfollow)))
	m.HandleFunc("POST /api/v1/accounts/{id}/remove_from_followers", s.user("write:follows", s.onAccount(svc.RemoveFromFollowers)))
	m.HandleFunc("POST /api/v1/accounts/{id}/block", s.user("write:blocks", s.onAccount(svc.Block)))
	m.HandleFunc("POST /api/v1/accounts/{id}/unblock", s.user("write:blocks", s.onAccount(svc.Unblock)))
	m.HandleFunc("POST /api/v1/accounts/{id}/mute", s.user("write:mutes", s.mute))
	m.HandleFunc("POST /api/v1/accounts/{id}/unmute", s.user("write:mutes", s.onAccount(svc.Unmute)))
	m.HandleFunc("POST /api/v1/accounts/{id}/note", s.user("write:accounts", s.note))

	m.HandleFunc("GET /api/v1/follow_requests", s.user("read:follows", s.followRequests))
	m.HandleFunc("POST /api/v1/follow_requests/{id}/authorize", s.user("write:follows", s.onAccount(svc.AuthorizeFollowRequest)))
	m.HandleFunc("POST /api/v1/follow_requests/{id}/reject", s.user("write:follows", s.onAccount(svc.RejectFollowRequest)))
	m.HandleFunc("GET /api/v1/blocks", s.user("read:blocks", s.blocks))
	m.HandleFunc("GET /api/v1/mutes", s.user("read:mutes", s.mutes))
	m.HandleFunc("GET /api/v1/preferences", s.user("read:accounts", s.preferences))
}
