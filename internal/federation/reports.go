package federation

import (
	"context"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Forwarded reports. A local user's report about a remote account, when
// the user asks for it to be forwarded, goes to the account's server as a
// Flag, as Mastodon sends it: from the instance actor (the reporter stays
// anonymous there), with the reported actor and its reported statuses as
// object and the comment as content, to the server's shared inbox (else
// the account's own). The job carries the report's id only; the Flag is
// rebuilt from the store when it is delivered.

// flagID is a forwarded report's Flag id: the instance actor's, with the
// report's id, so that every delivery of one report names the same Flag.
func flagID(instanceActor string, reportID int64) string {
	return instanceActor + "#reports/" + model.FormatID(reportID)
}

// reportRecipients is the inbox a forwarded report goes to.
func (p *Publisher) reportRecipients(ctx context.Context, a FanoutArgs) ([]string, error) {
	f, err := p.svc.DeliveryReport(ctx, a.ReportID)
	if err != nil || f.SharedInbox == "" {
		return nil, err
	}
	return []string{f.SharedInbox}, nil
}

// flagOf rebuilds the Flag of a forwarded report.
func (d *Deliverer) flagOf(ctx context.Context, a DeliverArgs) (*ap.Object, error) {
	f, err := d.svc.DeliveryReport(ctx, a.ReportID)
	if err != nil {
		return nil, err
	}
	me := d.docs.urls.instanceActor()
	objects := append([]string{f.Target.URI}, f.StatusURIs...)
	return ap.NewFlag(flagID(me, a.ReportID), me, f.Comment, objects), nil
}

// signerOf names whose key signs a delivery: the instance actor's (vault
// owner 0) for a forwarded report, the acting account's otherwise.
func (d *Deliverer) signerOf(actor *model.Account, a DeliverArgs) (owner int64, keyID string) {
	if a.Event == core.EventReportForwarded {
		return 0, d.docs.urls.instanceActor() + mainKeyFragment
	}
	return actor.ID, d.docs.urls.actor(actor.Username) + mainKeyFragment
}
