package mastoapi

import (
	"encoding/json"
	"errors"
	"fmt"
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

// readParams parses r's parameters. A malformed body is a *errBadParams or
// an *http.MaxBytesError.
func readParams(r *http.Request) (*params, error) {
	p := &params{form: r.URL.Query()}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		dec := json.NewDecoder(r.Body)
		var obj map[string]json.RawMessage
		if err := dec.Decode(&obj); err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return nil, err
			}
			if err.Error() == "EOF" {
				return p, nil
			}
			return nil, &errBadParams{"Error occurred while parsing request parameters: malformed JSON"}
		}
		p.json = obj
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, bodyErr(err)
		}
		merge(p.form, r.PostForm)
	default:
		if err := r.ParseForm(); err != nil {
			return nil, bodyErr(err)
		}
		merge(p.form, r.PostForm)
	}
	return p, nil
}

func bodyErr(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	return &errBadParams{"Error occurred while parsing request parameters"}
}

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
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		// Numbers and booleans given where a string is expected.
		return strings.Trim(string(raw), `"`)
	}
	return p.form.Get(key)
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
		var ss []string
		if json.Unmarshal(raw, &ss) == nil {
			return ss
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []string{s}
		}
		return nil
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
// large. It reports whether it wrote anything.
func (s *Server) badParams(w http.ResponseWriter, r *http.Request, err error) {
	var bp *errBadParams
	if errors.As(err, &bp) {
		writeError(w, http.StatusBadRequest, bp.msg)
		return
	}
	s.fail(w, r, err)
}
