//! Messages of the bulk import, the reconciliation and the duplicate
//! review (DESIGN §8): what a clerk reads in the 错误原因 column.

use super::Text;
use crate::import::headers::Column;
use crate::import::source::Format;
use crate::import::ImportKind;

/// A file whose bytes are not what its extension says.
pub fn not_what_it_says(ext: &str, is: Format) -> Text {
    let (zh, en) = match is {
        Format::Xlsx => ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
        Format::Xls => ("Excel 97-2003 工作簿（.xls）", "an Excel 97-2003 workbook (.xls)"),
        Format::Csv => ("文本（CSV）", "text (CSV)"),
    };
    Text::new(
        format!("文件名是 .{ext}，但内容是{zh}；请在 Excel 或 WPS 中打开后“另存为”正确的格式再上传"),
        format!("the file is named .{ext} but holds {en}; open it in Excel or WPS and save it in that format"),
    )
}

/// A workbook the reader could not open.
pub fn unreadable(detail: &str) -> Text {
    Text::new(
        format!("无法读取该文件（{detail}）；请确认是 Excel、WPS 或 CSV 文件，且没有加密"),
        format!("the file cannot be read ({detail}); it must be an unencrypted Excel, WPS or CSV file"),
    )
}

/// A workbook that would unpack to more than a roster ever holds (a
/// damaged file, or one made to exhaust memory).
pub fn unpacks_too_large(entry: &str, mib: u64, limit_mib: u64) -> Text {
    Text::new(
        format!("文件解压后过大（其中 {entry} 解压后约 {mib} MB，上限 {limit_mib} MB），可能已损坏或不是正常导出的表格：请用 Excel 或 WPS 另存为新文件，或分成几个文件后再导入"),
        format!("the file unpacks to too much ({entry}: about {mib} MB, limit {limit_mib} MB); it may be damaged or not an ordinary export — save it anew from Excel or WPS, or split it"),
    )
}

/// A workbook without sheets.
pub fn no_sheet() -> Text {
    Text::new("工作簿中没有工作表", "the workbook has no worksheet")
}

/// A CSV declared UTF-8 that is not.
pub fn not_utf8() -> Text {
    Text::new("文件不是 UTF-8 编码；如由 Excel 另存，请选择 GBK 编码导入", "the file is not valid UTF-8")
}

/// A CSV in neither UTF-8 nor GB18030.
pub fn unknown_encoding() -> Text {
    Text::new(
        "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）；请在 Excel 中“另存为 CSV UTF-8”后重新上传",
        "the file is neither UTF-8 nor GBK/GB18030; save it as \"CSV UTF-8\" and upload it again",
    )
}

/// A kind that is not one.
pub fn unknown_kind(s: &str) -> Text {
    let kinds: Vec<String> = ImportKind::ALL.iter().map(|k| format!("{}（{}）", k.as_str(), k.label_zh())).collect();
    Text::new(
        format!("“{s}”不是可导入的名册类型；可选：{}", kinds.join("、")),
        format!(
            "'{s}' is not an import kind; expected one of {}",
            ImportKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        ),
    )
}

/// No row names the columns.
pub fn no_header(kind: ImportKind, columns: &[Column]) -> Text {
    let wanted: Vec<&str> = columns.iter().filter(|c| c.required).map(|c| c.names[0]).collect();
    Text::new(
        format!(
            "前30行中找不到{}的表头；表头行应包含列名，例如：{}。可下载模板对照",
            kind.label_zh(),
            wanted.join("、")
        ),
        format!(
            "no header row for {} in the first 30 rows; it should name columns such as {}",
            kind.as_str(),
            wanted.join(", ")
        ),
    )
}

/// Required columns missing from the header.
pub fn missing_columns(row: u32, names: &[&str]) -> Text {
    Text::new(
        format!("第{row}行表头缺少必需的列：{}", names.join("、")),
        format!("the header on row {row} lacks required columns: {}", names.join(", ")),
    )
}

/// A column nobody reads.
pub fn unknown_column(name: &str) -> Text {
    Text::new(format!("不认识“{name}”这一列，已忽略"), format!("column '{name}' is not known and was not read"))
}

/// A value that is no date.
pub fn not_a_date(s: &str) -> Text {
    Text::new(
        format!("“{s}”不是有效日期；可写作 2019-11-15、2019/11/15、2019年11月15日 或 201911"),
        format!("'{s}' is not a real date; write e.g. 2019-11-15, 2019/11/15, 2019年11月15日 or 201911"),
    )
}

