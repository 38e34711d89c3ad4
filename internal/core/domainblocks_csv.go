package core

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Mastodon's domain-blocklist CSV, as its admin export writes it:
//
//	#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
//	bad.example,suspend,true,false,Spam,false
//
// Import also reads Mastodon's older exports, whose header names carry no
// '#', and files that leave out any column but the domain (severity then
// defaults to suspend, the flags to false, as Mastodon's import does). The
// private comment is never exported.

// DomainBlockCSVHeader is the header Export writes.
var DomainBlockCSVHeader = []string{"#domain", "#severity", "#reject_media", "#reject_reports", "#public_comment", "#obfuscate"}

// Import bounds.
const (
	MaxDomainBlockCSVBytes = 4 << 20
	MaxDomainBlockCSVRows  = 50000
)

// ImportSummary counts what an import did.
type ImportSummary struct {
	Added, Updated, Unchanged int
}

// ImportDomainBlocks reads a domain-blocklist CSV and applies it all or
// nothing: any bad line fails the import with a model.ValidationError
// naming the line, and nothing is written. Importing the same file again
// changes nothing; an entry for a domain already blocked replaces that
// block's severity, flags and public comment (its private comment stays).
func (s *Service) ImportDomainBlocks(ctx context.Context, r io.Reader) (ImportSummary, error) {
	var sum ImportSummary
	rows, err := parseDomainBlockCSV(r)
	if err != nil {
		return sum, err
	}
	existing, err := s.store.AllDomainBlocks(ctx, true)
	if err != nil {
		return sum, fmt.Errorf("core: import domain blocks: %w", err)
	}
	prev := make(map[string]*store.DomainBlock, len(existing))
	for _, b := range existing {
		prev[b.Domain] = b
	}
	var changed []*store.DomainBlock
	for _, row := range rows {
		b := row.block
		if err := s.checkDomainBlock(&b); err != nil {
			return sum, csvLineErr(row.line, err)
		}
		p := prev[b.Domain]
		switch {
		case p == nil:
			sum.Added++
		case sameBlockFields(p, &b):
			sum.Unchanged++
			continue
		default:
			sum.Updated++
			b.PrivateComment = p.PrivateComment
		}
		changed = append(changed, &b)
	}
	if len(changed) == 0 {
		return sum, nil
	}
	return sum, s.putDomainBlocks(ctx, changed, prev)
}

// sameBlockFields reports whether an import row would change nothing.
func sameBlockFields(a, b *store.DomainBlock) bool {
	return a.Severity == b.Severity && a.RejectMedia == b.RejectMedia && a.RejectReports == b.RejectReports &&
		a.PublicComment == b.PublicComment && a.Obfuscate == b.Obfuscate
}

// csvLineErr names the line of a rejected entry in a client-safe message.
func csvLineErr(line int, err error) error {
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return model.Invalid(fmt.Sprintf("line %d: %s", line, ve.Msg))
	}
	return err
}

// csvRow is one parsed entry and the line it started on.
type csvRow struct {
	line  int
	block store.DomainBlock
}

// parseDomainBlockCSV reads and checks the whole file before anything is
// applied. Domains repeated (after normalising) are refused.
func parseDomainBlockCSV(r io.Reader) ([]csvRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDomainBlockCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("core: read domain blocks: %w", err)
	}
	if len(data) > MaxDomainBlockCSVBytes {
		return nil, model.Invalid(fmt.Sprintf("the file is larger than %d MiB", MaxDomainBlockCSVBytes>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a spreadsheet's byte order mark
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cols, err := readDomainBlockHeader(cr)
	if err != nil {
		return nil, err
	}
	var out []csvRow
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(err)
		}
		line, _ := cr.FieldPos(0)
		if len(out) == MaxDomainBlockCSVRows {
			return nil, model.Invalid(fmt.Sprintf("line %d: more than %d domains", line, MaxDomainBlockCSVRows))
		}
		row, err := parseDomainBlockRow(cols, rec, line)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[row.block.Domain]; dup {
			return nil, model.Invalid(fmt.Sprintf("line %d: %s is listed already on line %d", line, row.block.Domain, first))
		}
		seen[row.block.Domain] = line
		out = append(out, row)
	}
	return out, nil
}

