package mastoapi

import "net/http"

// customEmojis is GET /api/v1/custom_emojis: public, and empty until
// custom emoji exist.
func (s *Server) customEmojis(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []CustomEmoji{})
}
