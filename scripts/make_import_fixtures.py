#!/usr/bin/env python3
"""Writes the bulk-import test fixtures under tests/fixtures/imports/.

The import tests must run against files that our own Rust code did not write,
so these are made with other tools, the way an office's files are made:

* .xlsx with openpyxl (as a stand-in for Excel/WPS: shared strings, merged
  title rows, real date cells, numbers where a clerk let Excel turn text into
  a number);
* .xls (BIFF8) with LibreOffice, converted from an openpyxl workbook with
  ``soffice --headless --convert-to xls`` (the exact command is in LO_COMMAND
  below and in the fixtures' README.md);
* .csv written byte by byte in UTF-8 (with and without BOM) and GB18030/GBK.

Everything is deterministic: the people, companies and numbers are fixed
synthetic data (no randomness), ID numbers and USCCs are computed with their
check characters, and the .xlsx zip entries and document properties carry a
fixed timestamp, so running the script twice gives byte-identical .xlsx and
.csv files. The .xls came out byte-identical too with LibreOffice 7.4.7 (it
takes its document properties from the source workbook); another LibreOffice
version may write different bytes, but the same cells.

The expected outcome of every data row lives in expected.json next to the
fixtures, and README.md there explains each file. Both are written by this
script from the same row definitions as the files themselves.

Needs: python3, openpyxl, and LibreOffice (`soffice`) for the .xls:
    pip install openpyxl
    apt-get update && apt-get install -y --no-install-recommends libreoffice-calc-nogui
Run from anywhere:
    python3 scripts/make_import_fixtures.py
Verification (a reader that is not openpyxl):
    pip install python-calamine xlrd
    python3 scripts/make_import_fixtures.py --verify
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "imports"

# A fixed moment for document properties and zip entries (the plan's deadline).
FIXED_TIME = dt.datetime(2019, 11, 15, 8, 0, 0)

# How the .xls is made. {profile}, {outdir} and {src} are filled in at run time;
# a private profile keeps us clear of any other LibreOffice running here.
LO_COMMAND = [
    "soffice",
    "-env:UserInstallation=file://{profile}",
    "--headless",
    "--norestore",
    "--convert-to",
    "xls:MS Excel 97",
    "--outdir",
    "{outdir}",
    "{src}",
]

# --------------------------------------------------------------------------
# Check characters
# --------------------------------------------------------------------------

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]

ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 organisation code


def id_check(first17: str) -> str:
    assert len(first17) == 17 and first17.isdigit(), first17
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def make_id(prefix: str, birth: str, seq: int) -> str:
    """prefix: 6-digit county code; birth: YYYYMMDD; seq: 3 digits (odd last digit = male)."""
    first17 = f"{prefix}{birth}{seq:03d}"
    return first17 + id_check(first17)


def make_id_with_check(prefix: str, birth: str, male: bool, want: str) -> str:
    """The first ID (by sequence number) of the given sex whose check character is `want`."""
    for seq in range(100, 1000):
        if (seq % 2 == 1) == male:
            n = make_id(prefix, birth, seq)
            if n[-1] == want:
                return n
    raise AssertionError("no such sequence")


def wrong_check(idn: str) -> str:
    right = idn[-1]
    bad = "0" if right in "X9" else str(int(right) + 1)
    return idn[:-1] + bad


def org_code(body8: str) -> str:
    """A 9-character GB 11714 organisation code: 8 characters + its check."""
    vals = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body8]
    c = 11 - sum(v * w for v, w in zip(vals, ORG_WEIGHTS)) % 11
    return body8 + {10: "X", 11: "0"}.get(c, str(c))


def uscc_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(kind2: str, region: str, org_body8: str) -> str:
    """kind2: e.g. '91' enterprise, '92' individual business, '93' farmers' cooperative."""
    first17 = kind2 + region + org_code(org_body8)
    assert all(c in USCC_ALPHABET for c in first17), first17
    return first17 + uscc_check(first17)


