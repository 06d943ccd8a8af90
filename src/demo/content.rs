//! Invented names and text for demo data. All synthetic: no real account, person or post.

/// Handle stems: invented, generic words.
pub const STEMS: &[&str] = &[
    "sada_e_haq",
    "paigham",
    "khabar_nama",
    "awaz_e_watan",
    "noor_media",
    "safar_news",
    "jazba_official",
    "raahi",
    "sitara_news",
    "kohsar_voice",
    "dariya_media",
    "sarhad_updates",
    "qalam_tv",
    "roshni_channel",
    "mehwar",
    "zameen_info",
    "aftab_media",
    "badal_news",
    "chinar_voice",
    "dasht_updates",
    "ttp_media",
    "bla_news",
    "khurasan_voice",
    "azadi_media",
];

/// Display names, Latin script.
pub const NAMES_EN: &[&str] = &[
    "Voice of Truth",
    "Message Daily",
    "News Letter",
    "Homeland Voice",
    "Light Media",
    "Journey News",
    "Spirit Official",
    "Wayfarer",
    "Star News",
    "Mountain Voice",
    "River Media",
    "Frontier Updates",
    "Pen TV",
    "Light Channel",
];

/// Display names, Urdu.
pub const NAMES_UR: &[&str] = &[
    "صدائے حق",
    "پیغام",
    "خبرنامہ",
    "آوازِ وطن",
    "نور میڈیا",
    "سفر نیوز",
    "جذبہ آفیشل",
    "راہی",
    "ستارہ نیوز",
    "کوہسار کی آواز",
];

/// Post and bio texts in English (synthetic placeholders, deliberately bland).
pub const TEXT_EN: &[&str] = &[
    "[synthetic demo] Join our channel for daily updates. New posts every evening.",
    "[synthetic demo] Announcement: a gathering is planned next Friday. Details on our page.",
    "[synthetic demo] Share this message with everyone you know. Link in bio.",
    "[synthetic demo] Contact us for the full video: 0300-0000000",
    "[synthetic demo] Our statement on the events of last week. Follow for more.",
    "[synthetic demo] Support our work. Donations accepted through the link below.",
];

/// Post and bio texts in Urdu (synthetic placeholders, deliberately bland).
pub const TEXT_UR: &[&str] = &[
    "یہ ایک مصنوعی نمونہ پوسٹ ہے۔ روزانہ خبروں کے لیے ہمارا چینل جوائن کریں۔",
    "اعلان: اگلے جمعہ کو ایک اجتماع ہوگا۔ تفصیلات ہمارے صفحے پر۔",
    "یہ پیغام سب کے ساتھ شیئر کریں۔ لنک بائیو میں ہے۔",
    "مکمل ویڈیو کے لیے رابطہ کریں 0300-0000000",
    "پچھلے ہفتے کے واقعات پر ہمارا بیان۔ مزید کے لیے فالو کریں۔",
    "نمونہ متن: 2026 کی رپورٹ کے مطابق 15 نئے اکاؤنٹس بنائے گئے۔",
];

/// Rationales for demo decisions.
pub const RATIONALES: &[&str] = &[
    "Screenshots show the group's name and logo used to solicit support; matches the listed group.",
    "Account reposts material glorifying a proscribed organisation; see evidence 1.",
    "Bio and posts invite people to join and fund the group; contact number given.",
    "No affiliation shown; content is news reporting without glorification.",
    "Content is critical commentary, not support; no violation found.",
];

/// Reasons leads give when returning a decision.
pub const RETURN_REASONS: &[&str] = &[
    "Evidence does not show the handle; attach a screenshot with the profile header.",
    "Legal ground does not fit: consider PECA s.9 rather than s.10.",
    "Group affiliation unclear; add the basis for the tag to the rationale.",
];
