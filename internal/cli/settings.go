package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/roost-social/roost/internal/core"
)

// settingsCmd shows or changes the instance settings an admin may change
// at run time (the same as PATCH /api/v1/roost/admin/settings): each
// KEY=VALUE sets a configuration key, VALUE being JSON of the key's type
// or else a string, and KEY=null going back to the configuration's value.
// All changes are checked together and made together, or none is.
func settingsCmd(*flag.FlagSet) runFunc {
	return func(ctx context.Context, r *runner, args []string) error {
		patch := core.SettingsPatch{}
		for _, a := range args {
			k, v, ok := strings.Cut(a, "=")
			if !ok || k == "" {
				return usagef("want KEY=VALUE, got %q", a)
			}
			if !json.Valid([]byte(v)) {
				b, _ := json.Marshal(v)
				v = string(b)
			}
			patch[k] = json.RawMessage(v)
		}
		return r.withService(ctx, func(svc *core.Service) error {
			list, err := svc.InstanceSettings(ctx)
			if len(patch) > 0 && err == nil {
				list, err = svc.UpdateInstanceSettings(ctx, patch)
			}
			if err != nil {
				return describe("settings", err)
			}
			w := tabwriter.NewWriter(r.io.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "KEY\tVALUE\tFROM")
			for _, s := range list {
				b, _ := json.Marshal(s.Value)
				fmt.Fprintf(w, "%s\t%s\t%s\n", s.Key, b, s.Source)
			}
			return w.Flush()
		})
	}
}