// csvErr turns a CSV syntax error (an unterminated quote in a truncated
// file, say) into a message naming its line.
func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return model.Invalid(fmt.Sprintf("line %d: %v", pe.Line, pe.Err))
	}
	return model.Invalid("the file is not valid CSV")
}

// readDomainBlockHeader maps column names (without '#') to their index. The domain
// column is required; unknown columns (such as #private_comment from other
// tools) are ignored.
func readDomainBlockHeader(cr *csv.Reader) (map[string]int, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, model.Invalid("line 1: the file is empty; expected the header " + strings.Join(DomainBlockCSVHeader, ","))
	}
	if err != nil {
		return nil, csvErr(err)
	}
	cols := map[string]int{}
	for i, name := range rec {
		name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "#"))
		if _, dup := cols[name]; !dup {
			cols[name] = i
		}
	}
	if _, ok := cols["domain"]; !ok {
		return nil, model.Invalid("line 1: expected a header naming the columns, such as " + strings.Join(DomainBlockCSVHeader, ","))
	}
	return cols, nil
}

// parseDomainBlockRow reads one entry; the domain is normalised later, with the
// other checks an admin's block gets.
func parseDomainBlockRow(cols map[string]int, rec []string, line int) (csvRow, error) {
	field := func(name string) (string, bool) {
		i, ok := cols[name]
		if !ok {
			return "", false
		}
		if i >= len(rec) {
			return "", true
		}
		return strings.TrimSpace(rec[i]), true
	}
	fail := func(format string, args ...any) (csvRow, error) {
		return csvRow{}, model.Invalid(fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...))
	}
	if len(rec) < len(cols) {
		return fail("%d fields, but the header names %d (is the file cut short?)", len(rec), len(cols))
	}
	row := csvRow{line: line}
	b := &row.block
	b.Domain, _ = field("domain")
	d, err := NormalizeDomain(b.Domain)
	if err != nil {
		return fail("domain %q: %s", csvClip(b.Domain), strings.TrimPrefix(err.Error(), "domain "))
	}
	b.Domain = d
	b.Severity = store.SeveritySuspend
	if v, ok := field("severity"); ok {
		b.Severity = store.Severity(strings.ToLower(v))
		if !b.Severity.Valid() {
			return fail("unknown severity %q: want suspend, silence or noop", csvClip(v))
		}
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"reject_media", &b.RejectMedia}, {"reject_reports", &b.RejectReports}, {"obfuscate", &b.Obfuscate}} {
		v, _ := field(f.name)
		if *f.dst, err = csvBool(v); err != nil {
			return fail("%s %q: want true or false", f.name, csvClip(v))
		}
	}
	b.PublicComment, _ = field("public_comment")
	return row, nil
}

// csvBool reads Mastodon's true/false (and 1/0); empty is false.
func csvBool(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	return strconv.ParseBool(strings.ToLower(v))
}

// csvClip cuts a value quoted in an error message.
func csvClip(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64]) + "…"
	}
	return s
}

// ExportDomainBlocks writes every instance block as Mastodon's
// domain-blocklist CSV, ordered by domain.
func (s *Service) ExportDomainBlocks(ctx context.Context, w io.Writer) error {
	list, err := s.store.AllDomainBlocks(ctx, true)
	if err != nil {
		return fmt.Errorf("core: export domain blocks: %w", err)
	}
	cw := csv.NewWriter(w)
	_ = cw.Write(DomainBlockCSVHeader)
	for _, b := range list {
		_ = cw.Write([]string{b.Domain, string(b.Severity), strconv.FormatBool(b.RejectMedia),
			strconv.FormatBool(b.RejectReports), b.PublicComment, strconv.FormatBool(b.Obfuscate)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("core: export domain blocks: %w", err)
	}
	return nil
}
