#!/usr/bin/env bash
# Checks src/store/postgres_schema.sql on a real server, as the people who will use it.
#
#   tests/pg_schema_check.sh URL
#
# URL is a superuser's libpq URL, as `.ci/postgres` prints it. Meant for a throwaway
# cluster: it (re)creates the databases parakh_check_a, parakh_check_b, parakh_check_c and
# the login roles sana (a reviewer), farhan (a lead) and parakh_setup (a set-up login in
# parakh_owner). It installs the schema twice (the second time into another database of
# the same server, where the roles already exist), seeds a few rows as the set-up login
# would, then logs in as sana and farhan with their passwords through the socket and
# checks what each may and may not do. Prints each refusal the server gave, then
# `N passed, N failed`; exits non-zero when anything went otherwise than expected.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 URL" >&2; exit 2; }
URL=$1
SCHEMA=$(cd "$(dirname "$0")/.." && pwd)/src/store/postgres_schema.sql
[ -f "$SCHEMA" ] || { echo "$SCHEMA is missing" >&2; exit 2; }

# postgres://USER[:PASSWORD]@[HOST][:PORT][/DB][?QUERY]
re='^(postgres|postgresql)://([^:@/]*)(:([^@]*))?@([^/?]*)(/([^?]*))?(\?(.*))?$'
[[ $URL =~ $re ]] || { echo "not a postgres:// URL with a user: $URL" >&2; exit 2; }
SUPER=${BASH_REMATCH[2]}
SUPER_PW=${BASH_REMATCH[4]}
HOSTPORT=${BASH_REMATCH[5]}
QUERY=${BASH_REMATCH[9]}

url_for() { # USER DB -> a URL without the password (given through PGPASSWORD)
    printf 'postgres://%s@%s/%s%s' "$1" "$HOSTPORT" "$2" "${QUERY:+?$QUERY}"
}

SANA_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
FARHAN_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
SETUP_PW=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
password_of() {
    case $1 in
        sana) echo "$SANA_PW" ;;
        farhan) echo "$FARHAN_PW" ;;
        parakh_setup) echo "$SETUP_PW" ;;
        *) echo "$SUPER_PW" ;;
    esac
}

PASSED=0
FAILED=0
OUT=

# run USER DB SQL...: each SQL is one psql -c (its own transaction); sets OUT and returns
# psql's status.
run() {
    local user=$1 db=$2
    shift 2
    local args=() s
    for s in "$@"; do args+=(-c "$s"); done
    OUT=$(PGPASSWORD=$(password_of "$user") PGCONNECT_TIMEOUT=10 \
        psql -X -q -At -v ON_ERROR_STOP=1 "$(url_for "$user" "$db")" "${args[@]}" 2>&1)
}

pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/       /'
    return 0
}

# ok NAME USER DB SQL...: must succeed.
ok() {
    local name=$1
    shift
    if run "$@"; then pass "$name"; else fail "$name" "$OUT"; fi
}

# refused NAME EXPECTED USER DB SQL...: must fail with an error containing EXPECTED.
refused() {
    local name=$1 expected=$2
    shift 2
    if run "$@"; then
        fail "$name (it was allowed)" "$OUT"
    elif [[ $OUT == *"$expected"* ]]; then
        pass "$name"
        printf '%s\n' "$OUT" | grep -E '^(psql:.*)?(ERROR|FATAL)' | sed 's/^/       /'
    else
        fail "$name (refused otherwise than expected: wanted '$expected')" "$OUT"
    fi
}

# equals NAME WANT USER DB SQL: the query's output must be WANT.
equals() {
    local name=$1 want=$2
    shift 2
    if ! run "$@"; then
        fail "$name" "$OUT"
    elif [ "$OUT" = "$want" ]; then
        pass "$name"
    else
        fail "$name" "wanted: $want"$'\n'"got:    $OUT"
    fi
}

# An INSERT of the next event of the chain (seq and prev_hash from chain_head).
event() { # ACTOR ACTION PAYLOAD [ITEM]
    local item=${4:-NULL}
    cat <<SQL
INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
SELECT h.seq + 1, '2025-05-01T09:00:00Z', '$1', '$2', $item, '$3', h.hash,
       encode(sha256(convert_to(h.hash || ':' || (h.seq + 1)::text, 'UTF8')), 'hex')
  FROM chain_head h
SQL
}
HEAD_SEQ='(SELECT seq FROM chain_head)'
ARGON='$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'
P1=$(printf 'a%.0s' {1..64})
P2=$(printf 'b%.0s' {1..64})

A=parakh_check_a
B=parakh_check_b
C=parakh_check_c

