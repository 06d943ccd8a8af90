//! People's signing keys and the signatures on events, as stored.

/// A person's signing key as stored: the public key, and the secret key wrapped under a
/// key derived from their password.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRow {
    /// Row id.
    pub id: i64,
    /// The user.
    pub user_id: i64,
    /// Ed25519 public key.
    pub public_key: Vec<u8>,
    /// Its fingerprint.
    pub fingerprint: String,
    /// The wrapped secret key (XChaCha20-Poly1305 ciphertext and tag).
    pub wrapped: Vec<u8>,
    /// The AEAD nonce.
    pub nonce: Vec<u8>,
    /// The Argon2id salt.
    pub salt: Vec<u8>,
    /// Argon2id memory in KiB, passes, lanes.
    pub kdf: (u32, u32, u32),
    /// The event that enrolled it.
    pub enrolled_seq: i64,
    /// The event that revoked it, if any.
    pub revoked_seq: Option<i64>,
}

/// One signature on an event.
#[derive(Clone, Debug, PartialEq)]
pub struct SignatureRow {
    /// The event signed.
    pub seq: i64,
    /// Who signed.
    pub signer: String,
    /// With which key (fingerprint).
    pub key_fingerprint: String,
    /// The Ed25519 signature.
    pub signature: Vec<u8>,
}
