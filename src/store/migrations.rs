//! Schema migrations, keyed on `PRAGMA user_version`. Each entry upgrades the schema from
//! version `i` to `i + 1` inside one transaction. Never edit a shipped migration: append.

/// The migrations in order; `MIGRATIONS[0]` creates version 1.
pub const MIGRATIONS: &[&str] = &[
    V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15,
];

const V1: &str = r#"
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 64),
    role          TEXT NOT NULL CHECK (role IN ('reviewer', 'lead', 'admin')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    TEXT NOT NULL
);

-- The audit chain. Append-only: triggers below refuse UPDATE and DELETE and any insert that
-- does not continue the chain (next sequence number, previous event's hash).
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    item_id   INTEGER,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
);
CREATE INDEX audit_events_item ON audit_events(item_id) WHERE item_id IS NOT NULL;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'integrity: audit events are append-only; UPDATE refused'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'integrity: audit events are append-only; DELETE refused'); END;
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_events), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'integrity: an audit event must continue the chain (next seq, previous hash)'); END;

CREATE TABLE taxonomy_versions (
    version       INTEGER PRIMARY KEY,
    label         TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source        TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    event_seq     INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE groups (
    version    INTEGER NOT NULL REFERENCES taxonomy_versions(version),
    id         TEXT NOT NULL,
    short      TEXT NOT NULL,
    name       TEXT NOT NULL,
    aliases    TEXT NOT NULL,           -- JSON array
    proscribed TEXT,
    designations TEXT NOT NULL,         -- JSON array
    note       TEXT,
    verified   INTEGER NOT NULL CHECK (verified IN (0, 1)),
    PRIMARY KEY (version, id)
);
CREATE TABLE grounds (
    version  INTEGER NOT NULL REFERENCES taxonomy_versions(version),
    id       TEXT NOT NULL,
    statute  TEXT NOT NULL,
    section  TEXT NOT NULL,
    title    TEXT NOT NULL,
    summary  TEXT,
    verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
    PRIMARY KEY (version, id)
);
CREATE TRIGGER taxonomy_versions_no_change BEFORE UPDATE ON taxonomy_versions
BEGIN SELECT RAISE(ABORT, 'rule: a taxonomy version is immutable; import a new one'); END;
CREATE TRIGGER groups_no_change BEFORE UPDATE ON groups
BEGIN SELECT RAISE(ABORT, 'rule: a taxonomy version is immutable; import a new one'); END;
CREATE TRIGGER grounds_no_change BEFORE UPDATE ON grounds
BEGIN SELECT RAISE(ABORT, 'rule: a taxonomy version is immutable; import a new one'); END;

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL CHECK (platform IN ('facebook','instagram','whatsapp','x','telegram','tiktok','youtube','other')),
    kind         TEXT NOT NULL CHECK (kind IN ('account','channel','group','post')),
    handle       TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL CHECK (length(url) > 0),
    text         TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT '',
    followers    INTEGER CHECK (followers IS NULL OR followers >= 0),
    reported_at  TEXT NOT NULL,
    source_ref   TEXT NOT NULL DEFAULT '',
    priority     INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    -- 'in_review' is derived from a live claim, never stored.
    status       TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','proposed','approved','returned','appealed')),
    claimed_by   INTEGER REFERENCES users(id),
    lease_until  TEXT,
    search_text  TEXT NOT NULL DEFAULT '',
    handle_key   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_seq  INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (platform, url),
    CHECK ((claimed_by IS NULL) = (lease_until IS NULL))
);
CREATE INDEX items_order ON items(priority, reported_at, id);
CREATE INDEX items_queue ON items(status, priority, reported_at);
CREATE INDEX items_platform ON items(platform, priority, reported_at);
CREATE INDEX items_claimed ON items(claimed_by) WHERE claimed_by IS NOT NULL;
CREATE INDEX items_handle_key ON items(handle_key);

CREATE VIRTUAL TABLE items_fts USING fts5(
    search_text, content = 'items', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF search_text ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, search_text) VALUES ('delete', OLD.id, OLD.search_text);
    INSERT INTO items_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;
CREATE TRIGGER items_no_delete BEFORE DELETE ON items
BEGIN SELECT RAISE(ABORT, 'rule: items are never deleted; their history must stay'); END;

