package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// A master key file is text. Plain:
//
//	roost-master-key v1
//	<base64 of the 32-byte key>
//
// Sealed with an admin passphrase:
//
//	roost-master-key v1 sealed
//	kdf argon2id t=<passes> m=<KiB> p=<threads> salt=<base64>
//	key <base64 of nonce | AES-256-GCM(key), header and kdf lines as associated data>
//	sum <hex of the first 8 bytes of SHA-256 over the lines above>
//
// The sum tells a damaged file from a wrong passphrase.
const (
	plainHeader  = "roost-master-key v1"
	sealedHeader = "roost-master-key v1 sealed"
)

var (
	// ErrWrongPassphrase means a sealed master key file did not open with
	// the passphrase given.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrRotationPending means path+".old" exists: a master key rotation
	// was interrupted. RotateMasterKeyFile finishes it.
	ErrRotationPending = errors.New("unfinished master key rotation")
)

// MasterKeyOptions says where the master key comes from.
type MasterKeyOptions struct {
	// Path is the key file, e.g. ./roost-data/master.key.
	Path string
	// Env is a base64 key, from ROOST_MASTER_KEY. It wins over Path and is
	// never written to disk.
	Env string
	// Passphrase is asked for when the key file is sealed (or SealNew is
	// set). The caller reads it from a terminal; nil means none is available.
	Passphrase func() ([]byte, error)
	// SealNew seals a newly generated key file with Passphrase, so a plain
	// key never touches the disk.
	SealNew bool
}

// LoadMasterKey returns the master key from o.Env, else from the file at
// o.Path. With neither, it generates a key and writes the file (mode 0600,
// parent directory 0700, atomically), and created is true. A key file that
// group or others can access is refused, as is a file left by an
// interrupted rotation (ErrRotationPending).
func LoadMasterKey(o MasterKeyOptions) (mk MasterKey, created bool, err error) {
	if strings.TrimSpace(o.Env) != "" {
		mk, err = masterKeyFromEnv(o.Env)
		return mk, false, err
	}
	if o.Path == "" {
		return MasterKey{}, false, errors.New("vault: no master key: set ROOST_MASTER_KEY or a key file path")
	}
	if err := noRotationPending(o.Path); err != nil {
		return MasterKey{}, false, err
	}
	pass := memo(o.Passphrase)
	mk, _, err = readKeyFile(o.Path, pass)
	if !errors.Is(err, fs.ErrNotExist) {
		return mk, false, err
	}
	mk, err = createKeyFile(o.Path, o.SealNew, pass)
	if errors.Is(err, fs.ErrExist) { // another process created it first
		mk, _, err = readKeyFile(o.Path, pass)
		return mk, false, err
	}
	return mk, err == nil, err
}

func masterKeyFromEnv(s string) (MasterKey, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return MasterKeyFromBytes(b)
		}
	}
	return MasterKey{}, errors.New("vault: ROOST_MASTER_KEY is not the base64 of 32 bytes")
}

func createKeyFile(path string, seal bool, pass func() ([]byte, error)) (MasterKey, error) {
	mk, err := NewMasterKey()
	if err != nil {
		return MasterKey{}, err
	}
	data := encodePlain(mk)
	if seal {
		p, err := passphrase(path, pass)
		if err != nil {
			return MasterKey{}, err
		}
		if data, err = encodeSealed(mk, p, defaultKDF); err != nil {
			return MasterKey{}, fmt.Errorf("vault: master key file %s: %w", path, err)
		}
	}
	if err := writeAtomic(path, data, true); err != nil {
		return MasterKey{}, fmt.Errorf("vault: write master key file: %w", err)
	}
	return mk, nil
}

// SealMasterKeyFile replaces the plain key file at path by one sealed with
// passphrase. The plain bytes may survive in free disk blocks: rotate the
// key afterwards, so that what they hold unwraps no current key, or generate
// the key sealed in the first place (MasterKeyOptions.SealNew).
func SealMasterKeyFile(path string, passphrase []byte) error {
	if len(passphrase) == 0 {
		return errors.New("vault: seal master key file: empty passphrase")
	}
	if err := noRotationPending(path); err != nil {
		return err
	}
	mk, sealed, err := readKeyFile(path, nil)
	if sealed {
		return fmt.Errorf("vault: master key file %s is already sealed", path)
	}
	if err != nil {
		return err
	}
	data, err := encodeSealed(mk, passphrase, defaultKDF)
	if err != nil {
		return fmt.Errorf("vault: seal master key file: %w", err)
	}
	return replaceKeyFile(path, data)
}

// UnsealMasterKeyFile replaces the sealed key file at path by a plain one.
func UnsealMasterKeyFile(path string, passphrase []byte) error {
	if err := noRotationPending(path); err != nil {
		return err
	}
	mk, sealed, err := readKeyFile(path, func() ([]byte, error) { return passphrase, nil })
	if err != nil {
		return err
	}
	if !sealed {
		return fmt.Errorf("vault: master key file %s is not sealed", path)
	}
	return replaceKeyFile(path, encodePlain(mk))
}

