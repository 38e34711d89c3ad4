package federation

import (
	"mime"
	"strconv"
	"strings"
)

// activityTypes are the media types that get an ActivityStreams document.
// application/ld+json counts with any profile (or none), and plain
// application/json too, as Mastodon serves both.
var activityTypes = map[string]bool{
	"application/activity+json": true,
	"application/ld+json":       true,
	"application/json":          true,
}

// maxAcceptRanges bounds how many media ranges of an Accept header are
// read.
const maxAcceptRanges = 32

// wantsActivity reports whether the Accept header values name one of
// activityTypes with a q above zero. Wildcards do not count: */* is what a
// browser sends along with text/html.
func wantsActivity(values []string) bool {
	n := 0
	for _, v := range values {
		for r := range strings.SplitSeq(v, ",") {
			if n++; n > maxAcceptRanges {
				return false
			}
			typ, params, err := mime.ParseMediaType(strings.TrimSpace(r))
			if err != nil || !activityTypes[typ] {
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
