//! calamine alone streaming a roster's first sheet cell by cell, as the
//! import reads it: the floor under `labour-bridge import` in the import
//! benchmark (`scripts/bench_import.sh`), for time and peak memory.
//!
//!     cargo run --release --example read_roster -- FILE.xlsx

use calamine::{DataRef, Reader, Xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: read_roster FILE.xlsx")?;
    let bytes = std::fs::read(&path)?;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))?;
    let sheet = book.sheet_names().first().cloned().ok_or("no sheet")?;
    let mut reader = book.worksheet_cells_reader(&sheet)?;
    let (mut cells, mut chars) = (0usize, 0usize);
    while let Some(cell) = reader.next_cell()? {
        cells += 1;
        if let DataRef::SharedString(s) = cell.get_value() {
            chars += s.chars().count();
        } else if let DataRef::String(s) = cell.get_value() {
            chars += s.chars().count();
        }
    }
    println!("{cells} cells, {chars} characters of text");
    Ok(())
}
