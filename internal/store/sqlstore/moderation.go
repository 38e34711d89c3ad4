package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Domain blocks. Domains are stored normalised (lower-case ASCII), so a
// subdomain test is "equal, or ends with a dot and the blocked domain";
// normalised domains hold neither '%' nor '_', so the LIKE pattern has no
// wildcard but its own.

// domainBlockedBy is the accounts on a domain (or a subdomain of one) that
// the viewer ($1) blocked: the timeline and notification queries leave
// them out. It reads nothing when the viewer blocks no domain.
const domainBlockedBy = `SELECT da.id FROM user_domain_blocks udb JOIN accounts da
		ON da.domain = udb.domain OR da.domain LIKE ('%.' || udb.domain)
	WHERE udb.account_id = $1`

// instanceOwner is the vault owner of the instance's own sealed data.
const instanceOwner = 0

const domainBlockCols = `id, domain, severity, reject_media, reject_reports, obfuscate, created_at, updated_at`

func scanDomainBlock(sc rowScanner, extra ...any) (*store.DomainBlock, error) {
	var b store.DomainBlock
	dest := append([]any{&b.ID, &b.Domain, &b.Severity, &b.RejectMedia, &b.RejectReports, &b.Obfuscate,
		timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt}}, extra...)
	return &b, sc.Scan(dest...)
}

// scanSealedDomainBlock reads domainBlockCols and the two comments.
func (s *Store) scanSealedDomainBlock(ctx context.Context, sc rowScanner) (*store.DomainBlock, error) {
	var priv, pub []byte
	b, err := scanDomainBlock(sc, &priv, &pub)
	if err != nil {
		return nil, err
	}
	c := s.cipher(ctx, instanceOwner, "domain_blocks", b.ID)
	b.PrivateComment = c.openString("private_comment", priv)
	b.PublicComment = c.openString("public_comment", pub)
	return b, c.err
}

const sealedDomainBlockCols = domainBlockCols + `, private_comment, public_comment`

