package federation

import "github.com/roost-social/roost/internal/federation/ap"

// wantsActivity reports whether the Accept header values ask for an
// ActivityStreams document (ap.WantsActivity).
func wantsActivity(values []string) bool { return ap.WantsActivity(values) }
