//! Exported CSV is safe to open in a spreadsheet: cells an attacker controls (handles,
//! names, URLs, rationales) never run as formulas.

mod common;

use parakh::{export, review};

#[test]
fn exported_cells_never_run_as_formulas() {
    let mut d = common::desk();
    let mut row = common::row("=HYPERLINK(\"http://evil.example\",\"x\")");
    row.display_name = "@SUM(1+1)".into();
    let id = d.import(vec![row])[0];
    let rev = d.rev.clone();
    d.propose_takedown(&rev, id, 3);
    let lead = d.lead.clone();
    review::approve(&mut d.ws, &lead, id, None).unwrap();
    let out = d.dir.path().join("decisions.csv");
    assert_eq!(
        export::write_decisions(&mut d.ws, None, &out, false).unwrap(),
        1
    );
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let record = rdr.records().next().unwrap().unwrap();
    let handle = &record[headers.iter().position(|h| h == "handle").unwrap()];
    assert_eq!(handle, "'=HYPERLINK(\"http://evil.example\",\"x\")");
    for cell in record.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell would run as a formula: {cell:?}"
        );
    }
}