echo "== set-up (as $SUPER)"
ok "a clean slate" "$SUPER" postgres \
    "DROP DATABASE IF EXISTS $A WITH (FORCE)" "DROP DATABASE IF EXISTS $B WITH (FORCE)" \
    "DROP DATABASE IF EXISTS $C WITH (FORCE)" \
    "DROP ROLE IF EXISTS sana" "DROP ROLE IF EXISTS farhan" "DROP ROLE IF EXISTS parakh_setup" \
    "CREATE DATABASE $A" "CREATE DATABASE $B"

install() { # USER DB
    OUT=$(PGPASSWORD=$(password_of "$1") psql -X -q -v ON_ERROR_STOP=1 --single-transaction \
        -f "$SCHEMA" "$(url_for "$1" "$2")" 2>&1)
}
if install "$SUPER" "$A"; then pass "the schema installs in one transaction"; else fail "the schema installs in one transaction" "$OUT"; fi
if install "$SUPER" "$B"; then pass "the schema installs again into a second database (roles already there)"; else fail "the schema installs again into a second database" "$OUT"; fi
[ -n "$OUT" ] && printf '%s\n' "$OUT" | sed 's/^/       second install said: /'

ok "login roles for a reviewer and a lead" "$SUPER" postgres \
    "CREATE ROLE sana LOGIN PASSWORD '$SANA_PW' IN ROLE parakh_desk, parakh_reviewer" \
    "CREATE ROLE farhan LOGIN PASSWORD '$FARHAN_PW' IN ROLE parakh_desk, parakh_lead"

# As the set-up login would: 'system' events, the users they record, two items each with a
# pending proposal by a third person (imran, who has no login).
ok "seeding users, items and proposals (owner's 'system' events)" "$SUPER" "$A" \
    "$(event system user_add '{"name": "sana", "role": "reviewer"}')" \
    "INSERT INTO users (name, role, password_hash, created_at, credential_seq)
     VALUES ('sana', 'reviewer', '$ARGON', '2025-05-01T09:00:00Z', $HEAD_SEQ)" \
    "$(event system user_add '{"name": "Farhan", "role": "lead"}')" \
    "INSERT INTO users (name, role, password_hash, created_at, credential_seq)
     VALUES ('Farhan', 'lead', '$ARGON', '2025-05-01T09:00:00Z', $HEAD_SEQ)" \
    "$(event system user_add '{"name": "imran", "role": "reviewer"}')" \
    "INSERT INTO users (name, role, password_hash, created_at, credential_seq)
     VALUES ('imran', 'reviewer', '$ARGON', '2025-05-01T09:00:00Z', $HEAD_SEQ)" \
    "$(event system item_add '{}')" \
    "INSERT INTO items (platform, kind, handle, url, reported_at, created_at, created_seq)
     VALUES ('x', 'account', '@one', 'https://x.com/one', '2025-05-01', '2025-05-01T09:00:00Z', $HEAD_SEQ),
            ('x', 'account', '@two', 'https://x.com/two', '2025-05-01', '2025-05-01T09:00:00Z', $HEAD_SEQ)" \
    "$(event imran propose '{}' 1)" \
    "INSERT INTO proposals (item_id, outcome, rationale, packet, packet_hash, proposer_id, proposed_at, event_seq)
     VALUES (1, 'no_violation', 'satire', '{}', '$P1', 3, '2025-05-01T09:00:00Z', $HEAD_SEQ)" \
    "$(event imran propose '{}' 2)" \
    "INSERT INTO proposals (item_id, outcome, rationale, packet, packet_hash, proposer_id, proposed_at, event_seq)
     VALUES (2, 'no_violation', 'satire', '{}', '$P2', 3, '2025-05-01T09:00:00Z', $HEAD_SEQ)" \
    "UPDATE items SET status = 'proposed'"
equals "the seeded chain is 6 events long" "6" "$SUPER" "$A" "SELECT seq FROM chain_head"

echo "== signing in"
run_wrong() { OUT=$(PGPASSWORD=wrong psql -X -q -At "$(url_for sana "$A")" -c "SELECT 1" 2>&1); }
if run_wrong; then fail "sana with a wrong password (it was allowed)" "$OUT"
elif [[ $OUT == *'password authentication failed for user "sana"'* ]]; then pass "sana with a wrong password is refused"
else fail "sana with a wrong password" "$OUT"; fi
equals "sana signs in with her password; session_user is sana" "sana" sana "$A" "SELECT session_user"

echo "== the four-eyes rule, by login"
refused "a reviewer may not approve" 'rule: only a user who holds the lead role may approve' sana "$A" \
    "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
     VALUES (1, 1, '$P1', '2025-05-01T10:00:00Z', $HEAD_SEQ)"
refused "a reviewer may not make herself a lead in users" \
    'rule: only an admin may change roles' sana "$A" \
    "BEGIN; UPDATE users SET role = 'lead' WHERE id = 1;
     INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
     VALUES (2, 1, '$P2', '2025-05-01T10:00:00Z', $HEAD_SEQ); COMMIT"
