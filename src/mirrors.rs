//! Mirror candidates: accounts that may be re-creations of ones already taken down. Each
//! candidate is scored field by field in the Fellegi–Sunter manner — a field that agrees adds
//! log2(m/u), one that disagrees adds log2((1−m)/(1−u)), where m is how often the field
//! agrees between true mirrors and u how often between unrelated accounts — and the reviewer
//! sees every field's contribution. Never automatic: a reviewer decides.

use serde::Serialize;
use std::collections::{HashMap, HashSet};

use crate::error::{Error, Result};
use crate::model::MirrorVerdict;
use crate::model::TakenDown;
use crate::model::packet::Packet;
use crate::model::text::{handle_key, search_fold};
use crate::pdq::{MATCH_DISTANCE, PdqHash};
use crate::pdq_index::HashIndex;
use crate::workspace::Workspace;
use crate::workspace::{Session, record};

/// Words so common in names of media accounts that agreeing on them says little.
pub const COMMON_WORDS: &[&str] = &[
    "media", "news", "official", "tv", "channel", "updates", "update", "pk", "live", "page", "the",
    "online", "network",
];

/// One field's comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldScore {
    /// The field compared.
    pub field: &'static str,
    /// Whether it agreed.
    pub agrees: bool,
    /// Its contribution to the score (bits of evidence for a mirror; negative against).
    pub weight: f64,
    /// What was compared, in words.
    pub detail: String,
}

/// A possible mirror: the taken-down account it may re-create, the total score and the
/// per-field evidence, best first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// The taken-down item's id.
    pub item: i64,
    /// Its handle.
    pub handle: String,
    /// Its platform.
    pub platform: String,
    /// Sum of the field weights.
    pub score: f64,
    /// The fields, in a fixed order.
    pub fields: Vec<FieldScore>,
}

/// Share of handle-key trigrams (padded, so a key of five letters has seven) two keys
/// must have in common for the pair to be scored at all. One swap of neighbouring letters
/// in a short key leaves only about a quarter in common, so the bar is low; scoring decides.
pub const TRIGRAM_JACCARD: f64 = 0.2;

/// A score at or above this makes a candidate worth a reviewer's look.
pub const THRESHOLD: f64 = 4.0;

fn weight(agrees: bool, m: f64, u: f64) -> f64 {
    if agrees {
        (m / u).log2()
    } else {
        ((1.0 - m) / (1.0 - u)).log2()
    }
}

fn trigrams(s: &str) -> HashSet<[char; 3]> {
    let c: Vec<char> = format!("  {s} ").chars().collect();
    c.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

/// The words of a display name that carry meaning, search-folded (Urdu spellings meet,
/// case is ignored); the confusable skeleton is for handles only.
fn name_words(name: &str) -> Vec<String> {
    search_fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !COMMON_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Link domains, handles mentioned (`@name`, as `@` and its look-alike key) and phone
/// numbers in a bio, a post or the text read from a screenshot.
fn contacts(text: &str) -> (HashSet<String>, HashSet<String>) {
    let folded = search_fold(text);
    let mut domains = HashSet::new();
    let mut phones = HashSet::new();
    for word in folded.split_whitespace() {
        if let Some(name) = word.strip_prefix('@') {
            let key = handle_key(name.trim_end_matches(|c: char| !c.is_alphanumeric()));
            if key.len() >= 3 {
                domains.insert(format!("@{key}"));
            }
            continue;
        }
        let w = word.trim_matches(|c: char| !c.is_alphanumeric());
        let link = w
            .strip_prefix("https://")
            .or_else(|| w.strip_prefix("http://"))
            .or_else(|| w.strip_prefix("www."));
        if let Some(rest) = link.or_else(|| (w.contains('.') && w.contains('/')).then_some(w)) {
            // A link: the host plus the first path segment (t.me/channel, wa.me/number).
            let mut parts = rest.trim_start_matches("www.").split('/');
            let host = parts.next().unwrap_or("");
            let first = parts.next().unwrap_or("");
            domains.insert(if first.is_empty() {
                host.to_string()
            } else {
                format!("{host}/{first}")
            });
        }
        let digits: String = w.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() >= 7
            && w.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '(' | ')' | '.'))
        {
            phones.insert(
                digits
                    .trim_start_matches("92")
                    .trim_start_matches('0')
                    .to_string(),
            );
        }
    }
    (domains, phones)
}

