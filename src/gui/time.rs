//! Times as a person reads them: in the reviewer's time zone with its offset
//! ("4 Dec 2026, 11:32 (UTC+5)"), the exact stored UTC value on hover. Stored and exported
//! times stay RFC 3339 UTC.

use chrono::{DateTime, FixedOffset, Utc};

/// Pakistan Standard Time, the default zone of a desk: UTC+5, no daylight saving.
pub const PAKISTAN_MINUTES: i32 = 5 * 60;

/// The zones offered in Settings, as minutes east of UTC, with a name where one is common.
pub const ZONES: &[(i32, &str)] = &[
    (PAKISTAN_MINUTES, "Pakistan (PKT)"),
    (0, "UTC"),
    (60, "Central Europe (CET)"),
    (3 * 60, "Arabia"),
    (4 * 60, "Gulf (GST)"),
    (4 * 60 + 30, "Afghanistan"),
    (5 * 60 + 30, "India (IST)"),
];

/// `minutes` east of UTC as a fixed offset (clamped to what chrono accepts).
fn offset(minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(minutes.clamp(-14 * 60, 14 * 60) * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC is a valid offset"))
}

/// "UTC+5", "UTC+5:30", "UTC−3", "UTC".
pub fn offset_name(minutes: i32) -> String {
    if minutes == 0 {
        return "UTC".into();
    }
    let sign = if minutes > 0 { '+' } else { '−' };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

/// A moment in the zone `minutes` east of UTC: "4 Dec 2026, 11:32 (UTC+5)".
pub fn local(t: DateTime<Utc>, minutes: i32) -> String {
    let l = t.with_timezone(&offset(minutes));
    format!(
        "{} ({})",
        l.format("%-d %b %Y, %H:%M"),
        offset_name(minutes)
    )
}

/// Only the clock time in the zone, "11:32", for times within the day.
pub fn clock(t: DateTime<Utc>, minutes: i32) -> String {
    t.with_timezone(&offset(minutes))
        .format("%H:%M")
        .to_string()
}

/// How long ago `t` was, roughly: "3 h", "2 d 4 h", "12 min".
pub fn waited(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let mins = (now - t).num_minutes().max(0);
    match mins {
        0..60 => format!("{mins} min"),
        60..1440 => format!("{} h", mins / 60),
        _ => format!("{} d {} h", mins / 1440, mins % 1440 / 60),
    }
}

/// A label "`prefix` + the local time", muted, with the exact UTC value (as stored) on
/// hover.
pub fn label(ui: &mut egui::Ui, prefix: &str, t: DateTime<Utc>, minutes: i32) -> egui::Response {
    let text = format!("{prefix}{}", local(t, minutes));
    ui.label(egui::RichText::new(text).color(super::theme::MUTED))
        .on_hover_text(format!("{} (UTC)", crate::clock::fmt_ts(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_read_in_pakistan_time_with_the_offset() {
        let t = Utc.with_ymd_and_hms(2026, 12, 4, 6, 32, 31).unwrap();
        assert_eq!(local(t, PAKISTAN_MINUTES), "4 Dec 2026, 11:32 (UTC+5)");
        assert_eq!(local(t, 0), "4 Dec 2026, 06:32 (UTC)");
        assert_eq!(local(t, 5 * 60 + 30), "4 Dec 2026, 12:02 (UTC+5:30)");
        let evening = Utc.with_ymd_and_hms(2026, 12, 4, 20, 0, 0).unwrap();
        assert_eq!(
            local(evening, PAKISTAN_MINUTES),
            "5 Dec 2026, 01:00 (UTC+5)"
        );
        assert_eq!(clock(evening, PAKISTAN_MINUTES), "01:00");
        assert_eq!(offset_name(-180), "UTC−3");
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 10, 32, 31).unwrap();
        assert_eq!(waited(t, now), "2 d 4 h");
    }
}
