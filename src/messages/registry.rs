//! Messages of the registry's rules (DESIGN §4).

use chrono::NaiveDate;

use super::Text;

/// A placement with no employer at all.
pub fn employer_needed() -> Text {
    Text::new(
        "请选择用工单位；单位未登记的，填写单位名称",
        "give employer_id, or employer_name for an employer not in the registry",
    )
}
/// A placement naming someone else's enrolment.
pub fn enrolment_of_another(id: i64) -> Text {
    Text::new(format!("培训报名 {id} 是另一个人的"), format!("enrolment {id} is another person's"))
}
/// A placement naming a posting of another employer.
pub fn posting_of_another(posting: i64, employer: i64) -> Text {
    Text::new(
        format!("岗位 {posting} 属于用工单位 {employer}"),
        format!("posting {posting} belongs to employer {employer}"),
    )
}
/// The 409 of overlapping full-time placements.
pub fn overlap(labourer: i64, other: i64, from: NaiveDate, to: Option<NaiveDate>) -> Text {
    let (zh_to, en_to) = match to {
        Some(d) => (d.to_string(), d.to_string()),
        None => ("今（仍在职）".to_string(), "now (ongoing)".to_string()),
    };
    Text::new(
        format!(
            "该劳动力已有就业登记 {other}（{from} 至 {zh_to}），时间重叠；请先登记离职日期，或将其中一份标为兼职"
        ),
        format!(
            "labourer {labourer} already has placement {other} from {from} to {en_to}; end it first, or mark one part_time"
        ),
    )
}
/// The field message of an overlap.
pub fn overlap_field(other: i64, from: NaiveDate, to: Option<NaiveDate>) -> Text {
    // Said beside a form's field and at a fair's hire, where a record
    // number alone told nobody which job it was.
    let zh_to = to.map_or("今，仍在岗".to_string(), |d| d.to_string());
    let en_to = to.map_or("now".to_string(), |d| d.to_string());
    Text::new(
        format!("与已有的一份全职工作（{from} 至 {zh_to}，就业登记 {other}）时间重叠：请先登记那份工作的离职时间，或将其中一份标为兼职"),
        format!("overlaps placement {other} ({from} to {en_to}); record its end first, or mark one part_time"),
    )
}
/// A PATCH that tries to move a placement to another person.
pub fn placement_person_fixed() -> Text {
    Text::new(
        "就业登记不能改到另一个人名下；请删除后重新登记",
        "a placement cannot move to another person; delete it and register a new one",
    )
}
/// A fair with no organiser.
pub fn organisers_needed() -> Text {
    Text::new("请至少填写一个主办单位", "name at least one organising unit")
}
/// An organiser acting on another unit's fair.
pub fn not_your_fair(id: i64) -> Text {
    Text::new(
        format!("招聘会 {id} 由其他单位主办，您无权管理"),
        format!("job fair {id} is organised by other units; you may not manage it"),
    )
}
/// An organiser creating a fair for other units.
pub fn organiser_own_unit_only() -> Text {
    Text::new("组织方只能登记本单位主办的招聘会", "an organiser may only keep fairs that their own unit organises")
}
/// A walk-in without a name.
pub fn walk_in_name() -> Text {
    Text::new("尚未登记：请填写姓名", "not registered yet: give the person's name")
}
/// A walk-in without a phone.
pub fn walk_in_phone() -> Text {
    Text::new("尚未登记：请填写手机号码", "not registered yet: give a mobile number")
}
/// A check-in by an organiser without a name (asked of everyone, so the
/// answer does not tell whether the number is registered).
pub fn door_name() -> Text {
    Text::new("请填写到场人员的姓名", "give the person's name")
}
/// An organiser's check-in naming someone other than the number's holder
/// (whose name is not told).
pub fn door_name_mismatch() -> Text {
    Text::new(
        "姓名与该身份证号登记的姓名不一致，没有签到：请核对身份证号和姓名（以身份证为准）",
        "the name does not match the one registered for this ID number; not checked in — check both against the ID card",
    )
}
/// A check-in by an organiser without a phone.
pub fn door_phone() -> Text {
    Text::new("请填写到场人员的手机号码", "give the person's mobile number")
}
/// A check-in outside the days the fair is open.
pub fn fair_not_open(held_on: chrono::NaiveDate, margin_days: i64) -> Text {
    Text::new(
        format!("招聘会在 {held_on} 举办，只能在当天前后 {margin_days} 天内签到"),
        format!("the fair is held on {held_on}; people can be checked in only within {margin_days} day(s) of it"),
    )
}
/// A name at the door that differs from the registered one.
pub fn name_mismatch(registered: &str, given: &str) -> Text {
    Text::new(
        format!("登记姓名为{registered}，现场填写为{given}；请核对身份证号"),
        format!("registered as {registered}, given as {given}; check the ID number"),
    )
}
/// An intention for someone not checked in.
pub fn not_checked_in() -> Text {
    Text::new("此人尚未在本场招聘会签到", "this person has not been checked in at this fair")
}
/// An intention for a posting not at the fair.
pub fn not_at_fair() -> Text {
    Text::new("该岗位及其单位都未参加本场招聘会", "neither the posting nor its employer is at this fair")
}
/// A second intention for the same posting.
pub fn intention_exists(id: i64) -> Text {
    Text::new(format!("该意向已登记（编号 {id}）"), format!("this intention is already recorded as {id}"))
}
/// A hire without a first day.
pub fn hire_needs_start() -> Text {
    Text::new("录用需填写上岗日期", "a hire needs the first day of work")
}
/// A second hire of the same intention.
pub fn already_hired(placement: Option<i64>) -> Text {
    let p = placement.map(|p| p.to_string()).unwrap_or_default();
    Text::new(
        format!("已录用（就业登记 {p}）；如需更改，请结束或删除该就业登记"),
        format!("already hired (placement {p}); end or delete that placement instead"),
    )
}
/// A hire on a posting that is not taking applications.
pub fn posting_not_taking(posting: i64, why: &Text) -> Text {
    Text::new(
        format!("岗位 {posting} 已不再招聘：{}", why.zh),
        format!("posting {posting} is not taking applications: {}", why.en),
    )
}
/// Why a posting is not taking applications.
pub fn not_taking(reason: crate::domain::rules::NotTaking) -> Text {
    use crate::domain::rules::NotTaking;
    match reason {
        NotTaking::Closed => Text::new("已关闭", "closed"),
        NotTaking::NotYetOpen(d) => Text::new(format!("{d} 开始报名"), format!("applications open on {d}")),
        NotTaking::Expired(d) => Text::new(format!("报名已于 {d} 截止"), format!("applications closed on {d}")),
        NotTaking::Full(n) => Text::new(format!("{n}个名额已招满"), format!("all {n} places are filled")),
    }
}
/// The field message of a full posting.
pub fn headcount_used(used: i64, headcount: i32) -> Text {
    Text::new(format!("已录用 {used} 人，名额 {headcount} 个"), format!("{used} of {headcount} already hired"))
}
/// An enrolment in a full class.
pub fn session_full(session: i64, taken: i64, capacity: i32) -> Text {
    Text::new(
        format!("培训班 {session} 已满：{capacity} 个名额已报满 {taken} 人"),
        format!("session {session} is full: {taken} of {capacity} places taken"),
    )
}
/// The field message of a full class.
pub fn full() -> Text {
    Text::new("名额已满", "the session is full")
}
/// A second enrolment in the same class.
pub fn already_enrolled(id: i64) -> Text {
    Text::new(format!("已报名该培训班（报名 {id}）"), format!("already enrolled in this session (enrolment {id})"))
}
/// Capacity below the enrolments.
pub fn capacity_below_enrolled(taken: i64) -> Text {
    Text::new(
        format!("已有 {taken} 人报名，名额不能少于此数"),
        format!("{taken} people are enrolled; capacity cannot drop below that"),
    )
}
/// The field message of capacity below enrolments.
pub fn enrolled_count(taken: i64) -> Text {
    Text::new(format!("已报名 {taken} 人"), format!("{taken} enrolled"))
}
/// The words for a training outcome that breaks a rule.
pub fn outcome(problem: crate::domain::rules::OutcomeProblem) -> Text {
    use crate::domain::rules::OutcomeProblem as P;
    match problem {
        P::CompletionDateMissing => Text::new("结业需填写结业日期", "a completed enrolment needs its completion date"),
        P::CompletedBeforeStart(d) => {
            Text::new(format!("结业日期早于开班日期 {d}"), format!("before the session started on {d}"))
        }
        P::CompletedInFuture(today) => Text::new(
            format!("结业日期晚于今天（{today}）：请在结业后再登记"),
            format!("the completion date is after today ({today})"),
        ),
        P::CertifiedBeforeCompletion(d) => Text::new(
            format!("发证日期早于结业日期 {d}：证书在结业后才能颁发，请核对"),
            format!("the certificate is dated before the completion on {d}"),
        ),
        P::CertificateWithoutCompletion => {
            Text::new("只有已结业的学员才能登记证书", "only a completed enrolment carries a certificate")
        }
        P::CertificateDateMissing => Text::new("请填写发证日期", "a certificate needs its date of issue"),
        P::CertificateNumberMissing => Text::new(
            "填写了证书类别、等级或日期，请同时填写证书编号",
            "give the certificate number with its kind, level or date",
        ),
    }
}
/// One school at a time.
pub fn already_studying(id: i64) -> Text {
    Text::new(
        format!("此人已在另一所学校就读（记录 {id}）；请先登记毕业或离校"),
        format!("this person is already studying elsewhere (enrolment {id}); record that they left first"),
    )
}
/// A target set twice.
pub fn target_exists(id: i64) -> Text {
    Text::new(
        format!("该年度该指标已设目标（编号 {id}）"),
        format!("a target for this year and metric exists already ({id})"),
    )
}
/// The field message of a duplicate target.
pub fn already_set() -> Text {
    Text::new("该年度已设", "already set for this year")
}
/// A deadline without recipients.
pub fn recipients_needed() -> Text {
    Text::new("请至少填写一个收件人", "name at least one recipient")
}
/// A graduation or leaving date required by the status.
pub fn date_for_status(field: &str) -> Text {
    Text::new(format!("该状态需填写“{}”", super::field_label(field)), format!("this status needs `{field}`"))
}
/// A job that would begin before its worker was born.
pub fn started_before_birth(started_on: chrono::NaiveDate, birth_date: chrono::NaiveDate) -> Text {
    Text::new(
        format!("就业时间（{started_on}）早于本人的出生日期（{birth_date}），请核对年份"),
        format!("the job starts ({started_on}) before the person was born ({birth_date}); check the year"),
    )
}
/// A job that would begin before its worker reached working age.
pub fn started_under_working_age(started_on: chrono::NaiveDate, birth_date: chrono::NaiveDate) -> Text {
    Text::new(
        format!(
            "就业时间（{started_on}）时本人未满 16 周岁（出生于 {birth_date}）；劳动法禁止招用未满十六周岁的未成年人，请核对年份"
        ),
        format!("the job starts ({started_on}) before the person turns 16 (born {birth_date}); check the year"),
    )
}
/// A training class or school begun before the person was born.
pub fn record_before_birth(on: chrono::NaiveDate, birth_date: chrono::NaiveDate) -> Text {
    Text::new(
        format!("开始日期（{on}）早于本人的出生日期（{birth_date}），请核对年份"),
        format!("it begins ({on}) before the person was born ({birth_date}); check the year"),
    )
}
/// A changed ID number whose birth date falls after records on file.
pub fn birth_after_records(what: &str, first: chrono::NaiveDate, birth_date: chrono::NaiveDate) -> Text {
    Text::new(
        format!("按这个身份证号，本人出生于 {birth_date}，但已有的{what}从 {first} 开始（那时尚未出生或未满 16 周岁）：请核对身份证号"),
        format!("by this ID number the person was born on {birth_date}, but their records begin on {first}; check the number"),
    )
}
/// A graduation or leaving date that the status does not allow.
pub fn date_not_for_status(field: &str) -> Text {
    let (status, en) = match field {
        "graduated_on" => ("已毕业", "graduated"),
        _ => ("已离校", "left"),
    };
    let label = super::field_label(field);
    Text::new(
        format!("只有就读状态为“{status}”时才填写“{label}”：请把状态改为“{status}”，或清空“{label}”"),
        format!("`{field}` goes only with status `{en}`: change the status, or clear `{field}`"),
    )
}
/// An employer registered under a name another already has.
pub fn same_name_employer(ids: &[String]) -> Text {
    Text::new(
        format!(
            "已登记过同名的单位（单位编号 {}）：如是同一家，请不要重复登记；名册按名称找单位时，同名的单位要写明统一社会信用代码才能区分",
            ids.join("、")
        ),
        format!("an employer of this name is on file ({}); rosters must give the USCC to tell them apart", ids.join(", ")),
    )
}
/// A job's end recorded for a day still to come.
pub fn ended_in_future(ended_on: chrono::NaiveDate, today: chrono::NaiveDate) -> Text {
    Text::new(
        format!("离职时间（{ended_on}）晚于今天（{today}）：请在离职后再登记；合同到期日可写在备注里"),
        format!("the job's end ({ended_on}) is after today ({today}); record it once the person has left"),
    )
}
/// Fewer places than people already hired through the posting.
pub fn headcount_below_hired(hired: i64) -> Text {
    Text::new(
        format!("已通过这个岗位录用 {hired} 人，招聘人数不能少于 {hired}；不再招人请把岗位状态改为“已关闭”"),
        format!(
            "{hired} people were hired through this posting; the headcount cannot be below {hired} (close it instead)"
        ),
    )
}
