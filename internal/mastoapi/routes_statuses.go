package mastoapi

// statusRoutes registers statuses, timelines, notifications, bookmarks,
// favourites, markers and custom emojis. (Statuses slice.)
func (s *Server) statusRoutes() {}
