package jobs

import (
	"context"
	"log/slog"
)

// quietLogger returns l (or slog.Default()) restricted to warn and above.
// River logs every failed job attempt at info level with the worker's error
// text, which could quote personal data; warn and above carry job ids, kinds
// and database errors.
func quietLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		l = slog.Default()
	}
	return slog.New(warnHandler{l.Handler()})
}

// warnHandler drops records below slog.LevelWarn.
type warnHandler struct {
	next slog.Handler
}

func (h warnHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && h.next.Enabled(ctx, level)
}

func (h warnHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return nil
	}
	return h.next.Handle(ctx, r)
}

func (h warnHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnHandler{h.next.WithAttrs(attrs)}
}

func (h warnHandler) WithGroup(name string) slog.Handler {
	return warnHandler{h.next.WithGroup(name)}
}
