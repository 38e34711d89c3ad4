package core

import "context"

// EventKind names something a local account did that other servers must
// hear of. The federation adapter turns events into activities and
// delivers them; core only says what happened.
type EventKind string

const (
	EventStatusCreated  EventKind = "status.created"  // StatusID (a post or a boost)
	EventStatusUpdated  EventKind = "status.updated"  // StatusID
	EventStatusDeleted  EventKind = "status.deleted"  // StatusID, plus Deleted: what delivery needs after the row is gone
	EventFollowed       EventKind = "follow"          // ActorID follows (or requests) TargetID
	EventUnfollowed     EventKind = "unfollow"        // ActorID stopped following TargetID
	EventFollowAccepted EventKind = "follow.accepted" // ActorID (local) accepted TargetID's follow
	EventFollowRejected EventKind = "follow.rejected" // ActorID (local) rejected or removed TargetID's follow
	EventFavourited     EventKind = "favourite"       // ActorID liked StatusID
	EventUnfavourited   EventKind = "unfavourite"     // ActorID unliked StatusID
	EventBlocked        EventKind = "block"           // ActorID blocked TargetID
	EventUnblocked      EventKind = "unblock"         // ActorID unblocked TargetID
	EventProfileUpdated EventKind = "profile.updated" // ActorID's profile or keys changed
	EventMoved          EventKind = "move"            // ActorID moved to TargetID (Move to its followers)
	EventPinned         EventKind = "pin"             // ActorID pinned (featured) its public or unlisted StatusID
	EventUnpinned       EventKind = "unpin"           // ActorID unpinned StatusID
)

// EventReportForwarded: ActorID (local) reported TargetID (remote) in
// ReportID and asked for the report to be forwarded to TargetID's server.
const EventReportForwarded EventKind = "report.forwarded"

// EventAccountDeleted: local account ActorID was deleted. Its row is gone;
// the delivery of Delete(Person) reads the username, inboxes and kept
// signing key from the deletion record (Service.DeletedActor).
const EventAccountDeleted EventKind = "account.deleted"

// Event is one thing a local account did. IDs only: events become durable
// delivery jobs, and job records are kept in clear, so no personal text may
// ride along.
type Event struct {
	Kind     EventKind
	ActorID  int64 // the local account that acted
	TargetID int64 // the other account, for follows, blocks
	StatusID int64 // the status concerned
	// RowID is the favourite's or block's row, for EventFavourited,
	// EventUnfavourited, EventBlocked and EventUnblocked: it names the
	// Like or Block, so that a like after an unlike is a new activity
	// while each Undo names the one it takes back. Read before an undo
	// deletes the row.
	RowID int64
	// ReportID is the report, for EventReportForwarded (never its comment).
	ReportID int64
	// Deleted describes a status that no longer exists, for
	// EventStatusDeleted (and undoing a boost, which deletes the boost).
	Deleted *DeletedStatus
}

// DeletedStatus is what delivering a Delete needs once the status is gone:
// its ActivityPub id and who could see it.
type DeletedStatus struct {
	URI        string
	Visibility string
	ReblogOf   int64   // the boosted status, when a boost was undone
	Mentioned  []int64 // accounts it mentioned
}

// Publisher receives events. Publish must be quick and durable (enqueue,
// don't deliver inline); an error is logged by the caller, never shown to
// the user whose action already succeeded.
type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

// SetPublisher installs the federation adapter's publisher. Without one,
// events go nowhere (a server with federation off, and most unit tests).
func (s *Service) SetPublisher(p Publisher) { s.pub = p }

// publish hands e to the publisher, if any. A failure to enqueue is logged
// by the publisher itself; the local action stands.
func (s *Service) publish(ctx context.Context, e Event) {
	if s.pub != nil {
		_ = s.pub.Publish(ctx, e)
	}
}
