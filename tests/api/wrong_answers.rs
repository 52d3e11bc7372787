//! Inputs from offices' files and chat apps that once gave wrong answers:
//! old county codes, pasted numbers, middle dots, checksum messages.

use serde_json::json;

use crate::helpers::{id_number, TestApp};

crate::on_both_backends!(
    an_old_county_code_counts_as_its_successor_in_the_registry_and_the_ledgers,
    a_split_county_code_asks_for_the_county,
    a_prefecture_or_province_is_not_a_hukou_county,
    pasted_id_numbers_and_phones_are_what_the_clerk_sees,
    a_name_with_any_middle_dot_finds_the_card_s_name,
    control_characters_are_refused_naming_the_field,
    a_checksum_message_never_names_the_expected_character,
);

async fn east_job(app: &TestApp, labourer: &serde_json::Value) {
    app.post_created(
        "/api/v1/placements",
        &app.clerk,
        json!({"labourer_id": labourer["id"], "employer_name": "江门某厂", "region_code": "440704",
               "started_on": "2019-03-01", "channel": "referral"}),
    )
    .await;
}

async fn an_old_county_code_counts_as_its_successor_in_the_registry_and_the_ledgers(app: TestApp) {
    // Daxin County was 452130 until 2002; most adults' cards still say so.
    let cases = [("452130", "451424"), ("452131", "451425"), ("452122", "450181"), ("110103", "110101")];
    for (i, (old, current)) in cases.iter().enumerate() {
        let l = app
            .labourer(json!({"id_number": id_number(old, "19850612", 20 + i as u32), "name": format!("旧码{i}"),
                             "poverty_status": "registered_poor"}))
            .await;
        assert_eq!(l["hukou_region_code"], *current, "{old} counts as {current}");
        assert!(l["hukou_region_name"].as_str().unwrap().len() > 6, "{l}");
        if *old == "452130" {
            east_job(&app, &l).await;
        }
    }
    // The ledger's county filter takes the current code or the old one.
    for county in ["451424", "452130"] {
        let l = app
            .get_ok(
                &format!("/api/v1/ledgers/new-transfers-east?year=2019&as_of=2019-11-15&county={county}"),
                &app.clerk,
            )
            .await;
        assert_eq!(l["count"], 1, "county={county}: {l}");
    }
    // A given old code is stored as its successor too.
    let l = app
        .labourer(json!({"id_number": id_number("451424", "19850612", 40), "name": "旧码输入", "hukou_region_code": "452130"}))
        .await;
    assert_eq!(l["hukou_region_code"], "451424");
    // And the list filter finds people by either.
    let list = app.get_ok("/api/v1/labourers?hukou_region_code=452130", &app.clerk).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
}

async fn a_split_county_code_asks_for_the_county(app: TestApp) {
    // 江门市郊区 (440711) went to both 蓬江区 and 江海区: no guessing.
    for (serial, split) in [(31, "440711"), (33, "440702")] {
        let idn = id_number(split, "19700101", serial);
        let (s, b) = app.post("/api/v1/labourers", &app.clerk, json!({"id_number": idn, "name": "拆分"})).await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(b["errors"][0]["field"], "hukou_region_code");
        assert_eq!(b["errors"][0]["code"], "split_region");
        assert!(b["errors"][0]["message"].as_str().unwrap().contains("江海区"), "{b}");
        let l = app.labourer(json!({"id_number": idn, "name": "拆分", "hukou_region_code": "440704"})).await;
        assert_eq!(l["hukou_region_code"], "440704");
    }
    let (s, b) = app.get("/api/v1/ledgers/new-transfers-east?year=2019&county=440711", &app.clerk).await;
    assert_eq!(s, 400);
    assert_eq!(b["errors"][0]["field"], "county");
    assert_eq!(app.count("labourers"), 2);
    // An employer's seat is no hukou: the message names no 户籍.
    let (s, b) = app.post("/api/v1/employers", &app.clerk, json!({"name": "江门某厂", "region_code": "440711"})).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "region_code");
    let message = b["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("蓬江区") && !message.contains("户籍"), "{b}");
}

/// 崇左市 (451400) or 广西 (450000) as a hukou or as `county=`: refused
/// naming the field (a ledger for 崇左市 once answered 0, counting only
/// people stored with that very code and none of 大新县's), on create, on
/// change and on the ledgers; 东莞市 has no counties and is one.
async fn a_prefecture_or_province_is_not_a_hukou_county(app: TestApp) {
    let idn = id_number("451424", "19900101", 41);
    for code in ["451400", "450000"] {
        let (s, b) = app
            .post("/api/v1/labourers", &app.clerk, json!({"id_number": idn, "name": "地市", "hukou_region_code": code}))
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(
            (&b["errors"][0]["field"], &b["errors"][0]["code"]),
            (&json!("hukou_region_code"), &json!("not_county"))
        );
        assert!(b["errors"][0]["message"].as_str().unwrap().contains("不是县级"), "{b}");
        let (s, b) = app.get(&format!("/api/v1/ledgers/new-transfers-east?year=2019&county={code}"), &app.clerk).await;
        assert_eq!((s, &b["errors"][0]["field"]), (400, &json!("county")), "{b}");
    }
    assert_eq!(app.count("labourers"), 0, "nothing saved");
    let l = app.labourer(json!({"id_number": idn, "name": "地市"})).await;
    assert_eq!(l["hukou_region_code"], "451424");
    let (s, b) = app
        .patch(
            &format!("/api/v1/labourers/{}", l["id"]),
            &app.clerk,
            json!({"hukou_region_code": "451400", "version": l["version"]}),
        )
        .await;
    assert_eq!((s, &b["errors"][0]["field"]), (422, &json!("hukou_region_code")), "{b}");
    let l = app
        .patch_ok(
            &format!("/api/v1/labourers/{}", l["id"]),
            &app.clerk,
            json!({"hukou_region_code": "441900", "version": l["version"]}),
        )
        .await;
    assert_eq!(l["hukou_region_code"], "441900", "东莞市 has no counties");
}

