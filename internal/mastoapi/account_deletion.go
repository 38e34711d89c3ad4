package mastoapi

import (
	"errors"
	"net/http"

	"github.com/roost-social/roost/internal/core"
)

// Self-service account deletion, as GoToSocial offers it to clients:
// Mastodon has only a web form for it, with the same password check.

// accountDeletionRoutes registers POST /api/v1/accounts/delete.
func (s *Server) accountDeletionRoutes() {
	s.mux.HandleFunc("POST /api/v1/accounts/delete", s.user("write:accounts", s.deleteAccount))
}

// deleteAccount is POST /api/v1/accounts/delete with the password. The
// account is gone when it answers 202 {"message":"accepted"}; its
// Delete(Person) reaches other servers afterwards. A wrong password is
// 422 and counts like a failed sign-in.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request, a *core.Auth) {
	password := paramsOf(r).String("password")
	if password == "" {
		writeError(w, http.StatusBadRequest, "password is required")
		return
	}
	err := s.svc.DeleteOwnAccount(r.Context(), a, password)
	if errors.Is(err, core.ErrBadCredentials) {
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: the password is not correct")
		return
	}
	if errors.Is(err, core.ErrAccountHeld) {
		writeError(w, http.StatusConflict, "This account cannot be deleted at the moment; please contact the administrators")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"message": "accepted"})
}
