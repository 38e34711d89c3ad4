package ap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/roost-social/roost/internal/model"
)

// Errors that Decode returns. Each wraps model.ErrInvalid, so an adapter
// that maps error kinds answers 400 without knowing this package; an inbox
// that wants 413 for ErrTooLarge checks that first.
var (
	ErrTooLarge        = fmt.Errorf("%w: activitystreams document over a limit", model.ErrInvalid)
	ErrMalformed       = fmt.Errorf("%w: malformed activitystreams document", model.ErrInvalid)
	ErrUnsupportedType = fmt.Errorf("%w: unsupported activitystreams type", model.ErrInvalid)
)

// UnsupportedTypeError names the type Decode did not accept. It matches
// ErrUnsupportedType with errors.Is. Type is "" when the document had none.
type UnsupportedTypeError struct{ Type string }

func (e *UnsupportedTypeError) Error() string {
	if e.Type == "" {
		return "activitystreams: document has no type"
	}
	// %q escapes control characters; the type came from a remote server.
	return fmt.Sprintf("activitystreams: unsupported type %.64q", e.Type)
}

func (e *UnsupportedTypeError) Is(target error) bool { return target == ErrUnsupportedType }
func (e *UnsupportedTypeError) Unwrap() error        { return model.ErrInvalid }

// Limits bound what Decode accepts. Every field must be positive.
type Limits struct {
	MaxBytes   int // the whole document
	MaxDepth   int // nesting of objects and arrays
	MaxArray   int // elements in one array (e.g. tag entries)
	MaxMembers int // members in one object
	MaxString  int // bytes in one string, key or number literal
}

// DefaultLimits are generous for real traffic (Mastodon's largest
// documents, actors with long bios and many emoji, are far below them) and
// keep a hostile document's cost bounded.
var DefaultLimits = Limits{
	MaxBytes:   1 << 20,
	MaxDepth:   32,
	MaxArray:   1000,
	MaxMembers: 1000,
	MaxString:  256 << 10,
}

// parse reads data into a tree of map[string]any, []any, string,
// json.Number, bool and nil, enforcing the limits as it goes, so no
// oversized value is ever built. The top level must be an object.
func (l Limits) parse(data []byte) (map[string]any, error) {
	if len(data) > l.MaxBytes {
		return nil, fmt.Errorf("activitystreams: %d bytes: %w", len(data), ErrTooLarge)
	}
	p := treeParser{dec: json.NewDecoder(bytes.NewReader(data)), lim: l}
	p.dec.UseNumber()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, malformed(err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("activitystreams: top level is not an object: %w", ErrMalformed)
	}
	root, err := p.object(1)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("activitystreams: data after the document: %w", ErrMalformed)
	}
	return root, nil
}

type treeParser struct {
	dec *json.Decoder
	lim Limits
}

func (p *treeParser) value(depth int) (any, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, malformed(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return p.object(depth + 1)
		case '[':
			return p.array(depth + 1)
		}
		return nil, fmt.Errorf("activitystreams: unexpected %v: %w", t, ErrMalformed)
	case string:
		return t, p.checkLen(len(t))
	case json.Number:
		return t, p.checkLen(len(t))
	default: // bool or nil
		return t, nil
	}
}

func (p *treeParser) object(depth int) (map[string]any, error) {
	if depth > p.lim.MaxDepth {
		return nil, fmt.Errorf("activitystreams: nesting over %d: %w", p.lim.MaxDepth, ErrTooLarge)
	}
	m := make(map[string]any)
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, malformed(err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("activitystreams: object key is not a string: %w", ErrMalformed)
		}
		if err := p.checkLen(len(key)); err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			// Two values for one key would let two parsers disagree about
			// what a signed document says.
			return nil, fmt.Errorf("activitystreams: duplicate key: %w", ErrMalformed)
		}
		if len(m) == p.lim.MaxMembers {
			return nil, fmt.Errorf("activitystreams: object over %d members: %w", p.lim.MaxMembers, ErrTooLarge)
		}
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, p.closing()
}

func (p *treeParser) array(depth int) ([]any, error) {
	if depth > p.lim.MaxDepth {
		return nil, fmt.Errorf("activitystreams: nesting over %d: %w", p.lim.MaxDepth, ErrTooLarge)
	}
	var a []any
	for p.dec.More() {
		if len(a) == p.lim.MaxArray {
			return nil, fmt.Errorf("activitystreams: array over %d elements: %w", p.lim.MaxArray, ErrTooLarge)
		}
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	return a, p.closing()
}

// closing consumes the '}' or ']' that More reported.
func (p *treeParser) closing() error {
	if _, err := p.dec.Token(); err != nil {
		return malformed(err)
	}
	return nil
}

func (p *treeParser) checkLen(n int) error {
	if n > p.lim.MaxString {
		return fmt.Errorf("activitystreams: string over %d bytes: %w", p.lim.MaxString, ErrTooLarge)
	}
	return nil
}

// malformed wraps a JSON syntax error without its text: the text can quote
// remote input, and callers only need the kind.
func malformed(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("activitystreams: syntax error at byte %d: %w", syn.Offset, ErrMalformed)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("activitystreams: unexpected end: %w", ErrMalformed)
	}
	return fmt.Errorf("activitystreams: %w", ErrMalformed)
}