refused "a lead may not approve in another user's name" 'rule: a decision is recorded under the login that makes it' \
    farhan "$A" \
    "INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
     VALUES (1, 1, '$P1', '2025-05-01T10:00:00Z', $HEAD_SEQ)"
refused "a reviewer may not propose in another user's name" 'rule: a decision is recorded under the login that makes it' \
    sana "$A" \
    "INSERT INTO proposals (item_id, outcome, rationale, packet, packet_hash, proposer_id, proposed_at, event_seq)
     VALUES (1, 'no_violation', 'x', '{}', '$P1', 2, '2025-05-01T10:00:00Z', $HEAD_SEQ)"
refused "an item is not approved without an approved proposal" \
    'rule: an item becomes approved only through an approved proposal' sana "$A" \
    "UPDATE items SET status = 'approved' WHERE id = 1"
refused "temporary tables do not stand in for the rules' tables" \
    'rule: an item becomes approved only through an approved proposal' sana "$A" \
    "CREATE TEMP TABLE proposals (id bigint, item_id bigint, state text);
     CREATE TEMP TABLE approvals (proposal_id bigint);
     INSERT INTO proposals VALUES (1, 1, 'approved'); INSERT INTO approvals VALUES (1);
     UPDATE items SET status = 'approved' WHERE id = 1"
refused "a user row needs its user_add event" \
    'rule: a user is added only together with the user_add event that records the credential' sana "$A" \
    "INSERT INTO users (name, role, password_hash, created_at, credential_seq)
     VALUES ('ghost', 'lead', '$ARGON', '2025-05-01T10:00:00Z', 1)"
ok "a lead's approval, as farhan (event, approval, proposal, item)" farhan "$A" \
    "BEGIN;
     $(event farhan approve '{}' 1);
     INSERT INTO approvals (proposal_id, approver_id, packet_hash, approved_at, event_seq)
     VALUES (1, 2, '$P1', '2025-05-01T10:00:00Z', $HEAD_SEQ);
     UPDATE proposals SET state = 'approved' WHERE id = 1;
     UPDATE items SET status = 'approved' WHERE id = 1;
     COMMIT"
equals "item 1 is approved" "approved|approved" sana "$A" \
    "SELECT i.status || '|' || p.state FROM items i JOIN proposals p ON p.item_id = i.id WHERE i.id = 1"

echo "== the audit chain"
refused "UPDATE of audit_events by a desk" 'permission denied for table audit_events' sana "$A" \
    "UPDATE audit_events SET actor = 'x' WHERE seq = 1"
refused "DELETE from audit_events by a desk" 'permission denied for table audit_events' sana "$A" \
    "DELETE FROM audit_events WHERE seq = 1"
refused "TRUNCATE of audit_events by a desk" 'permission denied for table audit_events' sana "$A" \
    "TRUNCATE audit_events"
refused "UPDATE of audit_events, even by a superuser" 'integrity: audit events are append-only; UPDATE refused' \
    "$SUPER" "$A" "UPDATE audit_events SET actor = 'x' WHERE seq = 1"
refused "DELETE from audit_events, even by a superuser" 'integrity: audit events are append-only; DELETE refused' \
    "$SUPER" "$A" "DELETE FROM audit_events WHERE seq = 1"
refused "TRUNCATE of audit_events, even by a superuser" 'integrity: audit events are append-only; DELETE refused' \
    "$SUPER" "$A" "TRUNCATE audit_events CASCADE"
refused "TRUNCATE of items, even by a superuser" 'rule: items are never deleted; their history must stay' \
    "$SUPER" "$A" "TRUNCATE items CASCADE"
refused "sana may not record an event as farhan" \
    'rule: an event is recorded under the login that acts: sana cannot record an event as farhan' sana "$A" \
    "$(event farhan login '{}')"
refused "an event that skips a number" 'integrity: an audit event must continue the chain (next seq, previous hash)' \
    sana "$A" \
    "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
     SELECT h.seq + 2, '2025-05-01T11:00:00Z', 'sana', 'login', NULL, '{}', h.hash, '$P2' FROM chain_head h"
refused "an event that names another previous hash" \
    'integrity: an audit event must continue the chain (next seq, previous hash)' sana "$A" \
    "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
     SELECT h.seq + 1, '2025-05-01T11:00:00Z', 'sana', 'login', NULL, '{}', '$P1', '$P2' FROM chain_head h"