// PutDomainBlocks upserts in one transaction, looking each domain up first
// so that an update keeps the row's ID (which the comments are bound to).
func (s *Store) PutDomainBlocks(ctx context.Context, bs []*store.DomainBlock) error {
	now := s.now().UTC()
	err := s.tx(ctx, func(c conn) error {
		for _, b := range bs {
			if err := s.putDomainBlock(ctx, c, b, now); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail("put domain blocks", err)
}

func (s *Store) putDomainBlock(ctx context.Context, c conn, b *store.DomainBlock, now time.Time) error {
	err := c.row(ctx, `SELECT id, created_at FROM domain_blocks WHERE domain = $1`, b.Domain).
		Scan(&b.ID, timeCol{&b.CreatedAt})
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if !exists {
		if b.CreatedAt.IsZero() {
			b.CreatedAt = now
		}
		b.ID = newID(0, b.CreatedAt)
	}
	b.UpdatedAt = now
	ci := s.cipher(ctx, instanceOwner, "domain_blocks", b.ID)
	priv, pub := ci.sealString("private_comment", b.PrivateComment), ci.sealString("public_comment", b.PublicComment)
	if ci.err != nil {
		return ci.err
	}
	if exists {
		_, err = c.exec(ctx, `UPDATE domain_blocks SET severity = $2, reject_media = $3, reject_reports = $4,
			obfuscate = $5, private_comment = $6, public_comment = $7, updated_at = $8 WHERE id = $1`,
			b.ID, string(b.Severity), b.RejectMedia, b.RejectReports, b.Obfuscate, nullBytes(priv), nullBytes(pub), micros(now))
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO domain_blocks (id, domain, severity, reject_media, reject_reports, obfuscate,
		private_comment, public_comment, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		b.ID, b.Domain, string(b.Severity), b.RejectMedia, b.RejectReports, b.Obfuscate, nullBytes(priv), nullBytes(pub),
		micros(b.CreatedAt), micros(now))
	return err
}

func (s *Store) DomainBlock(ctx context.Context, id int64) (*store.DomainBlock, error) {
	r := s.conn().row(ctx, `SELECT `+sealedDomainBlockCols+` FROM domain_blocks WHERE id = $1`, id)
	b, err := s.scanSealedDomainBlock(ctx, r)
	return b, s.fail(opID("domain block", id), err)
}

func (s *Store) DomainBlockByDomain(ctx context.Context, domain string) (*store.DomainBlock, error) {
	r := s.conn().row(ctx, `SELECT `+sealedDomainBlockCols+` FROM domain_blocks WHERE domain = $1`, domain)
	b, err := s.scanSealedDomainBlock(ctx, r)
	return b, s.fail("domain block by domain", err)
}

func (s *Store) DeleteDomainBlock(ctx context.Context, id int64) error {
	n, err := s.conn().affected(ctx, `DELETE FROM domain_blocks WHERE id = $1`, id)
	return s.fail(opID("delete domain block", id), noRow(n, err))
}

// maxDomainPage is the most domain blocks one page holds, as Mastodon.
const maxDomainPage = 200

// domainPaging is paging with Mastodon's larger bounds for domain lists
// (default 100, at most 200).
func domainPaging(a *args, col string, p store.Page) (where, tail string, rev bool) {
	switch {
	case p.Limit <= 0:
		p.Limit = 100
	case p.Limit > maxDomainPage:
		p.Limit = maxDomainPage
	}
	limit := p.Limit
	where, tail, rev = paging(a, col, p)
	(*a)[len(*a)-1] = limit // paging clamps to the statuses' 40; its LIMIT is the last argument
	return where, tail, rev
}

func (s *Store) DomainBlocks(ctx context.Context, p store.Page) ([]*store.DomainBlock, error) {
	var a args
	where, tail, rev := domainPaging(&a, "id", p)
	rows, err := s.conn().query(ctx, `SELECT `+sealedDomainBlockCols+` FROM domain_blocks WHERE TRUE`+where+tail, a...)
	out, err := collect(rows, err, func(r rowScanner) (*store.DomainBlock, error) { return s.scanSealedDomainBlock(ctx, r) })
	if rev {
		reverse(out)
	}
	return out, s.fail("domain blocks", err)
}

func (s *Store) AllDomainBlocks(ctx context.Context, withComments bool) ([]*store.DomainBlock, error) {
	var out []*store.DomainBlock
	var err error
	if withComments {
		rows, qerr := s.conn().query(ctx, `SELECT `+sealedDomainBlockCols+` FROM domain_blocks ORDER BY domain`)
		out, err = collect(rows, qerr, func(r rowScanner) (*store.DomainBlock, error) { return s.scanSealedDomainBlock(ctx, r) })
	} else {
		rows, qerr := s.conn().query(ctx, `SELECT `+domainBlockCols+` FROM domain_blocks ORDER BY domain`)
		out, err = collect(rows, qerr, func(r rowScanner) (*store.DomainBlock, error) { return scanDomainBlock(r) })
	}
	return out, s.fail("all domain blocks", err)
}

func (s *Store) DomainAccountIDs(ctx context.Context, domain string) ([]int64, error) {
	ids, err := scanIDs(s.conn().query(ctx, `SELECT id FROM accounts WHERE domain <> ''
		AND (domain = $1 OR domain LIKE $2)`, domain, "%."+domain))
	return ids, s.fail("domain account ids", err)
}

// PutUserDomainBlock keeps the first block's row (and so its place in the
// listing) when a domain is blocked again.
func (s *Store) PutUserDomainBlock(ctx context.Context, accountID int64, domain string) error {
	now := s.now()
	_, err := s.conn().exec(ctx, `INSERT INTO user_domain_blocks (id, account_id, domain, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, domain) DO NOTHING`,
		model.NewID(now), accountID, domain, micros(now))
	return s.fail("put user domain block", err)
}

func (s *Store) DeleteUserDomainBlock(ctx context.Context, accountID int64, domain string) error {
	_, err := s.conn().exec(ctx, `DELETE FROM user_domain_blocks WHERE account_id = $1 AND domain = $2`, accountID, domain)
	return s.fail("delete user domain block", err)
}

func (s *Store) UserDomainBlocks(ctx context.Context, accountID int64, p store.Page) ([]store.Keyed[string], error) {
	a := args{accountID}
	where, tail, rev := domainPaging(&a, "id", p)
	rows, err := s.conn().query(ctx, `SELECT id, domain FROM user_domain_blocks WHERE account_id = $1`+where+tail, a...)
	out, err := collect(rows, err, func(r rowScanner) (store.Keyed[string], error) {
		var k store.Keyed[string]
		return k, r.Scan(&k.Key, &k.Value)
	})
	if rev {
		reverse(out)
	}
	return out, s.fail("user domain blocks", err)
}
