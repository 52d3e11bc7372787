//! Messages of duplicate review (DESIGN §8).

use super::Text;

/// A pair of one record with itself.
pub fn same_record() -> Text {
    Text::new("两条记录是同一条", "the two records are the same one")
}

/// `keep` is neither of the pair.
pub fn keep_one_of(a: i64, b: i64) -> Text {
    Text::new(format!("保留的记录应为 {a} 或 {b}"), format!("keep must be {a} or {b}"))
}

/// Two full-time jobs would overlap.
pub fn jobs_overlap(moved: i64, kept: i64) -> Text {
    Text::new(
        format!("不能合并：就业登记 {moved} 与保留记录的就业登记 {kept} 时间重叠（同一人不能同时有两份全职工作）；请先核对并修改其中一条"),
        format!("cannot merge: placement {moved} overlaps the kept record's placement {kept} (one person cannot hold two full-time jobs at once); correct one first"),
    )
}

/// Both are enrolled in one training class.
pub fn same_session(session: i64) -> Text {
    Text::new(
        format!("不能合并：两条记录都报名了培训班 {session}；请先删除其中一条报名"),
        format!("cannot merge: both records are enrolled in training session {session}; remove one enrolment first"),
    )
}

/// Both have an intention for one posting at one fair.
pub fn same_intention(fair: i64, posting: i64) -> Text {
    Text::new(
        format!("不能合并：两条记录在招聘会 {fair} 都对岗位 {posting} 登记了求职意向；请先删除其中一条"),
        format!("cannot merge: both records have an intention for posting {posting} at fair {fair}; remove one first"),
    )
}

/// Both are studying at a school now.
pub fn two_schools(kept: i64, moved: i64) -> Text {
    Text::new(
        format!("不能合并：两条记录都有在读的职业院校记录（{kept}、{moved}）；请先更正其中一条的在读状态"),
        format!("cannot merge: both records are studying now ({kept}, {moved}); correct one's status first"),
    )
}

/// Two records the review would not list as one person.
pub fn not_a_pair(a: i64, b: i64) -> Text {
    Text::new(
        format!("记录 {a} 与 {b} 不是疑似重复的一对（姓名不同，或身份证号既不像录错、出生日期也不同），不能合并；若确是同一人，请先改正其中一条的姓名或身份证号"),
        format!("records {a} and {b} are not a likely duplicate pair (another name, or numbers neither a slip apart nor of one birth day); correct one record's name or number first if they are one person"),
    )
}
