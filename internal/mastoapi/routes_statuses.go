package mastoapi

// statusRoutes registers statuses, timelines, notifications, bookmarks,
// favourites, markers and custom emojis. (Statuses slice.) Scopes are
// Mastodon's for each endpoint; reads that Mastodon allows signed out
// (a status, its thread, the public timelines) are public.
func (s *Server) statusRoutes() {
	m, svc := s.mux, s.svc
	m.HandleFunc("POST /api/v1/statuses", s.user("write:statuses", s.createStatus))
	m.HandleFunc("GET /api/v1/statuses/{id}", s.public("read:statuses", s.getStatus))
	m.HandleFunc("PUT /api/v1/statuses/{id}", s.user("write:statuses", s.editStatus))
	m.HandleFunc("DELETE /api/v1/statuses/{id}", s.user("write:statuses", s.onStatus(svc.DeleteStatus)))
	m.HandleFunc("GET /api/v1/statuses/{id}/context", s.public("read:statuses", s.statusContext))
	m.HandleFunc("GET /api/v1/statuses/{id}/history", s.public("read:statuses", s.statusHistory))
	m.HandleFunc("GET /api/v1/statuses/{id}/source", s.user("read:statuses", s.statusSource))
	// Mastodon's controllers ask read:accounts of these lists, its
	// documentation read:statuses: either will do.
	m.HandleFunc("GET /api/v1/statuses/{id}/favourited_by", s.public("read:accounts read:statuses", s.favouritedBy))
	m.HandleFunc("GET /api/v1/statuses/{id}/reblogged_by", s.public("read:accounts read:statuses", s.rebloggedBy))
	m.HandleFunc("POST /api/v1/statuses/{id}/favourite", s.user("write:favourites", s.onStatus(svc.Favourite)))
	m.HandleFunc("POST /api/v1/statuses/{id}/unfavourite", s.user("write:favourites", s.onStatus(svc.Unfavourite)))
	m.HandleFunc("POST /api/v1/statuses/{id}/reblog", s.user("write:statuses", s.reblog))
	m.HandleFunc("POST /api/v1/statuses/{id}/unreblog", s.user("write:statuses", s.onStatus(svc.Unreblog)))
	m.HandleFunc("POST /api/v1/statuses/{id}/bookmark", s.user("write:bookmarks", s.onStatus(svc.Bookmark)))
	m.HandleFunc("POST /api/v1/statuses/{id}/unbookmark", s.user("write:bookmarks", s.onStatus(svc.Unbookmark)))
	m.HandleFunc("POST /api/v1/statuses/{id}/pin", s.user("write:accounts", s.onStatus(svc.Pin)))
	m.HandleFunc("POST /api/v1/statuses/{id}/unpin", s.user("write:accounts", s.onStatus(svc.Unpin)))

	m.HandleFunc("GET /api/v1/timelines/home", s.user("read:statuses", s.homeTimeline))
	m.HandleFunc("GET /api/v1/timelines/public", s.public("read:statuses", s.publicTimeline))
	m.HandleFunc("GET /api/v1/timelines/tag/{hashtag}", s.public("read:statuses", s.tagTimeline))
	m.HandleFunc("GET /api/v1/accounts/{id}/statuses", s.public("read:statuses", s.accountStatuses))

	m.HandleFunc("GET /api/v1/notifications", s.user("read:notifications", s.notifications))
	m.HandleFunc("GET /api/v1/notifications/{id}", s.user("read:notifications", s.notification))
	m.HandleFunc("POST /api/v1/notifications/clear", s.user("write:notifications", s.clearNotifications))
	m.HandleFunc("POST /api/v1/notifications/{id}/dismiss", s.user("write:notifications", s.dismissNotification))

	m.HandleFunc("GET /api/v1/bookmarks", s.user("read:bookmarks", s.bookmarks))
	m.HandleFunc("GET /api/v1/favourites", s.user("read:favourites", s.favourites))
	m.HandleFunc("GET /api/v1/markers", s.user("read:statuses", s.markers))
	m.HandleFunc("POST /api/v1/markers", s.user("write:statuses", s.setMarkers))
	m.HandleFunc("GET /api/v1/custom_emojis", s.customEmojis)
}
