package httpsig

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file is a small RFC 8941 structured-field parser and serializer: the
// dictionaries, inner lists, items and parameters that Signature-Input,
// Signature and Content-Digest use. Dates and display strings (RFC 9651)
// are not needed and are rejected.

// Bounds on what a peer may make us parse.
const (
	maxSFMembers = 32 // dictionary members, inner-list items, parameters
)

// sfToken is a bare token, to tell it apart from a string when serializing.
type sfToken string

// sfParam is one parameter; value is int64, float64 (decimal), string,
// sfToken, []byte or bool.
type sfParam struct {
	key   string
	value any
}

// sfItem is a bare item with its parameters.
type sfItem struct {
	value  any
	params []sfParam
}

// param returns the value of parameter key, or nil.
func (it sfItem) param(key string) any {
	for _, p := range it.params {
		if p.key == key {
			return p.value
		}
	}
	return nil
}

// sfMember is a dictionary member. For an inner list, isList is set, list
// holds the items and item.params the list's parameters.
type sfMember struct {
	key    string
	item   sfItem
	list   []sfItem
	isList bool
}

type sfParser struct {
	s string
	i int
}

func (p *sfParser) eof() bool { return p.i >= len(p.s) }

func (p *sfParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.i]
}

func (p *sfParser) skipSP() {
	for !p.eof() && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *sfParser) skipOWS() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// parseSFDictionary parses a whole field value as a dictionary. Duplicate
// keys are an error (RFC 8941 would keep the last; for signatures a
// duplicate is an attack or a bug).
func parseSFDictionary(s string) ([]sfMember, error) {
	p := &sfParser{s: s}
	p.skipSP()
	var out []sfMember
	for !p.eof() {
		m, err := p.member()
		if err != nil {
			return nil, err
		}
		for _, o := range out {
			if o.key == m.key {
				return nil, fmt.Errorf("duplicate key %q", m.key)
			}
		}
		if out = append(out, m); len(out) > maxSFMembers {
			return nil, errors.New("too many members")
		}
		p.skipOWS()
		if p.eof() {
			return out, nil
		}
		if p.peek() != ',' {
			return nil, fmt.Errorf("expected ',' at %d", p.i)
		}
		p.i++
		p.skipOWS()
		if p.eof() {
			return nil, errors.New("trailing comma")
		}
	}
	return out, nil
}

func (p *sfParser) member() (sfMember, error) {
	key, err := p.key()
	if err != nil {
		return sfMember{}, err
	}
	m := sfMember{key: key}
	if p.peek() != '=' {
		m.item.value = true
		m.item.params, err = p.params()
		return m, err
	}
	p.i++
	if p.peek() == '(' {
		m.isList = true
		m.list, m.item.params, err = p.innerList()
		return m, err
	}
	m.item, err = p.item()
	return m, err
}

func (p *sfParser) innerList() ([]sfItem, []sfParam, error) {
	p.i++ // '('
	var items []sfItem
	for {
		p.skipSP()
		if p.eof() {
			return nil, nil, errors.New("unterminated inner list")
		}
		if p.peek() == ')' {
			p.i++
			params, err := p.params()
			return items, params, err
		}
		it, err := p.item()
		if err != nil {
			return nil, nil, err
		}
		if items = append(items, it); len(items) > maxSFMembers {
			return nil, nil, errors.New("inner list too long")
		}
		if c := p.peek(); c != ' ' && c != ')' {
			return nil, nil, fmt.Errorf("expected ' ' or ')' at %d", p.i)
		}
	}
}

func (p *sfParser) item() (sfItem, error) {
	v, err := p.bareItem()
	if err != nil {
		return sfItem{}, err
	}
	params, err := p.params()
	return sfItem{value: v, params: params}, err
}

func (p *sfParser) params() ([]sfParam, error) {
	var out []sfParam
	for p.peek() == ';' {
		p.i++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		var v any = true
		if p.peek() == '=' {
			p.i++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		for _, o := range out {
			if o.key == key {
				return nil, fmt.Errorf("duplicate parameter %q", key)
			}
		}
		if out = append(out, sfParam{key, v}); len(out) > maxSFMembers {
			return nil, errors.New("too many parameters")
		}
	}
	return out, nil
}

func (p *sfParser) key() (string, error) {
	start := p.i
	if c := p.peek(); !isLCAlpha(c) && c != '*' {
		return "", fmt.Errorf("bad key at %d", p.i)
	}
	for !p.eof() {
		c := p.s[p.i]
		if !isLCAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' && c != '*' {
			break
		}
		p.i++
	}
	return p.s[start:p.i], nil
}

