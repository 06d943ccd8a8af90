//! Plain types and pure rules: no I/O, no SQL. The types the use cases, the GUI and the
//! store share live here, whichever store they came from.

mod appeal;
pub mod bidi;
pub mod canonical;
pub mod chain;
pub mod checkpoint;
mod decision;
mod enums;
mod event;
mod evidence;
mod hash_list;
pub mod item;
mod key;
pub mod merkle;
pub mod ocr;
pub mod packet;
mod queue;
pub mod report;
pub mod request;
pub mod signing;
mod tag;
pub mod taxonomy;
pub mod text;
pub mod url;
mod user;

pub use appeal::{AppealClosing, AppealOutcomeRow, AppealRow};
pub use decision::{ApprovalRow, DecisionRow, ProposalRow, ReturnRow};
pub use enums::{ItemKind, Outcome, Platform, ProposalState, Role, Status};
pub use event::{Change, Changes, EventRow};
pub use evidence::{EvidenceMeta, NewEvidence};
pub use hash_list::{HashListRow, ListEntry, MirrorVerdict, TakenDown};
pub use item::{Item, NewItem};
pub use key::{KeyRow, SignatureRow};
pub use queue::{QueueFilter, QueueRow, QueueSort};
pub use report::{ApprovedRow, ProposalTiming};
pub use request::{RequestItemRow, RequestRow, ResponseRow, SendRow};
pub use tag::{TagLink, TagRow};
pub use taxonomy::TaxonomyVersion;
pub use user::{FailureCount, UserRow};