CREATE TABLE evidence (
    sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    mime         TEXT NOT NULL CHECK (mime IN ('image/png','image/jpeg','image/webp','image/gif')),
    size         INTEGER NOT NULL CHECK (size > 0),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    thumb_width  INTEGER NOT NULL,
    thumb_height INTEGER NOT NULL,
    stored_at    TEXT NOT NULL
);
-- Blobs apart from the metadata, so listing evidence never pages through image bytes.
CREATE TABLE evidence_data (
    sha256 TEXT PRIMARY KEY REFERENCES evidence(sha256),
    thumb  BLOB NOT NULL,
    data   BLOB NOT NULL
);
CREATE TABLE item_evidence (
    item_id     INTEGER NOT NULL REFERENCES items(id),
    sha256      TEXT NOT NULL REFERENCES evidence(sha256),
    file_name   TEXT NOT NULL,
    attached_by TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    event_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (item_id, sha256)
);
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'rule: stored evidence is immutable'); END;
CREATE TRIGGER evidence_data_no_update BEFORE UPDATE ON evidence_data
BEGIN SELECT RAISE(ABORT, 'rule: stored evidence is immutable'); END;
CREATE TRIGGER item_evidence_no_change BEFORE UPDATE ON item_evidence
BEGIN SELECT RAISE(ABORT, 'rule: evidence links are immutable'); END;
CREATE TRIGGER item_evidence_no_delete BEFORE DELETE ON item_evidence
BEGIN SELECT RAISE(ABORT, 'rule: evidence is never detached'); END;

CREATE TABLE item_groups (
    item_id          INTEGER NOT NULL REFERENCES items(id),
    group_id         TEXT NOT NULL,
    taxonomy_version INTEGER NOT NULL,
    tagged_by        TEXT NOT NULL,
    tagged_at        TEXT NOT NULL,
    event_seq        INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (item_id, group_id),
    FOREIGN KEY (taxonomy_version, group_id) REFERENCES groups(version, id)
);
CREATE TABLE item_grounds (
    item_id          INTEGER NOT NULL REFERENCES items(id),
    ground_id        TEXT NOT NULL,
    taxonomy_version INTEGER NOT NULL,
    tagged_by        TEXT NOT NULL,
    tagged_at        TEXT NOT NULL,
    event_seq        INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (item_id, ground_id),
    FOREIGN KEY (taxonomy_version, ground_id) REFERENCES grounds(version, id)
);
CREATE TRIGGER item_groups_no_update BEFORE UPDATE ON item_groups
BEGIN SELECT RAISE(ABORT, 'rule: tags are replaced, never edited'); END;
CREATE TRIGGER item_grounds_no_update BEFORE UPDATE ON item_grounds
BEGIN SELECT RAISE(ABORT, 'rule: tags are replaced, never edited'); END;