def fullwidth(s: str) -> str:
    """ASCII letters and digits to their full-width forms (as a Chinese IME types them)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


def gender_of(idn: str) -> str:
    return "male" if int(idn[16]) % 2 == 1 else "female"


def birth_of(idn: str) -> str:
    return f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}"


def excel_serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    """Saves like openpyxl.save_workbook, but with fixed timestamps so the bytes repeat."""
    wb.properties.creator = "make_import_fixtures.py"
    wb.properties.lastModifiedBy = "make_import_fixtures.py"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # closes `archive`
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def title_rows(ws, ncols: int, lines: list[str], first_row: int = 1, first_col: int = 1) -> None:
    """Merged, centred title lines across the table's width, as offices lay them out."""
    for i, text in enumerate(lines):
        r = first_row + i
        ws.cell(row=r, column=first_col, value=text)
        ws.merge_cells(start_row=r, start_column=first_col, end_row=r, end_column=first_col + ncols - 1)
        cell = ws.cell(row=r, column=first_col)
        if i == 0:
            cell.font = Font(name="宋体", size=16, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[r].height = 30
        else:
            cell.font = Font(name="宋体", size=11)
            cell.alignment = Alignment(horizontal="left", vertical="center")


def header_row(ws, row: int, headers: list[str], first_col: int = 1) -> None:
    for j, h in enumerate(headers):
        c = ws.cell(row=row, column=first_col + j, value=h)
        c.font = Font(name="宋体", size=11, bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def put(ws, row: int, col: int, value, number_format: str | None = None):
    """Writes one cell. A `Num(x)` value is written as a number cell; everything
    else that is a str is a text cell (the ID-number column of a careful clerk)."""
    if isinstance(value, Num):
        c = ws.cell(row=row, column=col, value=value.v)
    elif isinstance(value, DateCell):
        c = ws.cell(row=row, column=col, value=value.d)
        c.number_format = value.fmt
    else:
        c = ws.cell(row=row, column=col, value=value if value != "" else None)
        if isinstance(value, str):
            c.number_format = "@"  # a text-formatted cell, as offices format the ID column
    if number_format:
        c.number_format = number_format
    return c


class Num:
    """A value the spreadsheet holds as a number, not as text."""

    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return f"Num({self.v!r})"


class DateCell:
    """A real date cell: a serial number with a date number format."""

    def __init__(self, d: dt.date, fmt: str = "yyyy-mm-dd"):
        self.d = dt.datetime(d.year, d.month, d.day)
        self.fmt = fmt


def shown(v) -> str:
    """How a cell's raw content is described in README.md."""
    if isinstance(v, Num):
        return f"number cell `{v.v!r}`"
    if isinstance(v, DateCell):
        return f"date cell {v.d.date()} (serial {excel_serial(v.d.date())}, format `{v.fmt}`)"
    return f"`{v}`" if v != "" else "(empty)"


def write_csv(path: Path, headers: list[str], rows: list[list[str]], encoding: str, bom: bool, newline: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(headers)
    for r in rows:
        w.writerow(r)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


# --------------------------------------------------------------------------
# The synthetic people
# --------------------------------------------------------------------------

DAXIN = "451424"
DAXIN_OLD = "452130"  # 大新县's code before 崇左 became a prefecture (南宁地区)

P = {
    # key: ID number (all valid unless noted), used across files
    "nong_xiuying": make_id(DAXIN, "19880312", 182),
    "huang_wenming": make_id(DAXIN, "19850720", 151),
    "li_haiyan_true": make_id(DAXIN, "19900101", 224),  # appears only as a lost-digit number
    "lu_zhiqiang": make_id(DAXIN, "19920516", 313),
    "liang_meiling": make_id_with_check(DAXIN, "19870923", male=False, want="X"),
    "zhao_degui": make_id(DAXIN_OLD, "19681102", 35 * 10 + 1),
    "he_guilan_true": make_id(DAXIN, "19790614", 402),
    "luo_jianhua": make_id(DAXIN, "19830228", 517),
    "wei_lijuan": make_id(DAXIN, "19950811", 626),
    "ma_shaojun": make_id(DAXIN, "19930105", 733),
    "chen_xiaowen": make_id(DAXIN, "20030418", 128),
    "qin_junjie": make_id(DAXIN, "20020930", 239),
    "xu_jiayi": make_id(DAXIN, "20021205", 346),
    "huang_siqi": make_id(DAXIN, "20030322", 468),
    "feng_guoqiang": make_id(DAXIN, "19750809", 855),
    # labourers_libreoffice.xls
    "pan_lihua": make_id(DAXIN, "19910707", 162),
    "huang_zhiming_true": make_id(DAXIN, "19871115", 171),
    "nong_haifeng": make_id_with_check(DAXIN, "19940426", male=True, want="X"),
    "wu_chunhua": make_id(DAXIN, "19860219", 284),
    "ling_xiaoyan": make_id(DAXIN, "19970603", 392),
    # labourers_gbk.csv
    "mo_jifang": make_id(DAXIN, "19890908", 506),
    "nong_qying": make_id(DAXIN, "19821120", 624),
    "huang_deming": make_id(DAXIN, "19780515", 735),
    "wei_zhiyong": make_id(DAXIN, "19960101", 913),
    # labourers_bom.csv
    "qin_meihua": make_id(DAXIN, "19840417", 148),
    "lan_yumei": make_id(DAXIN, "19930722", 266),
    "xie_fangfang": make_id(DAXIN, "19900315", 388),
    # labourers_plain.csv
    "zhou_jianguo": make_id(DAXIN, "19800130", 419),
    "nong_lihong": make_id(DAXIN, "19870827", 528),
    "teng_xiaofeng": make_id(DAXIN, "19910619", 637),
    "lin_cuiping": make_id(DAXIN, "19850404", 746),
    # people on no roster (placements/enrolments that must find no labourer)
    "li_minghua": make_id(DAXIN, "19890101", 971),
    "wei_xiaolan": make_id(DAXIN, "20030816", 982),
}

# an ID whose birth date does not exist (1990-02-30), with a correct check character
BAD_BIRTH = make_id(DAXIN, "19900230", 744)


def lost_digits(idn: str) -> float:
    """What Excel keeps of an 18-digit number: 15 significant digits."""
    return float(idn[:15] + "000")


# --------------------------------------------------------------------------
# Expected outcomes
# --------------------------------------------------------------------------

EXPECTED: dict = {}
README_SECTIONS: list[str] = []


def ok(row, values, **extra):
    return {"row": row, "outcome": "ok", "values": values, **extra}


def warn(row, field, code, reason, values, **extra):
    return {"row": row, "outcome": "warning", "field": field, "code": code, "reason": reason, "values": values, **extra}


def rej(row, field, code, reason, **extra):
    return {"row": row, "outcome": "rejected", "field": field, "code": code, "reason": reason, **extra}


def labourer_values(idn, name, phone=None, region=None, township=None, village=None, poverty=None,
                    education=None, skills=None, notes=None):
    v = {
        "id_number": idn,
        "name": name,
        "gender": gender_of(idn),
        "birth_date": birth_of(idn),
        "phone": phone,
        "hukou_region_code": region,
        "hukou_township": township,
        "hukou_village": village,
        "poverty_status": poverty,
        "education": education,
        "skills": skills if skills is not None else [],
        "notes": notes,
    }
    return v


NUMBER_REASON = ("the ID number was stored as a number and the spreadsheet kept only 15 "
                 "significant digits; the last digits are lost — re-enter it as text")

# --------------------------------------------------------------------------
# 1. labourers_office.xlsx
# --------------------------------------------------------------------------


def labourers_office() -> None:
    name = "labourers_office.xlsx"
    headers = ["序号", "姓  名", "公民身份号码（必填）", "性别", "手机号码", "户籍所在地", "乡镇",
               "村（社区）", "贫困户属性", "文化程度", "技能特长", "家庭人口", "备注"]
    FULL = "广西壮族自治区崇左市大新县"
    # (cells, expected) per data row; None = blank row
    rows = []
    e = []

    def add(cells, exp):
        rows.append(cells)
        r = 3 + len(rows)
        if exp is not None:
            exp["row"] = r
            e.append(exp)

    p = P
    add([Num(1), "农秀英", p["nong_xiuying"], "女", "13877101234", FULL, "硕龙镇", "义宁村",
         "建档立卡贫困户", "初中", "电子厂普工", Num(4), ""],
        ok(0, labourer_values(p["nong_xiuying"], "农秀英", "13877101234", DAXIN, "硕龙镇", "义宁村",
                              "registered_poor", "junior_high", ["电子厂普工"])))
    add([Num(2), "黄文明  ", p["huang_wenming"], "男", fullwidth("13978123456"), "大新县", "下雷镇",
         "信隆村", "已脱贫户", "小学", "木工、泥水工", Num(5), ""],
        ok(0, labourer_values(p["huang_wenming"], "黄文明", "13978123456", DAXIN, "下雷镇", "信隆村",
                              "lifted", "primary", ["木工", "泥水工"]),
           note="trailing spaces in the name; full-width phone digits; skills split on 、",
           decision="skills are split on 、，,;；/ into a list"))
    add([Num(3), "李海燕", Num(lost_digits(p["li_haiyan_true"])), "女", "15807710012", FULL, "硕龙镇",
         "吉门村", "建档立卡贫困户", "初中", "", Num(3), ""],
        rej(0, "id_number", "spreadsheet_number", NUMBER_REASON,
            cell_seen="number 451424199001012000 (shown 4.51424199001012E+17)"))
    add([Num(4), "陆志强", fullwidth(p["lu_zhiqiang"]), "男", Num(13607711234), "451424", "下雷镇",
         "信隆村", "未脱贫户", "高中", "叉车司机", Num(6), ""],
        ok(0, labourer_values(p["lu_zhiqiang"], "陆志强", "13607711234", DAXIN, "下雷镇", "信隆村",
                              "registered_poor", "senior_high", ["叉车司机"]),
           note="ID number typed in full-width digits; phone is a number cell (13607711234.0 to a reader)"))
    add([Num(5), "梁美玲", p["liang_meiling"].lower(), "女", "18277108899", FULL, "硕龙镇", "义宁村",
         "监测户", "中专", "缝纫", Num(4), ""],
        ok(0, labourer_values(p["liang_meiling"], "梁美玲", "18277108899", DAXIN, "硕龙镇", "义宁村",
                              "monitored", "vocational", ["缝纫"]),
           note="ID number ends in a lower-case x"))
    add(None, None)  # a blank row in the middle
    add([Num(6), "赵德贵", p["zhao_degui"], "男", "13768105521", "大新县", "下雷镇", "吉门村",
         "贫困户", "文盲", "种养", Num(7), "身份证为旧区划代码"],
        ok(0, labourer_values(p["zhao_degui"], "赵德贵", "13768105521", DAXIN, "下雷镇", "吉门村",
                              "registered_poor", "none", ["种养"], "身份证为旧区划代码"),
           note="ID number issued under the historical county code 452130; the ID is kept as is, "
                "the hukou region comes from the 户籍所在地 column",
           decision="no warning for a historical (non-current) code in the ID number's first six digits"))
    add([Num(7), "何桂兰", wrong_check(p["he_guilan_true"]), "女", "13507713344", FULL, "硕龙镇", "义宁村",
         "建档立卡贫困户", "小学", "", Num(5), ""],
        rej(0, "id_number", "checksum",
            f"ID number check character should be '{p['he_guilan_true'][-1]}', got "
            f"'{wrong_check(p['he_guilan_true'])[-1]}'"))
    add([Num(8), "罗建华", p["luo_jianhua"], "男", "0086 13800138000", FULL, "下雷镇", "信隆村",
         "边缘易致贫户", "技校", "电焊", Num(3), ""],
        ok(0, labourer_values(p["luo_jianhua"], "罗建华", "13800138000", DAXIN, "下雷镇", "信隆村",
                              "monitored", "vocational", ["电焊"]),
           decision="a leading 0086 (international prefix) is dropped like +86"))
    add([Num(9), "\u3000韦丽娟 ", p["wei_lijuan"], "女", "19977101122", "451424", "硕龙镇", "吉门村",
         "脱贫户", "大专", "会计", Num(4), ""],
        ok(0, labourer_values(p["wei_lijuan"], "韦丽娟", "19977101122", DAXIN, "硕龙镇", "吉门村",
                              "lifted", "college", ["会计"]),
           note="name has a leading ideographic space U+3000 and a trailing space"))
    add([Num(10), "马少军", p["ma_shaojun"], "男", "17777104455", "大新县", "下雷镇", "义宁村",
         "突发严重困难户", "高职", "", Num(4), ""],
        ok(0, labourer_values(p["ma_shaojun"], "马少军", "17777104455", DAXIN, "下雷镇", "义宁村",
                              "monitored", "college")))
    add([Num(11), "陈晓雯", p["chen_xiaowen"], "女", "", FULL, "硕龙镇", "义宁村",
         "脱贫不稳定户", "初中", "", Num(4), "在读中职"],
        ok(0, labourer_values(p["chen_xiaowen"], "陈晓雯", None, DAXIN, "硕龙镇", "义宁村",
                              "monitored", "junior_high", notes="在读中职"),
           note="no phone (an empty cell)"))
    add([Num(12), "覃俊杰", p["qin_junjie"], "男", "15977106677", "大新县", "下雷镇", "信隆村",
         "待核实", "高中", "", Num(5), "在读高职"],
        ok(0, labourer_values(p["qin_junjie"], "覃俊杰", "15977106677", DAXIN, "下雷镇", "信隆村",
                              "unverified", "senior_high", notes="在读高职")))
    add([Num(13), "许佳怡", p["xu_jiayi"], "女", "18878102233", "451424", "硕龙镇", "吉门村",
         "非贫困户", "中职", "", Num(3), ""],
        ok(0, labourer_values(p["xu_jiayi"], "许佳怡", "18878102233", DAXIN, "硕龙镇", "吉门村",
                              "none", "vocational")))
    add([Num(14), "黄思琪", p["huang_siqi"], "女", "", FULL, "下雷镇", "吉门村",
         "建档立卡贫困户", "初中", "", Num(6), "在读中职"],
        ok(0, labourer_values(p["huang_siqi"], "黄思琪", None, DAXIN, "下雷镇", "吉门村",
                              "registered_poor", "junior_high", notes="在读中职")))
    add([Num(15), "冯国强", p["feng_guoqiang"], "男", "13397714488", "大新县", "硕龙镇", "信隆村",
         "一般户", "未上学", "", Num(2), ""],
        ok(0, labourer_values(p["feng_guoqiang"], "冯国强", "13397714488", DAXIN, "硕龙镇", "信隆村",
                              "none", "none")))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    title_rows(ws, len(headers), ["大新县2019年建档立卡贫困劳动力花名册",
                                  "填报单位：大新县人力资源和社会保障局（盖章）          填报日期：2019年11月15日"])
    header_row(ws, 3, headers)
    for i, cells in enumerate(rows):
        if cells is None:
            continue
        for j, v in enumerate(cells):
            put(ws, 4 + i, 1 + j, v)
    for col, width in zip("ABCDEFGHIJKLM", [6, 10, 22, 6, 16, 28, 10, 10, 16, 10, 14, 10, 18]):
        ws.column_dimensions[col].width = width
    save_xlsx(wb, OUT / name)

    EXPECTED[name] = {
        "kind": "labourers", "format": "xlsx", "sheet": "花名册", "header_row": 3,
        "written_by": f"openpyxl {openpyxl.__version__}",
        "title_rows": [1, 2], "merged": ["A1:M1", "A2:M2"],
        "unknown_columns": ["家庭人口"],
        "skipped_rows": [{"row": 9, "why": "blank row"}],
        "decisions": ["序号 is a known column and ignored (not reported as unknown)",
                      "性别 is a known column; it agrees with ID digit 17 on every row here, and what to do "
                      "when it does not is left open"],
        "rows": e,
    }
    README_SECTIONS.append(describe(name, "A roster as a county office keeps it.", headers, rows, 4, e,
                                    layout="Row 1: merged title `大新县2019年建档立卡贫困劳动力花名册` (A1:M1). "
                                           "Row 2: merged unit and date line (A2:M2). Row 3: header, with the "
                                           "variants `姓  名` (inner spaces), `公民身份号码（必填）`, `手机号码`, "
                                           "`户籍所在地`, `村（社区）` and the unknown column `家庭人口` (a number). "
                                           "Rows 4–18: data; row 9 is entirely blank. ID numbers are text cells "
                                           "(number format `@`) except row 6."))


# --------------------------------------------------------------------------
# 2. labourers_libreoffice.xls
# --------------------------------------------------------------------------


def labourers_libreoffice(lo_version: str) -> str:
    name = "labourers_libreoffice.xls"
    headers = ["序号", "姓名", "身份证号码", "性别", "联系电话", "户籍地址", "乡镇", "村", "贫困户属性",
               "文化程度", "备注"]
    FULL = "广西壮族自治区崇左市大新县"
    p = P
    rows = [
        [Num(1), "潘丽华", p["pan_lihua"], "女", Num(13877106543), FULL, "硕龙镇", "义宁村", "已脱贫户", "本科", ""],
        [Num(2), "黄志明", Num(lost_digits(p["huang_zhiming_true"])), "男", "13977102468", FULL, "下雷镇", "信隆村",
         "建档立卡贫困户", "初中", ""],
        [Num(3), "农海峰", p["nong_haifeng"], "男", "15078109876", "大新县", "下雷镇", "吉门村",
         "建档立卡贫困户", "研究生", ""],
        [Num(4), "吴春花", p["wu_chunhua"], "女", "138 7710 5678", "451424", "硕龙镇", "信隆村",
         "监测户", "本科及以上", ""],
        [Num(5), "凌小燕", p["ling_xiaoyan"], "女", "18777103579", "大新县", "硕龙镇", "吉门村",
         "待核实", "高中", "外出务工"],
    ]
    e = [
        ok(3, labourer_values(p["pan_lihua"], "潘丽华", "13877106543", DAXIN, "硕龙镇", "义宁村", "lifted",
                              "bachelor_plus"),
           note="phone is a number cell; BIFF stores it as a NUMBER/RK record, a reader sees 13877106543.0"),
        rej(4, "id_number", "spreadsheet_number", NUMBER_REASON,
            cell_seen="number 451424198711151000 (shown 4.51424198711151E+17)"),
        ok(5, labourer_values(p["nong_haifeng"], "农海峰", "15078109876", DAXIN, "下雷镇", "吉门村",
                              "registered_poor", "bachelor_plus")),
        ok(6, labourer_values(p["wu_chunhua"], "吴春花", "13877105678", DAXIN, "硕龙镇", "信隆村", "monitored",
                              "bachelor_plus"),
           note="phone written with spaces"),
        ok(7, labourer_values(p["ling_xiaoyan"], "凌小燕", "18777103579", DAXIN, "硕龙镇", "吉门村", "unverified",
                              "senior_high", notes="外出务工")),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    title_rows(ws, len(headers), ["大新县贫困劳动力外出务工登记表"])
    header_row(ws, 2, headers)
    for i, cells in enumerate(rows):
        for j, v in enumerate(cells):
            put(ws, 3 + i, 1 + j, v)
    tmp = Path(tempfile.mkdtemp(prefix="lb_fixtures_"))
    try:
        src = tmp / "labourers_libreoffice.xlsx"
        save_xlsx(wb, src)
        profile = tmp / "lo_profile"
        cmd = [a.format(profile=profile, outdir=tmp / "out", src=src) for a in LO_COMMAND]
        subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        made = tmp / "out" / "labourers_libreoffice.xls"
        if not made.exists():
            raise SystemExit(f"LibreOffice made no {made}")
        shutil.copyfile(made, OUT / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shown_cmd = " ".join(a if " " not in a else f"'{a}'" for a in LO_COMMAND).format(
        profile="/tmp/…/lo_profile", outdir="OUTDIR", src="labourers_libreoffice.xlsx")
    EXPECTED[name] = {
        "kind": "labourers", "format": "xls", "sheet": "Sheet1", "header_row": 2,
        "written_by": f"{lo_version}, converted from an openpyxl {openpyxl.__version__} workbook: {shown_cmd}",
        "title_rows": [1], "merged": ["A1:K1"], "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "A real BIFF8 .xls (Excel 97–2003) written by LibreOffice Calc.", headers, rows, 3, e,
        layout=f"Made by converting an openpyxl workbook with `{shown_cmd}` ({lo_version}). Row 1: merged "
               "title (A1:K1). Row 2: header (`身份证号码`, `联系电话`, `户籍地址`). Rows 3–7: data. "
               "ID numbers are text cells except row 4."))
    return shown_cmd


# --------------------------------------------------------------------------
# 3./4. CSV files
# --------------------------------------------------------------------------


def labourers_gbk() -> None:
    name = "labourers_gbk.csv"
    headers = ["姓名", "身份证号码", "性别", "联系电话", "户籍地址", "乡镇", "村", "贫困户属性", "文化程度",
               "技能特长", "备注"]
    p = P
    rows = [
        ["莫\U00020BB7芳", p["mo_jifang"], "女", "13788105566", "大新县", "硕龙镇", "义宁村", "建档立卡贫困户",
         "初中", "", ""],
        ["农?英", p["nong_qying"], "女", "13677103322", "大新县", "下雷镇", "信隆村", "已脱贫户", "小学", "", ""],
        ["黄德明", p["huang_deming"], "男", "18977106655", "广西壮族自治区崇左市大新县", "下雷镇", "吉门村",
         "未脱贫户", "初中", "电工,焊工", "持电工证"],
        ["赵玉梅", BAD_BIRTH, "女", "13877109911", "大新县", "硕龙镇", "吉门村", "建档立卡贫困户", "小学", "", ""],
        ["韦志勇", p["wei_zhiyong"], "男", "15277104433", "451424", "硕龙镇", "信隆村", "监测户", "高中", "", ""],
    ]
    e = [
        ok(2, labourer_values(p["mo_jifang"], "莫\U00020BB7芳", "13788105566", DAXIN, "硕龙镇", "义宁村",
                              "registered_poor", "junior_high"),
           note="the middle character U+20BB7 (𠮷, CJK Extension B) is not in GBK; it is the GB18030 "
                "four-byte sequence 95 32 82 36. A GBK-only decoder fails on this row; decode as GB18030"),
        warn(3, "name", "lost_character",
             "the name contains '?', most likely a character the GBK export could not encode; "
             "check it against the ID card",
             labourer_values(p["nong_qying"], "农?英", "13677103322", DAXIN, "下雷镇", "信隆村", "lifted",
                             "primary"),
             decision="a '?' in a name is imported with a warning rather than rejected"),
        ok(4, labourer_values(p["huang_deming"], "黄德明", "18977106655", DAXIN, "下雷镇", "吉门村",
                              "registered_poor", "junior_high", ["电工", "焊工"], "持电工证"),
           note="skills field is quoted because it holds a comma"),
        rej(5, "id_number", "birth_date", "the birth date in the ID number (1990-02-30) is not a real date",
            note="check character is right for the 17 digits; only the date is impossible"),
        ok(6, labourer_values(p["wei_zhiyong"], "韦志勇", "15277104433", DAXIN, "硕龙镇", "信隆村", "monitored",
                              "senior_high")),
    ]
    write_csv(OUT / name, headers, rows, "gb18030", bom=False, newline="\r\n")
    raw = (OUT / name).read_bytes()
    assert raw.decode("gb18030").count("\U00020BB7") == 1
    try:
        raw.decode("gbk")
        raise AssertionError("expected a byte sequence outside GBK")
    except UnicodeDecodeError:
        pass
    EXPECTED[name] = {
        "kind": "labourers", "format": "csv", "encoding": "GB18030 (GBK except one 4-byte character)",
        "line_ending": "CRLF", "header_row": 1, "written_by": "Python csv module, encoded with Python's gb18030 codec",
        "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "A CSV as Excel/WPS on a Chinese Windows saves it (`CSV (逗号分隔)`): GBK, CRLF, no BOM.",
        headers, rows, 2, e,
        layout="Every byte is plain GBK except the name on row 2, whose middle character 𠮷 (U+20BB7, "
               "CJK Ext. B, standing in for the rare name characters 生僻字 that GBK lacks) is the GB18030 "
               "four-byte sequence `95 32 82 36`. Supplementary-plane characters map to four-byte GB18030 "
               "codes algorithmically, so every GB18030 edition agrees on it (unlike e.g. 䶮 U+4DAE, which "
               "sits at the two-byte code FE9F whose mapping changed between GB18030-2005 and -2022). Row 3 "
               "holds `农?英`: a `?` (0x3F) where an export lost a character."))


def labourers_bom() -> None:
    name = "labourers_bom.csv"
    headers = ["姓名（必填）", "身份证号（必填）", "性别", "手机号码 ", "户籍所在地", "乡镇", "村（社区）",
               "贫困户属性", "文化程度", "备注"]
    p = P
    rows = [
        ["覃美华", p["qin_meihua"], "女", "13517106789", "广西壮族自治区崇左市大新县", "硕龙镇", "义宁村",
         "建档立卡贫困户", "初中", ""],
        ["黄志勇", "4.51424E+17", "男", "13907712345", "大新县", "下雷镇", "信隆村", "已脱贫户", "小学", ""],
        ["蓝玉梅", p["lan_yumei"], "女", "0771-3621234", "大新县", "下雷镇", "吉门村", "监测户", "初中", ""],
        ["谢芳芳", p["xie_fangfang"], "女", "15177108080", "451424", "硕龙镇", "吉门村", "建档立卡贫困户",
         "本科", ""],
        ["梁振华", "451424850615123", "男", "13607719090", "大新县", "下雷镇", "义宁村", "建档立卡贫困户",
         "初中", ""],
    ]
    e = [
        ok(2, labourer_values(p["qin_meihua"], "覃美华", "13517106789", DAXIN, "硕龙镇", "义宁村",
                              "registered_poor", "junior_high")),
        rej(3, "id_number", "spreadsheet_number", NUMBER_REASON,
            note="text `4.51424E+17`: the CSV was opened in Excel, the column became numbers, and it was "
                 "saved again with the displayed (General, narrow column) value"),
        rej(4, "phone", "format", "mobile number must start with 13 to 19; landline numbers are not accepted",
            note="landline 0771-3621234 in the mobile column"),
        ok(5, labourer_values(p["xie_fangfang"], "谢芳芳", "15177108080", DAXIN, "硕龙镇", "吉门村",
                              "registered_poor", "bachelor_plus")),
        rej(6, "id_number", "old_format",
            "this is an old 15-digit ID number; it must be converted to the 18-digit form before registering"),
    ]
    write_csv(OUT / name, headers, rows, "utf-8", bom=True, newline="\r\n")
    EXPECTED[name] = {
        "kind": "labourers", "format": "csv", "encoding": "UTF-8 with BOM", "line_ending": "CRLF",
        "header_row": 1, "written_by": "Python csv module", "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "A CSV as Excel saves `CSV UTF-8 (逗号分隔)`: UTF-8 with BOM, CRLF.", headers, rows, 2, e,
        layout="Headers carry the `（必填）` suffix (`姓名（必填）`, `身份证号（必填）`) and a trailing space "
               "(`手机号码 `)."))


def labourers_plain() -> None:
    name = "labourers_plain.csv"
    headers = ["name", "id_number", "gender", "phone", "hukou_region_code", "hukou_township", "hukou_village",
               "poverty_status", "education", "skills", "notes"]
    p = P
    rows = [
        ["周建国", p["zhou_jianguo"], "male", "13878101010", "451424", "硕龙镇", "义宁村", "registered_poor",
         "junior_high", "", ""],
        ["农丽红", "\t" + p["nong_lihong"], "female", "+86 138-7710-2020", "451424", "下雷镇", "信隆村",
         "lifted", "primary", "", ""],
        ["滕晓峰", p["teng_xiaofeng"], "male", "18777103030", "大新县", "下雷镇", "吉门村", "monitored",
         "vocational", "", "已外出务工\n待回访"],
        ["林翠萍", p["lin_cuiping"], "female", "15977104040", "451424", "硕龙镇", "吉门村", "贫困", "primary", "", ""],
        ["", make_id(DAXIN, "19920202", 862), "female", "13377105050", "451424", "硕龙镇", "义宁村",
         "registered_poor", "junior_high", "", ""],
    ]
    e = [
        ok(2, labourer_values(p["zhou_jianguo"], "周建国", "13878101010", DAXIN, "硕龙镇", "义宁村",
                              "registered_poor", "junior_high"),
           note="English column names and the API's enum spellings"),
        ok(3, labourer_values(p["nong_lihong"], "农丽红", "13877102020", DAXIN, "下雷镇", "信隆村", "lifted",
                              "primary"),
           note="the ID number has a leading TAB (what many Chinese systems put before long numbers so that "
                "Excel keeps them as text); phone `+86 138-7710-2020`"),
        ok(4, labourer_values(p["teng_xiaofeng"], "滕晓峰", "18777103030", DAXIN, "下雷镇", "吉门村", "monitored",
                              "vocational", notes="已外出务工\n待回访"),
           note="notes is a quoted field with a line break: this record spans text lines 4–5",
           decision="`row` counts CSV records (what Excel shows), not text lines"),
        rej(5, "poverty_status", "enum", "`贫困` is not a known poverty status",
            note="on text line 6"),
        rej(6, "name", "required", "name is required", note="on text line 7"),
    ]
    write_csv(OUT / name, headers, rows, "utf-8", bom=False, newline="\n")
    EXPECTED[name] = {
        "kind": "labourers", "format": "csv", "encoding": "UTF-8 without BOM", "line_ending": "LF",
        "header_row": 1, "written_by": "Python csv module", "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "A CSV from another system: UTF-8, no BOM, LF, English column names (the API's field names).",
        headers, rows, 2, e,
        layout="Record 4's notes contain a line break inside quotes, so records 5 and 6 are on text lines "
               "6 and 7."))


# --------------------------------------------------------------------------
# 5. placements_office.xlsx
# --------------------------------------------------------------------------


def placements_office() -> None:
    name = "placements_office.xlsx"
    headers = ["序号", "姓名", "性别", "身份证号", "户籍地", "乡镇", "村", "贫困户属性", "就业单位", "就业地",
               "岗位", "就业时间", "月收入", "就业渠道", "联系电话", "备注"]
    FULL = "广西壮族自治区崇左市大新县"
    HD = "江门市江海区宏达电子有限公司"
    YC = "江门市粤厨餐饮管理有限公司"
    JX = "江门市江海区金信五金制品有限公司"
    NH = "佛山市南海区顺联纺织有限公司"
    p = P
    masked = p["feng_guoqiang"][:6] + "*" * 10 + p["feng_guoqiang"][-2:]
    rows = [
        [Num(1), "农秀英", "女", p["nong_xiuying"], FULL, "硕龙镇", "义宁村", "建档立卡贫困户", HD,
         "广东省江门市江海区", "普工", "2019-11-15", Num(5000), "招聘会", "13877101234", ""],
        [Num(2), "黄文明", "男", p["huang_wenming"], FULL, "下雷镇", "信隆村", "已脱贫户", JX, "江海区",
         "木工", "2019/3/5", "5,000", "转介", "13978123456", ""],
        [Num(3), "陆志强", "男", p["lu_zhiqiang"], FULL, "下雷镇", "信隆村", "建档立卡贫困户", HD, "440704",
         "叉车司机", "2019.04.01", "5000元", "培训", "13607711234", ""],
        [Num(4), "梁美玲", "女", p["liang_meiling"], FULL, "硕龙镇", "义宁村", "监测户", YC, Num(440704),
         "帮厨", "2019年5月6日", "5千", "自主就业", "18277108899", ""],
        [Num(5), "赵德贵", "男", p["zhao_degui"], FULL, "下雷镇", "吉门村", "建档立卡贫困户", JX, "江海区",
         "包装工", "201906", Num(4800), "公共服务", "13768105521", ""],
        [Num(6), "罗建华", "男", p["luo_jianhua"], FULL, "下雷镇", "信隆村", "边缘易致贫户", HD, "江海区",
         "电焊工", DateCell(dt.date(2019, 8, 12), 'yyyy"年"m"月"d"日"'), "4500-6000", "招聘会", "13800138000", ""],
        [Num(7), "韦丽娟", "女", p["wei_lijuan"], FULL, "硕龙镇", "吉门村", "已脱贫户", YC, "广东省江门市江海区",
         "收银员", Num(excel_serial(dt.date(2019, 9, 1))), Num(5200), "招聘会", "19977101122", ""],
        [Num(8), "马少军", "男", p["ma_shaojun"], FULL, "下雷镇", "义宁村", "边缘易致贫户", NH, "广东省佛山市南海区",
         "挡车工", "2019-7-8", Num(6000), "job_fair", "17777104455", ""],
        [Num(9), "黎明华", "男", p["li_minghua"], FULL, "硕龙镇", "义宁村", "建档立卡贫困户", HD, "江海区",
         "普工", "2019-10-08", Num(4500), "招聘会", "13877100001", "未录入花名册"],
        [Num(10), "冯国强", "男", p["feng_guoqiang"], FULL, "硕龙镇", "信隆村", "建档立卡贫困户", JX, "江海区",
         "仓管员", "2019-02-30", Num(4600), "转介", "13397714488", ""],
        [Num(11), "冯国强", "男", masked, FULL, "硕龙镇", "信隆村", "建档立卡贫困户", JX, "江海区",
         "仓管员", "2019-03-01", Num(4600), "转介", "13397714488", "从导出台账复制"],
    ]

    def pv(idn, name, emp, region, occ, started, income, channel, _phone, notes=None):
        # 联系电话 and the other columns describing the person are not placement fields.
        return {"id_number": idn, "name": name, "employer_name": emp, "region_code": region, "occupation": occ,
                "started_on": started, "monthly_income": income, "channel": channel, "notes": notes}

    e = [
        ok(4, pv(p["nong_xiuying"], "农秀英", HD, "440704", "普工", "2019-11-15", 5000, "job_fair", "13877101234"),
           note="ISO date text; income a number cell"),
        ok(5, pv(p["huang_wenming"], "黄文明", JX, "440704", "木工", "2019-03-05", 5000, "referral", "13978123456"),
           note="date `2019/3/5`; income `5,000`"),
        ok(6, pv(p["lu_zhiqiang"], "陆志强", HD, "440704", "叉车司机", "2019-04-01", 5000, "training",
                 "13607711234"),
           note="date `2019.04.01`; income `5000元`; region as code text"),
        ok(7, pv(p["liang_meiling"], "梁美玲", YC, "440704", "帮厨", "2019-05-06", 5000, "self_found",
                 "18277108899"),
           note="date `2019年5月6日`; income `5千`; region as a number cell 440704; ID number ends in X"),
        ok(8, pv(p["zhao_degui"], "赵德贵", JX, "440704", "包装工", "2019-06-01", 4800, "public_service",
                 "13768105521"),
           note="date `201906` (text)", decision="a year-month `201906` means the first of that month"),
        rej(9, "monthly_income", "range_not_allowed",
            "`4500-6000` is a range; a placement's monthly income is one amount",
            note="date cell 2019-08-12 with format yyyy\"年\"m\"月\"d\"日\" (serial 43689)",
            decision="a range in 月收入 of a placement is rejected (alternatives: lower bound, midpoint)"),
        ok(10, pv(p["wei_lijuan"], "韦丽娟", YC, "440704", "收银员", "2019-09-01", 5200, "job_fair", "19977101122"),
           note="就业时间 is a bare number 43709 in General format (an Excel serial without a date format)",
           decision="a number in a date column is read as an Excel serial (1900 system)"),
        ok(11, pv(p["ma_shaojun"], "马少军", NH, "440605", "挡车工", "2019-07-08", 6000, "job_fair", "17777104455"),
           note="date `2019-7-8`; 就业地 outside the paired district; channel given as the code `job_fair`"),
        rej(12, "id_number", "labourer_not_found",
            "no labourer with this ID number is on file; import the roster first",
            note="valid ID number of a person on no fixture roster",
            decision="placements refer to labourers already on file and do not create them"),
        rej(13, "started_on", "format", "`2019-02-30` is not a real date"),
        rej(14, "id_number", "charset",
            "the ID number is masked (`*`); import from an unmasked copy",
            note=f"`{masked}`, as our own masked ledger export shows it; the ID parser answers `charset`, "
                 "and a message that names the masking is kinder"),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    title_rows(ws, len(headers), ["2019年新增转移到东部地区就业贫困人口台账",
                                  "填报单位：大新县人力资源和社会保障局    截至日期：2019年11月15日"])
    header_row(ws, 3, headers)
    for i, cells in enumerate(rows):
        for j, v in enumerate(cells):
            put(ws, 4 + i, 1 + j, v)
    total_row = 4 + len(rows)
    ws.cell(row=total_row, column=1, value="合计")
    ws.cell(row=total_row, column=2, value=f"共{len(rows)}人")
    put(ws, total_row, 13, Num(49700))
    sig_row = total_row + 1
    ws.cell(row=sig_row, column=1, value="填报单位（盖章）：  填报人：  审核人：  填报日期：")
    ws.merge_cells(start_row=sig_row, start_column=1, end_row=sig_row, end_column=len(headers))
    for col, width in zip("ABCDEFGHIJKLMNOP", [6, 10, 6, 22, 28, 10, 10, 16, 30, 20, 10, 16, 10, 10, 14, 16]):
        ws.column_dimensions[col].width = width
    save_xlsx(wb, OUT / name)
    EXPECTED[name] = {
        "kind": "placements", "format": "xlsx", "sheet": "台账", "header_row": 3,
        "written_by": f"openpyxl {openpyxl.__version__}",
        "requires": ["labourers_office.xlsx"],
        "title_rows": [1, 2], "merged": ["A1:P1", "A2:P2", f"A{sig_row}:P{sig_row}"],
        "unknown_columns": [],
        "decisions": ["序号 is a known column and ignored",
                      "性别, 户籍地, 乡镇, 村, 贫困户属性 and 联系电话 describe the person; they are not stored on "
                      "the placement and not compared with the labourer on file (the ID number is the key)",
                      "就业单位 is stored as employer_name and linked to an employer on file with exactly that "
                      "name when there is one (all four here are in employers_office.xlsx)",
                      "a row whose first cell is 合计/总计/小计, and a line starting 填报单位（盖章）/填报人/审核人, "
                      "ends or is skipped as a non-data row"],
        "skipped_rows": [{"row": total_row, "why": "total row (合计)"},
                         {"row": sig_row, "why": "signature line"}],
        "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "A 台账 of new transfers east, laid out like the ledger the bureau submits.", headers, rows, 4, e,
        layout=f"Row 1: merged title. Row 2: merged `填报单位：大新县人力资源和社会保障局    截至日期：2019年11月15日`. "
               f"Row 3: header. Rows 4–{total_row - 1}: data. Row {total_row}: total row (`合计`, `共11人`, "
               f"49700 under 月收入). Row {sig_row}: merged signature line `填报单位（盖章）：  填报人：  审核人：  "
               "填报日期：`. Neither of the last two is data. Requires the labourers of labourers_office.xlsx "
               "to be on file (same ID numbers)."))


# --------------------------------------------------------------------------
# 6. employers_office.xlsx
# --------------------------------------------------------------------------


def employers_office() -> None:
    name = "employers_office.xlsx"
    headers = ["序号", "单位名称", "统一社会信用代码", "所在地区", "详细地址", "所属行业", "联系人", "联系电话",
               "是否扶贫车间", "备注"]
    hd = make_uscc("91", "440704", "MA51HD01")
    yc = make_uscc("91", "440700", "MA52YC02")
    jx = make_uscc("91", "440704", "MA53JX03")
    nh = make_uscc("91", "440605", "MA54NH04")
    dx = make_uscc("93", "451424", "MA5K2D05")
    bad = make_uscc("91", "440704", "MA55LY06")
    bad_check = bad[:-1] + USCC_ALPHABET[(USCC_ALPHABET.index(bad[-1]) + 1) % 31]
    with_o = make_uscc("91", "440704", "MA56QR07")
    with_o = with_o[:8] + "O" + with_o[9:]  # a letter O where the 0-like character was
    fw = make_uscc("91", "440704", "MA57KM08")
    rows = [
        [Num(1), "江门市江海区宏达电子有限公司", hd, "广东省江门市江海区", "江海区外海街道金瓯路8号", "电子制造",
         "张先生", "0750-3861234", "否", ""],
        [Num(2), "江门市粤厨餐饮管理有限公司", yc.lower(), "江门市", "蓬江区建设路22号", "餐饮", "陈女士",
         "13702881234", "否", "粤菜师傅培训合作单位"],
        [Num(3), "江门市江海区金信五金制品有限公司", jx, "江海区", "江海区礼乐街道工业大道3号", "五金制品",
         "李先生", "13826001122", "否", ""],
        [Num(4), "大新县硕龙镇义宁村服装加工扶贫车间", dx, "大新县", "硕龙镇义宁村", "服装加工", "农主任",
         "13877100099", "是", "村集体合作社"],
        [Num(5), "江门市江海区礼乐鸿运包装厂", bad_check, "440704", "江海区礼乐街道乐华路6号", "包装",
         "吴先生", "13926003344", "否", ""],
        [Num(6), "江海区外海李记五金店", "", "广东省江门市江海区", "江海区外海街道直冲路15号", "五金零售",
         "李记", "13800004455", "否", "个体工商户，无统一社会信用代码"],
        [Num(7), "江门市江海区顺达物流有限公司", with_o, "江海区", "江海区江南街道高新西路", "物流", "周先生",
         "13926005566", "否", ""],
        [Num(8), "佛山市南海区顺联纺织有限公司", nh, "广东省佛山市南海区", "南海区狮山镇", "纺织", "何女士",
         "13612347788", "否", ""],
        [Num(9), "江门市江海区美家家具有限公司", fullwidth(fw), "440704", "江海区外海街道", "家具制造",
         "梁先生", "13531006677", "是", "车间设在大新县"],
    ]

    def ev(name_, uscc, region, phone, workshop):
        return {"name": name_, "uscc": uscc, "region_code": region, "contact_phone": phone,
                "is_poverty_workshop": workshop}

    e = [
        ok(5, ev("江门市江海区宏达电子有限公司", hd, "440704", "0750-3861234", False),
           note="landline contact phone, accepted for employers"),
        ok(6, ev("江门市粤厨餐饮管理有限公司", yc, "440700", "13702881234", False),
           note="USCC written in lower case; region is a prefecture (江门市)"),
        ok(7, ev("江门市江海区金信五金制品有限公司", jx, "440704", "13826001122", False)),
        ok(8, ev("大新县硕龙镇义宁村服装加工扶贫车间", dx, "451424", "13877100099", True),
           note="a farmers' cooperative code (93…)"),
        warn(9, "uscc", "checksum",
             f"unified social credit code check character should be '{bad[-1]}', got '{bad_check[-1]}'; "
             "accepted, but please compare the code with the business licence",
             ev("江门市江海区礼乐鸿运包装厂", bad_check, "440704", "13926003344", False)),
        ok(10, ev("江海区外海李记五金店", None, "440704", "13800004455", False),
           note="individual business without a code: empty cell", decision="an empty USCC is no warning"),
        rej(11, "uscc", "charset",
            "unified social credit code may only contain digits and the letters A-H J-N P-R T-U W-Y "
            "(no I, O, S, V or Z); 'O' at position 9 is not allowed"),
        ok(12, ev("佛山市南海区顺联纺织有限公司", nh, "440605", "13612347788", False)),
        ok(13, ev("江门市江海区美家家具有限公司", fw, "440704", "13531006677", True),
           note="USCC typed with full-width digits and letters"),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "用工单位"
    # The table starts at B2: row 1 and column A are empty, as when a clerk leaves a margin.
    title_rows(ws, len(headers), ["江海区2019年东西部扶贫协作用工单位名录",
                                  "填报单位：江门市江海区人力资源和社会保障局    填报日期：2019年11月15日"],
               first_row=2, first_col=2)
    header_row(ws, 4, headers, first_col=2)
    for i, cells in enumerate(rows):
        for j, v in enumerate(cells):
            put(ws, 5 + i, 2 + j, v)
    save_xlsx(wb, OUT / name)
    EXPECTED[name] = {
        "kind": "employers", "format": "xlsx", "sheet": "用工单位", "header_row": 4,
        "written_by": f"openpyxl {openpyxl.__version__}",
        "first_used_cell": "B2", "title_rows": [2, 3], "merged": ["B2:K2", "B3:K3"],
        "decisions": ["是否扶贫车间 maps 是 → true, 否 → false",
                      "详细地址, 所属行业, 联系人 and 联系电话 are the known columns address, industry, "
                      "contact_name and contact_phone"],
        "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "A list of employers kept by the Jianghai bureau.", headers, rows, 5, e,
        layout="Row 1 and column A are empty: the title is at B2 (merged B2:K2), the unit line at B3 "
               "(merged B3:K3), the header on row 4 from column B, data on rows 5–13. A reader whose range "
               "starts at the first used cell (calamine does) must add that offset back to report rows "
               "as the clerk sees them.", first_col=2))


# --------------------------------------------------------------------------
# 7. postings_office.xlsx and vocational_enrolments_office.xlsx
# --------------------------------------------------------------------------


def postings_office() -> None:
    name = "postings_office.xlsx"
    headers = ["序号", "招聘单位", "岗位名称", "招聘人数", "薪资待遇", "工作地点", "年龄要求", "性别要求",
               "学历要求", "福利待遇", "截止日期"]
    HD = "江门市江海区宏达电子有限公司"
    YC = "江门市粤厨餐饮管理有限公司"
    JX = "江门市江海区金信五金制品有限公司"
    rows = [
        [Num(1), HD, "普工", Num(50), "4000-6000元/月", "广东省江门市江海区", "18-45岁", "不限", "初中及以上",
         "包吃住", DateCell(dt.date(2019, 12, 31))],
        [Num(2), YC, "粤菜厨师", "10人", "5000-8000", "江海区", "20-50岁", "男", "不限", "包住、购买五险一金",
         "2019年12月31日"],
        [Num(3), HD, "质检员", Num(5), "面议", "440704", "45岁以下", "女", "高中", "包吃住、交通补贴",
         "2019/11/30"],
        [Num(4), JX, "仓管员", Num(2), "4500元以上", "江海区", "18至50周岁", "不限", "中专", "包住", "2019-12-15"],
        [Num(5), "江门市江海区不存在科技有限公司", "操作工", Num(20), "4000-5000", "江海区", "18-45岁", "不限",
         "不限", "包吃住", "2019-12-31"],
        [Num(6), HD, "搬运工", "若干", "4000-5000", "江海区", "18-50岁", "男", "不限", "包住", "2019-12-31"],
        [Num(7), JX, "车床工", Num(3), "8000-5000", "江海区", "20-45岁", "不限", "初中", "", "2019-12-31"],
    ]

    def pv(emp, title, headcount, smin, smax, region, amin, amax, gender, edu, benefits, closes):
        return {"employer_name": emp, "title": title, "headcount": headcount, "salary_min": smin,
                "salary_max": smax, "region_code": region, "min_age": amin, "max_age": amax,
                "gender_requirement": gender, "education_min": edu, "benefits": benefits, "closes_on": closes}

    e = [
        ok(3, pv(HD, "普工", 50, 4000, 6000, "440704", 18, 45, "any", "junior_high", ["meals", "housing"],
                 "2019-12-31"),
           note="salary `4000-6000元/月`; closing date is a date cell"),
        ok(4, pv(YC, "粤菜厨师", 10, 5000, 8000, "440704", 20, 50, "male", None, ["housing", "insurance"],
                 "2019-12-31"),
           note="headcount `10人`; 学历 `不限` means no minimum",
           decision="购买五险一金 / 五险 / 社保 map to insurance"),
        ok(5, pv(HD, "质检员", 5, None, None, "440704", None, 45, "female", "senior_high",
                 ["meals", "housing", "transport"], "2019-11-30"),
           decision="`面议` (negotiable) leaves both salary bounds empty; `45岁以下` is max 45 with no minimum; "
                    "交通补贴 maps to transport"),
        ok(6, pv(JX, "仓管员", 2, 4500, None, "440704", 18, 50, "any", "vocational", ["housing"], "2019-12-15"),
           decision="`4500元以上` is a minimum without maximum; `18至50周岁` is the range 18–50"),
        rej(7, "employer", "employer_not_found", "no employer named `江门市江海区不存在科技有限公司` is on file",
            decision="postings refer to employers already on file (by name or USCC) and do not create them"),
        rej(8, "headcount", "format", "`若干` (an unspecified number) is not a headcount",
            decision="`若干` is rejected rather than defaulted"),
        rej(9, "salary_max", "range", "salary_max is below salary_min (`8000-5000`)"),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "岗位"
    title_rows(ws, len(headers), ["2019年江门市江海区面向大新县招聘岗位信息表"])
    header_row(ws, 2, headers)
    for i, cells in enumerate(rows):
        for j, v in enumerate(cells):
            put(ws, 3 + i, 1 + j, v)
    save_xlsx(wb, OUT / name)
    EXPECTED[name] = {
        "kind": "postings", "format": "xlsx", "sheet": "岗位", "header_row": 2,
        "written_by": f"openpyxl {openpyxl.__version__}", "requires": ["employers_office.xlsx"],
        "title_rows": [1], "merged": ["A1:K1"], "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "Postings collected from Jianghai employers for the Daxin job fair.", headers, rows, 3, e,
        layout="Row 1: merged title. Row 2: header (`薪资待遇` for salary, `工作地点`, `年龄要求`, `福利待遇`, "
               "`截止日期`). Rows 3–9: data. Requires the employers of employers_office.xlsx."))


def vocational_office() -> None:
    name = "vocational_enrolments_office.xlsx"
    headers = ["序号", "学生姓名", "身份证号", "学校名称", "学校所在地", "专业", "入学时间", "在读状态",
               "毕业（离校）时间", "备注"]
    p = P
    rows = [
        [Num(1), "陈晓雯", p["chen_xiaowen"], "台山市广东厨艺技工学校", "广东省江门市台山市", "中式烹调",
         "2018年9月", "在读", "", ""],
        [Num(2), "覃俊杰", p["qin_junjie"], "江门职业技术学院", "广东省江门市", "数控技术", "2017.09", "毕业",
         "2019-07-01", ""],
        [Num(3), "许佳怡", p["xu_jiayi"], "崇左市职业技术学校", "崇左市", "护理", DateCell(dt.date(2018, 9, 1)),
         "退学", "2019/3/15", "家庭原因"],
        [Num(4), "黄思琪", p["huang_siqi"], "广西理工职业技术学校", "崇左市", "电子商务", "201909", "毕业", "", ""],
        [Num(5), "韦晓兰", p["wei_xiaolan"], "台山市广东厨艺技工学校", "台山市", "中式面点", "2019-09-01", "在读",
         "", "未录入花名册"],
        [Num(6), "陈晓雯", p["chen_xiaowen"], "江门市技师学院", "江门市", "烹饪", "2019-09-01", "休学", "", ""],
    ]

    def vv(idn, name_, school, region, major, enrolled, status, grad=None, left=None):
        return {"id_number": idn, "name": name_, "school_name": school, "school_region_code": region,
                "major": major, "enrolled_on": enrolled, "status": status, "graduated_on": grad, "left_on": left}

    e = [
        ok(3, vv(p["chen_xiaowen"], "陈晓雯", "台山市广东厨艺技工学校", "440781", "中式烹调", "2018-09-01", "studying"),
           decision="a year and month (`2018年9月`, `2017.09`, `201909`) means the first of that month"),
        ok(4, vv(p["qin_junjie"], "覃俊杰", "江门职业技术学院", "440700", "数控技术", "2017-09-01", "graduated",
                 grad="2019-07-01")),
        ok(5, vv(p["xu_jiayi"], "许佳怡", "崇左市职业技术学校", "451400", "护理", "2018-09-01", "left",
                 left="2019-03-15"),
           note="入学时间 is a date cell; 退学 → left, so 毕业（离校）时间 is the leaving date"),
        rej(6, "graduated_on", "required", "a graduate needs a graduation date",
            note="在读状态 毕业 with an empty 毕业（离校）时间"),
        rej(7, "id_number", "labourer_not_found", "no labourer with this ID number is on file",
            decision="enrolments refer to labourers already on file and do not create them"),
        rej(8, "status", "enum", "`休学` is not one of 在读, 毕业, 退学",
            decision="休学 (suspended) is not mapped to a status"),
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "在读学生"
    title_rows(ws, len(headers), ["大新县2019年建档立卡贫困家庭中高职在读学生名单"])
    header_row(ws, 2, headers)
    for i, cells in enumerate(rows):
        for j, v in enumerate(cells):
            put(ws, 3 + i, 1 + j, v)
    save_xlsx(wb, OUT / name)
    EXPECTED[name] = {
        "kind": "vocational_enrolments", "format": "xlsx", "sheet": "在读学生", "header_row": 2,
        "written_by": f"openpyxl {openpyxl.__version__}", "requires": ["labourers_office.xlsx"],
        "title_rows": [1], "merged": ["A1:J1"], "unknown_columns": [], "skipped_rows": [], "rows": e,
    }
    README_SECTIONS.append(describe(
        name, "Poor students at vocational schools.", headers, rows, 3, e,
        layout="Row 1: merged title. Row 2: header (`学生姓名`, `身份证号`, `学校名称`, `学校所在地`, `专业`, "
               "`入学时间`, `在读状态`, and `毕业（离校）时间`, a column the contract does not name but which a "
               "graduated or left status needs). Rows 3–8: data. Requires labourers_office.xlsx."))


# --------------------------------------------------------------------------
# 8. not_really.xlsx
# --------------------------------------------------------------------------


def not_really() -> None:
    name = "not_really.xlsx"
    text = ("姓名,身份证号,联系电话\r\n"
            f"周建国,{P['zhou_jianguo']},13878101010\r\n")
    (OUT / name).write_bytes(text.encode("utf-8"))
    EXPECTED[name] = {
        "kind": "labourers", "format": "xlsx (claimed)", "file_outcome": "rejected", "code": "not_xlsx",
        "reason": "the file is not an Excel workbook (it is plain text); save it as .xlsx or import it as CSV",
        "decision": "a file whose content is not what its extension says is rejected whole, not sniffed",
        "rows": [],
    }
    README_SECTIONS.append(
        f"## {name}\n\nA UTF-8 CSV text ({len(text.encode('utf-8'))} bytes, two lines) renamed to .xlsx — "
        "a file that is not what its name says (it is not a zip archive). Expected: the whole file is "
        "rejected with `not_xlsx` and no rows are read. Decision taken: rejected rather than sniffed and read "
        "as CSV.\n")


# --------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------


def describe(name, what, headers, rows, first_row, expected, layout="", first_col=1) -> str:
    by_row = {x["row"]: x for x in expected}
    lines = [f"## {name}", "", what, "", layout, "", "| row | cells (as written) | expected |", "|---|---|---|"]
    for i, cells in enumerate(rows):
        r = first_row + i
        if cells is None:
            lines.append(f"| {r} | (blank row) | skipped |")
            continue
        cell_txt = "; ".join(f"{h.strip()}={shown(v)}" for h, v in zip(headers, cells) if v != "")
        cell_txt = cell_txt.replace("|", "\\|").replace("\n", "⏎").replace("\t", "⇥")
        x = by_row.get(r)
        if x is None:
            exp = "?"
        elif x["outcome"] == "rejected":
            exp = f"**rejected** `{x['field']}` ({x['code']}): {x['reason']}"
        else:
            vals = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in x["values"].items()
                             if v not in (None, []))
            exp = ("**ok**" if x["outcome"] == "ok" else
                   f"**warning** `{x['field']}` ({x['code']}): {x['reason']}") + f" → {vals}"
        if x and x.get("note"):
            exp += f" — {x['note']}"
        if x and x.get("decision"):
            exp += f" — *decision:* {x['decision']}"
        lines.append(f"| {r} | {cell_txt} | {exp.replace('|', chr(92) + '|').replace(chr(10), '⏎')} |")
    return "\n".join(lines) + "\n"


README_HEAD = """# Bulk-import fixtures

Files for the bulk-import tests, written **not** by labour-bridge but by
`scripts/make_import_fixtures.py` with openpyxl {openpyxl_version}, {lo_version} and
Python's csv module ({python}). Every person and company is synthetic; ID
numbers (GB 11643) and USCCs (GB 32100, with a valid GB 11714 organisation
code inside) carry correct check characters unless a row is meant to fail.
Regenerate with `python3 scripts/make_import_fixtures.py`; check what a
non-openpyxl reader sees with `python3 scripts/make_import_fixtures.py --verify`
(python-calamine, the calamine library the Rust side uses, plus xlrd for the .xls).

`expected.json` holds the same expectations in machine-readable form:

    {{"files": {{"<file>": {{"kind", "format", "header_row", "requires"?, "unknown_columns",
                          "skipped_rows": [{{"row", "why"}}],
                          "rows": [{{"row", "outcome": "ok"|"rejected"|"warning",
                                    "field"?, "code"?, "reason"?, "values"?, "note"?, "decision"?}}],
                          "file_outcome"?}}}}}}

* `row` is the spreadsheet row the clerk sees (title and header rows counted;
  a CSV's header is row 1; for CSV, records, not text lines).
* `values` are the normalised values after import: ID numbers upper-case and
  half-width, phones as 11 digits, regions as GB/T 2260 codes, dates ISO,
  money as whole yuan, enums as the API's snake_case spellings.
* `code` uses the domain error codes where one exists (`checksum`, `birth_date`,
  `old_format`, `spreadsheet_number`, `format`, `enum`, `required`, `charset`,
  `range`) and proposes new ones where the import needs them
  (`labourer_not_found`, `employer_not_found`, `range_not_allowed`,
  `lost_character`, `not_xlsx`).
  `reason` is the gist of the message, not its exact text.
* `decision` marks an expectation the import contract does not settle; it
  records the choice these fixtures assume. Change the fixture's expectation if
  the design decides otherwise.
* `requires` names fixtures that must be imported first (placements and
  enrolments refer to labourers by ID number; postings to employers by name).

Every labourer ID number that is expected to be accepted is unique across all
labourer fixtures, so they can all be imported into one database.

"""


# --------------------------------------------------------------------------
# Verification with readers that are not openpyxl
# --------------------------------------------------------------------------


def verify() -> None:
    from python_calamine import CalamineWorkbook

    def show_sheet(path: Path, rows_of_interest=None):
        wb = CalamineWorkbook.from_path(str(path))
        name = wb.sheet_names[0]
        sheet = wb.get_sheet_by_name(name)
        data = sheet.to_python(skip_empty_area=False)
        print(f"\n=== {path.name} (calamine; sheet {name!r}; {len(data)} rows incl. leading empty area; "
              f"used range starts at (row, col) {sheet.start}, 0-based) ===")
        for i, r in enumerate(data, start=1):
            if rows_of_interest and i not in rows_of_interest:
                continue
            cells = [repr(c) for c in r]
            print(f"  row {i}: " + ", ".join(cells))
        return data

    show_sheet(OUT / "labourers_office.xlsx")
    show_sheet(OUT / "labourers_libreoffice.xls")
    show_sheet(OUT / "placements_office.xlsx")
    show_sheet(OUT / "employers_office.xlsx", rows_of_interest=[1, 2, 3, 4, 5, 9, 11, 13])
    show_sheet(OUT / "postings_office.xlsx")
    show_sheet(OUT / "vocational_enrolments_office.xlsx")
    try:
        CalamineWorkbook.from_path(str(OUT / "not_really.xlsx"))
        print("\nnot_really.xlsx: calamine opened it (unexpected)")
    except Exception as err:  # noqa: BLE001
        print(f"\nnot_really.xlsx: calamine refuses it: {type(err).__name__}: {err}")

    import xlrd
    book = xlrd.open_workbook(str(OUT / "labourers_libreoffice.xls"), formatting_info=True)
    sh = book.sheet_by_index(0)
    print(f"\n=== labourers_libreoffice.xls (xlrd {xlrd.__VERSION__}; BIFF version {book.biff_version}; "
          f"codepage {book.codepage}) ===")
    print("  merged cells (rlo, rhi, clo, chi):", sh.merged_cells)
    for r in range(sh.nrows):
        print(f"  row {r + 1}: " + ", ".join(
            f"{xlrd.sheet.ctype_text[sh.cell_type(r, c)]}:{sh.cell_value(r, c)!r}" for c in range(min(sh.ncols, 6))))

    for name, enc in [("labourers_gbk.csv", "gb18030"), ("labourers_bom.csv", "utf-8-sig"),
                      ("labourers_plain.csv", "utf-8")]:
        raw = (OUT / name).read_bytes()
        crlf = b"\r\n" in raw
        print(f"\n=== {name}: {len(raw)} bytes, starts {raw[:8].hex(' ')}; CRLF={crlf} ===")
        for i, rec in enumerate(csv.reader(io.StringIO(raw.decode(enc), newline="")), start=1):
            print(f"  record {i}: {rec[:4]}")
        if name == "labourers_gbk.csv":
            try:
                raw.decode("gbk")
            except UnicodeDecodeError as err:
                print(f"  strict GBK decode fails: {err}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verify", action="store_true", help="only read the fixtures back and print what a reader sees")
    args = ap.parse_args()
    if args.verify:
        verify()
        return
    if not shutil.which("soffice"):
        raise SystemExit("soffice not found: apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    lo_version = subprocess.run(["soffice", "--version"], capture_output=True, text=True,
                                check=True).stdout.strip()
    lo_version = " ".join(lo_version.split()[:2])  # e.g. "LibreOffice 7.4.7.2"
    OUT.mkdir(parents=True, exist_ok=True)
    labourers_office()
    labourers_libreoffice(lo_version)
    labourers_gbk()
    labourers_bom()
    labourers_plain()
    placements_office()
    employers_office()
    postings_office()
    vocational_office()
    not_really()
    doc = {
        "_about": "Expected outcome of every data row of the bulk-import fixtures; see README.md. "
                  "Written by scripts/make_import_fixtures.py.",
        "generator": {"openpyxl": openpyxl.__version__, "libreoffice": lo_version,
                      "python": sys.version.split()[0]},
        "files": EXPECTED,
    }
    (OUT / "expected.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    head = README_HEAD.format(openpyxl_version=openpyxl.__version__, lo_version=lo_version,
                              python=f"Python {sys.version.split()[0]}")
    table = ["| file | kind | format | written by | data rows | ok | warning | rejected |",
             "|---|---|---|---|---|---|---|---|"]
    decisions = []
    for fname, x in EXPECTED.items():
        rows = x["rows"]
        count = {k: sum(1 for r in rows if r["outcome"] == k) for k in ("ok", "warning", "rejected")}
        table.append(f"| {fname} | {x['kind']} | {x['format']}{' (' + x['encoding'] + ')' if 'encoding' in x else ''} "
                     f"| {x.get('written_by', 'by hand (plain text)')} | "
                     f"{len(rows) if rows else 'whole file rejected'} | {count['ok']} | {count['warning']} | "
                     f"{count['rejected']} |")
        for d_ in x.get("decisions", []):
            decisions.append(f"* {fname}: {d_}")
        if x.get("decision"):
            decisions.append(f"* {fname}: {x['decision']}")
        for r in rows:
            if r.get("decision"):
                decisions.append(f"* {fname} row {r['row']}: {r['decision']}")
    body = (head + "## The files\n\n" + "\n".join(table) + "\n\n" + "\n".join(README_SECTIONS)
            + "\n## Decisions these fixtures assume\n\nThe import contract does not settle these; the "
              "expectations above follow the choice written here.\n\n" + "\n".join(decisions) + "\n")
    (OUT / "README.md").write_text(body, encoding="utf-8")
    print(f"wrote {len(EXPECTED)} fixtures, expected.json and README.md to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
