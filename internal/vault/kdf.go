package vault

import (
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// kdfParams are argon2id's costs, recorded in a sealed key file so they can
// be raised later without breaking old files.
type kdfParams struct {
	time    uint32 // passes
	memory  uint32 // KiB
	threads uint8
}

// defaultKDF follows RFC 9106's second recommended option (64 MiB, 3 passes,
// 4 lanes): a few tenths of a second at each start, and costly to guess.
var defaultKDF = kdfParams{time: 3, memory: 64 * 1024, threads: 4}

func (p kdfParams) derive(pass, salt []byte) []byte {
	return argon2.IDKey(pass, salt, p.time, p.memory, p.threads, 32)
}

func (p kdfParams) format(salt []byte) string {
	return fmt.Sprintf("kdf argon2id t=%d m=%d p=%d salt=%s", p.time, p.memory, p.threads,
		base64.StdEncoding.EncodeToString(salt))
}

// parseKDF reads a kdf line, with bounds that keep a damaged or hostile file
// from asking for absurd time or memory.
func parseKDF(line string) (kdfParams, []byte, error) {
	var (
		p       kdfParams
		threads uint32
		salt    string
	)
	n, err := fmt.Sscanf(line, "kdf argon2id t=%d m=%d p=%d salt=%s", &p.time, &p.memory, &threads, &salt)
	if err != nil || n != 4 {
		return kdfParams{}, nil, errors.New("damaged: unreadable kdf line")
	}
	if p.time < 1 || p.time > 64 || threads < 1 || threads > 64 || p.memory < 8*threads || p.memory > 4<<20 {
		return kdfParams{}, nil, errors.New("damaged: kdf parameters out of range")
	}
	p.threads = uint8(threads)
	s, err := base64.StdEncoding.DecodeString(salt)
	if err != nil || len(s) < 16 || len(s) > 64 {
		return kdfParams{}, nil, errors.New("damaged: bad kdf salt")
	}
	return p, s, nil
}