func (p *sfParser) bareItem() (any, error) {
	switch c := p.peek(); {
	case c == '-' || isDigit(c):
		return p.number()
	case c == '"':
		return p.str()
	case c == '*' || isAlpha(c):
		return p.token(), nil
	case c == ':':
		return p.bytes()
	case c == '?':
		return p.boolean()
	}
	return nil, fmt.Errorf("bad item at %d", p.i)
}

func (p *sfParser) number() (any, error) {
	start, dot := p.i, -1
	if p.peek() == '-' {
		p.i++
	}
	if !isDigit(p.peek()) {
		return nil, errors.New("bad number")
	}
	for !p.eof() {
		c := p.s[p.i]
		if c == '.' && dot < 0 {
			if p.i-start > 12+btoi(p.s[start] == '-') {
				return nil, errors.New("decimal too long")
			}
			dot = p.i
		} else if !isDigit(c) {
			break
		}
		p.i++
		if n := p.i - start - btoi(p.s[start] == '-'); (dot < 0 && n > 15) || n > 16 {
			return nil, errors.New("number too long")
		}
	}
	num := p.s[start:p.i]
	if dot < 0 {
		return strconv.ParseInt(num, 10, 64)
	}
	if frac := p.i - dot - 1; frac < 1 || frac > 3 {
		return nil, errors.New("bad decimal")
	}
	return strconv.ParseFloat(num, 64)
}

func (p *sfParser) str() (any, error) {
	p.i++ // '"'
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.eof() || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return nil, errors.New("bad escape")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return nil, errors.New("bad string character")
		default:
			b.WriteByte(c)
		}
	}
	return nil, errors.New("unterminated string")
}

func (p *sfParser) token() sfToken {
	start := p.i
	p.i++
	for !p.eof() && (isTChar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '/') {
		p.i++
	}
	return sfToken(p.s[start:p.i])
}

func (p *sfParser) bytes() (any, error) {
	p.i++ // ':'
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return nil, errors.New("unterminated byte sequence")
	}
	enc := p.s[p.i : p.i+end]
	p.i += end + 1
	for i := 0; i < len(enc); i++ {
		if c := enc[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '/' && c != '=' {
			return nil, errors.New("bad byte sequence")
		}
	}
	// RFC 8941 asks parsers to tolerate missing padding.
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(enc, "="))
	if err != nil {
		return nil, errors.New("bad byte sequence")
	}
	return b, nil
}

func (p *sfParser) boolean() (any, error) {
	p.i++ // '?'
	switch p.peek() {
	case '1':
		p.i++
		return true, nil
	case '0':
		p.i++
		return false, nil
	}
	return nil, errors.New("bad boolean")
}

func isLCAlpha(c byte) bool { return c >= 'a' && c <= 'z' }
func isAlpha(c byte) bool   { return isLCAlpha(c) || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool   { return c >= '0' && c <= '9' }
func isTChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Serialization (RFC 8941 §4.1). Inputs come from our own parser or from
// our own signing code, so unserializable values are programming errors
// reported as errors rather than panics.

func serializeInnerList(items []sfItem, params []sfParam) (string, error) {
	var b strings.Builder
	b.WriteByte('(')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		if err := writeItem(&b, it); err != nil {
			return "", err
		}
	}
	b.WriteByte(')')
	if err := writeParams(&b, params); err != nil {
		return "", err
	}
	return b.String(), nil
}

func serializeItem(it sfItem) (string, error) {
	var b strings.Builder
	err := writeItem(&b, it)
	return b.String(), err
}

func writeItem(b *strings.Builder, it sfItem) error {
	if err := writeBare(b, it.value); err != nil {
		return err
	}
	return writeParams(b, it.params)
}

func writeParams(b *strings.Builder, params []sfParam) error {
	for _, p := range params {
		b.WriteByte(';')
		b.WriteString(p.key)
		if v, ok := p.value.(bool); ok && v {
			continue
		}
		b.WriteByte('=')
		if err := writeBare(b, p.value); err != nil {
			return err
		}
	}
	return nil
}

func writeBare(b *strings.Builder, v any) error {
	switch v := v.(type) {
	case int64:
		if v > 999_999_999_999_999 || v < -999_999_999_999_999 {
			return errors.New("integer out of range")
		}
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		s := strconv.FormatFloat(math.RoundToEven(v*1000)/1000, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		b.WriteString(s)
	case string:
		return writeString(b, v)
	case sfToken:
		b.WriteString(string(v))
	case []byte:
		b.WriteByte(':')
		b.WriteString(base64.StdEncoding.EncodeToString(v))
		b.WriteByte(':')
	case bool:
		b.WriteString(map[bool]string{true: "?1", false: "?0"}[v])
	default:
		return fmt.Errorf("cannot serialize %T", v)
	}
	return nil
}

func writeString(b *strings.Builder, s string) error {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return errors.New("string has a non-printable character")
		}
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return nil
}