-- Decisions. A proposal seals a packet; an approval or a return closes it. `appeal_of`
-- leaves room for appeals, which are decided the same way.
CREATE TABLE proposals (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    outcome     TEXT NOT NULL CHECK (outcome IN ('takedown','no_violation','insufficient_evidence')),
    rationale   TEXT NOT NULL CHECK (length(trim(rationale)) > 0),
    packet      TEXT NOT NULL,
    packet_hash TEXT NOT NULL CHECK (length(packet_hash) = 64),
    proposer_id INTEGER NOT NULL REFERENCES users(id),
    proposed_at TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','returned')),
    appeal_of   INTEGER REFERENCES proposals(id),
    event_seq   INTEGER NOT NULL UNIQUE REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX proposals_one_pending ON proposals(item_id) WHERE state = 'pending';
CREATE INDEX proposals_item ON proposals(item_id);

CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES proposals(id),
    approver_id INTEGER NOT NULL REFERENCES users(id),
    packet_hash TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    event_seq   INTEGER NOT NULL UNIQUE REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE returns (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES proposals(id),
    lead_id     INTEGER NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    returned_at TEXT NOT NULL,
    event_seq   INTEGER NOT NULL UNIQUE REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);

-- The four-eyes rule, enforced here as well as in the library: no caller can store a
-- self-approval, an approval by a non-lead, or an approval of a packet that was not sealed.
CREATE TRIGGER proposals_takedown_needs_basis BEFORE INSERT ON proposals
WHEN NEW.outcome = 'takedown' AND (
    NOT EXISTS (SELECT 1 FROM item_evidence WHERE item_id = NEW.item_id)
    OR NOT EXISTS (SELECT 1 FROM item_grounds WHERE item_id = NEW.item_id))
BEGIN SELECT RAISE(ABORT, 'rule: a takedown needs at least one piece of evidence and one legal ground'); END;

CREATE TRIGGER approvals_four_eyes BEFORE INSERT ON approvals
BEGIN
    SELECT RAISE(ABORT, 'rule: four-eyes: nobody may approve their own proposal')
    WHERE NEW.approver_id = (SELECT proposer_id FROM proposals WHERE id = NEW.proposal_id);
    SELECT RAISE(ABORT, 'rule: only a user who holds the lead role may approve')
    WHERE (SELECT role FROM users WHERE id = NEW.approver_id) IS NOT 'lead';
    SELECT RAISE(ABORT, 'rule: the proposal is not pending')
    WHERE (SELECT state FROM proposals WHERE id = NEW.proposal_id) IS NOT 'pending';
    SELECT RAISE(ABORT, 'rule: stale packet: the approval does not name the sealed packet hash')
    WHERE NEW.packet_hash IS NOT (SELECT packet_hash FROM proposals WHERE id = NEW.proposal_id);
END;
CREATE TRIGGER returns_rules BEFORE INSERT ON returns
BEGIN
    SELECT RAISE(ABORT, 'rule: four-eyes: nobody may return their own proposal')
    WHERE NEW.lead_id = (SELECT proposer_id FROM proposals WHERE id = NEW.proposal_id);
    SELECT RAISE(ABORT, 'rule: only a user who holds the lead role may return a proposal')
    WHERE (SELECT role FROM users WHERE id = NEW.lead_id) IS NOT 'lead';
    SELECT RAISE(ABORT, 'rule: the proposal is not pending')
    WHERE (SELECT state FROM proposals WHERE id = NEW.proposal_id) IS NOT 'pending';
END;
CREATE TRIGGER proposals_state_change BEFORE UPDATE ON proposals
BEGIN
    SELECT RAISE(ABORT, 'rule: a sealed proposal cannot be edited')
    WHERE NEW.id IS NOT OLD.id OR NEW.item_id IS NOT OLD.item_id OR NEW.outcome IS NOT OLD.outcome
       OR NEW.rationale IS NOT OLD.rationale OR NEW.packet IS NOT OLD.packet
       OR NEW.packet_hash IS NOT OLD.packet_hash OR NEW.proposer_id IS NOT OLD.proposer_id
       OR NEW.proposed_at IS NOT OLD.proposed_at OR NEW.appeal_of IS NOT OLD.appeal_of
       OR NEW.event_seq IS NOT OLD.event_seq OR OLD.state IS NOT 'pending';
    SELECT RAISE(ABORT, 'rule: a proposal becomes approved only through an approval by a second person')
    WHERE NEW.state = 'approved' AND NOT EXISTS (SELECT 1 FROM approvals WHERE proposal_id = NEW.id);
    SELECT RAISE(ABORT, 'rule: a proposal becomes returned only through a return with a reason')
    WHERE NEW.state = 'returned' AND NOT EXISTS (SELECT 1 FROM returns WHERE proposal_id = NEW.id);
END;
CREATE TRIGGER items_approved_needs_approval BEFORE UPDATE OF status ON items
WHEN NEW.status = 'approved' AND NOT EXISTS (
    SELECT 1 FROM proposals p JOIN approvals a ON a.proposal_id = p.id
    WHERE p.item_id = NEW.id AND p.state = 'approved')
BEGIN SELECT RAISE(ABORT, 'rule: an item becomes approved only through an approved proposal'); END;
CREATE TRIGGER proposals_no_delete BEFORE DELETE ON proposals
BEGIN SELECT RAISE(ABORT, 'rule: decisions are never deleted'); END;
CREATE TRIGGER approvals_no_change BEFORE UPDATE ON approvals
BEGIN SELECT RAISE(ABORT, 'rule: approvals are immutable'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'rule: approvals are never deleted'); END;
CREATE TRIGGER returns_no_change BEFORE UPDATE ON returns
BEGIN SELECT RAISE(ABORT, 'rule: returns are immutable'); END;
CREATE TRIGGER returns_no_delete BEFORE DELETE ON returns
BEGIN SELECT RAISE(ABORT, 'rule: returns are never deleted'); END;
"#;

/// PDQ perceptual hashes of evidence (all eight orientations) and imported hash lists.
const V2: &str = r#"
CREATE TABLE evidence_pdq (
    sha256      TEXT NOT NULL REFERENCES evidence(sha256),
    orientation INTEGER NOT NULL CHECK (orientation BETWEEN 0 AND 7),
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    quality     INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 100),
    PRIMARY KEY (sha256, orientation)
);
CREATE TRIGGER evidence_pdq_no_update BEFORE UPDATE ON evidence_pdq
BEGIN SELECT RAISE(ABORT, 'rule: stored evidence hashes are immutable'); END;