func replaceKeyFile(path string, data []byte) error {
	if err := writeAtomic(path, data, false); err != nil {
		return fmt.Errorf("vault: write master key file: %w", err)
	}
	return nil
}

func noRotationPending(path string) error {
	if _, err := os.Lstat(path + ".old"); err == nil {
		return fmt.Errorf("vault: master key file %s: %w (%s.old is still there); run the rotation again to finish it",
			path, ErrRotationPending, path)
	}
	return nil
}

// GenerateMasterKeyFile is the first half of a key file rotation: it keeps
// the current file as path+".old" and writes a new key to path, sealed
// with the same passphrase if the current file is sealed. It returns the
// new key and the previous one. If path+".old" already exists it resumes
// instead: it reads both files, and writes a new key only if path still
// holds the old one. Re-wrap the key store with RewrapKeys(ctx, ks, next,
// prev), then call FinishMasterKeyRotation.
func GenerateMasterKeyFile(o MasterKeyOptions) (next, prev MasterKey, err error) {
	if err := fileRotation(o); err != nil {
		return MasterKey{}, MasterKey{}, err
	}
	pass := memo(o.Passphrase)
	old := o.Path + ".old"
	prev, sealed, err := readKeyFile(old, pass)
	if errors.Is(err, fs.ErrNotExist) {
		prev, sealed, err = keepOldFile(o.Path, pass)
	}
	if err != nil {
		return MasterKey{}, MasterKey{}, err
	}
	cur, _, err := readKeyFile(o.Path, pass)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return MasterKey{}, MasterKey{}, err
	}
	if err == nil && cur.ID() != prev.ID() {
		return cur, prev, nil // the new key was written before an interruption
	}
	if next, err = NewMasterKey(); err != nil {
		return MasterKey{}, MasterKey{}, err
	}
	data := encodePlain(next)
	if sealed {
		p, err := passphrase(o.Path, pass)
		if err != nil {
			return MasterKey{}, MasterKey{}, err
		}
		if data, err = encodeSealed(next, p, defaultKDF); err != nil {
			return MasterKey{}, MasterKey{}, fmt.Errorf("vault: rotate master key file: %w", err)
		}
	}
	if err := replaceKeyFile(o.Path, data); err != nil {
		return MasterKey{}, MasterKey{}, err
	}
	return next, prev, nil
}

// keepOldFile copies the key file at path to path+".old" after checking it
// opens, and returns its key.
func keepOldFile(path string, pass func() ([]byte, error)) (MasterKey, bool, error) {
	mk, sealed, err := readKeyFile(path, pass)
	if err != nil {
		return MasterKey{}, false, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return MasterKey{}, false, fmt.Errorf("vault: read master key file: %w", err)
	}
	if err := writeAtomic(path+".old", data, true); err != nil {
		return MasterKey{}, false, fmt.Errorf("vault: keep old master key file: %w", err)
	}
	return mk, sealed, nil
}

// FinishMasterKeyRotation removes path+".old" once the key store has been
// re-wrapped under the new key. Removing a file does not scrub the disk; the
// old key only ever unwraps copies of the key store made before rotation,
// which is why key-store backups must be short-lived.
func FinishMasterKeyRotation(path string) error {
	if err := os.Remove(path + ".old"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("vault: finish master key rotation: %w", err)
	}
	cleanTemps(path)
	return syncDir(filepath.Dir(path))
}

// RotateMasterKeyFile rotates the master key held in the file o.Path: it
// writes a new key, re-wraps every data key in ks under it and removes the
// old file. After a crash at any point, calling it again finishes the job
// (see the package documentation). Run it with the server stopped. It
// returns the new master key.
func RotateMasterKeyFile(ctx context.Context, o MasterKeyOptions, ks KeyStore) (MasterKey, error) {
	if err := fileRotation(o); err != nil {
		return MasterKey{}, err
	}
	cleanTemps(o.Path)
	o.Passphrase = memo(o.Passphrase)
	next, prev, err := GenerateMasterKeyFile(o)
	if err != nil {
		return MasterKey{}, err
	}
	if err := RewrapKeys(ctx, ks, next, prev); err != nil {
		return MasterKey{}, err
	}
	return next, FinishMasterKeyRotation(o.Path)
}

// fileRotation checks that o names a key file to rotate.
func fileRotation(o MasterKeyOptions) error {
	if strings.TrimSpace(o.Env) != "" {
		return errors.New("vault: rotate master key file: the master key comes from ROOST_MASTER_KEY, not a file; " +
			"re-wrap with the old and new keys (RewrapKeys) and then change the variable")
	}
	if o.Path == "" {
		return errors.New("vault: rotate master key file: no key file path")
	}
	return nil
}

