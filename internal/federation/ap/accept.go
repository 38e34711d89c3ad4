package ap

import (
	"mime"
	"slices"
	"strconv"
	"strings"
)

// activityTypes are the media types that get an ActivityStreams document.
// application/ld+json counts with any profile (or none), and plain
// application/json too, as Mastodon serves both.
var activityTypes = []string{"application/activity+json", "application/ld+json", "application/json"}

// maxAcceptRanges bounds how many media ranges of an Accept header are
// read.
const maxAcceptRanges = 32

// WantsActivity reports whether the Accept header values ask for an
// ActivityStreams document. Wildcards do not count: */* is what a browser
// sends along with text/html.
func WantsActivity(accept []string) bool { return Accepts(accept, activityTypes...) }

// Accepts reports whether the Accept header values name one of types with
// a q above zero. Wildcards do not count, and at most maxAcceptRanges
// ranges are read.
func Accepts(accept []string, types ...string) bool {
	n := 0
	for _, v := range accept {
		for r := range strings.SplitSeq(v, ",") {
			if n++; n > maxAcceptRanges {
				return false
			}
			typ, params, err := mime.ParseMediaType(strings.TrimSpace(r))
			if err != nil || !slices.Contains(types, typ) {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
