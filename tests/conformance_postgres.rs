//! The conformance suite: the desk's own test files, run unchanged on a team server
//! (PostgreSQL). Each file's `common::desk()` sees that it runs in this binary and makes a
//! fresh database on the tests' server (`PARAKH_TEST_SERVER`, or a throwaway cluster
//! started by `.ci/postgres`) instead of a file, so every workflow rule, database rule and
//! audit check below is asserted by the same code on both stores.
// Each included file brings its own `mod common`, as in its own binary: on purpose.
#![allow(clippy::duplicate_mod)]

#[path = "workflow.rs"]
mod workflow;

#[path = "appeals.rs"]
mod appeals;

#[path = "requests.rs"]
mod requests;

#[path = "hash_lists.rs"]
mod hash_lists;

#[path = "mirrors.rs"]
mod mirrors;

#[path = "report.rs"]
mod report;

#[path = "database_rules.rs"]
mod database_rules;

#[path = "audit_tamper.rs"]
mod audit_tamper;

#[path = "signatures.rs"]
mod signatures;

#[path = "checkpoints.rs"]
mod checkpoints;

#[path = "audit_replay.rs"]
mod audit_replay;

#[path = "screenshot_text.rs"]
mod screenshot_text;
