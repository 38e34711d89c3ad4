package mastoapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// apiError is Mastodon's error entity. Details, per field, come with a
// rejected sign-up (Mastodon's ValidationError) and other core.FieldErrors.
type apiError struct {
	Error            string                   `json:"error"`
	ErrorDescription string                   `json:"error_description,omitempty"`
	Details          map[string][]errorDetail `json:"details,omitempty"`
}

// errorDetail is one reason a field was rejected.
type errorDetail struct {
	Error       string `json:"error"`
	Description string `json:"description"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // content is HTML; Mastodon sends it unescaped
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// fail maps an error from core to what the client sees. Only messages
// chosen here or carried by a model.ValidationError reach the client; the
// wrapped text of anything else goes to the log without request data.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *model.ValidationError
	var fe core.FieldErrors
	var oe *core.OAuthError
	switch {
	case errors.As(err, &ve):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed: "+ve.Msg)
	case errors.As(err, &fe):
		writeFieldErrors(w, fe)
	case errors.As(err, &oe):
		writeOAuthError(w, oe)
	case errors.Is(err, model.ErrInvalid):
		writeError(w, http.StatusUnprocessableEntity, "Validation failed")
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

// writeFieldErrors writes a 422 naming each rejected field, with Mastodon's
// per-field details.
func writeFieldErrors(w http.ResponseWriter, fe core.FieldErrors) {
	e := apiError{Error: "Validation failed: " + fe.Error(), Details: map[string][]errorDetail{}}
	for _, f := range fe {
		e.Details[f.Field] = append(e.Details[f.Field], errorDetail{Error: f.Code, Description: f.Desc})
	}
	writeJSON(w, http.StatusUnprocessableEntity, e)
}

// writeOAuthError writes an OAuth 2 error: 401 for a failed client
// authentication, 403 for a token another client holds, else 400.
func writeOAuthError(w http.ResponseWriter, oe *core.OAuthError) {
	status := http.StatusBadRequest
	switch oe.Code {
	case core.ErrInvalidClient.Code:
		status = http.StatusUnauthorized
	case core.ErrUnauthorizedClient.Code:
		status = http.StatusForbidden
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, apiError{Error: oe.Code, ErrorDescription: oe.Desc})
}

func isBodyTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
