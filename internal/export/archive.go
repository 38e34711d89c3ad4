// Package export builds a local account's export archive, Mastodon's
// "request your archive" in Mastodon's layout, as a job with progress:
//
//   - outbox.json: the account's statuses of every visibility, each the
//     Create (or, for a boost, the Announce) the server published, in an
//     OrderedCollection, oldest first;
//   - actor.json: its actor document, with outbox, likes and bookmarks
//     pointing at the files beside it;
//   - likes.json and bookmarks.json: OrderedCollections of the ids of the
//     statuses it favourited and bookmarked;
//   - following_accounts.csv, blocked_accounts.csv, muted_accounts.csv,
//     blocked_domains.csv, bookmarks.csv and lists.csv: Mastodon's CSV
//     exports, in its formats, which Mastodon's import reads;
//   - README.txt: what each file is, and that no media is stored.
//
// The archive is a zip file. core stores it sealed under the account's key
// and deletes it a day after it was asked for (core.ExportLifetime). The
// ActivityStreams documents come from internal/federation, so an archive
// reads like what the server serves.
package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Files of the archive.
const (
	FileOutbox       = "outbox.json"
	FileActor        = "actor.json"
	FileLikes        = "likes.json"
	FileBookmarks    = "bookmarks.json"
	FileFollows      = "following_accounts.csv"
	FileBlocks       = "blocked_accounts.csv"
	FileMutes        = "muted_accounts.csv"
	FileDomainBlocks = "blocked_domains.csv"
	FileBookmarksCSV = "bookmarks.csv"
	FileLists        = "lists.csv"
	FileReadme       = "README.txt"
)

// Builder makes archives from what core reads.
type Builder struct {
	svc    *core.Service
	docs   *federation.Handler
	domain string
	now    func() time.Time
}

// NewBuilder returns a Builder over svc.
func NewBuilder(svc *core.Service) *Builder {
	return &Builder{svc: svc, docs: federation.New(svc, federation.Options{}), domain: svc.Settings().Domain, now: time.Now}
}

// Build reads local account accountID's data and returns its archive.
// progress is told how far it got, in percent, below 100.
func (b *Builder) Build(ctx context.Context, accountID int64, progress func(percent int) error) ([]byte, error) {
	c, err := b.svc.ExportContent(ctx, accountID, progress)
	if err != nil {
		return nil, err
	}
	files, err := b.files(ctx, c)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: b.now().UTC()})
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		if _, err := w.Write(f.body); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return buf.Bytes(), nil
}

type file struct {
	name string
	body []byte
}

// files renders every file of the archive, in the order it holds them.
func (b *Builder) files(ctx context.Context, c *core.ExportContent) ([]file, error) {
	outbox, err := b.outbox(c)
	if err != nil {
		return nil, err
	}
	actor, err := b.actor(ctx, c.Account)
	if err != nil {
		return nil, err
	}
	likes, err := b.iriCollection(FileLikes, c.Likes)
	if err != nil {
		return nil, err
	}
	bookmarks, err := b.iriCollection(FileBookmarks, c.Bookmarks)
	if err != nil {
		return nil, err
	}
	out := []file{{FileReadme, readme(c, b.domain)}, {FileActor, actor}, {FileOutbox, outbox},
		{FileLikes, likes}, {FileBookmarks, bookmarks}}
	for _, f := range []struct {
		name string
		rows [][]string
	}{
		{FileFollows, c.Records(core.CSVFollowing, b.domain)},
		{FileBlocks, c.Records(core.CSVBlocks, b.domain)},
		{FileMutes, c.Records(core.CSVMutes, b.domain)},
		{FileDomainBlocks, c.Records(core.CSVDomainBlocks, b.domain)},
		{FileBookmarksCSV, single(b.iris(c.Bookmarks))},
		{FileLists, c.Records(core.CSVLists, b.domain)},
	} {
		body, err := CSV(f.rows)
		if err != nil {
			return nil, err
		}
		out = append(out, file{f.name, body})
	}
	return out, nil
}

// outbox is the account's activities, oldest first, as one
// OrderedCollection whose items carry no @context of their own.
func (b *Builder) outbox(c *core.ExportContent) ([]byte, error) {
	items := make([]ap.Ref, 0, len(c.Statuses))
	for _, f := range c.Statuses {
		if a := b.docs.ExportActivity(f); a != nil {
			items = append(items, ap.Ref{IRI: a.ID, Object: a})
		}
	}
	col := ap.NewOrderedCollection(FileOutbox, len(items), "")
	col.Items = items
	return marshalCollection(col)
}

// actor is the actor document, its collections pointing into the archive.
func (b *Builder) actor(ctx context.Context, a *model.Account) ([]byte, error) {
	doc, err := b.docs.ExportActor(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("export: actor: %w", err)
	}
	raw, err := ap.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("export: actor: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("export: actor: %w", err)
	}
	m["outbox"], m["likes"], m["bookmarks"] = FileOutbox, FileLikes, FileBookmarks
	return encodeJSON(m)
}

// iriCollection is an OrderedCollection of the ids of refs, as Mastodon's
// likes.json and bookmarks.json.
func (b *Builder) iriCollection(id string, refs []core.StatusRef) ([]byte, error) {
	iris := b.iris(refs)
	col := ap.NewOrderedCollection(id, len(iris), "")
	for _, iri := range iris {
		col.Items = append(col.Items, ap.Ref{IRI: iri})
	}
	return marshalCollection(col)
}

func (b *Builder) iris(refs []core.StatusRef) []string {
	var out []string
	for _, r := range refs {
		if iri := b.docs.StatusIRI(r.Status, r.Author); iri != "" {
			out = append(out, iri)
		}
	}
	return out
}

// marshalCollection encodes col, listing orderedItems even when there are
// none, as Mastodon's archive does.
func marshalCollection(col *ap.Object) ([]byte, error) {
	raw, err := ap.Marshal(col)
	if err != nil {
		return nil, fmt.Errorf("export: %s: %w", col.ID, err)
	}
	if len(col.Items) > 0 {
		return raw, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("export: %s: %w", col.ID, err)
	}
	m["orderedItems"] = []any{}
	return encodeJSON(m)
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func single(vs []string) [][]string {
	rows := make([][]string, 0, len(vs))
	for _, v := range vs {
		rows = append(rows, []string{v})
	}
	return rows
}

// CSV writes rows as Mastodon does (comma-separated, quoted where
// needed, \n line ends).
func CSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil { // WriteAll flushes
		return nil, fmt.Errorf("export: csv: %w", err)
	}
	return buf.Bytes(), nil
}
