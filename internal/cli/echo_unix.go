//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// withoutEcho runs read with the terminal's echo turned off, so that a
// passphrase typed at the prompt is not shown. It reports false, without
// calling read, when f is not a terminal.
func withoutEcho(f *os.File, read func() ([]byte, error)) ([]byte, bool, error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, false, nil
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, false, nil
	}
	defer func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, old) }()
	b, err := read()
	return b, true, err
}

// restrictUmask makes every file the process creates private to its user:
// the database, its WAL, the key files and media come out 0600, directories
// 0700, whatever the library creating them asks for.
func restrictUmask() { unix.Umask(0o077) }
