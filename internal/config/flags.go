package config

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// Flags holds the configuration flags registered on a FlagSet. After the set
// is parsed, Load applies only the flags that were given, so an absent flag
// never overrides the file or the environment.
type Flags struct {
	configFile string
	values     []*flagValue
}

// RegisterFlags registers -config and one flag per configuration key on fs.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.configFile, "config", "", "TOML configuration `file` (else $ROOST_CONFIG)")
	def := Default()
	defaults := make(map[string]string)
	for _, fd := range fields(def) {
		defaults[fd.key] = fmt.Sprint(fd.v.Interface())
	}
	for _, fd := range fields(&Config{}) {
		v := &flagValue{key: fd.key, boolean: fd.isBool()}
		f.values = append(f.values, v)
		usage := fmt.Sprintf("%s (%s, ROOST_%s)", fd.help, fd.key, strings.TrimPrefix(fd.envName(), envPrefix))
		if d := defaults[fd.key]; d != "" && d != "false" && d != "[]" && !strings.Contains(fd.help, "(default") {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		fs.Var(v, fd.flagName(), usage)
	}
	return f
}

func (f *Flags) apply(c *Config) error {
	byKey := make(map[string]field)
	for _, fd := range fields(c) {
		byKey[fd.key] = fd
	}
	var errs []error
	for _, v := range f.values {
		if !v.set {
			continue
		}
		fd := byKey[v.key]
		if err := fd.set(v.raw); err != nil {
			errs = append(errs, fmt.Errorf("config: %s (-%s): %w", fd.key, fd.flagName(), err))
		}
	}
	return errors.Join(errs...)
}

// flagValue records a flag's raw text; it is parsed into the Config only
// when Load applies it.
type flagValue struct {
	key     string
	boolean bool
	raw     string
	set     bool
}

func (v *flagValue) String() string { return v.raw }

func (v *flagValue) Set(s string) error {
	v.raw, v.set = s, true
	return nil
}

// IsBoolFlag lets boolean keys be given as a bare -flag.
func (v *flagValue) IsBoolFlag() bool { return v.boolean }
