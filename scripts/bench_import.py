#!/usr/bin/env python3
"""The import benchmark's data and its reference loaders.

    bench_import.py gen N DIR        writes DIR/labourers-N.xlsx (openpyxl,
                                     write-only mode, as an office's roster
                                     would be) and DIR/labourers-N.csv with
                                     the same people in the table's columns
    bench_import.py sqlite DB CSV    inserts the CSV's rows into the labourers
                                     table of a migrated SQLite database with
                                     executemany in one transaction; prints
                                     the seconds it took
    bench_import.py pg URL CSV       the same into PostgreSQL with COPY (psql
                                     \\copy); prints the seconds

The people are synthetic and deterministic: valid GB 11643 ID numbers
(unique by construction: region, birth date and serial enumerate), names
from common surnames and given names, phones, Daxin's townships and
villages, poverty status and education as clerks write them.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REGIONS = ["451424", "452130", "451422", "451421", "451423", "451425"]
SURNAMES = "农黄梁李赵陈韦覃蒙卢谭许何罗周马莫邓苏凌".replace("", " ").split()
GIVEN = "秀英海运志强丽华小红建国明春梅桂兰玉芳德胜文军永福金凤宝山家兴".replace("", " ").split()
TOWNS = [("硕龙镇", "义宁村"), ("下雷镇", "信隆村"), ("下雷镇", "吉门村"), ("桃城镇", "宝新村")]
STATUS = ["建档立卡贫困户", "已脱贫户", "一般户"]
EDU = ["小学", "初中", "高中", "中专", "大专"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(region: str, birth: dt.date, serial: int) -> str:
    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def people(n: int):
    start = dt.date(1962, 1, 1)
    for i in range(n):
        region = REGIONS[i % len(REGIONS)]
        birth = start + dt.timedelta(days=(i // len(REGIONS)) // 999 * 211)
        serial = (i // len(REGIONS)) % 999 + 1
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)]
        town, village = TOWNS[i % len(TOWNS)]
        yield {
            "name": name,
            "id_number": id_number(region, birth, serial),
            "phone": f"13{(800000000 + i * 7919) % 1000000000:09d}",
            "hukou_region_code": "451424",
            "hukou_township": town,
            "hukou_village": village,
            "poverty_status": STATUS[i % len(STATUS)],
            "education": EDU[i % len(EDU)],
            "birth_date": birth,
            "gender": "male" if int(id_number(region, birth, serial)[16]) % 2 else "female",
        }


def gen(n: int, out: Path) -> None:
    import openpyxl

    out.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["大新县农村贫困劳动力花名册"])
    ws.append(["序号", "姓名", "身份证号码", "联系电话", "户籍所在地", "乡镇", "村", "贫困户属性", "文化程度"])
    codes = {"建档立卡贫困户": "registered_poor", "已脱贫户": "lifted", "一般户": "none"}
    edu = {"小学": "primary", "初中": "junior_high", "高中": "senior_high", "中专": "secondary_vocational", "大专": "college"}
    with open(out / f"labourers-{n}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for i, p in enumerate(people(n), start=1):
            ws.append([i, p["name"], p["id_number"], p["phone"], "广西壮族自治区崇左市大新县", p["hukou_township"],
                       p["hukou_village"], p["poverty_status"], p["education"]])
            w.writerow([p["id_number"], p["name"], p["gender"], p["birth_date"].isoformat(), p["phone"],
                        p["hukou_region_code"], p["hukou_township"], p["hukou_village"], codes[p["poverty_status"]],
                        edu[p["education"]]])
    wb.save(out / f"labourers-{n}.xlsx")


COLUMNS = ["id_number", "name", "gender", "birth_date", "phone", "hukou_region_code", "hukou_township",
           "hukou_village", "poverty_status", "education"]


def load_sqlite(db: str, path: str) -> float:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    with open(path, encoding="utf-8") as f:
        rows = [tuple(r) + (now, now) for r in csv.reader(f)]
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    with conn:
        conn.executemany(
            f"INSERT INTO labourers ({', '.join(COLUMNS)}, created_at, updated_at) VALUES ({', '.join('?' * (len(COLUMNS) + 2))})",
            rows,
        )
    took = time.perf_counter() - started
    conn.close()
    return took


def load_pg(url: str, path: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", url],
        input=(
            "ALTER TABLE labourers ALTER COLUMN created_at SET DEFAULT now(), "
            "ALTER COLUMN updated_at SET DEFAULT now();\n"
            f"\\copy labourers ({', '.join(COLUMNS)}) FROM '{path}' WITH (FORMAT csv)\n"
        ),
        text=True,
        check=True,
    )
    return time.perf_counter() - started


def main() -> None:
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(int(sys.argv[2]), Path(sys.argv[3]))
    elif cmd == "sqlite":
        print(f"{load_sqlite(sys.argv[2], sys.argv[3]):.3f}")
    elif cmd == "pg":
        print(f"{load_pg(sys.argv[2], sys.argv[3]):.3f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
