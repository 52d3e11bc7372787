//! The registry's rules that need no database: placements that may not
//! overlap, places in a class, a posting's headcount and dates, and what a
//! training outcome must say to carry a certificate (DESIGN §4). The
//! registry loads the records and asks these functions; tests ask them
//! directly.

use chrono::NaiveDate;

use super::{EnrolmentStatus, PostingStatus};

/// A stretch of work: from its first day to its last (`None`: ongoing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First day.
    pub start: NaiveDate,
    /// Last day, inclusive; `None` while ongoing.
    pub end: Option<NaiveDate>,
}

impl Span {
    /// Whether two spans share at least one day.
    pub fn overlaps(&self, other: &Span) -> bool {
        let ends_after_other_starts = self.end.is_none_or(|e| e >= other.start);
        let starts_before_other_ends = other.end.is_none_or(|e| self.start <= e);
        ends_after_other_starts && starts_before_other_ends
    }

    /// Whether the span is ongoing on `day`.
    pub fn ongoing_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| e >= day)
    }
}

/// Whether an end date is allowed: not before the start.
pub fn ends_in_order(start: NaiveDate, end: Option<NaiveDate>) -> bool {
    end.is_none_or(|e| e >= start)
}

/// The first of `others` a new full-time placement would overlap (part-time
/// work may overlap anything, DESIGN §4).
pub fn first_overlap<'a, K: Copy>(new: &Span, part_time: bool, others: &'a [(K, Span)]) -> Option<&'a (K, Span)> {
    if part_time {
        return None;
    }
    others.iter().find(|(_, s)| s.overlaps(new))
}

/// Whether a class with `capacity` places and `taken` of them filled has
/// room for one more.
pub fn has_place(taken: i64, capacity: i32) -> bool {
    taken < i64::from(capacity)
}

/// Why a posting is not taking applications on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTaking {
    /// Closed by the employer or a clerk.
    Closed,
    /// Applications open on a later day.
    NotYetOpen(NaiveDate),
    /// Applications closed on an earlier day.
    Expired(NaiveDate),
    /// Every place is filled.
    Full(i32),
}

impl NotTaking {
    /// A stable code for the reason.
    pub fn code(self) -> &'static str {
        match self {
            NotTaking::Closed => "closed",
            NotTaking::NotYetOpen(_) => "not_yet_open",
            NotTaking::Expired(_) => "expired",
            NotTaking::Full(_) => "full",
        }
    }
}

/// What decides whether a posting takes applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingTerms {
    /// Open or closed.
    pub status: PostingStatus,
    /// First day of applications, if set.
    pub opens_on: Option<NaiveDate>,
    /// Last day of applications, if set.
    pub closes_on: Option<NaiveDate>,
    /// Places offered.
    pub headcount: i32,
}

/// The one definition of "taking applications today" (used by search for
/// every caller, typeahead, matching, candidates, job alerts and hires):
/// status open, `opens_on ≤ today ≤ closes_on` where set, and places left
/// (`hired` placements fill them). `Ok(())` or the first reason why not.
pub fn taking_applications(terms: &PostingTerms, hired: i64, today: NaiveDate) -> Result<(), NotTaking> {
    if terms.status == PostingStatus::Closed {
        return Err(NotTaking::Closed);
    }
    if let Some(opens) = terms.opens_on.filter(|d| *d > today) {
        return Err(NotTaking::NotYetOpen(opens));
    }
    if let Some(closes) = terms.closes_on.filter(|d| *d < today) {
        return Err(NotTaking::Expired(closes));
    }
    if hired >= i64::from(terms.headcount) {
        return Err(NotTaking::Full(terms.headcount));
    }
    Ok(())
}

/// A training outcome as it would be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeShape<'a> {
    /// Enrolled, completed or dropped.
    pub status: EnrolmentStatus,
    /// When completed.
    pub completed_on: Option<NaiveDate>,
    /// 证书编号.
    pub certificate_no: Option<&'a str>,
    /// Whether a kind, level or date of issue is given.
    pub has_certificate_details: bool,
    /// Date of issue.
    pub certified_on: Option<NaiveDate>,
}

