package mastoapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/roost-social/roost/internal/model"
)

// apiError is Mastodon's error entity.
type apiError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// fail maps an error from core to what the client sees. Only messages
// chosen here or carried by a model.ValidationError reach the client; the
// wrapped text of anything else goes to the log without request data.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+ve.Msg)
	case errors.Is(err, model.ErrNotFound), errors.Is(err, model.ErrShredded):
		writeError(w, http.StatusNotFound, "Record not found")
	case errors.Is(err, model.ErrUnauthorized):
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
	case errors.Is(err, model.ErrForbidden):
		writeError(w, http.StatusForbidden, "This action is not allowed")
	case errors.Is(err, model.ErrConflict):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: already taken")
	case errors.Is(err, model.ErrRateLimited):
		writeError(w, http.StatusTooManyRequests, "Too many requests")
	case isBodyTooLarge(err):
		writeError(w, http.StatusRequestEntityTooLarge, "Request body too large")
	default:
		s.log.Error("mastoapi: request failed", "route", r.Pattern, "err", err)
		writeError(w, http.StatusInternalServerError, "Internal server error")
	}
}

func isBodyTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