/// A value that is no amount of money.
pub fn not_money(s: &str) -> Text {
    Text::new(
        format!("“{s}”不是金额；可写作 5000、5,000、5000元、5千 或 4000-6000"),
        format!("'{s}' is not an amount; write e.g. 5000, 5,000, 5000元, 5千 or 4000-6000"),
    )
}

/// A range where one amount is meant.
pub fn range_not_allowed(s: &str) -> Text {
    Text::new(
        format!("“{s}”是一个区间，这里应填写一个金额（如实际月收入 5000）"),
        format!("'{s}' is a range; one amount is needed here (e.g. the actual monthly income)"),
    )
}

/// A value that is no count.
pub fn not_a_count(s: &str) -> Text {
    Text::new(
        format!("“{s}”不是人数；请填写具体数字，如 10"),
        format!("'{s}' is not a number of people; write e.g. 10"),
    )
}

/// A value that is no age range.
pub fn not_ages(s: &str) -> Text {
    Text::new(
        format!("“{s}”不是年龄要求；可写作 18-45岁、45岁以下 或 不限"),
        format!("'{s}' is not an age range; write e.g. 18-45岁, 45岁以下 or 不限"),
    )
}

/// A value that is neither yes nor no.
pub fn not_yes_no(s: &str) -> Text {
    Text::new(format!("“{s}”应填写“是”或“否”"), format!("'{s}' should be 是 (yes) or 否 (no)"))
}

/// A benefit nobody knows.
pub fn unknown_benefit(s: &str) -> Text {
    Text::new(
        format!("不认识福利待遇“{s}”；可选：包吃、包住、包吃住、交通补贴、五险（社保）"),
        format!("benefit '{s}' is not known; expected meals, housing, transport or insurance"),
    )
}

/// A `?` where an export lost a character.
pub fn lost_character(s: &str) -> Text {
    Text::new(
        format!("“{s}”中有“?”，多半是导出时丢失的生僻字；请对照身份证改正后再导入"),
        format!("'{s}' contains '?', most likely a rare character lost in a GBK export; correct it from the ID card"),
    )
}

/// The gender column disagrees with the ID number.
pub fn gender_mismatch(written: &str) -> Text {
    Text::new(
        format!("性别“{written}”与身份证号不符，已按身份证号登记"),
        format!("gender '{written}' disagrees with the ID number; the ID number's is kept"),
    )
}

/// A second row for the same record in one file.
pub fn same_in_file(first: u32) -> Text {
    Text::new(format!("与第{first}行重复"), format!("repeats row {first}"))
}

/// A second current school for a person within one file.
pub fn studying_on_row(first: u32) -> Text {
    Text::new(
        format!("同一学生在第{first}行已是在读状态，一人同时只能在一所学校在读"),
        format!("the same student is already studying on row {first}; one school at a time"),
    )
}

/// A name that several registered employers share (`usccs`: theirs, blank
/// for one without); `uscc_column`: whether the roster can name the USCC.
pub fn employer_ambiguous(name: &str, usccs: &[Option<String>], uscc_column: bool) -> Text {
    let codes: Vec<&str> = usccs.iter().map(|u| u.as_deref().unwrap_or("未填代码")).collect();
    let (zh, en) = if uscc_column {
        ("请在“统一社会信用代码”列写明是哪一家", "give its USCC in the USCC column")
    } else {
        (
            "没有关联到其中任何一家（按填写的名称记录）；要关联，请在服务台逐条选择单位",
            "linked to none of them (kept as the name typed)",
        )
    };
    Text::new(
        format!("登记了不止一家名为“{name}”的单位（统一社会信用代码：{}）：{zh}", codes.join("、")),
        format!("more than one employer is named '{name}' ({}): {en}", codes.join(", ")),
    )
}
/// A posting of an employer not on file.
pub fn employer_not_found(name: &str) -> Text {
    Text::new(
        format!("用工单位“{name}”尚未登记；请先导入或登记该单位（名称须完全一致）"),
        format!("no employer named '{name}' is on file; register it first (the name must match exactly)"),
    )
}

/// A row about a person not on file.
pub fn labourer_not_found() -> Text {
    Text::new(
        "系统中没有此身份证号的劳动力；请先导入花名册或登记此人",
        "no labourer with this ID number is on file; import the roster first",
    )
}

/// The name column disagrees with the registered name.
pub fn name_mismatch(written: &str, registered: &str) -> Text {
    Text::new(
        format!("姓名“{written}”与登记的“{registered}”不一致，请核对身份证号"),
        format!("name '{written}' differs from the registered '{registered}'; check the ID number"),
    )
}