/// A rule an outcome breaks: the field to blame and a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeProblem {
    /// `completed_on` missing on a completed enrolment.
    CompletionDateMissing,
    /// `completed_on` before the session started.
    CompletedBeforeStart(NaiveDate),
    /// `completed_on` after today (2030 typed for 2019).
    CompletedInFuture(NaiveDate),
    /// A certificate issued before the training it certifies was completed.
    CertifiedBeforeCompletion(NaiveDate),
    /// A certificate on an enrolment that is not completed.
    CertificateWithoutCompletion,
    /// A certificate number without its date of issue.
    CertificateDateMissing,
    /// Kind, level or date without a certificate number.
    CertificateNumberMissing,
}

impl OutcomeProblem {
    /// The field to blame and the code.
    pub fn field_and_code(self) -> (&'static str, &'static str) {
        match self {
            OutcomeProblem::CompletionDateMissing => ("completed_on", "required"),
            OutcomeProblem::CompletedBeforeStart(_) => ("completed_on", "date_order"),
            OutcomeProblem::CompletedInFuture(_) => ("completed_on", "future"),
            OutcomeProblem::CertifiedBeforeCompletion(_) => ("certified_on", "date_order"),
            OutcomeProblem::CertificateWithoutCompletion => ("certificate_no", "not_completed"),
            OutcomeProblem::CertificateDateMissing => ("certified_on", "required"),
            OutcomeProblem::CertificateNumberMissing => ("certificate_no", "required"),
        }
    }
}

/// Every rule a training outcome breaks (DESIGN §4: only a completed
/// enrolment carries a certificate, and a certificate has a number and a
/// date of issue; a completed enrolment with one adds it to the person's
/// profile for matching). Dates are in order: the session's start, the
/// completion (not after `today`), the certificate's issue.
pub fn outcome_problems(o: &OutcomeShape<'_>, session_starts_on: NaiveDate, today: NaiveDate) -> Vec<OutcomeProblem> {
    let mut out = Vec::new();
    if o.status == EnrolmentStatus::Completed {
        match o.completed_on {
            None => out.push(OutcomeProblem::CompletionDateMissing),
            Some(d) if d < session_starts_on => out.push(OutcomeProblem::CompletedBeforeStart(session_starts_on)),
            Some(d) if d > today => out.push(OutcomeProblem::CompletedInFuture(today)),
            Some(d) => {
                if o.certified_on.is_some_and(|c| c < d) {
                    out.push(OutcomeProblem::CertifiedBeforeCompletion(d));
                }
            }
        }
    } else if o.certificate_no.is_some() {
        out.push(OutcomeProblem::CertificateWithoutCompletion);
    }
    if o.certificate_no.is_some() && o.certified_on.is_none() {
        out.push(OutcomeProblem::CertificateDateMissing);
    }
    if o.certificate_no.is_none() && o.has_certificate_details {
        out.push(OutcomeProblem::CertificateNumberMissing);
    }
    out
}

