//! Caret, selection and editing on mixed Urdu, English and digits, without a display.

use super::*;

fn boxed(text: &str) -> (Engine, Shaper) {
    let mut shaper = Shaper::new();
    let mut e = Engine::new(text, 15.0, UrduFace::Naskh, true);
    e.apply(&mut shaper, Op::Move(Motion::TextEnd, false));
    (e, shaper)
}

fn caret_x(e: &mut Engine, sh: &mut Shaper) -> f32 {
    e.caret_rect(sh, 1.0).expect("a caret").x0 as f32
}

fn width(e: &mut Engine, sh: &mut Shaper) -> f32 {
    e.layout(sh).full_width()
}

fn press(e: &mut Engine, sh: &mut Shaper, x: f32) {
    e.apply(
        sh,
        Op::Press {
            x,
            y: 5.0,
            extend: false,
        },
    );
}

fn mv(e: &mut Engine, sh: &mut Shaper, m: Motion, extend: bool) {
    e.apply(sh, Op::Move(m, extend));
}

#[test]
fn the_direction_follows_the_first_strong_letter() {
    for (text, rtl) in [
        ("ہمارا چینل جوائن کریں", true),
        ("plain English", false),
        ("2026 نیوز Pakistan", true),
        ("2026: Pakistan نیوز", false),
    ] {
        let (mut e, mut sh) = boxed(text);
        assert_eq!(e.is_rtl(&mut sh), rtl, "{text}");
    }
}

#[test]
fn urdu_reads_right_to_left_and_its_caret_starts_at_the_right() {
    let text = "کتاب پڑھو";
    let (mut e, mut sh) = boxed(text);
    let w = width(&mut e, &mut sh);
    // At the logical end of right-to-left text the caret stands at the left edge.
    assert!(caret_x(&mut e, &mut sh) < 1.0, "caret at the left edge");
    mv(&mut e, &mut sh, Motion::TextStart, false);
    assert!(
        caret_x(&mut e, &mut sh) > w - 1.0,
        "logical start at the right edge"
    );
    // The first word is drawn to the right of the second.
    let order = e.visual_order(&mut sh);
    let pos = |byte: usize| order.iter().position(|(i, _)| *i == byte).unwrap();
    assert!(pos(0) > pos(text.find('پ').unwrap()));
    assert!(
        order
            .iter()
            .filter(|(i, _)| text[*i..].starts_with(|c: char| !c.is_whitespace()))
            .all(|(_, rtl)| *rtl)
    );
}

#[test]
fn left_and_right_move_the_caret_on_screen_across_mixed_text() {
    for text in [
        "سال 2026 میں 15 اکاؤنٹس",
        "Join صدائے حق today",
        "رابطہ 0300-1234567 پر کریں",
        "چینل @ttp_media جوائن کریں",
    ] {
        let (mut e, mut sh) = boxed(text);
        let w = width(&mut e, &mut sh);
        // From the right edge, Left walks to the left edge, never moving right.
        let rtl = e.is_rtl(&mut sh);
        mv(
            &mut e,
            &mut sh,
            if rtl {
                Motion::LineStart
            } else {
                Motion::LineEnd
            },
            false,
        );
        let mut x = caret_x(&mut e, &mut sh);
        assert!(x > w - 1.0, "{text}: starts at the right edge ({x} of {w})");
        let mut seen = std::collections::BTreeSet::from([e.caret()]);
        for _ in 0..text.chars().count() + 4 {
            mv(&mut e, &mut sh, Motion::Left, false);
            let nx = caret_x(&mut e, &mut sh);
            assert!(
                nx <= x + 0.5,
                "{text}: Left moved the caret right ({x} to {nx})"
            );
            x = nx;
            seen.insert(e.caret());
        }
        assert!(x < 1.0, "{text}: Left reaches the left edge");
        // Every character boundary was visited on the way.
        let boundaries = text
            .char_indices()
            .filter(|(i, _)| !text[*i..].starts_with(['\u{064F}', '\u{0670}']))
            .count()
            + 1;
        assert!(
            seen.len() + 2 >= boundaries,
            "{text}: {} of {boundaries} stops",
            seen.len()
        );
        // And Right walks back.
        for _ in 0..text.chars().count() + 4 {
            mv(&mut e, &mut sh, Motion::Right, false);
            let nx = caret_x(&mut e, &mut sh);
            assert!(nx + 0.5 >= x, "{text}: Right moved the caret left");
            x = nx;
        }
        assert!(x > w - 1.0, "{text}: Right reaches the right edge");
    }
}