async fn pasted_id_numbers_and_phones_are_what_the_clerk_sees(app: TestApp) {
    let idn = id_number("451424", "19900307", 123);
    let full_width: String = idn
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c })
        .collect();
    let pasted = [
        full_width.clone(),
        format!("\u{FEFF}{idn}"),
        format!("{idn}\u{200B}"),
        format!(" {idn}\u{2060} "),
        format!("{}\u{00AD}{}", &idn[..6], &idn[6..]),
    ];
    let phones = [
        "１３８００１３８０００",
        "0086 13800138000",
        "(+86)13800138000",
        "+86 138-0013-8000",
        "138 0013 8000\u{200B}",
    ];
    let first = app.labourer(json!({"id_number": pasted[0], "name": "粘贴", "phone": phones[0]})).await;
    assert_eq!(first["id_number"], idn);
    assert_eq!(first["phone"], "13800138000");
    for (i, p) in pasted.iter().enumerate().skip(1) {
        // Every pasted form is the same person: a duplicate, named as such.
        let (s, b) = app.post("/api/v1/labourers", &app.clerk, json!({"id_number": p, "name": "粘贴"})).await;
        assert_eq!(s, 409, "form {i}: {b}");
        assert_eq!(b["existing_id"], first["id"]);
        let found =
            app.get_ok(&format!("/api/v1/labourers?id_number={}", crate::helpers::urlencode(p)), &app.clerk).await;
        assert_eq!(found["items"][0]["id"], first["id"], "the desk finds form {i}");
    }
    let path = format!("/api/v1/labourers/{}", first["id"]);
    for (version, p) in (1..).zip(&phones[1..]) {
        let b = app.patch_ok(&path, &app.clerk, json!({"version": version, "phone": p})).await;
        assert_eq!(b["phone"], "13800138000", "{p}");
    }
}

async fn a_name_with_any_middle_dot_finds_the_card_s_name(app: TestApp) {
    let l = app.labourer(json!({"id_number": id_number("451424", "19880808", 51), "name": "阿依古丽•买买提"})).await;
    assert_eq!(l["name"], "阿依古丽·买买提", "stored with the card's dot");
    for typed in [
        "阿依古丽·买买提",
        "阿依古丽•买买提",
        "阿依古丽‧买买提",
        "阿依古丽・买买提",
        "阿依古丽．买买提",
        "阿依古丽･买买提",
        "阿依古丽⋅买买提",
    ] {
        let found =
            app.get_ok(&format!("/api/v1/labourers?name={}", crate::helpers::urlencode(typed)), &app.clerk).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{typed}");
    }
}

async fn control_characters_are_refused_naming_the_field(app: TestApp) {
    let base = json!({"id_number": id_number("451424", "19900101", 61), "name": "控制"});
    for (field, value) in [("name", "农\u{0}秀英"), ("notes", "a\u{1B}b"), ("hukou_village", "义宁\u{7F}村")] {
        let mut body = base.clone();
        body[field] = json!(value);
        let (s, b) = app.post("/api/v1/labourers", &app.clerk, body).await;
        assert_eq!(s, 422, "{field}: {b}");
        assert_eq!(b["errors"][0]["field"], field);
        assert_eq!(b["errors"][0]["code"], "control_character");
    }
    let (s, b) = app
        .call("POST", "/api/v1/auth/login", None, Some(json!({"username": "demo\u{0}admin", "password": "x"})))
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["field"], "username");
    for path in ["/api/v1/saved-searches/unsubscribe?token=%00", "/api/v1/postings/search?q=%E5%8E%A8%00"] {
        let (s, b) = app.call("GET", path, None, None).await;
        assert_eq!(s, 400, "{path}: {b}");
    }
    let (s, _) = app.get("/api/v1/labourers?name=%00", &app.clerk).await;
    assert_eq!(s, 400);
    assert_eq!(app.count("labourers"), 0, "nothing half-written");
}

async fn a_checksum_message_never_names_the_expected_character(app: TestApp) {
    let right = id_number("451424", "19900307", 123);
    for wrong_last in ['0', '1', '5', 'X'] {
        if right.ends_with(wrong_last) {
            continue;
        }
        let wrong = format!("{}{wrong_last}", &right[..17]);
        for lang in ["zh-CN", "en"] {
            let (s, b) = if lang == "en" {
                app.call_en(
                    "POST",
                    "/api/v1/labourers",
                    Some(&app.clerk),
                    Some(json!({"id_number": wrong, "name": "校验"})),
                )
                .await
            } else {
                app.post("/api/v1/labourers", &app.clerk, json!({"id_number": wrong, "name": "校验"})).await
            };
            assert_eq!(s, 422);
            assert_eq!(b["errors"][0]["code"], "checksum");
            let message = b["errors"][0]["message"].as_str().unwrap();
            let right_last = right.chars().last().unwrap();
            assert!(
                !message.contains(&format!("'{right_last}'")) && !message.contains(&format!("“{right_last}”")),
                "{message}"
            );
            assert!(message.contains("18"), "asks to check every character: {message}");
        }
    }
    let (_, b) = app
        .post(
            "/api/v1/employers",
            &app.clerk,
            json!({"name": "甲", "region_code": "440704", "uscc": "914403001922038217"}),
        )
        .await;
    let warning = b["warnings"][0]["message"].as_str().unwrap();
    assert!(!warning.contains('6'), "the right check character is 6: {warning}");
}
