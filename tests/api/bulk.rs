//! Registries larger than a test can build through the API in good time,
//! written straight in the database (the same SQL on both backends), and
//! pages as a signed-in browser asks for them.

use crate::helpers::TestApp;

impl TestApp {
    /// Inserts a row per `i` in 1..=`n` with `select` (SQL over `i`) into
    /// `table (columns)`, straight in the database (same SQL on both
    /// backends).
    pub fn insert_n(&self, n: u32, table: &str, columns: &str, select: &str) {
        self.execute(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             INSERT INTO {table} ({columns}) SELECT {select} FROM n"
        ));
    }

    /// `n` closed postings of `employer` titled 往年岗位1…n, straight in
    /// the database: an employer's years of postings.
    pub fn closed_postings(&self, employer: i64, n: u32) {
        self.insert_n(
            n,
            "postings",
            "employer_id, title, headcount, region_code, gender_requirement, benefits, status, created_at, updated_at, version",
            &format!("{employer}, '往年岗位' || i, 1, '440704', 'any', '[]', 'closed', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1"),
        );
    }

    /// `n` registered-poor people born 1990-01-01, named by `name` (SQL
    /// over `i`), straight in the database.
    pub fn people(&self, n: u32, name: &str) {
        self.insert_n(
            n,
            "labourers",
            "id_number, name, gender, birth_date, poverty_status, skills, desired_occupations, desired_region_codes, \
             created_at, updated_at, version",
            &format!(
                "'45142419900101' || (1000 + i), {name}, 'female', '1990-01-01', 'registered_poor', '[]', '[]', '[]', \
                 CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1"
            ),
        );
    }

    /// A page as a signed-in browser asks for it: status and HTML.
    pub async fn page_as(&self, token: &str, path: &str) -> (u16, String) {
        let r = reqwest::Client::new()
            .get(self.url(path))
            .header("accept", "text/html")
            .header("cookie", format!("lb_session={token}"))
            .send()
            .await
            .expect("page");
        (r.status().as_u16(), r.text().await.expect("page body"))
    }
}

/// The CSRF token a test's browser holds (cookie and form field alike).
pub const CSRF: &str = "0123456789abcdef0123456789abcdef";

/// A page's answer: status, `Location`, body.
pub struct Answer {
    pub status: u16,
    pub location: String,
    pub body: String,
}

/// `path` as a signed-in browser (`token` as its session) gets it, or posts
/// `form` to it with the CSRF token.
pub async fn send(app: &TestApp, token: &str, path: &str, form: Option<&[(&str, &str)]>) -> Answer {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookies = format!("lb_session={token}; lb_csrf={CSRF}");
    let r = match form {
        None => client.get(app.url(path)),
        Some(pairs) => {
            let mut all = vec![("csrf", CSRF)];
            all.extend_from_slice(pairs);
            client
                .post(app.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&all).unwrap())
        }
    };
    let r = r.header("accept", "text/html").header("cookie", cookies).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    Answer { status, location, body: r.text().await.unwrap() }
}
