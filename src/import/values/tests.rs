//! Unit tests of reading cell values.

use super::*;

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}
fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn dates_in_every_form_offices_write() {
    for (written, want) in [
        ("2019-11-15", "2019-11-15"),
        ("2019/11/5", "2019-11-05"),
        ("2019.11.15", "2019-11-15"),
        ("2019年11月15日", "2019-11-15"),
        ("２０１９年１１月１５日", "2019-11-15"),
        ("2019-7-8", "2019-07-08"),
        ("20191115", "2019-11-15"),
        ("201906", "2019-06-01"),
        ("2017.09", "2017-09-01"),
        ("2018年9月", "2018-09-01"),
    ] {
        assert_eq!(date(&t(written)).unwrap(), Some(d(want)), "{written}");
    }
    assert_eq!(date(&Cell::Number(43709.0)).unwrap(), Some(d("2019-09-01")), "Excel serial");
    assert_eq!(date(&Cell::Number(201906.0)).unwrap(), Some(d("2019-06-01")));
    assert_eq!(date(&Cell::Date(d("2019-08-12"))).unwrap(), Some(d("2019-08-12")));
    assert_eq!(date(&Cell::Empty).unwrap(), None);
    for bad in ["2019-02-30", "下个月", "2019-13-01", "19-11-15"] {
        assert_eq!(date(&t(bad)).unwrap_err().code, codes::FORMAT, "{bad}");
    }
}

#[test]
fn money_with_units_ranges_and_open_ends() {
    let m = |s: &str| money(&t(s)).unwrap();
    let one = |v| Some(Money { min: Some(v), max: Some(v) });
    assert_eq!(m("5000"), one(5000));
    assert_eq!(m("5,000"), one(5000));
    assert_eq!(m("5000元"), one(5000));
    assert_eq!(m("5千"), one(5000));
    assert_eq!(m("1.2万"), one(12000));
    assert_eq!(m("4000-6000元/月"), Some(Money { min: Some(4000), max: Some(6000) }));
    assert_eq!(m("5000~8000"), Some(Money { min: Some(5000), max: Some(8000) }));
    assert_eq!(m("4500元以上"), Some(Money { min: Some(4500), max: None }));
    assert_eq!(m("面议"), None);
    assert_eq!(money(&Cell::Number(4800.0)).unwrap(), one(4800));
    assert_eq!(money(&t("很多")).unwrap_err().code, codes::FORMAT);
    assert_eq!(amount(&t("4500-6000")).unwrap_err().code, "range_not_allowed");
    assert_eq!(amount(&t("5千")).unwrap(), Some(5000));
}

#[test]
fn counts_ages_and_yes_no() {
    assert_eq!(count(&t("10人")).unwrap(), Some(10));
    assert_eq!(count(&Cell::Number(50.0)).unwrap(), Some(50));
    assert_eq!(count(&t("若干")).unwrap_err().code, codes::FORMAT);
    assert_eq!(ages(&t("18-45岁")).unwrap(), (Some(18), Some(45)));
    assert_eq!(ages(&t("18至50周岁")).unwrap(), (Some(18), Some(50)));
    assert_eq!(ages(&t("45岁以下")).unwrap(), (None, Some(45)));
    assert_eq!(ages(&t("不限")).unwrap(), (None, None));
    assert_eq!(yes_no(&t("是")).unwrap(), Some(true));
    assert_eq!(yes_no(&t("否")).unwrap(), Some(false));
    assert_eq!(yes_no(&t("也许")).unwrap_err().code, codes::ENUM);
}

#[test]
fn id_numbers_that_became_numbers_are_refused_with_what_the_clerk_saw() {
    let err = id_number(&Cell::Number(451424199001012000.0)).unwrap_err();
    assert_eq!(err.code, codes::SPREADSHEET_NUMBER);
    assert!(err.message.zh.contains("4.51424199001012E+17"), "{}", err.message.zh);
    assert_eq!(id_number(&t(" 45142419870923102x ")).unwrap().as_deref(), Some("45142419870923102x"));
}

#[test]
fn phones_typed_into_number_cells_read_as_their_digits() {
    assert_eq!(text(&Cell::Number(13607711234.0)).as_deref(), Some("13607711234"));
}

#[test]
fn benefits_and_lists() {
    assert_eq!(benefits(&t("包吃住")).unwrap(), vec!["meals", "housing"]);
    assert_eq!(benefits(&t("包住、购买五险一金")).unwrap(), vec!["housing", "insurance"]);
    assert_eq!(benefits(&t("包吃住、交通补贴")).unwrap(), vec!["meals", "housing", "transport"]);
    assert_eq!(benefits(&t("年终奖")).unwrap_err().code, codes::ENUM);
    assert_eq!(list(&t("木工、泥水工")), vec!["木工", "泥水工"]);
    assert_eq!(list(&t("电工,焊工")), vec!["电工", "焊工"]);
}

#[test]
fn regions_by_name_or_number_cell() {
    assert_eq!(region(&Cell::Number(440704.0)).unwrap().as_deref(), Some("440704"));
    assert_eq!(region(&t("广东省江门市江海区")).unwrap().as_deref(), Some("440704"));
}
