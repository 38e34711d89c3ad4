package mastoapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// params are a request's parameters, from wherever Mastodon clients put
// them: the query string, a form (urlencoded or multipart) or a JSON object.
// Array parameters may be written "key[]" (form) or as JSON arrays.
type params struct {
	form url.Values
	json map[string]json.RawMessage
}

// errBadParams is a request body that could not be parsed at all.
type errBadParams struct{ msg string }

func (e *errBadParams) Error() string { return e.msg }

// paramsKey is the context key of a request's parsed parameters.
type paramsKey struct{}

// paramsOf returns r's parameters: those ServeHTTP parsed already (it
// refused a malformed or oversized body before routing), or, for a request
// without a body, the query string. It cannot fail, so handlers need no
// error path of their own.
func paramsOf(r *http.Request) *params {
	if p, ok := r.Context().Value(paramsKey{}).(*params); ok {
		return p
	}
	return &params{form: r.URL.Query()}
}

// withParams parses the parameters of a request that may carry a body,
// whatever route it is for, so that a malformed or oversized body is
// refused the same way everywhere; handlers get them from paramsOf. The
// sign-in form reads its own body, to answer in HTML.
func withParams(r *http.Request) (*http.Request, error) {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return r, nil
	}
	if r.URL.Path == "/oauth/authorize" {
		return r, nil
	}
	p, err := parseParams(r)
	if err != nil {
		return r, err
	}
	return r.WithContext(context.WithValue(r.Context(), paramsKey{}, p)), nil
}

// parseParams parses r's parameters. A malformed body is a *errBadParams
// or an *http.MaxBytesError.
func parseParams(r *http.Request) (*params, error) {
	p := &params{form: r.URL.Query()}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		obj, err := decodeObject(r.Body)
		if err != nil {
			return nil, err
		}
		p.json = obj
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, bodyErr(err)
		}
		merge(p.form, r.PostForm)
	case "application/x-www-form-urlencoded":
		form, err := parseForm(r)
		if err != nil {
			return nil, err
		}
		merge(p.form, form)
	default:
		if err := r.ParseForm(); err != nil {
			return nil, bodyErr(err)
		}
		merge(p.form, r.PostForm)
	}
	return p, nil
}

// decodeObject reads a JSON body: one object (or nothing, or null) and
// nothing after it.
func decodeObject(body io.Reader) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(body)
	var obj map[string]json.RawMessage
	err := dec.Decode(&obj)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err == nil {
		if _, err = dec.Token(); errors.Is(err, io.EOF) {
			return obj, nil
		}
		err = cmp.Or(err, errTrailingJSON)
	}
	return nil, bodyErr(err)
}

var errTrailingJSON = errors.New("data after the JSON object")

// parseForm reads a urlencoded body, for DELETE too, whose body
// Request.ParseForm leaves alone.
func parseForm(r *http.Request) (url.Values, error) {
	if r.Method != http.MethodDelete {
		if err := r.ParseForm(); err != nil {
			return nil, bodyErr(err)
		}
		return r.PostForm, nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyErr(err)
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, errMalformed
	}
	return form, nil
}

func bodyErr(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	return errMalformed
}

var errMalformed = &errBadParams{"Error occurred while parsing request parameters"}

func merge(dst, src url.Values) {
	for k, v := range src {
		dst[k] = append(dst[k], v...)
	}
}

// Has reports whether key was given at all.
func (p *params) Has(key string) bool {
	if _, ok := p.json[key]; ok {
		return true
	}
	_, ok := p.form[key]
	return ok
}

// String returns key's value, or "".
func (p *params) String(key string) string {
	if raw, ok := p.json[key]; ok {
		s, _ := scalar(raw)
		return s
	}
	return p.form.Get(key)
}

// scalar is a JSON string, number or boolean as a string; ok is false
// for null, arrays and objects, which are no value for a string parameter.
func scalar(raw json.RawMessage) (s string, ok bool) {
	raw = bytes.TrimSpace(raw)
	if json.Unmarshal(raw, &s) == nil {
		return s, !bytes.Equal(raw, []byte("null"))
	}
	if len(raw) == 0 || raw[0] == '[' || raw[0] == '{' {
		return "", false
	}
	return string(raw), true
}

// notScalar returns the first of keys that JSON gave as an array or an
// object. Where ignoring such a value could widen who sees a post (a
// visibility, a content warning), it is refused instead.
func (p *params) notScalar(keys ...string) string {
	for _, k := range keys {
		if raw, ok := p.json[k]; ok {
			if _, ok := scalar(raw); !ok && string(bytes.TrimSpace(raw)) != "null" {
				return k
			}
		}
	}
	return ""
}

// Bool returns key's value as a boolean; absent or unparsable is def.
func (p *params) Bool(key string, def bool) bool {
	if raw, ok := p.json[key]; ok {
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			return b
		}
	}
	switch strings.ToLower(p.String(key)) {
	case "true", "1", "on", "yes":
		return true
	case "false", "0", "off", "no":
		return false
	}
	return def
}

// Int returns key's value as an integer, or def when absent.
func (p *params) Int(key string, def int) (int, error) {
	s := p.String(key)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s must be a number", key)
	}
	return n, nil
}

// Strings returns an array parameter: "key[]" and "key" in forms and
// queries, a JSON array (or single string) in JSON.
func (p *params) Strings(key string) []string {
	if raw, ok := p.json[key]; ok {
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			arr = []json.RawMessage{raw}
		}
		var out []string
		for _, v := range arr {
			if s, ok := scalar(v); ok {
				out = append(out, s)
			}
		}
		return out
	}
	if v, ok := p.form[key+"[]"]; ok {
		return v
	}
	return p.form[key]
}

// Object returns a nested JSON object or a form's "key[sub]" values, as a
// flat map of sub-key to string.
func (p *params) Object(key string) map[string]string {
	out := map[string]string{}
	if raw, ok := p.json[key]; ok {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) == nil {
			for k, v := range m {
				var s string
				if json.Unmarshal(v, &s) == nil {
					out[k] = s
				} else {
					out[k] = string(v)
				}
			}
		}
		return out
	}
	prefix := key + "["
	for k, v := range p.form {
		if strings.HasPrefix(k, prefix) && strings.HasSuffix(k, "]") && len(v) > 0 {
			out[k[len(prefix):len(k)-1]] = v[0]
		}
	}
	return out
}

// badParams writes the 400 for an unparsable request, or 413 for one too
// large.
func (s *Server) badParams(w http.ResponseWriter, r *http.Request, err error) {
	var bp *errBadParams
	if errors.As(err, &bp) {
		writeError(w, http.StatusBadRequest, bp.msg)
		return
	}
	s.fail(w, r, err)
}
