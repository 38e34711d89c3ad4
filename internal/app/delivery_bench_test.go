package app_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/testutil/pgtest"
)

// BenchmarkFanOut delivers one post to followers on N distinct loopback
// servers (one port each, so one host each), whose inboxes verify every
// signature (keys fetched once from Roost's actor document, then cached
// as a real server would). N is 1000, or 100 with -short. It reports the
// wall and CPU time of a fan-out next to the measured cost of N RSA
// signatures with the same key on the same machine. The inboxes run in
// the benchmark's process, so their verification is in the CPU time.
func BenchmarkFanOut(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchFanOut(b, nil) })
	b.Run("postgres", func(b *testing.B) {
		dsn, schema := pgtest.Schema(b)
		b.Cleanup(func() { dropKeySchema(b, schema+"_keys") })
		benchFanOut(b, []string{"--database-driver", "postgres", "--database-url", dsn})
	})
}

// dropKeySchema drops the key store's schema, which pgtest did not make.
func dropKeySchema(b *testing.B, schema string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.ServerURL())
	if err != nil {
		b.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		b.Errorf("drop schema %s: %v", schema, err)
	}
}

func benchFanOut(b *testing.B, dbFlags []string) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	cfg := benchConfig(b, append([]string{"--data-dir", b.TempDir(), "--listen", addr, "--domain", addr,
		"--dev-allow-private-networks"}, dbFlags...)...)
	a, err := app.Open(ctx, cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Serve(serveCtx, ln) }()
	defer func() {
		cancel()
		<-done
		_ = a.Close()
	}()
	svc := a.Service()
	alice, err := svc.CreateUser(ctx, core.NewUser{Username: "alice", Password: "password-alice", Approved: true})
	if err != nil {
		b.Fatal(err)
	}

	inboxes := &benchInboxes{}
	srv := &http.Server{Handler: inboxes, ReadHeaderTimeout: 10 * time.Second}
	defer srv.Close()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go func() { _ = srv.Serve(l) }()
		host := l.Addr().String()
		uri := "http://" + host + "/users/f"
		f := &model.Account{Username: "f", Domain: host, URI: uri}
		if err := a.Store().PutRemoteActor(ctx, f, &store.RemoteActor{Inbox: uri + "/inbox"}); err != nil {
			b.Fatal(err)
		}
		if err := a.Store().PutFollow(ctx, &model.Follow{ID: model.NewID(time.Now()), AccountID: f.ID,
			TargetID: alice.ID, CreatedAt: time.Now()}); err != nil {
			b.Fatal(err)
		}
	}
	fanout := func() {
		inboxes.got.Store(0)
		if _, err := svc.PostStatus(ctx, alice, core.NewStatus{Text: "to all", Visibility: model.VisibilityPublic}); err != nil {
			b.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Minute)
		for inboxes.got.Load() < int64(n) {
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d inboxes got the post", inboxes.got.Load(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if bad := inboxes.bad.Load(); bad != 0 {
			b.Fatalf("%d deliveries failed verification", bad)
		}
	}
	fanout() // warm up: keys fetched, connections open

	b.ResetTimer()
	cpu0, wall0 := cpuTime(), time.Now()
	for range b.N {
		fanout()
	}
	wall, cpu := time.Since(wall0)/time.Duration(b.N), (cpuTime()-cpu0)/time.Duration(b.N)
	b.StopTimer()

	keys, err := svc.ActorKeys(ctx, alice.ID)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("fan-out"))
	sign0 := time.Now()
	for range n {
		if _, err := keys.RSA.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
			b.Fatal(err)
		}
	}
	sign := time.Since(sign0)
	b.ReportMetric(float64(wall.Milliseconds()), "wall-ms/fanout")
	b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/fanout")
	b.ReportMetric(float64(sign.Milliseconds()), "rsa-sign-ms/N")
	b.ReportMetric(float64(wall)/float64(sign), "wall/sign")
	b.ReportMetric(float64(cpu)/float64(sign), "cpu/sign")
	b.ReportMetric(float64(n), "inboxes")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchConfig(b *testing.B, flags ...string) *config.Config {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	f := config.RegisterFlags(fs)
	if err := fs.Parse(flags); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(nil, f)
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// benchInboxes is every benchmark inbox: it verifies each POST's
// signature and counts the Creates that verify.
type benchInboxes struct {
	got, bad atomic.Int64
	keys     actorKeys
}

func (h *benchInboxes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad", 400)
		return
	}
	res, err := httpsig.Verify(r, body, h.keys.lookup, httpsig.VerifyOptions{Scheme: "http"})
	var act struct{ Type, Actor string }
	if err == nil {
		err = json.Unmarshal(body, &act)
	}
	if err != nil || res.KeyID != act.Actor+"#main-key" {
		h.bad.Add(1)
		http.Error(w, "unauthorized", 401)
		return
	}
	if act.Type == "Create" {
		h.got.Add(1)
	}
	w.WriteHeader(http.StatusAccepted)
}
