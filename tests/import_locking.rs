//! Nobody waits for someone else's import: the file is read, checked and its screenshots
//! decoded before the store's write lock is taken; while the checked rows are stored,
//! other desks read as usual and a write that cannot wait is refused naming the import.

mod common;

use common::*;
use parakh::import::{Progress, import_file_with_progress};
use parakh::{Error, Workspace, queue, review};

const HEADER: &str = "platform,kind,handle,display_name,url,text,language,followers,reported_at,source_ref,evidence\n";

#[test]
fn other_desks_write_while_an_import_is_checked_and_read_while_it_is_stored() {
    let mut d = desk();
    let waiting = d.items(&["waiting_item"])[0];
    d.file("a.png", &blocks_png(1600, 1200, 1));
    d.file("b.png", &blocks_png(1600, 1200, 2));
    let csv = format!(
        "{HEADER}telegram,channel,one,,https://t.me/one,,,,2026-10-01T10:00:00Z,,a.png\n\
         telegram,channel,two,,https://t.me/two,,,,2026-10-01T10:00:00Z,,b.png\n"
    );
    let path = d.file("batch.csv", csv.as_bytes());
    let mut other = Workspace::open(&d.path)
        .unwrap()
        .with_clock(d.clock.clone());
    let (admin, rev) = (d.admin.clone(), d.rev.clone());

    let mut claimed_while_checking = None;
    let mut seen_while_storing = None;
    let mut refused_while_storing = None;
    let r = import_file_with_progress(&mut d.ws, Some(&admin), &path, &mut |p| match p {
        Progress::Checking { .. } if claimed_while_checking.is_none() => {
            // The importer is decoding: another desk's write goes straight through.
            claimed_while_checking = Some(review::claim(&mut other, &rev, waiting));
        }
        Progress::Storing { stored, rows } if stored == rows && rows > 0 => {
            // Inside the import's transaction: reading goes on, writing waits and is
            // refused with the importer's note.
            seen_while_storing =
                Some(queue::list(&mut other, Default::default(), None).map(|r| r.len()));
            refused_while_storing = Some(review::release(&mut other, &rev, waiting));
        }
        _ => {}
    })
    .unwrap();
    assert_eq!((r.imported, r.evidence), (2, 2));
    assert!(
        claimed_while_checking.as_ref().unwrap().is_ok(),
        "{claimed_while_checking:?}"
    );
    assert_eq!(
        seen_while_storing.unwrap().unwrap(),
        1,
        "the import is not visible until it commits"
    );
    match refused_while_storing.unwrap() {
        Err(Error::Busy(m)) => {
            assert!(m.contains("admin's import of 2 rows from batch.csv"), "{m}")
        }
        other => panic!("expected the busy refusal naming the import, got {other:?}"),
    }
    assert!(
        parakh::store::busy::read_note(&d.path).is_none(),
        "the note goes with the import"
    );
    review::release(&mut other, &rev, waiting).expect("writing works again");
}