/// What is compared of the item being reviewed.
pub struct Subject<'a> {
    /// Its id (never its own candidate).
    pub id: i64,
    /// Handle.
    pub handle: &'a str,
    /// Display name.
    pub display_name: &'a str,
    /// Bio or post text.
    pub text: &'a str,
    /// The text read from its screenshots.
    pub image_text: &'a str,
    /// Its evidence hashes, each in eight orientations.
    pub hashes: &'a [Vec<PdqHash>],
}

/// What scoring needs of one side, derived once.
#[derive(Clone, Debug, Default)]
pub struct Features {
    key: String,
    words: Vec<String>,
    domains: HashSet<String>,
    phones: HashSet<String>,
    /// Links, handles and numbers (`tel:` before them) found only in screenshots.
    from_image: HashSet<String>,
}

impl Features {
    /// Index keys of its link domains and phone numbers (`tel:` before a number).
    fn contact_keys(&self) -> impl Iterator<Item = String> + '_ {
        self.domains
            .iter()
            .cloned()
            .chain(self.phones.iter().map(|p| format!("tel:{p}")))
    }

    fn of(handle: &str, display_name: &str, text: &str, image_text: &str) -> Features {
        let (mut domains, mut phones) = contacts(text);
        let (image_domains, image_phones) = contacts(image_text);
        let mut from_image: HashSet<String> = image_domains.difference(&domains).cloned().collect();
        from_image.extend(image_phones.difference(&phones).map(|p| format!("tel:{p}")));
        domains.extend(image_domains);
        phones.extend(image_phones);
        Features {
            key: handle_key(handle),
            words: name_words(display_name),
            domains,
            phones,
            from_image,
        }
    }

    /// Shared contacts in words, each read from a screenshot marked as such.
    fn shared(
        &self,
        other: &Features,
        mine: &HashSet<String>,
        theirs: &HashSet<String>,
        tel: bool,
    ) -> Vec<String> {
        let mut out: Vec<String> = mine
            .intersection(theirs)
            .map(|c| {
                let key = if tel { format!("tel:{c}") } else { c.clone() };
                if self.from_image.contains(&key) || other.from_image.contains(&key) {
                    format!("{c} (read from a screenshot)")
                } else {
                    c.clone()
                }
            })
            .collect();
        out.sort();
        out
    }
}

/// Scores one taken-down account against the subject.
pub fn score(subject: &Subject, t: &TakenDown) -> Candidate {
    let s = Features::of(
        subject.handle,
        subject.display_name,
        subject.text,
        subject.image_text,
    );
    let f = Features::of(&t.handle, &t.display_name, &t.text, &t.image_text);
    score_with(subject, &s, t, &f)
}

