package outbound

import (
	"context"
	"fmt"
	"io"
)

// limitedBody reads at most left bytes of a response body and fails with
// ErrTooLarge, rather than returning a truncated body, when there are more.
//
// It also owns the call's deadline. When a TLS connection is torn down by
// cancellation in the middle of a chunked body, net/http can report a plain
// io.EOF instead of an error, which would pass a cut-off body off as whole;
// so an EOF that arrives after the call's context has ended is turned into
// that context's error.
type limitedBody struct {
	rc     io.ReadCloser
	left   int64
	err    error
	ctx    context.Context
	cancel context.CancelFunc
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.left <= 0 {
		return 0, b.eof(b.probe())
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, b.eof(err)
}

// probe tells a body that ends exactly at the limit from one that goes on.
func (b *limitedBody) probe() error {
	var one [1]byte
	n, err := io.ReadFull(b.rc, one[:])
	if n > 0 {
		b.err = ErrTooLarge
		return b.err
	}
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return err
}

// eof vets an end of body against the call's deadline.
func (b *limitedBody) eof(err error) error {
	if err != io.EOF || b.ctx.Err() == nil {
		return err
	}
	b.err = fmt.Errorf("outbound: body cut off: %w", context.Cause(b.ctx))
	return b.err
}

// Close closes the body and releases the call's deadline.
func (b *limitedBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}
