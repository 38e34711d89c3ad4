package cli_test

import (
	"bufio"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/testutil/roostbin"
)

// These tests build the real roost binary and run it as a user would.

func TestMain(m *testing.M) {
	code := m.Run()
	roostbin.Cleanup()
	os.Exit(code)
}

// cleanEnv is the test's environment without ROOST_* variables, so that
// the binary sees only the configuration a test gives it.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ROOST_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs the binary in dir with env and stdin and waits for it.
func run(t *testing.T, dir string, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(roostbin.Path(t), args...)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, cleanEnv(env...), strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run roost %v: %v", args, err)
	}
	return r
}

func mustRun(t *testing.T, dir string, env []string, stdin string, args ...string) string {
	t.Helper()
	r := run(t, dir, env, stdin, args...)
	if r.code != 0 {
		t.Fatalf("roost %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func TestVersion(t *testing.T) {
	out := mustRun(t, t.TempDir(), nil, "", "version")
	if !strings.HasPrefix(out, "roost ") || !strings.Contains(out, runtime.Version()) {
		t.Fatalf("version printed %q", out)
	}
}

func TestUsage(t *testing.T) {
	r := run(t, t.TempDir(), nil, "")
	if r.code != 2 || !strings.Contains(r.stderr, "admin create-user") || !strings.Contains(r.stderr, "-data-dir") {
		t.Fatalf("no arguments: exit %d\n%s", r.code, r.stderr)
	}
	r = run(t, t.TempDir(), nil, "", "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: exit %d\n%s", r.code, r.stderr)
	}
	r = run(t, t.TempDir(), nil, "", "admin", "set-role", "alice")
	if r.code != 2 || !strings.Contains(r.stderr, "USER ROLE") {
		t.Fatalf("missing argument: exit %d\n%s", r.code, r.stderr)
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := []struct {
		name string
		env  []string
		args []string
		key  string // the key the error must name
	}{
		{"bad value in file", nil, []string{"--config", write("bad.toml", "[instance]\nmax_status_chars = 10\n")}, "instance.max_status_chars"},
		{"unknown key in file", nil, []string{"--config", write("typo.toml", "[instance]\ntitel = \"x\"\n")}, "instance.titel"},
		{"bad environment", []string{"ROOST_LISTEN=nowhere"}, nil, "listen"},
		{"unknown environment", []string{"ROOST_LISTN=127.0.0.1:1"}, nil, "ROOST_LISTN"},
		{"bad flag", nil, []string{"--instance-registration", "sometimes"}, "instance.registration"},
		{"public domain without https", nil, []string{"--domain", "social.example"}, "behind_https_proxy"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, dir, c.env, "", append([]string{"config", "check"}, c.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, c.key) {
				t.Fatalf("exit %d, want 1 with %q named\nstderr: %s", r.code, c.key, r.stderr)
			}
		})
	}
	t.Run("good", func(t *testing.T) {
		out := mustRun(t, dir, []string{"ROOST_INSTANCE_TITLE=Birds"}, "", "config", "check",
			"--database-driver", "postgres", "--database-url", "postgres://roost:hunter2@db.internal/roost")
		if !strings.Contains(out, "Birds") || !strings.Contains(out, "REDACTED") || strings.Contains(out, "hunter2") {
			t.Fatalf("config check printed:\n%s", out)
		}
	})
}

func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	data := []string{"--data-dir", filepath.Join(dir, "data")}
	admin := func(stdin string, args ...string) string {
		t.Helper()
		return mustRun(t, dir, nil, stdin, append(append([]string{"admin"}, args...), data...)...)
	}
	out := admin("", "create-user", "--username", "alice", "--email", "alice@example.com", "--role", "admin")
	pw := valueAfter(t, out, "Password: ")
	if len(pw) < 16 {
		t.Fatalf("generated password %q is short", pw)
	}
	admin("s3cret-from-stdin\n", "create-user", "--username", "bob", "--password-stdin")
	r := run(t, dir, nil, "", append([]string{"admin", "create-user", "--username", "ALICE"}, data...)...)
	if r.code != 1 || !strings.Contains(r.stderr, "taken") {
		t.Fatalf("duplicate user: exit %d\n%s", r.code, r.stderr)
	}

	admin("", "set-role", "bob", "moderator")
	newPW := valueAfter(t, admin("", "reset-password", "alice"), "New password for alice: ")
	if newPW == pw || newPW == "" {
		t.Fatalf("reset-password gave %q", newPW)
	}
	admin("", "suspend", "bob")
	admin("", "approve", "bob")

	list := admin("", "list-users")
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n")[1:] {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	if got := rows["alice"]; len(got) != 5 || got[1] != "admin" || got[3] != "no" {
		t.Errorf("alice is listed as %v", got)
	}
	if got := rows["bob"]; len(got) != 5 || got[1] != "moderator" || got[3] != "yes" {
		t.Errorf("bob is listed as %v", got)
	}
	if strings.Contains(list, "alice@example.com") {
		t.Error("list-users prints emails")
	}
	r = run(t, dir, nil, "", append([]string{"admin", "suspend", "nobody"}, data...)...)
	if r.code != 1 || !strings.Contains(r.stderr, "no such user") {
		t.Fatalf("suspend nobody: exit %d\n%s", r.code, r.stderr)
	}
}

