//! The command-line grammar.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Parakh: review reported accounts and posts of proscribed groups, with four-eyes
/// decisions and a verifiable audit trail.
#[derive(Debug, Parser)]
#[command(name = "parakh", version, about, long_about = None)]
pub struct Cli {
    /// The store file (default: the platform data directory, e.g. ~/.local/share/parakh/parakh.db).
    #[arg(long, global = true, env = "PARAKH_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Act as this user; the password comes from PARAKH_PASSWORD or a prompt on a terminal.
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub as_user: Option<String>,
    /// What to do; without one, the workstation opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store with the default taxonomy (safe to run again).
    Init,
    /// Create a store full of synthetic demo data and print the demo users' passwords.
    Demo {
        /// How many items.
        #[arg(long, default_value_t = crate::demo::DEFAULT_ITEMS)]
        items: usize,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Set up a unit's team server (PostgreSQL).
    #[command(subcommand)]
    Server(ServerCommand),
    /// Import reported items from a .csv or .jsonl file (all or nothing).
    Import {
        /// The file.
        file: PathBuf,
    },
    /// List the queue.
    Queue(QueueArgs),
    /// Show one item with its tags, evidence and decisions.
    Show {
        /// Item id.
        item: ItemRef,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Claim an item for review (or renew your claim) for 15 minutes.
    Claim {
        /// Item id.
        item: ItemRef,
    },
    /// Release your claim on an item.
    Release {
        /// Item id.
        item: ItemRef,
    },
    /// Tag an item with groups and legal grounds from the current taxonomy.
    Tag(TagArgs),
    /// Remove group or legal-ground tags from an item.
    Untag(TagArgs),
    /// Attach image files as evidence.
    Attach {
        /// Item id.
        item: ItemRef,
        /// PNG, JPEG, WebP or GIF files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Seal and propose a decision.
    Propose {
        /// Item id.
        item: ItemRef,
        /// takedown, no_violation or insufficient_evidence.
        #[arg(long)]
        outcome: String,
        /// Why.
        #[arg(long)]
        rationale: String,
    },
    /// Approve the pending decision on an item (a lead other than the proposer).
    Approve {
        /// Item id.
        item: ItemRef,
        /// The packet hash you reviewed; refused as stale if it is no longer the sealed one.
        #[arg(long, value_name = "SHA256")]
        packet: Option<String>,
    },
    /// Return the pending decision on an item to review, with a reason.
    Return {
        /// Item id.
        item: ItemRef,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Read and verify the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Taxonomy of groups and legal grounds.
    #[command(subcommand)]
    Taxonomy(TaxonomyCommand),
    /// Export records.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Stored evidence.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Possible mirrors of taken-down accounts, best first, with the score of every field.
    Mirrors {
        /// Item id.
        item: ItemRef,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Record that the item is a mirror of this taken-down item (needs --as and a claim);
        /// its groups and legal grounds are copied to the item.
        #[arg(long, value_name = "ITEM", conflicts_with = "reject")]
        confirm: Option<ItemRef>,
        /// Record that the item is not a mirror of this taken-down item (needs --as and a claim).
        #[arg(long, value_name = "ITEM")]
        reject: Option<ItemRef>,
    },
    /// Hash lists of known content.
    #[command(subcommand)]
    Hashlist(HashlistCommand),
    /// Read the text inside stored screenshots with Tesseract (OCR), so search finds it.
    Ocr {
        /// Read every stored screenshot not read yet (after a large import, or evidence
        /// attached while Tesseract was missing).
        #[arg(long, required = true)]
        pending: bool,
        /// Also read again those whose reading failed.
        #[arg(long)]
        retry_failed: bool,
    },
    /// Print the PDQ perceptual hash of image files: `<64 hex> <quality> <file>`.
    Hash {
        /// PNG, JPEG, WebP or GIF files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Takedown and reinstatement requests to platforms, and the platforms' responses.
    #[command(subcommand)]
    Request(super::requests::RequestCommand),
    /// Appeals of final decisions.
    #[command(subcommand)]
    Appeal(super::requests::AppealCommand),
    /// Write the transparency report for a period as .csv or .html.
    Report {
        /// First day (YYYY-MM-DD, UTC).
        #[arg(long)]
        from: String,
        /// Last day, inclusive (YYYY-MM-DD, UTC).
        #[arg(long)]
        to: String,
        /// The output file: .csv or .html.
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists (a link or the open store is never written over).
        #[arg(long)]
        force: bool,
    },
}

/// `parakh server …`
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create the database named by --db postgres://OWNER:PASSWORD@HOST:PORT/DB if it does
    /// not exist, its schema, rules, roles and grants, and the first admin's login (password
    /// from PARAKH_NEW_PASSWORD or a prompt). Safe to run again.
    Init {
        /// The first admin's name.
        #[arg(long)]
        admin: String,
    },
    /// Move a desk's store file onto a new server database with its audit chain intact
    /// (needs the server's superuser in the URL). People get logins without passwords,
    /// which an admin then sets (`parakh user reset NAME`).
    Copy {
        /// The desk's store file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The server database: postgres://SUPERUSER:PASSWORD@HOST:PORT/DB
        #[arg(long, value_name = "URL")]
        to: String,
        /// An admin of the desk, whose desk password (PARAKH_PASSWORD or a prompt) becomes
        /// their server login's; they then set everyone else's.
        #[arg(long)]
        admin: String,
    },
}

/// `parakh user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password comes from PARAKH_NEW_PASSWORD or a prompt.
    Add {
        /// User name.
        name: String,
        /// reviewer, lead or admin.
        #[arg(long)]
        role: String,
    },
    /// Change a user's role (admins only).
    Role {
        /// User name.
        name: String,
        /// reviewer, lead or admin.
        #[arg(long)]
        role: String,
    },
    /// List users and roles.
    List,
    /// Change your own password (--as you; the current one from PARAKH_PASSWORD, the new
    /// one from PARAKH_NEW_PASSWORD or prompts). Your signing key is wrapped anew.
    Password,
    /// Set a new password for someone who forgot theirs (admins only): their old signing
    /// key is revoked and a new one enrolled. New password from PARAKH_NEW_PASSWORD.
    Reset {
        /// User name.
        name: String,
    },
    /// Lift the lock that repeated failed sign-ins put on a user name (admins only).
    Unlock {
        /// User name.
        name: String,
    },
}

/// `parakh queue`
#[derive(Debug, Args)]
pub struct QueueArgs {
    /// new, in_review, proposed, approved, returned or appealed; several separated by
    /// commas match any of them (`--status new,returned`).
    #[arg(long)]
    pub status: Option<String>,
    /// facebook, instagram, whatsapp, x, telegram, tiktok, youtube or other.
    #[arg(long)]
    pub platform: Option<String>,
    /// Only items tagged with this group id.
    #[arg(long)]
    pub group: Option<String>,
    /// Full-text search over handle, display name, URL and text.
    #[arg(long)]
    pub search: Option<String>,
    /// At most this many rows.
    #[arg(long)]
    pub limit: Option<i64>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `parakh tag` and `parakh untag`
#[derive(Debug, Args)]
pub struct TagArgs {
    /// Item id.
    pub item: ItemRef,
    /// Group ids (e.g. ttp).
    #[arg(long = "group", num_args = 1.., value_delimiter = ',')]
    pub groups: Vec<String>,
    /// Legal ground ids (e.g. peca-9).
    #[arg(long = "ground", num_args = 1.., value_delimiter = ',')]
    pub grounds: Vec<String>,
}

/// `parakh audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain, check the tables, replay the rules, check every signature,
    /// and prove that the trail extends every checkpoint it holds and each one given
    /// (exit 5 on any mismatch).
    Verify {
        /// A checkpoint note kept elsewhere (repeatable).
        #[arg(long)]
        checkpoint: Vec<PathBuf>,
    },
    /// Sign a checkpoint of the trail as it stands, or cosign the one waiting for a second
    /// lead (leads only); `--out` writes the newest checkpoint note to a file.
    Checkpoint {
        /// Write the checkpoint note here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print events, all or of one item.
    Log {
        /// Item id.
        item: Option<ItemRef>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `parakh taxonomy …`
#[derive(Debug, Subcommand)]
pub enum TaxonomyCommand {
    /// Import a replacement taxonomy file as a new version (leads only).
    Import {
        /// The TOML file.
        file: PathBuf,
    },
    /// Print the current taxonomy.
    Show,
}

/// `parakh export …`
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Approved decisions as .csv or .jsonl.
    Decisions {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists (a link or the open store is never written over).
        #[arg(long)]
        force: bool,
    },
}

/// `parakh evidence …`
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Write a stored evidence file out, after checking its hash.
    Get {
        /// SHA-256 of the evidence.
        sha256: String,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists (a link or the open store is never written over).
        #[arg(long)]
        force: bool,
    },
}

/// An item id as typed: `12` or `#12`.
#[derive(Clone, Copy, Debug)]
pub struct ItemRef(pub i64);

impl std::str::FromStr for ItemRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(ItemRef)
            .ok_or_else(|| format!("'{s}' is not an item id (a positive number, e.g. 12 or #12)"))
    }
}

/// `parakh hashlist …`
#[derive(Debug, Subcommand)]
pub enum HashlistCommand {
    /// Import a list of PDQ hashes (CSV with a hash column and optional label/source, or one
    /// hex hash per line). Leads only.
    Import {
        /// The file.
        file: PathBuf,
        /// A name for the list.
        #[arg(long)]
        name: String,
    },
}