/// Whether an outcome puts a certificate on the person's profile.
pub fn certifies(o: &OutcomeShape<'_>) -> bool {
    o.status == EnrolmentStatus::Completed && o.certificate_no.is_some()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn span(a: &str, b: Option<&str>) -> Span {
        Span { start: d(a), end: b.map(d) }
    }

    #[test]
    fn spans_overlap_when_they_share_a_day() {
        let jan = span("2019-01-01", Some("2019-01-31"));
        assert!(jan.overlaps(&span("2019-01-31", Some("2019-02-10"))), "sharing the last day");
        assert!(!jan.overlaps(&span("2019-02-01", None)), "the next day is free");
        assert!(span("2019-03-01", None).overlaps(&span("2020-01-01", Some("2020-01-02"))), "ongoing runs on");
        assert!(span("2019-03-01", None).overlaps(&span("2018-01-01", None)));
        assert!(!span("2019-03-01", Some("2019-03-02")).overlaps(&span("2018-01-01", Some("2019-02-28"))));
    }

    #[test]
    fn part_time_work_may_overlap_anything() {
        let others = [(7, span("2019-01-01", None))];
        let new = span("2019-06-01", None);
        assert_eq!(first_overlap(&new, false, &others).map(|o| o.0), Some(7));
        assert_eq!(first_overlap(&new, true, &others), None);
        assert_eq!(first_overlap(&span("2018-01-01", Some("2018-12-31")), false, &others), None);
    }

    #[test]
    fn end_dates_may_not_precede_starts() {
        assert!(ends_in_order(d("2019-01-01"), None));
        assert!(ends_in_order(d("2019-01-01"), Some(d("2019-01-01"))));
        assert!(!ends_in_order(d("2019-01-02"), Some(d("2019-01-01"))));
    }

    #[test]
    fn a_class_is_full_when_its_places_are_taken() {
        assert!(has_place(0, 1));
        assert!(has_place(39, 40));
        assert!(!has_place(40, 40));
        assert!(!has_place(41, 40));
    }

    #[test]
    fn a_posting_takes_applications_only_open_within_its_dates_with_places_left() {
        let open = PostingTerms {
            status: PostingStatus::Open,
            opens_on: Some(d("2019-03-01")),
            closes_on: Some(d("2019-12-31")),
            headcount: 4,
        };
        assert_eq!(taking_applications(&open, 0, d("2019-06-01")), Ok(()));
        assert_eq!(taking_applications(&open, 3, d("2019-12-31")), Ok(()), "the last day counts");
        assert_eq!(taking_applications(&open, 0, d("2019-03-01")), Ok(()), "the first day counts");
        assert_eq!(taking_applications(&open, 4, d("2019-06-01")), Err(NotTaking::Full(4)));
        assert_eq!(taking_applications(&open, 0, d("2020-01-01")), Err(NotTaking::Expired(d("2019-12-31"))));
        assert_eq!(taking_applications(&open, 0, d("2019-02-28")), Err(NotTaking::NotYetOpen(d("2019-03-01"))));
        let closed = PostingTerms { status: PostingStatus::Closed, ..open };
        assert_eq!(taking_applications(&closed, 0, d("2019-06-01")), Err(NotTaking::Closed));
        let no_dates = PostingTerms { opens_on: None, closes_on: None, ..open };
        assert_eq!(taking_applications(&no_dates, 0, d("2030-01-01")), Ok(()));
    }

    #[test]
    fn a_certificate_needs_completion_a_number_and_a_date() {
        let (starts, today) = (d("2019-05-06"), d("2019-12-01"));
        let base = OutcomeShape {
            status: EnrolmentStatus::Completed,
            completed_on: Some(d("2019-06-14")),
            certificate_no: Some("1944000000001"),
            has_certificate_details: true,
            certified_on: Some(d("2019-06-20")),
        };
        assert!(outcome_problems(&base, starts, today).is_empty());
        assert!(certifies(&base));
        let no_date = OutcomeShape { completed_on: None, ..base };
        assert_eq!(outcome_problems(&no_date, starts, today), [OutcomeProblem::CompletionDateMissing]);
        let early = OutcomeShape { completed_on: Some(d("2019-05-01")), ..base };
        assert_eq!(outcome_problems(&early, starts, today), [OutcomeProblem::CompletedBeforeStart(starts)]);
        let dropped = OutcomeShape { status: EnrolmentStatus::Dropped, ..base };
        assert_eq!(outcome_problems(&dropped, starts, today), [OutcomeProblem::CertificateWithoutCompletion]);
        assert!(!certifies(&dropped));
        let undated = OutcomeShape { certified_on: None, ..base };
        assert_eq!(outcome_problems(&undated, starts, today), [OutcomeProblem::CertificateDateMissing]);
        let unnumbered = OutcomeShape { certificate_no: None, ..base };
        assert_eq!(outcome_problems(&unnumbered, starts, today), [OutcomeProblem::CertificateNumberMissing]);
        assert!(!certifies(&unnumbered));
        // 2030 typed for 2019, and a certificate issued before the training ended.
        let future = OutcomeShape { completed_on: Some(d("2030-06-14")), certified_on: Some(d("2030-06-20")), ..base };
        assert_eq!(outcome_problems(&future, starts, today), [OutcomeProblem::CompletedInFuture(today)]);
        let issued_early = OutcomeShape { certified_on: Some(d("2018-12-01")), ..base };
        assert_eq!(
            outcome_problems(&issued_early, starts, today),
            [OutcomeProblem::CertifiedBeforeCompletion(d("2019-06-14"))]
        );
    }
}