CREATE TABLE hash_lists (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    source_sha256 TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    event_seq     INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE hash_list_entries (
    list_id INTEGER NOT NULL REFERENCES hash_lists(id),
    hash    BLOB NOT NULL CHECK (length(hash) = 32),
    label   TEXT NOT NULL DEFAULT '',
    source  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hash_list_entries_list ON hash_list_entries(list_id);
"#;

/// Versions of columns computed in Rust (search text, handle keys), so a store recomputes
/// them when the program's definition changes. Version 1 is what earlier stores hold.
const V3: &str = r#"
CREATE TABLE derived_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO derived_versions (name, version) VALUES ('item_text', 1);
"#;

/// A reviewer's verdict on "mirror of #N": confirmed or rejected, never edited.
const V4: &str = r#"
CREATE TABLE mirror_verdicts (
    item_id    INTEGER NOT NULL REFERENCES items(id),
    of_item_id INTEGER NOT NULL REFERENCES items(id),
    confirmed  INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    score      REAL NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    event_seq  INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    CHECK (item_id <> of_item_id)
);
CREATE INDEX mirror_verdicts_item ON mirror_verdicts(item_id);
CREATE INDEX proposals_final ON proposals(state, outcome);
CREATE TRIGGER mirror_verdicts_no_change BEFORE UPDATE ON mirror_verdicts
BEGIN SELECT RAISE(ABORT, 'rule: a mirror verdict is never edited; record a new one'); END;
CREATE TRIGGER mirror_verdicts_no_delete BEFORE DELETE ON mirror_verdicts
BEGIN SELECT RAISE(ABORT, 'rule: mirror verdicts are never deleted'); END;
"#;

/// Imported hash lists are kept as imported: never edited, never deleted.
const V5: &str = r#"
CREATE TRIGGER hash_lists_no_change BEFORE UPDATE ON hash_lists
BEGIN SELECT RAISE(ABORT, 'rule: an imported hash list is never edited; import a new one'); END;
CREATE TRIGGER hash_lists_no_delete BEFORE DELETE ON hash_lists
BEGIN SELECT RAISE(ABORT, 'rule: imported hash lists are never deleted'); END;
CREATE TRIGGER hash_list_entries_no_change BEFORE UPDATE ON hash_list_entries
BEGIN SELECT RAISE(ABORT, 'rule: an imported hash list is never edited; import a new one'); END;
CREATE TRIGGER hash_list_entries_no_delete BEFORE DELETE ON hash_list_entries
BEGIN SELECT RAISE(ABORT, 'rule: imported hash lists are never deleted'); END;
"#;

/// Takedown and reinstatement requests to platforms, their sending and the platforms'
/// responses; appeals of final decisions and their four-eyes outcomes. Every row is
/// append-only; the rules hold here as well as in the library.
const V6: &str = r#"
CREATE TABLE requests (
    id            INTEGER PRIMARY KEY,
    ref           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('takedown','reinstatement')),
    platform      TEXT NOT NULL,
    emergency     INTEGER NOT NULL CHECK (emergency IN (0, 1)),
    window_hours  INTEGER NOT NULL CHECK (window_hours > 0),
    created_by_id INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    event_seq     INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE request_items (
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    PRIMARY KEY (request_id, item_id)
);
CREATE INDEX request_items_item ON request_items(item_id);
CREATE TABLE request_sends (
    request_id     INTEGER NOT NULL UNIQUE REFERENCES requests(id),
    sent_at        TEXT NOT NULL,
    due_at         TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (length(trim(channel)) > 0),
    platform_ref   TEXT NOT NULL DEFAULT '',
    recorded_by_id INTEGER NOT NULL REFERENCES users(id),
    event_seq      INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE request_responses (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL,
    item_id        INTEGER NOT NULL,
    response       TEXT NOT NULL CHECK (response IN ('acknowledged','removed','refused','no_response','reinstated')),
    responded_at   TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    recorded_by_id INTEGER NOT NULL REFERENCES users(id),
    recorded_at    TEXT NOT NULL,
    event_seq      INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (request_id, item_id) REFERENCES request_items(request_id, item_id)
);
CREATE INDEX request_responses_request ON request_responses(request_id);

CREATE TRIGGER requests_by_lead BEFORE INSERT ON requests
BEGIN
    SELECT RAISE(ABORT, 'rule: only a lead may create a request to a platform')
    WHERE (SELECT role FROM users WHERE id = NEW.created_by_id) IS NOT 'lead';
END;
CREATE TRIGGER request_items_rules BEFORE INSERT ON request_items
BEGIN
    SELECT RAISE(ABORT, 'rule: a request is fixed once sent')
    WHERE EXISTS (SELECT 1 FROM request_sends WHERE request_id = NEW.request_id);
    SELECT RAISE(ABORT, 'rule: the item is on another platform than the request')
    WHERE (SELECT platform FROM items WHERE id = NEW.item_id)
       IS NOT (SELECT platform FROM requests WHERE id = NEW.request_id);
    SELECT RAISE(ABORT, 'rule: a takedown request needs an approved takedown decision on the item')
    WHERE (SELECT kind FROM requests WHERE id = NEW.request_id) = 'takedown'
      AND NOT EXISTS (SELECT 1 FROM proposals WHERE id = NEW.proposal_id AND item_id = NEW.item_id
                      AND state = 'approved' AND outcome = 'takedown');
    SELECT RAISE(ABORT, 'rule: a reinstatement request needs an approved appeal that overturned the takedown')
    WHERE (SELECT kind FROM requests WHERE id = NEW.request_id) = 'reinstatement'
      AND NOT EXISTS (SELECT 1 FROM appeals a JOIN appeal_decisions d ON d.appeal_id = a.id
                      WHERE a.proposal_id = NEW.proposal_id AND a.item_id = NEW.item_id
                        AND d.state = 'approved' AND d.outcome = 'overturned');
    SELECT RAISE(ABORT, 'rule: this decision is already in a request of the same kind')
    WHERE EXISTS (SELECT 1 FROM request_items ri JOIN requests r ON r.id = ri.request_id
                  WHERE ri.proposal_id = NEW.proposal_id
                    AND r.kind = (SELECT kind FROM requests WHERE id = NEW.request_id));
END;
CREATE TRIGGER request_responses_rules BEFORE INSERT ON request_responses
BEGIN
    SELECT RAISE(ABORT, 'rule: record the sending of a request before the platform''s responses')
    WHERE NOT EXISTS (SELECT 1 FROM request_sends WHERE request_id = NEW.request_id);
    SELECT RAISE(ABORT, 'rule: a response cannot come before the request was sent')
    WHERE NEW.responded_at < (SELECT sent_at FROM request_sends WHERE request_id = NEW.request_id);
END;
CREATE TRIGGER requests_no_change BEFORE UPDATE ON requests
BEGIN SELECT RAISE(ABORT, 'rule: requests are never edited'); END;
CREATE TRIGGER requests_no_delete BEFORE DELETE ON requests
BEGIN SELECT RAISE(ABORT, 'rule: requests are never deleted'); END;
CREATE TRIGGER request_items_no_change BEFORE UPDATE ON request_items
BEGIN SELECT RAISE(ABORT, 'rule: requests are never edited'); END;
CREATE TRIGGER request_items_no_delete BEFORE DELETE ON request_items
BEGIN SELECT RAISE(ABORT, 'rule: requests are never deleted'); END;
CREATE TRIGGER request_sends_no_change BEFORE UPDATE ON request_sends
BEGIN SELECT RAISE(ABORT, 'rule: the sending of a request is never edited'); END;
CREATE TRIGGER request_sends_no_delete BEFORE DELETE ON request_sends
BEGIN SELECT RAISE(ABORT, 'rule: the sending of a request is never deleted'); END;
CREATE TRIGGER request_responses_no_change BEFORE UPDATE ON request_responses
BEGIN SELECT RAISE(ABORT, 'rule: a platform response is never edited; record a new one'); END;
CREATE TRIGGER request_responses_no_delete BEFORE DELETE ON request_responses
BEGIN SELECT RAISE(ABORT, 'rule: platform responses are never deleted'); END;

CREATE TABLE appeals (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES proposals(id),
    appellant   TEXT NOT NULL CHECK (length(trim(appellant)) > 0),
    reference   TEXT NOT NULL CHECK (length(trim(reference)) > 0),
    grounds     TEXT NOT NULL CHECK (length(trim(grounds)) > 0),
    filed_by_id INTEGER NOT NULL REFERENCES users(id),
    filed_at    TEXT NOT NULL,
    event_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE appeal_decisions (
    id          INTEGER PRIMARY KEY,
    appeal_id   INTEGER NOT NULL REFERENCES appeals(id),
    outcome     TEXT NOT NULL CHECK (outcome IN ('upheld','overturned')),
    reasons     TEXT NOT NULL CHECK (length(trim(reasons)) > 0),
    proposer_id INTEGER NOT NULL REFERENCES users(id),
    proposed_at TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','approved','returned')),
    event_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX appeal_decisions_one_open ON appeal_decisions(appeal_id) WHERE state IN ('pending','approved');
CREATE TABLE appeal_approvals (
    decision_id INTEGER NOT NULL UNIQUE REFERENCES appeal_decisions(id),
    approver_id INTEGER NOT NULL REFERENCES users(id),
    approved_at TEXT NOT NULL,
    event_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE appeal_returns (
    decision_id INTEGER NOT NULL UNIQUE REFERENCES appeal_decisions(id),
    lead_id     INTEGER NOT NULL REFERENCES users(id),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    returned_at TEXT NOT NULL,
    event_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);

-- Approved takedowns that stand: not overturned on appeal.
CREATE VIEW standing_takedowns AS
SELECT p.id, p.item_id FROM proposals p
 WHERE p.state = 'approved' AND p.outcome = 'takedown'
   AND NOT EXISTS (SELECT 1 FROM appeals a JOIN appeal_decisions d ON d.appeal_id = a.id
                    WHERE a.proposal_id = p.id AND d.state = 'approved' AND d.outcome = 'overturned');

-- The people who made and checked the decision under appeal.
CREATE VIEW appeal_original_deciders AS
SELECT a.id AS appeal_id, p.proposer_id AS user_id FROM appeals a JOIN proposals p ON p.id = a.proposal_id
UNION
SELECT a.id, ap.approver_id FROM appeals a JOIN approvals ap ON ap.proposal_id = a.proposal_id;

CREATE TRIGGER appeals_of_final_decisions BEFORE INSERT ON appeals
BEGIN
    SELECT RAISE(ABORT, 'rule: only an approved (final) decision can be appealed')
    WHERE NOT EXISTS (SELECT 1 FROM proposals WHERE id = NEW.proposal_id AND item_id = NEW.item_id AND state = 'approved');
END;
CREATE TRIGGER appeal_decisions_independent BEFORE INSERT ON appeal_decisions
BEGIN
    SELECT RAISE(ABORT, 'rule: an appeal is reviewed by someone who neither made nor checked the decision appealed')
    WHERE NEW.proposer_id IN (SELECT user_id FROM appeal_original_deciders WHERE appeal_id = NEW.appeal_id);
    SELECT RAISE(ABORT, 'rule: an appeal is reviewed by a reviewer or a lead')
    WHERE (SELECT role FROM users WHERE id = NEW.proposer_id) NOT IN ('reviewer', 'lead');
    SELECT RAISE(ABORT, 'rule: a new appeal outcome starts pending')
    WHERE NEW.state IS NOT 'pending';
END;
CREATE TRIGGER appeal_approvals_four_eyes BEFORE INSERT ON appeal_approvals
BEGIN
    SELECT RAISE(ABORT, 'rule: four-eyes: nobody may approve their own appeal outcome')
    WHERE NEW.approver_id = (SELECT proposer_id FROM appeal_decisions WHERE id = NEW.decision_id);
    SELECT RAISE(ABORT, 'rule: an appeal outcome is approved by someone who neither made nor checked the decision appealed')
    WHERE NEW.approver_id IN (SELECT o.user_id FROM appeal_original_deciders o
                              JOIN appeal_decisions d ON d.appeal_id = o.appeal_id WHERE d.id = NEW.decision_id);
    SELECT RAISE(ABORT, 'rule: only a user who holds the lead role may approve')
    WHERE (SELECT role FROM users WHERE id = NEW.approver_id) IS NOT 'lead';
    SELECT RAISE(ABORT, 'rule: the appeal outcome is not pending')
    WHERE (SELECT state FROM appeal_decisions WHERE id = NEW.decision_id) IS NOT 'pending';
END;
CREATE TRIGGER appeal_returns_rules BEFORE INSERT ON appeal_returns
BEGIN
    SELECT RAISE(ABORT, 'rule: four-eyes: nobody may return their own appeal outcome')
    WHERE NEW.lead_id = (SELECT proposer_id FROM appeal_decisions WHERE id = NEW.decision_id);
    SELECT RAISE(ABORT, 'rule: only a user who holds the lead role may return an appeal outcome')
    WHERE (SELECT role FROM users WHERE id = NEW.lead_id) IS NOT 'lead';
    SELECT RAISE(ABORT, 'rule: the appeal outcome is not pending')
    WHERE (SELECT state FROM appeal_decisions WHERE id = NEW.decision_id) IS NOT 'pending';
END;
CREATE TRIGGER appeal_decisions_state_change BEFORE UPDATE ON appeal_decisions
BEGIN
    SELECT RAISE(ABORT, 'rule: a proposed appeal outcome cannot be edited')
    WHERE NEW.id IS NOT OLD.id OR NEW.appeal_id IS NOT OLD.appeal_id OR NEW.outcome IS NOT OLD.outcome
       OR NEW.reasons IS NOT OLD.reasons OR NEW.proposer_id IS NOT OLD.proposer_id
       OR NEW.proposed_at IS NOT OLD.proposed_at OR NEW.event_seq IS NOT OLD.event_seq
       OR OLD.state IS NOT 'pending';
    SELECT RAISE(ABORT, 'rule: an appeal outcome becomes approved only through an approval by a second person')
    WHERE NEW.state = 'approved' AND NOT EXISTS (SELECT 1 FROM appeal_approvals WHERE decision_id = NEW.id);
    SELECT RAISE(ABORT, 'rule: an appeal outcome becomes returned only through a return with a reason')
    WHERE NEW.state = 'returned' AND NOT EXISTS (SELECT 1 FROM appeal_returns WHERE decision_id = NEW.id);
END;
CREATE TRIGGER appeals_no_change BEFORE UPDATE ON appeals
BEGIN SELECT RAISE(ABORT, 'rule: an appeal is never edited'); END;
CREATE TRIGGER appeals_no_delete BEFORE DELETE ON appeals
BEGIN SELECT RAISE(ABORT, 'rule: appeals are never deleted'); END;
CREATE TRIGGER appeal_decisions_no_delete BEFORE DELETE ON appeal_decisions
BEGIN SELECT RAISE(ABORT, 'rule: appeal outcomes are never deleted'); END;
CREATE TRIGGER appeal_approvals_no_change BEFORE UPDATE ON appeal_approvals
BEGIN SELECT RAISE(ABORT, 'rule: approvals are never edited'); END;
CREATE TRIGGER appeal_approvals_no_delete BEFORE DELETE ON appeal_approvals
BEGIN SELECT RAISE(ABORT, 'rule: approvals are never deleted'); END;
CREATE TRIGGER appeal_returns_no_change BEFORE UPDATE ON appeal_returns
BEGIN SELECT RAISE(ABORT, 'rule: returns are never edited'); END;
CREATE TRIGGER appeal_returns_no_delete BEFORE DELETE ON appeal_returns
BEGIN SELECT RAISE(ABORT, 'rule: returns are never deleted'); END;
"#;

/// Version 7: an index for "is this takedown overturned?", which `standing_takedowns` asks
/// of every approved takedown with an appeal (it scanned every appeal outcome each time).
const V7: &str = r#"
CREATE INDEX appeal_decisions_appeal ON appeal_decisions(appeal_id, state, outcome);
"#;

/// Version 8: credentials tied to the trail, and sign-in failures counted.
///
/// Each user row points at the event that recorded its credential (`credential_seq`: the
/// `user_add`, or a later `password_change` or `credential_recorded` naming the user). A
/// user is inserted only with its `user_add` event; name and password hash change only by
/// pointing at a newer such event; users are never deleted. Sign-in compares the row's
/// hash with the one that event recorded, so hashes swapped between rows are refused.
/// `sign_in_failures` holds the running count behind the back-off and lockout (each failure
/// is also an event).
const V8: &str = r#"
ALTER TABLE users ADD COLUMN credential_seq INTEGER;
CREATE TABLE sign_in_failures (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_failure TEXT NOT NULL,
    last_failure  TEXT NOT NULL,
    locked        INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'rule: users are never deleted'); END;
CREATE TRIGGER users_added_with_event BEFORE INSERT ON users
WHEN NOT EXISTS (
    SELECT 1 FROM audit_events e
    WHERE e.seq = NEW.credential_seq AND e.action = 'user_add'
      AND json_extract(e.payload, '$.name') = NEW.name COLLATE NOCASE)
BEGIN SELECT RAISE(ABORT, 'rule: a user is added only together with the user_add event that records the credential'); END;
CREATE TRIGGER users_credentials_guarded BEFORE UPDATE OF id, name, password_hash, credential_seq ON users
WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name
  OR ((NEW.password_hash IS NOT OLD.password_hash OR NEW.credential_seq IS NOT OLD.credential_seq)
      AND NOT EXISTS (
          SELECT 1 FROM audit_events e
          WHERE e.seq = NEW.credential_seq AND e.seq > coalesce(OLD.credential_seq, 0)
            AND e.action IN ('password_change', 'credential_recorded')
            AND json_extract(e.payload, '$.name') = NEW.name COLLATE NOCASE))
BEGIN SELECT RAISE(ABORT, 'rule: a user''s name and password change only through an event in the trail'); END;
"#;

/// Version 9: the URL as reported, kept beside the normalised one that duplicates are
/// found by (NULL where they are the same).
const V9: &str = r#"
ALTER TABLE items ADD COLUMN reported_url TEXT;
"#;

/// Version 10: an item's reported fields are fixed once stored. Each row keeps the digest of
/// its fields (`NewItem::digest`), which the import's event covers; a trigger refuses any
/// change to the fields, or to the digest once set (items from before version 10 get theirs
/// set once, recorded by an `items_recorded` event).
const V10: &str = r#"
ALTER TABLE items ADD COLUMN fields_sha256 TEXT;
CREATE TRIGGER items_fields_fixed BEFORE UPDATE OF platform, kind, handle, display_name, url, reported_url,
    text, language, followers, reported_at, source_ref, priority, fields_sha256 ON items
WHEN NEW.platform IS NOT OLD.platform OR NEW.kind IS NOT OLD.kind OR NEW.handle IS NOT OLD.handle
  OR NEW.display_name IS NOT OLD.display_name OR NEW.url IS NOT OLD.url
  OR NEW.reported_url IS NOT OLD.reported_url OR NEW.text IS NOT OLD.text
  OR NEW.language IS NOT OLD.language OR NEW.followers IS NOT OLD.followers
  OR NEW.reported_at IS NOT OLD.reported_at OR NEW.source_ref IS NOT OLD.source_ref
  OR NEW.priority IS NOT OLD.priority
  OR (OLD.fields_sha256 IS NOT NULL AND NEW.fields_sha256 IS NOT OLD.fields_sha256)
BEGIN SELECT RAISE(ABORT, 'rule: an item''s reported fields are never edited'); END;
"#;

/// Version 11: each person's Ed25519 signing key (the secret wrapped under their password)
/// and the signatures on events. Keys are never deleted; only a revocation or a re-wrap
/// (a password change) changes a row, never its public key. Signatures are never changed.
const V11: &str = r#"
CREATE TABLE user_keys (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    public_key   BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    fingerprint  TEXT NOT NULL,
    wrapped      BLOB NOT NULL,
    nonce        BLOB NOT NULL CHECK (length(nonce) = 24),
    salt         BLOB NOT NULL,
    kdf_m        INTEGER NOT NULL CHECK (kdf_m >= 65536),
    kdf_t        INTEGER NOT NULL CHECK (kdf_t >= 3),
    kdf_p        INTEGER NOT NULL CHECK (kdf_p >= 1),
    enrolled_seq INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    revoked_seq  INTEGER REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX user_keys_user ON user_keys(user_id);
CREATE TRIGGER user_keys_no_delete BEFORE DELETE ON user_keys
BEGIN SELECT RAISE(ABORT, 'rule: signing keys are never deleted'); END;
CREATE TRIGGER user_keys_fixed BEFORE UPDATE ON user_keys
WHEN NEW.id IS NOT OLD.id OR NEW.user_id IS NOT OLD.user_id OR NEW.public_key IS NOT OLD.public_key
  OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.enrolled_seq IS NOT OLD.enrolled_seq
  OR (OLD.revoked_seq IS NOT NULL AND NEW.revoked_seq IS NOT OLD.revoked_seq)
BEGIN SELECT RAISE(ABORT, 'rule: a signing key''s public part never changes and a revocation stands'); END;
CREATE TABLE event_signatures (
    seq             INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    signer          TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    signature       BLOB NOT NULL CHECK (length(signature) = 64),
    PRIMARY KEY (seq, signer)
);
CREATE TRIGGER event_signatures_no_update BEFORE UPDATE ON event_signatures
BEGIN SELECT RAISE(ABORT, 'rule: signatures are never edited'); END;
CREATE TRIGGER event_signatures_no_delete BEFORE DELETE ON event_signatures
BEGIN SELECT RAISE(ABORT, 'rule: signatures are never deleted'); END;
"#;

/// Version 12: the store's own identity, a random id made once: checkpoints name it as
/// their origin, and each desk keys what it has seen of a store by it (not by its path, so
/// a copy of the file elsewhere is still known).
const V12: &str = r#"
CREATE TABLE store_identity (id TEXT NOT NULL);
INSERT INTO store_identity (id) VALUES (lower(hex(randomblob(16))));
CREATE TRIGGER store_identity_fixed BEFORE UPDATE ON store_identity
BEGIN SELECT RAISE(ABORT, 'rule: a store''s identity never changes'); END;
CREATE TRIGGER store_identity_kept BEFORE DELETE ON store_identity
BEGIN SELECT RAISE(ABORT, 'rule: a store''s identity never changes'); END;
"#;

/// Version 13: the generation of an item's claim, which moves on each time the claim
/// changes hands (not when its holder renews it, even after it ran out, if nobody took it
/// meanwhile): a desk that began work under one generation cannot propose under another.
const V13: &str = r#"
ALTER TABLE items ADD COLUMN claim_gen INTEGER NOT NULL DEFAULT 0;
"#;

/// Version 14: text read from screenshots (OCR), once per SHA-256, with the engine, its
/// models and the image preparation; the words with their boxes and confidences; and a
/// full-text index of the folded text beside the items' own. A reading is never edited or
/// deleted, except that a failed one may be replaced by a later reading.
const V14: &str = r#"
CREATE TABLE evidence_text (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE REFERENCES evidence(sha256),
    engine      TEXT NOT NULL,
    models      TEXT NOT NULL,
    prepared    TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('read', 'failed')),
    problem     TEXT,
    text        TEXT NOT NULL,
    search_text TEXT NOT NULL,
    seconds     REAL NOT NULL,
    read_at     TEXT NOT NULL,
    read_by     TEXT NOT NULL
);
CREATE TABLE evidence_words (
    sha256     TEXT NOT NULL REFERENCES evidence_text(sha256),
    n          INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    word       TEXT NOT NULL,
    x          INTEGER NOT NULL,
    y          INTEGER NOT NULL,
    w          INTEGER NOT NULL,
    h          INTEGER NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (sha256, n)
);
CREATE VIRTUAL TABLE evidence_text_fts USING fts5(
    search_text, content = 'evidence_text', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER evidence_text_fts_insert AFTER INSERT ON evidence_text BEGIN
    INSERT INTO evidence_text_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;
CREATE TRIGGER evidence_text_fts_update AFTER UPDATE OF search_text ON evidence_text BEGIN
    INSERT INTO evidence_text_fts(evidence_text_fts, rowid, search_text) VALUES ('delete', OLD.id, OLD.search_text);
    INSERT INTO evidence_text_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;
CREATE TRIGGER evidence_text_kept BEFORE UPDATE ON evidence_text
WHEN OLD.outcome <> 'failed' OR NEW.id IS NOT OLD.id OR NEW.sha256 IS NOT OLD.sha256
BEGIN SELECT RAISE(ABORT, 'rule: a screenshot''s reading is never edited (only a failed one is read again)'); END;
CREATE TRIGGER evidence_text_no_delete BEFORE DELETE ON evidence_text
BEGIN SELECT RAISE(ABORT, 'rule: a screenshot''s reading is never deleted'); END;
CREATE TRIGGER evidence_words_no_update BEFORE UPDATE ON evidence_words
BEGIN SELECT RAISE(ABORT, 'rule: words read from a screenshot are never edited'); END;
CREATE TRIGGER evidence_words_no_delete BEFORE DELETE ON evidence_words
BEGIN SELECT RAISE(ABORT, 'rule: words read from a screenshot are never deleted'); END;
"#;

/// Version 15: whether one item has a standing takedown, answered by one index. Without it
/// SQLite's planner, which has no statistics, walked every approved takedown for each item
/// it asked about (the queue's look-alike marks took minutes at 100,000 items).
const V15: &str = r#"
CREATE INDEX proposals_item_final ON proposals(item_id, state, outcome);
"#;
