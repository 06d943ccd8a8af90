//! Plain types and pure rules: no I/O, no SQL.

pub mod bidi;
pub mod canonical;
pub mod chain;
pub mod checkpoint;
mod enums;
pub mod item;
pub mod merkle;
pub mod packet;
pub mod report;
pub mod request;
pub mod signing;
pub mod taxonomy;
pub mod text;
pub mod url;

pub use enums::{ItemKind, Outcome, Platform, ProposalState, Role, Status};
pub use item::{Item, NewItem};