// TestSealedMasterKey seals the master key, then checks that the data
// opens only with the passphrase, before and after a key rotation.
func TestSealedMasterKey(t *testing.T) {
	dir := t.TempDir()
	data := []string{"--data-dir", filepath.Join(dir, "data")}
	pass := []string{"ROOST_MASTER_PASSPHRASE=correct horse"}
	mustRun(t, dir, nil, "", append([]string{"admin", "create-user", "--username", "dora", "--password", "dora-pass-1234"}, data...)...)
	out := mustRun(t, dir, pass, "", append([]string{"key", "seal"}, data...)...)
	if !strings.Contains(out, "Sealed") {
		t.Fatalf("key seal said %q", out)
	}
	list := append([]string{"admin", "list-users"}, data...)
	if r := run(t, dir, nil, "wrong horse\n", list...); r.code != 1 || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("wrong passphrase: exit %d\n%s", r.code, r.stderr)
	}
	if out := mustRun(t, dir, nil, "correct horse\n", list...); !strings.Contains(out, "dora") {
		t.Fatalf("list-users after sealing: %q", out)
	}
	before, err := os.ReadFile(filepath.Join(dir, "data", "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, pass, "", append([]string{"key", "rotate"}, data...)...)
	after, err := os.ReadFile(filepath.Join(dir, "data", "master.key"))
	if err != nil || string(after) == string(before) {
		t.Fatalf("key rotate left the key file as it was (%v)", err)
	}
	if out := mustRun(t, dir, pass, "", list...); !strings.Contains(out, "dora") {
		t.Fatalf("list-users after rotating: %q", out)
	}
}

// TestServeWithoutConfiguration starts `roost serve` in an empty directory
// with no configuration but the port, runs the admin command it suggests,
// reads the instance, checks the data files are private, and stops it with
// SIGTERM.
func TestServeWithoutConfiguration(t *testing.T) {
	wd := t.TempDir()
	port := freePort(t)
	domain := "localhost:" + port
	cmd := exec.Command(roostbin.Path(t), "serve", "--listen", "127.0.0.1:"+port, "--domain", domain)
	cmd.Dir, cmd.Env = wd, cleanEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-exited
		}
	}()

	lines := readLines(stdout)
	url, suggestion := "", ""
	deadline := time.After(60 * time.Second)
	for url == "" || suggestion == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped printing before the URL and the admin command\nstderr: %s", stderr.String())
			}
			if u, ok := strings.CutPrefix(line, "Roost is running at "); ok {
				url = u
			}
			if strings.Contains(line, "admin create-user") {
				suggestion = strings.TrimSpace(line)
			}
		case <-deadline:
			t.Fatalf("serve printed no URL within 60s\nstderr: %s", stderr.String())
		}
	}
	if url != "http://"+domain {
		t.Errorf("serve printed URL %q, want http://%s", url, domain)
	}
	go func() {
		for range lines { // keep the pipe drained
		}
	}()

	// The suggested command works as printed, while the server runs.
	args := strings.Fields(suggestion)
	if args[0] != roostbin.Path(t) {
		t.Fatalf("suggested %q, which does not start with the binary", suggestion)
	}
	if out := mustRun(t, wd, nil, "", args[1:]...); !strings.Contains(out, "Password: ") || !strings.Contains(out, domain) {
		t.Fatalf("%s printed %q", suggestion, out)
	}

	res, err := http.Get("http://127.0.0.1:" + port + "/api/v1/instance")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), domain) {
		t.Fatalf("/api/v1/instance = %d %s", res.StatusCode, body)
	}
	checkPrivate(t, filepath.Join(wd, "roost-data"))

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM\nstderr: %s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop within 30s of SIGTERM\nstderr: %s", stderr.String())
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("serve logged:\n%s", stderr.String())
	}
}

// checkPrivate fails t unless every file under dir is 0600 and every
// directory 0700, with at least the database, the key store and the master
// key there.
func checkPrivate(t *testing.T, dir string) {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %04o, want %04o", path, fi.Mode().Perm(), want)
		}
		seen[d.Name()] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"roost.db", "keys.db", "master.key"} {
		if !seen[name] {
			t.Errorf("no %s in %s (found %v)", name, dir, seen)
		}
	}
}

func readLines(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func valueAfter(t *testing.T, out, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %q in:\n%s", prefix, out)
	return ""
}