#[test]
fn home_and_end_go_to_the_line_s_ends_as_it_is_read() {
    let (mut e, mut sh) = boxed("اردو متن 123");
    let w = width(&mut e, &mut sh);
    mv(&mut e, &mut sh, Motion::LineStart, false);
    assert_eq!(e.caret(), 0);
    assert!(
        caret_x(&mut e, &mut sh) > w - 1.0,
        "Home: the right edge of Urdu"
    );
    mv(&mut e, &mut sh, Motion::LineEnd, false);
    assert!(caret_x(&mut e, &mut sh) < 1.0, "End: the left edge of Urdu");
    assert_eq!(
        e.caret(),
        "اردو متن ".len(),
        "which is before the number, read left to right"
    );
    let (mut e, mut sh) = boxed("English then اردو");
    let w = width(&mut e, &mut sh);
    mv(&mut e, &mut sh, Motion::LineStart, false);
    assert!(
        caret_x(&mut e, &mut sh) < 1.0,
        "Home: the left edge of English"
    );
    mv(&mut e, &mut sh, Motion::LineEnd, false);
    assert!(caret_x(&mut e, &mut sh) > w - 1.0);
}

#[test]
fn shift_extends_the_selection_and_ctrl_moves_by_word() {
    let text = "کتاب پڑھو";
    let (mut e, mut sh) = boxed(text);
    // At the end (left edge), Shift+Right twice takes the last two letters.
    mv(&mut e, &mut sh, Motion::Right, true);
    mv(&mut e, &mut sh, Motion::Right, true);
    assert_eq!(e.selected_text().as_deref(), Some("ھو"));
    // Ctrl+Right from there goes back over the word to its start.
    mv(&mut e, &mut sh, Motion::TextStart, false);
    mv(&mut e, &mut sh, Motion::WordLeft, false);
    let at = e.caret();
    assert!(at > 0 && at <= text.find('پ').unwrap(), "one word on: {at}");
    assert_eq!(text[..at].trim_end(), "کتاب");
    mv(&mut e, &mut sh, Motion::WordLeft, true);
    assert_eq!(e.selected_text().as_deref().map(str::trim), Some("پڑھو"));
}

#[test]
fn a_press_and_a_drag_hit_the_characters_under_the_pointer() {
    let text = "ایک دو تین";
    let (mut e, mut sh) = boxed(text);
    let w = width(&mut e, &mut sh);
    press(&mut e, &mut sh, w - 0.5);
    assert_eq!(e.caret(), 0, "the right edge is the start of Urdu");
    press(&mut e, &mut sh, 0.5);
    assert_eq!(e.caret(), text.len(), "the left edge is its end");
    // Dragging from the right edge leftwards selects from the first word on.
    press(&mut e, &mut sh, w - 0.5);
    e.apply(
        &mut sh,
        Op::Drag {
            x: w * 0.55,
            y: 5.0,
        },
    );
    let sel = e.selected_text().expect("a selection");
    assert!(text.starts_with(&sel) && sel.starts_with("ایک"), "{sel:?}");
    // A double click selects one word.
    e.apply(&mut sh, Op::SelectWord { x: w - 3.0, y: 5.0 });
    assert_eq!(e.selected_text().as_deref(), Some("ایک"));
}

