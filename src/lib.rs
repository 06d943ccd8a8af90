//! Parakh: a review workstation for reported social-media accounts, channels and posts run
//! by proscribed armed groups. Evidence-backed decisions, four-eyes approval and a
//! hash-chained audit trail, over one embedded SQLite store.
//!
//! Layers, top to bottom: [`cli`] (and later the GUI) parse input and call the use cases;
//! the use-case modules ([`auth`], [`review`], [`evidence`], [`import`], [`taxonomy`],
//! [`audit`], [`export`], [`queue`], [`demo`]) enforce every rule; [`store`] holds all SQL;
//! [`model`] holds plain types and pure rules.

pub mod appeals;
pub mod audit;
pub mod auth;
pub mod bagit;
pub mod checkpoint;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod export;
pub mod gui;
pub mod hashlist;
pub mod import;
pub mod keys;
pub mod mirrors;
pub mod model;
pub mod ocr;
pub mod outfile;
pub mod parallel;
pub mod pdq;
pub mod pdq_index;
pub mod process;
pub mod queue;
pub mod report;
pub mod requests;
pub mod review;
pub mod server;
pub mod store;
pub mod taxonomy;
pub mod typeset;
pub mod witness;
pub mod workspace;

pub use error::{Error, Result};
pub use workspace::{Session, Workspace};