fn score_with(subject: &Subject, sf: &Features, t: &TakenDown, tf: &Features) -> Candidate {
    let mut fields = Vec::new();
    let key = &sf.key;
    let exact = !key.is_empty() && *key == t.handle_key;
    fields.push(FieldScore {
        field: "handle_key",
        agrees: exact,
        weight: weight(exact, 0.7, 0.0005),
        detail: format!("look-alike key '{key}' vs '{}'", t.handle_key),
    });
    let jw = strsim::jaro_winkler(key, &t.handle_key);
    let similar = !exact && jw >= 0.88;
    fields.push(FieldScore {
        field: "handle_similarity",
        agrees: similar || exact,
        weight: if exact {
            0.0
        } else {
            weight(similar, 0.25, 0.002)
        },
        detail: format!(
            "Jaro–Winkler {jw:.2} between '{}' and '{}'",
            subject.handle, t.handle
        ),
    });
    let (a, b) = (&sf.words, &tf.words);
    let (name_agrees, name_detail) = if a.is_empty() || b.is_empty() {
        (
            false,
            "no distinctive words to compare (common words such as 'media' or 'news' do not count)"
                .to_string(),
        )
    } else {
        let sim = strsim::jaro_winkler(&a.join(" "), &b.join(" "));
        (
            sim >= 0.9,
            format!(
                "distinctive words {:?} vs {:?}: Jaro–Winkler {sim:.2}",
                a, b
            ),
        )
    };
    fields.push(FieldScore {
        field: "display_name",
        agrees: name_agrees,
        weight: if a.is_empty() || b.is_empty() {
            0.0
        } else {
            weight(name_agrees, 0.6, 0.02)
        },
        detail: name_detail,
    });
    let best = subject
        .hashes
        .iter()
        .flat_map(|orientations| orientations.iter())
        .flat_map(|h| t.hashes.iter().map(move |o| h.distance(o)))
        .min();
    let image = best.is_some_and(|d| d <= MATCH_DISTANCE);
    fields.push(FieldScore {
        field: "images",
        agrees: image,
        weight: if subject.hashes.is_empty() || t.hashes.is_empty() { 0.0 } else { weight(image, 0.5, 0.0002) },
        detail: match best {
            Some(d) => format!("closest screenshot or avatar {d} bits apart (match ≤ {MATCH_DISTANCE}, any orientation)"),
            None => "no hashed images on one side".into(),
        },
    });
    let (da, pa, db, pb) = (&sf.domains, &sf.phones, &tf.domains, &tf.phones);
    let shared_links = sf.shared(tf, da, db, false);
    let shared_phones = sf.shared(tf, pa, pb, true);
    fields.push(FieldScore {
        field: "links",
        agrees: !shared_links.is_empty(),
        weight: if da.is_empty() || db.is_empty() {
            0.0
        } else {
            weight(!shared_links.is_empty(), 0.4, 0.001)
        },
        detail: if shared_links.is_empty() {
            "no shared link".into()
        } else {
            format!("shared {shared_links:?}")
        },
    });
    fields.push(FieldScore {
        field: "phones",
        agrees: !shared_phones.is_empty(),
        weight: if pa.is_empty() || pb.is_empty() {
            0.0
        } else {
            weight(!shared_phones.is_empty(), 0.4, 0.0001)
        },
        detail: if shared_phones.is_empty() {
            "no shared phone number".into()
        } else {
            format!("shared {shared_phones:?}")
        },
    });
    Candidate {
        item: t.id,
        handle: t.handle.clone(),
        platform: t.platform.clone(),
        score: fields.iter().map(|f| f.weight).sum(),
        fields,
    }
}

/// The taken-down accounts, indexed for candidate search: handle-key trigrams, link
/// domains and phone numbers map to accounts, so a query looks only at plausible ones.
pub struct Pool {
    accounts: Vec<TakenDown>,
    features: Vec<Features>,
    keys: HashMap<String, Vec<usize>>,
    trigram_index: HashMap<[char; 3], Vec<usize>>,
    trigram_counts: Vec<usize>,
    contact_index: HashMap<String, Vec<usize>>,
    images: HashIndex<usize>,
    generation: Option<(i64, i64)>,
}

impl Pool {
    /// Indexes `accounts`.
    pub fn new(accounts: Vec<TakenDown>) -> Pool {
        let mut pool = Pool {
            keys: HashMap::new(),
            trigram_index: HashMap::new(),
            trigram_counts: Vec::with_capacity(accounts.len()),
            contact_index: HashMap::new(),
            images: HashIndex::new(
                accounts
                    .iter()
                    .enumerate()
                    .flat_map(|(i, t)| t.hashes.iter().map(move |h| (*h, i))),
            ),
            accounts: Vec::new(),
            generation: None,
            features: Vec::with_capacity(accounts.len()),
        };
        for (i, t) in accounts.iter().enumerate() {
            pool.keys.entry(t.handle_key.clone()).or_default().push(i);
            let tri = trigrams(&t.handle_key);
            pool.trigram_counts.push(tri.len());
            for g in tri {
                pool.trigram_index.entry(g).or_default().push(i);
            }
            let f = Features::of(&t.handle, &t.display_name, &t.text, &t.image_text);
            for c in f.contact_keys() {
                pool.contact_index.entry(c).or_default().push(i);
            }
            pool.features.push(f);
        }
        pool.accounts = accounts;
        pool
    }