#[test]
fn typing_cutting_pasting_and_undoing() {
    let (mut e, mut sh) = boxed("");
    for c in "سلام دنیا".chars() {
        e.apply(&mut sh, Op::Insert(c.to_string()));
    }
    assert_eq!(e.text(), "سلام دنیا");
    assert!(e.is_rtl(&mut sh));
    e.apply(&mut sh, Op::Undo);
    assert_eq!(e.text(), "سلام ", "undo takes back the last word typed");
    e.apply(&mut sh, Op::Undo);
    assert_eq!(e.text(), "سلام");
    e.apply(&mut sh, Op::Redo);
    assert_eq!(e.text(), "سلام ");
    e.apply(&mut sh, Op::Move(Motion::TextEnd, false));
    e.apply(&mut sh, Op::Insert("0300-1234567".into()));
    assert_eq!(e.text(), "سلام 0300-1234567");
    // Select the number (it reads left to right) and cut it.
    for _ in 0.."0300-1234567".len() {
        e.apply(&mut sh, Op::Move(Motion::Left, true));
    }
    let sel = e.selected_text().unwrap_or_default();
    assert!(!sel.is_empty() && "0300-1234567".contains(&sel), "{sel:?}");
    e.apply(&mut sh, Op::SelectAll);
    e.apply(&mut sh, Op::Backspace { word: false });
    assert_eq!(e.text(), "");
    e.apply(&mut sh, Op::Undo);
    assert_eq!(e.text(), "سلام 0300-1234567");
    e.apply(&mut sh, Op::Move(Motion::TextEnd, false));
    e.apply(&mut sh, Op::Backspace { word: true });
    assert_eq!(
        e.text().trim_end_matches(|c: char| c.is_ascii_digit()),
        "سلام 0300-"
    );
}

#[test]
fn a_one_line_box_turns_pasted_lines_into_one() {
    let mut sh = Shaper::new();
    let mut e = Engine::new("", 15.0, UrduFace::Nastaliq, false);
    e.apply(&mut sh, Op::Insert("پہلی\nدوسری".into()));
    assert_eq!(e.text(), "پہلی دوسری");
}

#[test]
fn digits_handles_and_urls_read_left_to_right_inside_urdu() {
    for (text, token) in [
        ("رابطہ 0300-1234567 پر کریں", "0300-1234567"),
        ("ہمارا چینل @ttp_media جوائن کریں", "ttp_media"),
        ("لنک https://t.me/sada_e_haq پر", "https://t.me/sada_e_haq"),
        ("سال 2026 میں", "2026"),
    ] {
        let (mut e, mut sh) = boxed(text);
        let start = text.find(token).unwrap();
        let inside: Vec<usize> = e
            .visual_order(&mut sh)
            .into_iter()
            .map(|(i, _)| i)
            .filter(|i| (start..start + token.len()).contains(i))
            .collect();
        assert_eq!(inside.len(), token.chars().count(), "{text}");
        assert!(
            inside.windows(2).all(|w| w[0] < w[1]),
            "{token} reads left to right in {text}"
        );
    }
}

#[test]
fn wrapping_breaks_lines_in_logical_order() {
    let words = [
        "ایک", "دو", "تین", "چار", "پانچ", "چھ", "سات", "آٹھ", "نو", "دس",
    ];
    let text = words.join(" ");
    let mut sh = Shaper::new();
    let mut e = Engine::new(&text, 15.0, UrduFace::Nastaliq, true);
    e.set_width(Some(90.0));
    let layout = e.layout(&mut sh);
    assert!(layout.len() >= 3, "wrapped into {} lines", layout.len());
    let ranges: Vec<_> = layout.lines().map(|l| l.text_range()).collect();
    assert_eq!(ranges[0].start, 0, "the first line holds the first words");
    assert!(text[ranges[0].clone()].trim().starts_with("ایک"));
    assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    // Each line is right-aligned and reads right to left.
    let lines: Vec<(f32, f32)> = layout
        .lines()
        .map(|l| (l.metrics().offset, l.metrics().advance))
        .collect();
    for (offset, advance) in lines {
        assert!(
            (offset + advance - 90.0).abs() < 1.5,
            "right-aligned: {offset} + {advance}"
        );
    }
}

#[test]
fn an_input_method_composes_in_place_and_commits() {
    let (mut e, mut sh) = boxed("اردو ");
    e.apply(&mut sh, Op::Preedit("مت".into(), Some((4, 4))));
    assert!(e.is_composing());
    assert_eq!(
        e.text(),
        "اردو ",
        "what is being composed is not yet the text"
    );
    assert_eq!(e.raw_text(), "اردو مت");
    assert!(
        !e.compose_rects(&mut sh).is_empty(),
        "composition is underlined"
    );
    e.apply(&mut sh, Op::Commit("متن".into()));
    assert!(!e.is_composing());
    assert_eq!(e.text(), "اردو متن");
}
