package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// route is one operation of the schema, with its path template split into
// segments; a segment written "{name}" matches any one non-empty segment.
type route struct {
	method   string
	template string
	segs     []string
	literals int
	op       *openapi3.Operation
}

func buildRoutes(doc *openapi3.T) []route {
	var routes []route
	for template, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			segs := strings.Split(template, "/")
			r := route{method: method, template: template, segs: segs, op: op}
			for _, s := range segs {
				if !isParam(s) {
					r.literals++
				}
			}
			routes = append(routes, r)
		}
	}
	return routes
}

func isParam(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

// match finds the operation for method and a concrete path (a query string is
// ignored). Where several templates match, the one with the most literal
// segments wins, so /api/v1/accounts/lookup beats /api/v1/accounts/{id}.
func (v *Validator) match(method, path string) (route, bool) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	segs := strings.Split(path, "/")
	var best route
	found := false
	for _, r := range v.routes {
		if r.method != strings.ToUpper(method) || !segsMatch(r.segs, segs) {
			continue
		}
		if !found || r.literals > best.literals {
			best, found = r, true
		}
	}
	return best, found
}

func segsMatch(template, segs []string) bool {
	if len(template) != len(segs) {
		return false
	}
	for i, t := range template {
		if isParam(t) {
			if segs[i] == "" {
				return false
			}
		} else if t != segs[i] {
			return false
		}
	}
	return true
}

// Knows reports whether the schema has an operation for method and path.
func (v *Validator) Knows(method, path string) bool {
	_, ok := v.match(method, path)
	return ok
}
