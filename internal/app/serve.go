package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server timeouts. ReadHeaderTimeout bounds slow clients that trickle
// headers; whole-request and response timeouts are left to handlers, since
// uploads and (later) streaming need long ones.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	// shutdownTimeout is how long Serve waits for requests and jobs in
	// flight once asked to stop.
	shutdownTimeout = 20 * time.Second
)

// Serve serves HTTP on ln and works jobs until ctx is done, then stops
// taking requests, waits for those in flight and for running jobs (up to
// shutdownTimeout), and returns nil. It returns an error if the server or the
// queue fails. Serve closes ln.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// net/http's own log names client addresses (TLS and read errors,
		// panics); Roost never logs addresses, so each line is logged with
		// them scrubbed. Panics are caught and logged by the handler.
		ErrorLog: serverErrorLog(a.log),
		BaseContext: func(net.Listener) context.Context {
			return context.WithoutCancel(ctx)
		},
	}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	if err := a.queue.Start(workCtx); err != nil {
		_ = ln.Close()
		return fmt.Errorf("app: %w", err)
	}
	go a.watchInstanceSettings(workCtx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	a.log.Info("serving", "url", a.cfg.BaseURL(), "listen", ln.Addr().String())

	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
		a.log.Info("shutting down")
	}
	return errors.Join(serveErr, a.shutdown(srv, serveErr == nil))
}

// shutdown stops the HTTP server (when it still runs) and the job workers.
func (a *App) shutdown(srv *http.Server, running bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var errs []error
	if running {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("app: http shutdown: %w", err))
			_ = srv.Close()
		}
	}
	if err := a.queue.Stop(ctx); err != nil {
		errs = append(errs, fmt.Errorf("app: %w", err))
	}
	return errors.Join(errs...)
}
