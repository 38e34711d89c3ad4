package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// envPrefix starts every configuration variable.
const envPrefix = "ROOST_"

// otherEnv lists ROOST_* variables that are not configuration keys but are
// read elsewhere (the vault, the test suites, the config file location), so
// that they are not reported as unknown.
var otherEnv = map[string]bool{
	"ROOST_MASTER_KEY":        true,
	"ROOST_MASTER_PASSPHRASE": true,
	"ROOST_TEST_POSTGRES":     true,
	"ROOST_REQUIRE_POSTGRES":  true,
	"ROOST_REQUIRE_BROWSER":   true,
	"ROOST_MASTODON_SPEC":     true,
	"ROOST_CONFIG":            true,
	"ROOST_REQUIRE_SPEC":      true,
	"ROOST_ARTIFACTS":         true,
	"ROOST_CHROMIUM":          true,
	"ROOST_TEST_API_STORE":    true,
	"ROOST_TEST_COLD_STORE":   true,
	"ROOST_SHARED_DIR":        true,
	"ROOST_REQUIRE_SHARED":    true,
}

// Load builds the configuration: defaults, then the TOML file (from the
// -config flag, else ROOST_CONFIG; no file when neither is set), then the
// ROOST_* variables in env (os.Environ() form), then the flags that were set.
// flags may be nil. The result is validated; the error names every bad key.
func Load(env []string, flags *Flags) (*Config, error) {
	c := base()
	if path := configPath(env, flags); path != "" {
		if err := c.applyFile(path); err != nil {
			return nil, err
		}
	}
	if err := c.applyEnv(env); err != nil {
		return nil, err
	}
	if flags != nil {
		if err := flags.apply(c); err != nil {
			return nil, err
		}
	}
	c.derive()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func configPath(env []string, flags *Flags) string {
	if flags != nil && flags.configFile != "" {
		return flags.configFile
	}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "ROOST_CONFIG="); ok {
			return v
		}
	}
	return ""
}

// applyFile decodes the TOML file at path over c. Keys the file sets but
// Config does not have are an error naming them.
func (c *Config) applyFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: read file: %w", err)
	}
	md, err := toml.Decode(string(data), c)
	if err != nil {
		return fmt.Errorf("config: file %s: %w", path, err)
	}
	var errs []error
	for _, key := range md.Undecoded() {
		errs = append(errs, fmt.Errorf("config: file %s: unknown key %q", path, key.String()))
	}
	return errors.Join(errs...)
}

// applyEnv sets the keys named by ROOST_* variables. An empty value counts
// as unset, so that an exported but blank variable keeps the file's value.
func (c *Config) applyEnv(env []string) error {
	byName := make(map[string]field)
	for _, f := range fields(c) {
		byName[f.envName()] = f
	}
	var errs []error
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) || otherEnv[name] {
			continue
		}
		f, ok := byName[name]
		if !ok {
			errs = append(errs, fmt.Errorf("config: unknown environment variable %s", name))
			continue
		}
		if value == "" {
			continue
		}
		if err := f.set(value); err != nil {
			errs = append(errs, fmt.Errorf("config: %s (%s): %w", f.key, name, err))
		}
	}
	return errors.Join(errs...)
}

// field is one configuration key bound to its place in a Config.
type field struct {
	key  string // dotted TOML key, e.g. instance.max_status_chars
	help string
	sep  string // list separator in env and flags
	v    reflect.Value
}

func (f field) envName() string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(f.key, ".", "_"))
}

func (f field) flagName() string {
	return strings.NewReplacer(".", "-", "_", "-").Replace(f.key)
}

func (f field) isBool() bool { return f.v.Kind() == reflect.Bool }

// set parses s into the field according to its type.
func (f field) set(s string) error {
	switch f.v.Kind() {
	case reflect.String:
		f.v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("must be true or false, got %q", s)
		}
		f.v.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("must be a whole number, got %q", s)
		}
		f.v.SetInt(int64(n))
	case reflect.Slice:
		f.v.Set(reflect.ValueOf(splitList(s, f.sep)))
	default:
		return fmt.Errorf("unsupported type %s", f.v.Type())
	}
	return nil
}

func splitList(s, sep string) []string {
	var out []string
	for item := range strings.SplitSeq(s, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// fields lists every key of c, in declaration order, by walking the toml
// tags; nested structs become dotted prefixes. It is the single source of
// the key, environment variable and flag names.
func fields(c *Config) []field {
	return walk(reflect.ValueOf(c).Elem(), "")
}

func walk(v reflect.Value, prefix string) []field {
	var out []field
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		key := prefix + sf.Tag.Get("toml")
		if sf.Type.Kind() == reflect.Struct {
			out = append(out, walk(v.Field(i), key+".")...)
			continue
		}
		out = append(out, field{key: key, help: sf.Tag.Get("help"), sep: sf.Tag.Get("sep"), v: v.Field(i)})
	}
	return out
}
