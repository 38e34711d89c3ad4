//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package cli

import "os"

// withoutEcho cannot turn echo off on this system; the caller reads a plain
// line instead.
func withoutEcho(*os.File, func() ([]byte, error)) ([]byte, bool, error) { return nil, false, nil }

// restrictUmask has no umask to set on this system.
func restrictUmask() {}
