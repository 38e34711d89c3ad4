package model

import "errors"

// Error kinds. Layers wrap them with their operation
// (fmt.Errorf("store: status %d: %w", id, model.ErrNotFound)); adapters map
// kinds to what a client sees and never show the wrapped text.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")      // unique value taken, duplicate action
	ErrForbidden    = errors.New("forbidden")     // authenticated but not allowed
	ErrUnauthorized = errors.New("unauthorized")  // no or bad credentials
	ErrInvalid      = errors.New("invalid input") // validation failed; see ValidationError
	ErrRateLimited  = errors.New("rate limited")
	ErrShredded     = errors.New("data destroyed") // key was destroyed: ciphertext is unreadable forever
)

// ValidationError carries a message that is safe to show to the client, and
// unwraps to ErrInvalid.
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Invalid returns a ValidationError with a client-safe message.
func Invalid(msg string) error { return &ValidationError{Msg: msg} }