    /// Number of accounts.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// Indexes of accounts worth scoring: the same key, a similar key by trigrams (Jaccard
    /// ≥ [`TRIGRAM_JACCARD`]), a close image in any orientation, or a shared link or phone number.
    fn plausible(&self, subject: &Subject, sf: &Features) -> Vec<usize> {
        let mut out: HashSet<usize> = self
            .keys
            .get(&sf.key)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let tri = trigrams(&sf.key);
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for g in &tri {
            for &i in self.trigram_index.get(g).into_iter().flatten() {
                *shared.entry(i).or_default() += 1;
            }
        }
        for (i, n) in shared {
            let union = tri.len() + self.trigram_counts[i] - n;
            if union > 0 && n as f64 / union as f64 >= TRIGRAM_JACCARD {
                out.insert(i);
            }
        }
        for c in sf.contact_keys() {
            out.extend(self.contact_index.get(&c).into_iter().flatten().copied());
        }
        for orientations in subject.hashes {
            for (n, _, _) in self.images.within_any(orientations, MATCH_DISTANCE) {
                out.insert(*self.images.get(n).1);
            }
        }
        out.into_iter().collect()
    }
}

/// Candidates for `subject` in `pool`, at or above [`THRESHOLD`], best first.
pub fn rank(subject: &Subject, pool: &Pool) -> Vec<Candidate> {
    let sf = Features::of(
        subject.handle,
        subject.display_name,
        subject.text,
        subject.image_text,
    );
    let mut out: Vec<Candidate> = pool
        .plausible(subject, &sf)
        .into_iter()
        .filter(|&i| pool.accounts[i].id != subject.id)
        .map(|i| score_with(subject, &sf, &pool.accounts[i], &pool.features[i]))
        .filter(|c| c.score >= THRESHOLD)
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.item.cmp(&b.item)));
    out
}

/// Every account with an approved takedown, with its evidence hashes: the pool
/// [`candidates_in`] searches (the workstation keeps it between items).
pub fn pool(ws: &mut Workspace) -> Result<Pool> {
    let (accounts, generation) = ws
        .store()
        .read(|tx| Ok((tx.taken_down()?, tx.takedown_generation()?)))?;
    let mut pool = Pool::new(accounts);
    pool.generation = Some(generation);
    Ok(pool)
}

/// Whether `pool` still holds exactly the standing takedowns: no takedown approved and no
/// appeal decided since it was built. Claims, tags and other desks' work leave it current,
/// so the workstation rebuilds its indexes only when they would change.
pub fn pool_is_current(ws: &mut Workspace, pool: &Pool) -> Result<bool> {
    let now = ws.store().read(|tx| tx.takedown_generation())?;
    Ok(pool.generation == Some(now))
}

/// Mirror candidates for a stored item among the accounts with an approved takedown.
pub fn candidates(ws: &mut Workspace, item: i64) -> Result<Vec<Candidate>> {
    let pool = pool(ws)?;
    candidates_in(ws, item, &pool)
}

/// Mirror candidates for a stored item among `pool`.
pub fn candidates_in(ws: &mut Workspace, item: i64, pool: &Pool) -> Result<Vec<Candidate>> {
    let now = ws.now();
    ws.store().read(|tx| rank_stored(tx, item, now, pool))
}

/// For each of `items`, the taken-down accounts in `pool` it may mirror (those scoring at
/// or above [`THRESHOLD`]), best first: the queue's "possible mirror" mark, worked out with
/// the same score the item view shows, in one read of the store.
pub fn possible_mirrors_in(
    ws: &mut Workspace,
    items: &[i64],
    pool: &Pool,
) -> Result<Vec<(i64, Vec<i64>)>> {
    let now = ws.now();
    ws.store().read(|tx| {
        items
            .iter()
            .map(|&id| {
                let found = rank_stored(tx, id, now, pool)?;
                Ok((id, found.into_iter().map(|c| c.item).collect()))
            })
            .collect()
    })
}

