package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// passphraseEnv holds the master key's passphrase for unattended starts.
// It is weaker than typing it (the environment of a process can be read by
// its user and root), but it lets a supervisor start a sealed server.
const passphraseEnv = "ROOST_MASTER_PASSPHRASE"

// passphrase returns how the master key's passphrase is obtained: from
// ROOST_MASTER_PASSPHRASE when set, else typed at the terminal with echo
// off, else read as a plain line from standard input.
func (r *runner) passphrase(prompt string) func() ([]byte, error) {
	return func() ([]byte, error) {
		if p := r.getenv(passphraseEnv); p != "" {
			return []byte(p), nil
		}
		return r.readSecret(prompt)
	}
}

// newPassphrase asks for a new passphrase, twice when it is typed at a
// terminal, or takes it from ROOST_MASTER_PASSPHRASE.
func (r *runner) newPassphrase() ([]byte, error) {
	if p := r.getenv(passphraseEnv); p != "" {
		return []byte(p), nil
	}
	p, err := r.readSecret("New passphrase for the master key: ")
	if err != nil {
		return nil, err
	}
	if !r.stdinIsTerminal() {
		return p, nil
	}
	again, err := r.readSecret("Repeat the passphrase: ")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(p, again) {
		return nil, errors.New("the passphrases differ")
	}
	return p, nil
}

// readSecret prints prompt on stderr and reads one line from stdin, with
// the terminal's echo off when stdin is a terminal.
func (r *runner) readSecret(prompt string) ([]byte, error) {
	fmt.Fprint(r.io.Stderr, prompt)
	if f, ok := r.io.Stdin.(*os.File); ok {
		b, wasTerminal, err := withoutEcho(f, r.readLine)
		if wasTerminal {
			fmt.Fprintln(r.io.Stderr) // the Enter the user typed was not echoed
			return b, err
		}
	}
	return r.readLine()
}

func (r *runner) stdinIsTerminal() bool {
	f, ok := r.io.Stdin.(*os.File)
	if !ok {
		return false
	}
	_, wasTerminal, _ := withoutEcho(f, func() ([]byte, error) { return nil, nil })
	return wasTerminal
}

// readLine reads one line from stdin, without its line ending.
func (r *runner) readLine() ([]byte, error) {
	if r.stdin == nil {
		if r.io.Stdin == nil {
			return nil, errors.New("no standard input to read from")
		}
		r.stdin = bufio.NewReader(r.io.Stdin)
	}
	b, err := r.stdin.ReadBytes('\n')
	if err != nil && !(errors.Is(err, io.EOF) && len(b) > 0) {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no input: standard input is empty")
		}
		return nil, err
	}
	return bytes.TrimRight(b, "\r\n"), nil
}
