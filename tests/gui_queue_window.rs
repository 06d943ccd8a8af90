//! The queue loads a window of rows, never every match: a store of 2,000 items shows its
//! count, holds at most a window, and Home, End, Page Down and J reach any row, opening
//! the item that is there in the store's own order.

mod common;

use common::ui::{harness, press, sign_in};
use common::*;
use egui::Key;
use parakh::gui::desk::WINDOW;
use parakh::model::QueueFilter;
use parakh::queue;

const ITEMS: usize = 2_000;

/// The id of row `at` in the queue's default order, from the store.
fn id_at(d: &mut Desk, at: usize) -> i64 {
    let filter = QueueFilter {
        offset: at as i64,
        limit: Some(1),
        ..Default::default()
    };
    queue::list(&mut d.ws, filter, None).unwrap()[0].item.id
}

#[test]
fn a_large_queue_is_loaded_a_window_at_a_time_and_every_row_is_reachable() {
    let mut d = desk();
    let rows = (0..ITEMS).map(|i| {
        let mut r = row(&format!("account_{i:05}"));
        r.priority = Some(serde_json::json!(i % 5 + 1));
        r
    });
    d.import(rows.collect());
    let mut h = harness(&d.path, None, false);
    sign_in(&mut h, &d.rev.name, PW);
    let window = |h: &egui_kittest::Harness<'static, parakh::gui::App>| {
        let q = &h.state().desk().unwrap().queue;
        (q.total, q.start, q.rows.len(), q.selected)
    };
    let shown = |h: &egui_kittest::Harness<'static, parakh::gui::App>| {
        h.state()
            .desk()
            .unwrap()
            .item
            .as_ref()
            .map(|v| v.record.item.id)
    };
    assert_eq!(window(&h), (ITEMS, 0, WINDOW, Some(0)));
    press(&mut h, Key::End);
    let (total, start, len, selected) = window(&h);
    assert_eq!((total, selected), (ITEMS, Some(ITEMS - 1)));
    assert!(
        start > 0 && start + len == ITEMS && len <= WINDOW,
        "{start} {len}"
    );
    assert_eq!(shown(&h), Some(id_at(&mut d, ITEMS - 1)));
    press(&mut h, Key::Home);
    assert_eq!(window(&h).3, Some(0));
    assert_eq!(shown(&h), Some(id_at(&mut d, 0)));
    // Stepping past the first window, 20 rows at a time and then one by one.
    for _ in 0..(WINDOW / 20 + 2) {
        press(&mut h, Key::PageDown);
    }
    let at = (WINDOW / 20 + 2) * 20;
    press(&mut h, Key::J);
    let (_, start, len, selected) = window(&h);
    assert_eq!(selected, Some(at + 1));
    assert!(
        start <= at && at < start + len && len <= WINDOW,
        "{start} {len}"
    );
    assert_eq!(shown(&h), Some(id_at(&mut d, at + 1)));
}

#[test]
fn a_window_and_the_count_come_from_one_read() {
    let mut d = desk();
    d.items(&["a_1", "b_2", "c_3"]);
    let filter = QueueFilter {
        offset: 1,
        limit: Some(1),
        ..Default::default()
    };
    let (rows, total) = queue::window(&mut d.ws, filter, None).unwrap();
    assert_eq!((rows.len(), total), (1, 3));
    let (rows, total) = queue::window(&mut d.ws, QueueFilter::default(), Some("b_2")).unwrap();
    assert_eq!((rows.len(), total), (1, 1));
}