if run sana "$A" "SELECT seq || ' ' || hash FROM chain_head" \
    "$(event sana login '{"role": "reviewer"}')" \
    "SELECT h.seq || ' ' || h.hash || ' ' || (h.hash = e.hash) FROM chain_head h JOIN audit_events e ON e.seq = h.seq"; then
    before=$(sed -n 1p <<<"$OUT")
    after=$(sed -n 2p <<<"$OUT")
    if [ "${after%% *}" = "$((${before%% *} + 1))" ] && [ "${after##* }" = true ]; then
        pass "sana appends an event as sana; chain_head moves ($before -> ${after% *})"
    else
        fail "sana's append did not move chain_head" "$OUT"
    fi
else
    fail "sana appends an event as sana" "$OUT"
fi
ok "an actor's name is compared regardless of case" sana "$A" "$(event Sana logout '{}')"
refused "a desk may not move chain_head" 'permission denied for table chain_head' sana "$A" \
    "UPDATE chain_head SET seq = 0"
refused "a desk may not attach the head-moving function to a table of its own" \
    'permission denied for function public.audit_events_advance' sana "$A" \
    "CREATE TEMP TABLE t (seq bigint, hash text, prev_hash text);
     CREATE TRIGGER t_advance AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION public.audit_events_advance()"
equals "several events in one statement continue the chain (a copy of history)" "11" "$SUPER" "$A" \
    "INSERT INTO audit_events (seq, at, actor, action, item_id, payload, prev_hash, hash)
     WITH h AS (SELECT seq, hash FROM chain_head),
          e1 AS (SELECT h.seq + 1 AS seq, h.hash AS prev,
                        encode(sha256(convert_to(h.hash || ':' || (h.seq + 1)::text, 'UTF8')), 'hex') AS hash FROM h),
          e2 AS (SELECT e1.seq + 1 AS seq, e1.hash AS prev,
                        encode(sha256(convert_to(e1.hash || ':' || (e1.seq + 1)::text, 'UTF8')), 'hex') AS hash FROM e1)
     SELECT seq, '2025-05-01T12:00:00Z', 'system', 'copied', NULL::bigint, '{}', prev, hash FROM e1
     UNION ALL
     SELECT seq, '2025-05-01T12:00:00Z', 'system', 'copied', NULL, '{}', prev, hash FROM e2
     ORDER BY 1" \
    "SELECT seq FROM chain_head"

echo "== the schema belongs to parakh_owner"
refused "a desk may not drop audit_events" 'must be owner of table audit_events' sana "$A" \
    "DROP TABLE audit_events"
refused "a desk may not disable a trigger" 'must be owner of table audit_events' sana "$A" \
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain"
refused "a desk may not disable all triggers" 'must be owner of table audit_events' sana "$A" \
    "ALTER TABLE audit_events DISABLE TRIGGER ALL"
refused "a desk may not create tables in public" 'permission denied for schema public' sana "$A" \
    "CREATE TABLE public.x (a int)"
refused "a desk may not delete items" 'permission denied for table items' sana "$A" "DELETE FROM items"
refused "a desk may not edit an item's reported fields" 'permission denied for table items' sana "$A" \
    "UPDATE items SET url = 'https://x.com/other' WHERE id = 1"
equals "every table, view and function is parakh_owner's" "0|0" "$SUPER" "$A" \
    "SELECT (SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
              AND c.relkind IN ('r', 'v', 'S') AND c.relowner <> 'parakh_owner'::regrole)
     || '|' || (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
              AND p.proowner <> 'parakh_owner'::regrole)"
equals "the second database holds the same schema" "87|33|2|1" "$SUPER" "$B" \
    "SELECT (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) || '|' ||
            (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'parakh_owner') || '|' ||
            (SELECT count(*) FROM pg_views WHERE schemaname = 'public' AND viewowner = 'parakh_owner') || '|' ||
            (SELECT version FROM schema_version)"
if run sana "$A" "SELECT id FROM store_identity" && [[ $OUT =~ ^[0-9a-f]{32}$ ]]; then
    ida=$OUT
    if run "$SUPER" "$B" "SELECT id FROM store_identity" && [[ $OUT =~ ^[0-9a-f]{32}$ ]] && [ "$OUT" != "$ida" ]; then
        pass "store identities: $ida, $OUT"
    else fail "store identity of $B" "$OUT"; fi
else fail "store identity of $A" "$OUT"; fi

echo "== a set-up login that is not a superuser"
ok "a set-up login in parakh_owner, owning a database" "$SUPER" postgres \
    "CREATE ROLE parakh_setup LOGIN PASSWORD '$SETUP_PW' IN ROLE parakh_owner" \
    "CREATE DATABASE $C OWNER parakh_setup"
if install parakh_setup "$C"; then pass "the set-up login installs the schema"; else fail "the set-up login installs the schema" "$OUT"; fi
ok "the set-up login records a 'system' event" parakh_setup "$C" "$(event system store_created '{}')"

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