/// Two rows of one person's full-time jobs overlap.
pub fn overlaps_row(row: u32) -> Text {
    Text::new(
        format!("与第{row}行同一人的全职就业时间重叠"),
        format!("overlaps the same person's full-time job on row {row}"),
    )
}

/// A row could not be written in the final step.
pub fn failed_at_row(row: i32, why: &Text) -> Text {
    Text::new(
        format!("第{row}行无法写入，整个导入未写入任何记录：{}", why.zh),
        format!("row {row} cannot be written, so nothing of the import was: {}", why.en),
    )
}

/// Someone registered one of the file's people while it was being read.
pub fn registered_meanwhile(from_row: i32) -> Text {
    Text::new(
        format!("从第{from_row}行起的一批人员中，有人在导入期间已被他人登记；未写入任何记录，请重新导入"),
        format!(
            "someone registered a person of the rows from {from_row} on while the file was read; nothing was \
             written, import it again"
        ),
    )
}

/// A commit refused because rows were rejected.
pub fn refused(rows: usize) -> Text {
    Text::new(
        format!("有 {rows} 行被拒绝，本次导入未写入任何记录；请下载被拒绝的行改正后重新上传，或选择只导入正确的行"),
        format!("{rows} rows were rejected, so nothing was written; fix them and upload again, or accept partial"),
    )
}

/// A status ledgers leave out by default (monitored).
pub fn monitored_not_counted(written: &str) -> Text {
    Text::new(
        format!("“{written}”按“边缘易致贫户”（监测对象）登记，台账默认不计入；此人若在建档立卡名单中（已脱贫或未脱贫），请写“脱贫户”或“建档立卡贫困户”"),
        format!("'{written}' is stored as monitored (边缘易致贫户), which ledgers leave out by default; if the person is on the 建档立卡 register (lifted or not), write 脱贫户 or 建档立卡贫困户"),
    )
}

/// A roster row that renames a registered person.
pub fn name_would_change(was: &str, now: &str) -> Text {
    Text::new(
        format!("已登记的姓名“{was}”将改为“{now}”：请先核对这一行的身份证号是否录错；确是改名才导入"),
        format!("the registered name '{was}' would become '{now}': check this row's ID number first; import only for a real change of name"),
    )
}

/// A roster row that changes a field of a registered record.
pub fn would_change(label: &str, was: &str, now: &str) -> Text {
    let shown = |v: &str| if v.is_empty() { "（空）".to_string() } else { format!("“{v}”") };
    Text::new(
        format!("{label}将由{}改为{}", shown(was), shown(now)),
        format!("{label} would change from {} to {}", shown(was), shown(now)),
    )
}

/// Worksheets after the first, which an import does not read.
pub fn other_sheets_not_read(first: &str, others: &[String]) -> Text {
    let named: Vec<String> = others.iter().map(|n| format!("“{n}”")).collect();
    Text::new(
        format!("只读取了第一个工作表“{first}”；工作表{}没有读取。要导入它们，请把每个工作表另存为一个文件（或复制到第一个工作表里）再导入", named.join("、")),
        format!("only the first worksheet, '{first}', was read; {} were not: save each as a file of its own (or copy it into the first) and import it", others.join(", ")),
    )
}

/// No header in the first worksheet of a workbook that has others.
pub fn no_header_in_first_sheet(first: &str, others: &[String]) -> Text {
    let named: Vec<String> = others.iter().map(|n| format!("“{n}”")).collect();
    Text::new(
        format!("只读取第一个工作表，它是“{first}”；名册若在{}里，请把那个工作表移到最前面（或另存为单独的文件）再导入", named.join("、")),
        format!("only the first worksheet is read, and it is '{first}'; if the roster is in {}, move that sheet first (or save it as a file of its own)", others.join(", ")),
    )
}

/// A date written as a month, taken as its first day.
pub fn month_only(written: &str) -> Text {
    Text::new(
        format!("“{written}”只写了年月，按当月 1 日登记；知道具体日期请写全（台账按日计算满 3 个月、是否在当年）"),
        format!("'{written}' gives a month without a day and is taken as its 1st; write the full date if known (ledgers count days)"),
    )
}

/// A cell longer than spreadsheet programs allow.
pub fn cell_too_long(row: u32, col: u32, limit: usize) -> Text {
    Text::new(
        format!("第{row}行第{col}列的内容超过 {limit} 个字（Excel 一个单元格的上限），文件可能已损坏或不是正常导出的表格"),
        format!("the cell at row {row}, column {col} holds more than {limit} characters (Excel's limit for a cell); the file may be damaged"),
    )
}