/// Ranks a stored item, with the hashes of its evidence, against `pool`.
fn rank_stored(
    tx: &crate::store::Tx<'_>,
    item: i64,
    now: chrono::DateTime<chrono::Utc>,
    pool: &Pool,
) -> Result<Vec<Candidate>> {
    let it = tx.item(item, now)?;
    let mut hashes = Vec::new();
    for e in tx.item_evidence(item)? {
        hashes.extend(tx.comparable_evidence_pdq(&e.sha256)?);
    }
    let image_text = tx.item_image_text(item)?;
    let image_text: Vec<&str> = image_text.iter().map(|x| x.text.as_str()).collect();
    let image_text = image_text.join("\n");
    let subject = Subject {
        id: it.id,
        handle: &it.fields.handle,
        display_name: &it.fields.display_name,
        text: &it.fields.text,
        image_text: &image_text,
        hashes: &hashes,
    };
    Ok(rank(&subject, pool))
}

/// Records a reviewer's verdict that `item` is (`confirm`) or is not a mirror of the
/// taken-down `of`. Requires a live claim on `item`. Confirming tags the item with the
/// groups and legal grounds of the decision that took `of` down (those still in the current
/// taxonomy), so the reviewer starts from it; the item still needs its own proposal and a
/// second person's approval. Returns the tags added.
pub fn decide(
    ws: &mut Workspace,
    s: &Session,
    item: i64,
    of: i64,
    confirm: bool,
) -> Result<Vec<String>> {
    let candidates = candidates(ws, item)?;
    let score = candidates.iter().find(|c| c.item == of).map(|c| c.score);
    let now = ws.now();
    let prefill = ws.store_as(s).write(|tx| {
        let me = crate::review::editable_claim(tx, s, item, now)?;
        let decision = tx
            .decisions(Some(of))?
            .into_iter()
            .rev()
            .find(|d| d.approval.is_some() && d.proposal.outcome == crate::model::Outcome::Takedown)
            .ok_or_else(|| Error::rule(format!("#{of} has no approved takedown: it cannot be the original of a mirror")))?;
        let score = match (score, confirm) {
            (Some(s), _) => s,
            (None, false) => f64::NEG_INFINITY,
            (None, true) => {
                return Err(Error::rule(format!("#{of} is not among the mirror candidates of #{item}")));
            }
        };
        let seq = tx.next_event_seq()?;
        tx.insert_mirror_verdict(item, of, confirm, if score.is_finite() { score } else { 0.0 }, &me.name, now, seq)?;
        record(tx, now, &me.name, if confirm { "mirror_confirm" } else { "mirror_reject" }, Some(item), serde_json::json!({
            "of": of, "score": if score.is_finite() { score } else { 0.0 }, "packet_hash": decision.proposal.packet_hash,
        }))?;
        let packet: Packet = serde_json::from_str(&decision.proposal.packet)
            .map_err(|e| Error::Integrity(format!("packet of #{of} unreadable: {e}")))?;
        Ok(packet)
    })?;
    if !confirm {
        return Ok(Vec::new());
    }
    let (_, groups, grounds) = crate::taxonomy::current(ws)?;
    let g: Vec<String> = prefill
        .groups
        .iter()
        .filter(|t| groups.iter().any(|x| x.id == t.id))
        .map(|t| t.id.clone())
        .collect();
    let r: Vec<String> = prefill
        .grounds
        .iter()
        .filter(|t| grounds.iter().any(|x| x.id == t.id))
        .map(|t| t.id.clone())
        .collect();
    if !g.is_empty() || !r.is_empty() {
        crate::review::tag(ws, s, item, &g, &r, &[], &[])?;
    }
    Ok(g.into_iter().chain(r).collect())
}

/// The verdicts recorded on an item.
pub fn verdicts(ws: &mut Workspace, item: i64) -> Result<Vec<MirrorVerdict>> {
    ws.store().read(|tx| tx.mirror_verdicts(item))
}