// readKeyFile reads and decodes the key file at path. Errors say what is
// wrong without quoting the file; a missing file wraps fs.ErrNotExist.
func readKeyFile(path string, pass func() ([]byte, error)) (mk MasterKey, sealed bool, err error) {
	if err := checkMode(path); err != nil {
		return MasterKey{}, false, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return MasterKey{}, false, fmt.Errorf("vault: read master key file: %w", err)
	}
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n"), "\n")
	switch lines[0] {
	case plainHeader:
		mk, err = decodePlain(lines)
	case sealedHeader:
		sealed = true
		mk, err = decodeSealed(lines, pass)
	default:
		err = errors.New("not a Roost master key file (unknown first line)")
	}
	if err != nil {
		return MasterKey{}, sealed, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	return mk, sealed, nil
}

func checkMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("vault: master key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("vault: master key file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("vault: master key file %s has mode %04o, open to group or others; make it 0600 (chmod 600)",
			path, fi.Mode().Perm())
	}
	return nil
}

func encodePlain(mk MasterKey) []byte {
	return []byte(plainHeader + "\n" + base64.StdEncoding.EncodeToString(mk.key) + "\n")
}

func decodePlain(lines []string) (MasterKey, error) {
	if len(lines) != 2 {
		return MasterKey{}, errors.New("damaged: expected a header line and a key line")
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[1]))
	if err != nil || len(b) != 32 {
		return MasterKey{}, errors.New("damaged: the key line is not the base64 of 32 bytes")
	}
	return MasterKeyFromBytes(b)
}

// passphrase asks for the passphrase of the key file at path.
func passphrase(path string, pass func() ([]byte, error)) ([]byte, error) {
	p, err := askPassphrase(pass)
	if err != nil {
		return nil, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	return p, nil
}

func askPassphrase(pass func() ([]byte, error)) ([]byte, error) {
	if pass == nil {
		return nil, errors.New("it is sealed and no passphrase was given")
	}
	p, err := pass()
	if err != nil {
		return nil, fmt.Errorf("read passphrase: %w", err)
	}
	if len(p) == 0 {
		return nil, errors.New("empty passphrase")
	}
	return p, nil
}

// memo asks for a passphrase at most once, however many files need it.
func memo(f func() ([]byte, error)) func() ([]byte, error) {
	if f == nil {
		return nil
	}
	var (
		done bool
		p    []byte
		err  error
	)
	return func() ([]byte, error) {
		if !done {
			p, err = f()
			done = err == nil
		}
		return p, err
	}
}

func checksum(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:8])
}

// sealedParts is a sealed file's kdf line and sealed key, checked for damage.
func sealedParts(lines []string) (kdfLine string, sealed []byte, err error) {
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "kdf ") || !strings.HasPrefix(lines[2], "key ") ||
		!strings.HasPrefix(lines[3], "sum ") {
		return "", nil, errors.New("damaged: expected header, kdf, key and sum lines")
	}
	body := strings.Join(lines[:3], "\n") + "\n"
	want := checksum(body)
	if subtle.ConstantTimeCompare([]byte(strings.TrimPrefix(lines[3], "sum ")), []byte(want)) != 1 {
		return "", nil, errors.New("damaged: checksum mismatch")
	}
	sealed, err = base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[2], "key "))
	if err != nil {
		return "", nil, errors.New("damaged: the key line is not base64")
	}
	return lines[1], sealed, nil
}

func decodeSealed(lines []string, pass func() ([]byte, error)) (MasterKey, error) {
	kdfLine, sealed, err := sealedParts(lines)
	if err != nil {
		return MasterKey{}, err
	}
	params, salt, err := parseKDF(kdfLine)
	if err != nil {
		return MasterKey{}, err
	}
	p, err := askPassphrase(pass)
	if err != nil {
		return MasterKey{}, err
	}
	kek := params.derive(p, salt)
	aead, err := newAEAD(kek)
	if err != nil {
		return MasterKey{}, err
	}
	n := aead.NonceSize()
	if len(sealed) != n+32+aead.Overhead() {
		return MasterKey{}, errors.New("damaged: sealed key has the wrong length")
	}
	b, err := aead.Open(nil, sealed[:n], sealed[n:], []byte(sealedHeader+"\n"+kdfLine))
	if err != nil {
		return MasterKey{}, ErrWrongPassphrase
	}
	return MasterKeyFromBytes(b)
}

func encodeSealed(mk MasterKey, pass []byte, params kdfParams) ([]byte, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	kdfLine := params.format(salt)
	aead, err := newAEAD(params.derive(pass, salt))
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	sealed := aead.Seal(nonce, nonce, mk.key, []byte(sealedHeader+"\n"+kdfLine))
	var b bytes.Buffer
	b.WriteString(sealedHeader + "\n" + kdfLine + "\n")
	b.WriteString("key " + base64.StdEncoding.EncodeToString(sealed) + "\n")
	sum := checksum(b.String())
	b.WriteString("sum " + sum + "\n")
	return b.Bytes(), nil
}
