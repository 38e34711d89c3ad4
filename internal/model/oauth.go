package model

import "time"

// App is an OAuth client registered through POST /api/v1/apps.
type App struct {
	ID           int64
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       string // space-separated, as registered
	ClientID     string
	// ClientSecretHash is SHA-256 of the client secret; the secret itself is
	// shown once, at registration, and never stored.
	ClientSecretHash []byte
	OwnerID          int64 // 0 unless made by a signed-in user
	CreatedAt        time.Time
}

// Token is an OAuth access token. Only its SHA-256 is stored.
type Token struct {
	ID          int64
	Hash        []byte // SHA-256 of the bearer string
	AppID       int64
	AccountID   int64 // 0 for client_credentials tokens
	Scopes      string
	CreatedAt   time.Time
	LastUsedDay string // "2006-01-02": never a finer time
	RevokedAt   *time.Time
}

// AuthCode is a short-lived OAuth authorization code. Only its SHA-256 is
// stored.
type AuthCode struct {
	Hash                []byte
	AppID               int64
	AccountID           int64
	RedirectURI         string
	Scopes              string
	CodeChallenge       string
	CodeChallengeMethod string
	ExpiresAt           time.Time
}
