//! A ledger is read in one committed state of the registry: a clerk who
//! deletes a placement while a province's ledger is being written changes
//! neither its count nor its rows, and the count is the number of rows
//! (a placement ledger chooses its rows first and reads them afterwards, a
//! batch at a time, on two connections when it can).

use chrono::NaiveDate;
use labour_bridge::error::AppError;
use labour_bridge::ledger::build::{compute_into, Request};
use labour_bridge::ledger::sink::{Head, Sink};
use labour_bridge::ledger::table::Cell;
use labour_bridge::ledger::Kind;

use crate::helpers::TestApp;

crate::on_both_backends!(a_placement_deleted_while_a_ledger_is_written_changes_neither_its_count_nor_its_rows);

/// People in the ledgers: more than one batch of rows (512), so that the
/// rows are read on the caller's connection and on a second one.
const PEOPLE: u32 = 600;

/// Keeps a ledger's count and its rows' placement ids; once the head is
/// written (the rows chosen, none yet read), deletes `delete` through the
/// API as a clerk would.
struct DeletingMidway<'a> {
    app: &'a TestApp,
    delete: Vec<i64>,
    count: i64,
    placement_at: Option<usize>,
    placements: Vec<i64>,
}

impl Sink for DeletingMidway<'_> {
    fn begin(&mut self, head: &Head) -> Result<(), AppError> {
        self.count = head.count;
        self.placement_at = head.columns.iter().position(|c| c.key == "placement_id");
        let handle = tokio::runtime::Handle::current();
        for id in &self.delete {
            let (s, b) = handle.block_on(self.app.delete(&format!("/api/v1/placements/{id}"), &self.app.clerk));
            assert_eq!(s, 204, "{b}");
        }
        Ok(())
    }
    fn row(&mut self, cells: Vec<Cell>) -> Result<(), AppError> {
        match self.placement_at.and_then(|i| cells.get(i)) {
            Some(Cell::Int(id)) => self.placements.push(*id),
            other => panic!("a row without its placement: {other:?}"),
        }
        Ok(())
    }
    fn end(&mut self) -> Result<(), AppError> {
        Ok(())
    }
}

/// The ledger's count and its rows' placements, deleting `delete` midway.
fn ledger(app: &TestApp, kind: Kind, delete: Vec<i64>) -> (i64, Vec<i64>) {
    let request = Request {
        kind,
        year: 2019,
        as_of: NaiveDate::from_ymd_opt(2019, 11, 30).unwrap(),
        county: None,
        unmasked: false,
        rules: app.settings.ledger_rules.clone(),
        helper: None,
    };
    let mut sink = DeletingMidway { app, delete, count: -1, placement_at: None, placements: Vec::new() };
    tokio::task::block_in_place(|| {
        let mut c = app.db.get().unwrap();
        compute_into(&mut c, &request, Some(&app.db), &mut sink).unwrap();
    });
    (sink.count, sink.placements)
}

async fn a_placement_deleted_while_a_ledger_is_written_changes_neither_its_count_nor_its_rows(app: TestApp) {
    app.people(PEOPLE, "'快照' || i");
    app.insert_n(
        PEOPLE,
        "placements",
        "labourer_id, employer_name, region_code, started_on, channel, part_time, \
         created_at, updated_at, version",
        "(SELECT id FROM labourers WHERE name = '快照' || i), '江门某厂', '440704', '2019-01-01', \
         'referral', FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1",
    );
    labour_bridge::db::models::east_spells::restamp_all(&mut app.db.get().unwrap()).unwrap();
    for kind in [Kind::StableEast, Kind::NewTransfersEast] {
        let (count, before) = ledger(&app, kind, Vec::new());
        assert_eq!((count, before.len()), (i64::from(PEOPLE) - before_deleted(kind), before.len()), "{kind:?}");
        // One row in the first batch (read on the caller's connection), one
        // in the second (on the other, when there is one).
        let gone = vec![before[0], before[550]];
        let (count, during) = ledger(&app, kind, gone.clone());
        assert_eq!(count, during.len() as i64, "{kind:?}: the count is the number of rows");
        assert_eq!(during, before, "{kind:?}: the rows of the state the ledger began in");
        let (count, after) = ledger(&app, kind, Vec::new());
        assert_eq!(count, after.len() as i64, "{kind:?}");
        let left: Vec<i64> = before.iter().copied().filter(|id| !gone.contains(id)).collect();
        assert_eq!(after, left, "{kind:?}: the next ledger no longer has them");
    }
}

/// How many people the ledgers of `kind` run before lost: stable-east runs
/// first, so new-transfers-east begins without the two it deleted.
fn before_deleted(kind: Kind) -> i64 {
    match kind {
        Kind::StableEast => 0,
        _ => 2,
    }
}
