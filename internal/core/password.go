package core

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argonParams are argon2id's cost parameters.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	keyLen  uint32
	saltLen int
}

// hashParams are the parameters new hashes are made with: OWASP's
// argon2id minimum (19 MiB, two passes, one lane). Stored hashes carry
// their own parameters, so raising these later keeps old hashes working.
var hashParams = argonParams{memory: 19 * 1024, time: 2, threads: 1, keyLen: 32, saltLen: 16}

// Password length limits, as Mastodon's.
const (
	minPasswordLen = 8
	maxPasswordLen = 72
)

// maxVerifyMemory bounds the memory a stored hash may ask for, so that a
// corrupted row cannot make a sign-in allocate without limit.
const maxVerifyMemory = 1 << 20 // KiB: 1 GiB

var errBadHash = errors.New("core: malformed password hash")

// hashPassword returns pw's argon2id hash in the PHC string format.
func hashPassword(pw string) (string, error) {
	p := hashParams
	salt := make([]byte, p.saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("core: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether pw matches a hash made by hashPassword,
// comparing in constant time.
func verifyPassword(phc, pw string) (bool, error) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func parsePHC(phc string) (p argonParams, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, errBadHash
	}
	if p.memory == 0 || p.memory > maxVerifyMemory || p.time == 0 || p.time > 16 || p.threads == 0 {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// decoy is a hash to verify against when no user matched, so that a
// sign-in for an unknown name costs what one for a known name does.
var decoy struct {
	once sync.Once
	hash string
}

func burnPasswordCheck(pw string) {
	decoy.once.Do(func() { decoy.hash, _ = hashPassword("roost decoy password") })
	_, _ = verifyPassword(decoy.hash, pw)
}

// checkNewPassword validates a password being set.
func checkNewPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case pw == "":
		return fieldErr("password", "ERR_BLANK", "can't be blank")
	case n < minPasswordLen:
		return fieldErr("password", "ERR_TOO_SHORT", fmt.Sprintf("is too short (minimum is %d characters)", minPasswordLen))
	case n > maxPasswordLen:
		return fieldErr("password", "ERR_TOO_LONG", fmt.Sprintf("is too long (maximum is %d characters)", maxPasswordLen))
	}
	return nil
}

// newRandomPassword returns a password for ResetPassword: 20 random bytes,
// base64url, well inside the length limits.
func newRandomPassword() (string, error) {
	return randomToken(20)
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("core: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
