//! Per-user settings, kept between runs in eframe's storage.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;

/// One reviewer's preferences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserSettings {
    /// Screenshots open blurred and greyscale until revealed (the wellness default).
    pub veil: bool,
    /// The face Urdu content is shown in.
    pub urdu_face: super::fonts::UrduFace,
    /// The reviewer's time zone, minutes east of UTC (Pakistan, UTC+5, by default).
    pub utc_offset_minutes: i32,
    /// The evidence takes most of the desk's width (the queue and decision columns narrow).
    pub wide_evidence: bool,
}

impl Default for UserSettings {
    fn default() -> Self {
        UserSettings {
            veil: true,
            urdu_face: super::fonts::UrduFace::default(),
            utc_offset_minutes: super::time::PAKISTAN_MINUTES,
            wide_evidence: false,
        }
    }
}

/// Everything the workstation remembers between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    /// The last store opened.
    pub last_store: Option<PathBuf>,
    /// The last user name signed in, to prefill the form.
    pub last_user: String,
    /// Settings per user name.
    pub users: HashMap<String, UserSettings>,
}

/// The key under which [`Remembered`] is stored.
pub const STORAGE_KEY: &str = "parakh";
