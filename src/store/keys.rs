//! Signing keys and the signatures on events.

use super::Tx;
use super::sql::Row;
use crate::args;
use crate::error::Result;
use crate::model::{KeyRow, SignatureRow};

const KEY_COLUMNS: &str = "id, user_id, public_key, fingerprint, wrapped, nonce, salt, kdf_m, kdf_t, kdf_p, enrolled_seq, revoked_seq";

fn key_from_row(r: &Row) -> Result<KeyRow> {
    Ok(KeyRow {
        id: r.get(0)?,
        user_id: r.get(1)?,
        public_key: r.get(2)?,
        fingerprint: r.get(3)?,
        wrapped: r.get(4)?,
        nonce: r.get(5)?,
        salt: r.get(6)?,
        kdf: (r.get(7)?, r.get(8)?, r.get(9)?),
        enrolled_seq: r.get(10)?,
        revoked_seq: r.get(11)?,
    })
}

fn signature_from_row(r: &Row) -> Result<SignatureRow> {
    Ok(SignatureRow {
        seq: r.get(0)?,
        signer: r.get(1)?,
        key_fingerprint: r.get(2)?,
        signature: r.get(3)?,
    })
}

impl Tx<'_> {
    /// Stores a new key of a user.
    pub fn insert_key(&self, k: &KeyRow) -> Result<i64> {
        self.insert_id(
            "INSERT INTO user_keys (user_id, public_key, fingerprint, wrapped, nonce, salt, kdf_m, kdf_t, kdf_p, enrolled_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            args![k.user_id, k.public_key, k.fingerprint, k.wrapped, k.nonce, k.salt, k.kdf.0, k.kdf.1, k.kdf.2, k.enrolled_seq],
        )
    }

    /// A user's current key (the newest not revoked).
    pub fn current_key(&self, user_id: i64) -> Result<Option<KeyRow>> {
        self.row(
            &format!("SELECT {KEY_COLUMNS} FROM user_keys WHERE user_id = ?1 AND revoked_seq IS NULL ORDER BY id DESC LIMIT 1"),
            args![user_id],
            key_from_row,
        )
    }

    /// Stores a key wrapped anew (a password change): the public key stays.
    pub fn rewrap_key(&self, k: &KeyRow) -> Result<()> {
        self.exec(
            "UPDATE user_keys SET wrapped = ?2, nonce = ?3, salt = ?4, kdf_m = ?5, kdf_t = ?6, kdf_p = ?7 WHERE id = ?1",
            args![k.id, k.wrapped, k.nonce, k.salt, k.kdf.0, k.kdf.1, k.kdf.2],
        )?;
        Ok(())
    }

    /// Marks a key revoked by event `seq`.
    pub fn revoke_key(&self, id: i64, seq: i64) -> Result<()> {
        self.exec(
            "UPDATE user_keys SET revoked_seq = ?2 WHERE id = ?1",
            args![id, seq],
        )?;
        Ok(())
    }

    /// Stores a signature on event `seq`.
    pub fn insert_signature(&self, s: &SignatureRow) -> Result<()> {
        self.exec(
            "INSERT INTO event_signatures (seq, signer, key_fingerprint, signature) VALUES (?1, ?2, ?3, ?4)",
            args![s.seq, s.signer, s.key_fingerprint, s.signature],
        )?;
        Ok(())
    }

    /// Every signature, by event.
    pub fn signatures(&self) -> Result<Vec<SignatureRow>> {
        self.rows(
            "SELECT seq, signer, key_fingerprint, signature FROM event_signatures ORDER BY seq, rowid",
            args![],
            signature_from_row,
        )
    }

    /// The signatures on event `seq`.
    pub fn signatures_of(&self, seq: i64) -> Result<Vec<SignatureRow>> {
        self.rows(
            "SELECT seq, signer, key_fingerprint, signature FROM event_signatures WHERE seq = ?1 ORDER BY rowid",
            args![seq],
            signature_from_row,
        )
    }

    /// The fingerprint of each user's current key: (name, fingerprint).
    pub fn key_fingerprints(&self) -> Result<Vec<(String, String)>> {
        self.rows(
            "SELECT u.name, k.fingerprint FROM user_keys k JOIN users u ON u.id = k.user_id
              WHERE k.revoked_seq IS NULL ORDER BY u.name, k.id",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}
