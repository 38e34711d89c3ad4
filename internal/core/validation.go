package core

import (
	"errors"
	"strings"

	"github.com/roost-social/roost/internal/model"
)

// FieldError is one rejected field, as the details of Mastodon's
// ValidationError show it: Code is ERR_BLANK, ERR_TAKEN and so on, Desc a
// client-safe sentence end ("has already been taken").
type FieldError struct {
	Field string
	Code  string
	Desc  string
}

// FieldErrors are the rejected fields of one request. The message is safe
// to show to the client; it unwraps to model.ErrInvalid.
type FieldErrors []FieldError

func (e FieldErrors) Error() string {
	parts := make([]string, len(e))
	for i, f := range e {
		parts[i] = humanField(f.Field) + " " + f.Desc
	}
	return strings.Join(parts, ", ")
}

func (e FieldErrors) Unwrap() error { return model.ErrInvalid }

func fieldErr(field, code, desc string) error {
	return FieldErrors{{Field: field, Code: code, Desc: desc}}
}

// joinFieldErrors merges the FieldErrors among errs; any other non-nil
// error wins, since it is not about the input.
func joinFieldErrors(errs ...error) error {
	var out FieldErrors
	for _, err := range errs {
		var fe FieldErrors
		switch {
		case err == nil:
		case errors.As(err, &fe):
			out = append(out, fe...)
		default:
			return err
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// hasNUL reports whether any of ss holds a NUL byte. No name, code or key
// does, and PostgreSQL cannot compare such text at all, so a lookup by one
// finds nothing rather than fail.
func hasNUL(ss ...string) bool {
	for _, s := range ss {
		if strings.IndexByte(s, 0) >= 0 {
			return true
		}
	}
	return false
}

func humanField(f string) string {
	if f == "" {
		return ""
	}
	f = strings.ReplaceAll(f, "_", " ")
	return strings.ToUpper(f[:1]) + f[1:]
}
