//! Answering: posting search with facets and highlights, typeahead,
//! labourer → posting matches and posting → labourer candidates, each hit
//! with the reasons a person can read.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::time::Instant;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};
use utoipa::ToSchema;

use super::schema::{
    day_number, education_rank, region_facet, region_filter_facet, region_key, region_prefixes, PostingFields,
    PostingSummary, Profile,
};
use super::Search;
use crate::db::models::search::PostingDoc;
use crate::domain::{region_name, Education, RegionCode};

/// Weight of a synonym relative to the word typed.
const SYNONYM_WEIGHT: f32 = 0.8;
/// Answers the used headcount of some postings (from the database).
pub type HiresOf<'a> = dyn FnMut(&[i64]) -> anyhow::Result<HashMap<i64, i64>> + 'a;
/// Answers which of some people are in an ongoing placement.
pub type EmployedOf<'a> = dyn FnMut(&[i64]) -> anyhow::Result<HashSet<i64>> + 'a;
/// A search's query, its text part (for highlights) and its required words.
type Built = (Box<dyn Query>, Option<Box<dyn Query>>, usize);

/// Weight of a place name typed in the search box.
const PLACE_WEIGHT: f32 = 2.5;

/// A posting search as asked.
#[derive(Debug, Clone)]
pub struct PostingSearch {
    /// What was typed.
    pub q: String,
    /// 2, 4 or 6 digits of a region code.
    pub region: Option<String>,
    /// The searcher's lowest acceptable monthly pay.
    pub salary_min: Option<i64>,
    /// Benefits every hit must offer.
    pub benefits: Vec<String>,
    /// The searcher's education: postings asking more are left out.
    pub education: Option<String>,
    /// Only postings open today.
    pub open_only: bool,
    /// Page size.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Today, for `open_only`.
    pub today: NaiveDate,
}

/// Highlighted fragments (HTML, matches in `<b>`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Highlights {
    /// The title with matches marked.
    pub title: String,
    /// The best fragment of the description, if it matched.
    pub description: Option<String>,
}

/// One search hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// The posting.
    #[serde(flatten)]
    pub posting: PostingSummary,
    /// Relevance (higher is better).
    pub score: f32,
    /// Matched words marked.
    pub highlights: Highlights,
}

/// One facet value with its count.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    /// The value to filter by.
    pub value: String,
    /// Its name.
    pub label: String,
    /// Hits with it.
    pub count: u64,
}

/// Counts over all hits (not only this page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Facets {
    /// By province of the work place.
    pub province: Vec<FacetCount>,
    /// By occupation of the vocabulary.
    pub occupation: Vec<FacetCount>,
    /// By monthly pay.
    pub salary_band: Vec<FacetCount>,
    /// By benefit offered.
    pub benefits: Vec<FacetCount>,
}

/// The answer to a posting search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// Hits in all.
    pub total: usize,
    /// Time spent searching.
    pub took_ms: f64,
    /// This page.
    pub hits: Vec<SearchHit>,
    /// Counts.
    pub facets: Facets,
}

/// Why a hit was ranked, or why a posting was left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reason {
    /// `certificate`, `desired_occupation`, `skill`, `matched_terms`,
    /// `desired_region`, `paired_district`, `salary`, `housing`; for left-out
    /// postings `closed`, `no_headcount`, `age`, `gender`, `education`.
    pub code: &'static str,
    /// The reason in words.
    pub text: String,
    /// The words that matched, where words did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

impl Reason {
    fn new(code: &'static str, text: String) -> Reason {
        Reason { code, text, terms: Vec::new() }
    }
}

/// A posting matched to a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchHit {
    /// The posting.
    #[serde(flatten)]
    pub posting: PostingSummary,
    /// Positions not yet filled.
    pub headcount_left: i64,
    /// Rank score.
    pub score: f32,
    /// Reasons.
    pub why: Vec<Reason>,
}

/// A posting the text matched but a hard filter left out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Filtered {
    /// The posting.
    pub posting_id: i64,
    /// Its title.
    pub title: String,
    /// What rules it out.
    pub reasons: Vec<Reason>,
}

/// Matches for a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResults {
    /// Postings, best first.
    pub hits: Vec<MatchHit>,
    /// With `explain_filtered=true`: postings left out and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtered: Option<Vec<Filtered>>,
}

/// A person ranked for a posting (before names are added).
#[derive(Debug)]
pub struct Candidate {
    /// Labourer id.
    pub id: i64,
    /// Rank score.
    pub score: f32,
    /// Reasons.
    pub why: Vec<Reason>,
}

/// A typeahead suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// What to put in the box.
    pub text: String,
    /// `occupation`, `place` or `title`.
    pub kind: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Typed,
    Place,
    Certificate,
    Desired,
    Skill,
}

/// A word with its synonyms, as one clause.
#[derive(Debug, Clone)]
struct Group {
    label: String,
    words: Vec<String>,
    kind: Kind,
    boost: f32,
}

fn term_query(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

fn facet_query(field: Field, facet: &Facet) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_facet(field, facet), IndexRecordOption::Basic))
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn bonus(q: Box<dyn Query>, score: Score) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(ConstScoreQuery::new(q, score)))
}

fn any_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
}

fn i64_range(field: Field, lo: Bound<i64>, hi: Bound<i64>) -> Box<dyn Query> {
    let t = |v: i64| Term::from_field_i64(field, v);
    Box::new(RangeQuery::new(lo.map(t), hi.map(t)))
}

fn u64_range(field: Field, lo: Bound<u64>, hi: Bound<u64>) -> Box<dyn Query> {
    let t = |v: u64| Term::from_field_u64(field, v);
    Box::new(RangeQuery::new(lo.map(t), hi.map(t)))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn education_label(e: Option<&str>) -> String {
    e.and_then(|e| e.parse::<Education>().ok()).map(|e| e.label_zh().to_string()).unwrap_or_else(|| "未登记".into())
}

fn region_label(code: &str) -> String {
    RegionCode::parse(code).map(|r| r.names().full_name()).unwrap_or_else(|_| code.to_string())
}

impl Search {
    fn groups_of(&self, text: &str, kind: Kind, boost: f32) -> Vec<Group> {
        let a = self.analyzer();
        a.query_words(text)
            .into_iter()
            .map(|w| {
                let place = kind == Kind::Typed
                    && self.vocab().occupation_of_word(&w).is_none()
                    && self.vocab().place(&w).is_some();
                Group {
                    words: self.vocab().expand(&w),
                    label: w,
                    kind: if place { Kind::Place } else { kind },
                    // A place typed with an occupation says where: it must
                    // outweigh a slightly better text match elsewhere.
                    boost: if place { boost * PLACE_WEIGHT } else { boost },
                }
            })
            .collect()
    }

    /// A group as a query over weighted fields; `None` when none of its
    /// words occurs in the index at all.
    fn group_query(searcher: &Searcher, g: &Group, fields: &[(Field, f32)]) -> tantivy::Result<Option<Box<dyn Query>>> {
        let mut clauses = Vec::new();
        for (i, w) in g.words.iter().enumerate() {
            let weight = if i == 0 { 1.0 } else { SYNONYM_WEIGHT } * g.boost;
            for &(field, fw) in fields {
                let term = Term::from_field_text(field, w);
                if searcher.doc_freq(&term)? > 0 {
                    clauses.push(Box::new(BoostQuery::new(term_query(field, w), weight * fw)) as Box<dyn Query>);
                }
            }
        }
        Ok((!clauses.is_empty()).then(|| any_of(clauses)))
    }

    /// Posting text fields and their weights; typed searches also look at
    /// place names and benefit words.
    fn posting_text_fields(f: &PostingFields, with_place: bool) -> Vec<(Field, f32)> {
        let mut out = vec![(f.title, 3.0), (f.occupation, 2.5), (f.description, 1.0), (f.employer, 0.5)];
        if with_place {
            out.extend([(f.place, 2.0), (f.perks, 1.0)]);
        }
        out
    }

    /// The full-text part of a posting search: typed words must match
    /// (relaxed to should when `strict` is false), place names add weight.
    fn typed_query(
        &self,
        searcher: &Searcher,
        f: &PostingFields,
        q: &str,
        strict: bool,
    ) -> tantivy::Result<Option<(Box<dyn Query>, usize)>> {
        let groups = self.groups_of(q, Kind::Typed, 1.0);
        if groups.is_empty() {
            return Ok(None);
        }
        let fields = Search::posting_text_fields(f, true);
        let mut clauses = Vec::new();
        let mut required = 0;
        for g in &groups {
            let Some(gq) = Search::group_query(searcher, g, &fields)? else { continue };
            if g.kind == Kind::Place || !strict {
                clauses.push((Occur::Should, gq));
            } else {
                required += 1;
                clauses.push((Occur::Must, gq));
            }
        }
        if clauses.is_empty() {
            // Words the index has never seen: nothing can match.
            return Ok(Some((Box::new(tantivy::query::EmptyQuery), 0)));
        }
        Ok(Some((Box::new(BooleanQuery::new(clauses)), required)))
    }

    fn open_filters(f: &PostingFields, today: NaiveDate) -> Vec<(Occur, Box<dyn Query>)> {
        vec![
            filter(exact(f.status, "open")),
            filter(i64_range(f.closes_on, Bound::Included(day_number(today)), Bound::Unbounded)),
        ]
    }

    /// `GET /postings/search`.
    pub fn search_postings(&self, s: &PostingSearch) -> anyhow::Result<SearchResults> {
        let started = Instant::now();
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        let mut filters = Vec::new();
        if s.open_only {
            filters.extend(Search::open_filters(f, s.today));
        }
        if let Some(facet) = s.region.as_deref().and_then(region_filter_facet) {
            filters.push(filter(facet_query(f.region, &facet)));
        }
        if let Some(min) = s.salary_min {
            filters.push(filter(i64_range(f.salary_top, Bound::Included(min), Bound::Unbounded)));
        }
        for b in &s.benefits {
            filters.push(filter(exact(f.benefits, b)));
        }
        if let Some(e) = &s.education {
            filters.push(filter(u64_range(
                f.education_rank,
                Bound::Unbounded,
                Bound::Included(education_rank(Some(e))),
            )));
        }
        let build = |strict: bool| -> anyhow::Result<Built> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            let typed = self.typed_query(&searcher, f, &s.q, strict)?;
            let (text, required) = match typed {
                Some((t, r)) => (Some(t), r),
                None => (None, 0),
            };
            match &text {
                Some(t) => clauses.push((Occur::Must, t.box_clone())),
                None => clauses.push((Occur::Must, Box::new(AllQuery))),
            }
            Ok((Box::new(BooleanQuery::new(clauses)), text, required))
        };
        let facets = || {
            let mut c = FacetCollector::for_field("tags");
            for root in ["/province", "/occupation", "/salary_band", "/benefits"] {
                c.add_facet(root);
            }
            c
        };
        let top = TopDocs::with_limit(s.limit.max(1)).and_offset(s.offset).order_by_score();
        let (mut query, mut text, required) = build(true)?;
        let mut found = searcher.search(&*query, &(Count, top, facets()))?;
        if found.0 == 0 && required > 1 {
            // No posting has every word: rank those with some of them.
            (query, text, _) = build(false)?;
            let top = TopDocs::with_limit(s.limit.max(1)).and_offset(s.offset).order_by_score();
            found = searcher.search(&*query, &(Count, top, facets()))?;
        }
        let (total, top_docs, counts) = found;
        let title_snippets = match &text {
            Some(t) => {
                // Titles are short: the fragment is the whole title.
                let mut g = SnippetGenerator::create(&searcher, &**t, f.title)?;
                g.set_max_num_chars(400);
                Some(g)
            }
            None => None,
        };
        let desc_snippets = match &text {
            Some(t) => {
                let mut g = SnippetGenerator::create(&searcher, &**t, f.description)?;
                g.set_max_num_chars(120);
                Some(g)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(top_docs.len());
        for (score, addr) in top_docs {
            let posting = summary(&searcher, f, addr)?;
            let title = title_snippets
                .as_ref()
                .map(|g| g.snippet(&posting.title))
                .filter(|s| !s.is_empty())
                .map(|s| s.to_html())
                .unwrap_or_else(|| html_escape(&posting.title));
            let description = match (&desc_snippets, &posting.description) {
                (Some(g), Some(d)) => Some(g.snippet(d)).filter(|s| !s.is_empty()).map(|s| s.to_html()),
                _ => None,
            };
            hits.push(SearchHit { posting, score, highlights: Highlights { title, description } });
        }
        let facet_list = |root: &str, label: &dyn Fn(&str) -> String| -> Vec<FacetCount> {
            let mut v: Vec<FacetCount> = counts
                .get(root)
                .map(|(facet, count)| {
                    let value = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
                    FacetCount { label: label(&value), value, count }
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v
        };
        let facets = Facets {
            province: facet_list("/province", &|code| {
                region_name(&format!("{code}0000")).map(String::from).unwrap_or_else(|| code.to_string())
            }),
            occupation: facet_list("/occupation", &|v| v.to_string()),
            salary_band: facet_list("/salary_band", &|v| format!("{v}元/月")),
            benefits: facet_list("/benefits", &|v| {
                match v {
                    "housing" => "包住",
                    "meals" => "包吃",
                    "transport" => "交通补贴",
                    "insurance" => "五险",
                    other => other,
                }
                .to_string()
            }),
        };
        Ok(SearchResults { total, took_ms: started.elapsed().as_secs_f64() * 1000.0, hits, facets })
    }

    /// `GET /postings/complete`: up to `limit` suggestions for what has
    /// been typed so far.
    pub fn complete(&self, q: &str, limit: usize) -> anyhow::Result<Vec<Suggestion>> {
        let q = q.trim().to_lowercase();
        let mut out: Vec<Suggestion> = Vec::new();
        let mut seen = HashSet::new();
        let mut push = |out: &mut Vec<Suggestion>, text: &str, kind: &'static str| {
            if out.len() < limit && seen.insert(text.to_string()) {
                out.push(Suggestion { text: text.to_string(), kind });
            }
        };
        let vocab = self.vocab();
        for o in vocab.occupations() {
            for w in &o.words {
                if w.starts_with(&q) {
                    push(&mut out, w, "occupation");
                }
            }
        }
        let mut places: Vec<&str> = vocab.place_names().filter(|p| p.starts_with(&q)).collect();
        places.sort_by_key(|p| (p.chars().count(), *p));
        for p in places {
            push(&mut out, p, "place");
        }
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        'segments: for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(g.postings.fields.title_exact)?;
            let mut stream = inverted.terms().range().ge(q.as_bytes()).into_stream()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(q.as_bytes()) || out.len() >= limit {
                    continue 'segments;
                }
                if let Ok(title) = std::str::from_utf8(key) {
                    push(&mut out, title, "title");
                }
            }
        }
        for o in vocab.occupations() {
            for w in &o.words {
                if !w.starts_with(&q) && w.contains(&q) {
                    push(&mut out, w, "occupation");
                }
            }
        }
        Ok(out)
    }

    /// `GET /labourers/{id}/matches`: open postings for `p`, best first.
    /// `hires` answers the used headcount of postings.
    pub fn matches(
        &self,
        p: &Profile,
        limit: usize,
        explain_filtered: bool,
        today: NaiveDate,
        hires: &mut HiresOf<'_>,
    ) -> anyhow::Result<MatchResults> {
        let g = self.current();
        let searcher = g.postings.reader.searcher();
        let f = &g.postings.fields;
        let mut groups = Vec::new();
        for c in &p.certificates {
            groups.extend(self.groups_of(c, Kind::Certificate, 2.0));
        }
        for d in &p.desired_occupations {
            groups.extend(self.groups_of(d, Kind::Desired, 1.5));
        }
        for s in &p.skills {
            groups.extend(self.groups_of(s, Kind::Skill, 1.0));
        }
        let fields = Search::posting_text_fields(f, false);
        let mut text = Vec::new();
        for gr in &groups {
            if let Some(q) = Search::group_query(&searcher, gr, &fields)? {
                text.push(q);
            }
        }
        let mut soft: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        soft.push((Occur::Must, if text.is_empty() { Box::new(AllQuery) } else { any_of(text) }));
        for code in &p.desired_region_codes {
            if let Some(facet) = region_facet(code) {
                soft.push(bonus(facet_query(f.region, &facet), 2.0));
            }
        }
        if let Some(facet) = region_facet(&self.paired_district) {
            soft.push(bonus(facet_query(f.region, &facet), 1.0));
        }
        soft.push(bonus(exact(f.benefits, "housing"), 0.5));
        let age = p.age_on(today);
        let mut hard = Search::open_filters(f, today);
        hard.push(filter(any_of(vec![exact(f.gender, "any"), exact(f.gender, &p.gender)])));
        hard.push(filter(u64_range(
            f.education_rank,
            Bound::Unbounded,
            Bound::Included(education_rank(p.education.as_deref())),
        )));
        if let Some(age) = age {
            hard.push(filter(u64_range(f.min_age, Bound::Unbounded, Bound::Included(u64::from(age)))));
            hard.push(filter(u64_range(f.max_age, Bound::Included(u64::from(age)), Bound::Unbounded)));
        }
        let fetch = (limit * 3 + 10).min(500);
        let clauses: Vec<(Occur, Box<dyn Query>)> = soft.iter().map(|(o, q)| (*o, q.box_clone())).chain(hard).collect();
        let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(fetch).order_by_score())?;
        let mut found = Vec::with_capacity(top.len());
        for (score, addr) in top {
            found.push((score, summary(&searcher, f, addr)?));
        }
        let used = hires(&found.iter().map(|(_, s)| s.id).collect::<Vec<_>>())?;
        let mut hits = Vec::new();
        for (score, posting) in found {
            let taken = used.get(&posting.id).copied().unwrap_or(0);
            if !self.hard_reasons(&posting, p, today, taken).is_empty() || hits.len() >= limit {
                continue;
            }
            let why = self.why_posting(&posting, p, &groups);
            hits.push(MatchHit { headcount_left: i64::from(posting.headcount) - taken, posting, score, why });
        }
        let filtered = if explain_filtered {
            let top = searcher
                .search(&BooleanQuery::new(soft.into_iter().collect()), &TopDocs::with_limit(fetch).order_by_score())?;
            let shown: HashSet<i64> = hits.iter().map(|h| h.posting.id).collect();
            let mut rest = Vec::new();
            for (_, addr) in top {
                let s = summary(&searcher, f, addr)?;
                if !shown.contains(&s.id) {
                    rest.push(s);
                }
            }
            let used = hires(&rest.iter().map(|s| s.id).collect::<Vec<_>>())?;
            let mut out = Vec::new();
            for s in rest {
                let reasons = self.hard_reasons(&s, p, today, used.get(&s.id).copied().unwrap_or(0));
                if !reasons.is_empty() && out.len() < limit {
                    out.push(Filtered { posting_id: s.id, title: s.title, reasons });
                }
            }
            Some(out)
        } else {
            None
        };
        Ok(MatchResults { hits, filtered })
    }

    /// The hard filters of DESIGN §6, in words; empty when the person can
    /// take the posting.
    pub fn hard_reasons(&self, s: &PostingSummary, p: &Profile, today: NaiveDate, hires: i64) -> Vec<Reason> {
        let mut out = Vec::new();
        if s.status != "open" {
            out.push(Reason::new("closed", "岗位已停止招聘".into()));
        } else if s.closes_on.is_some_and(|d| d < today) {
            out.push(Reason::new(
                "closed",
                format!("报名已于{}截止", s.closes_on.map(|d| d.to_string()).unwrap_or_default()),
            ));
        }
        if hires >= i64::from(s.headcount) {
            out.push(Reason::new("no_headcount", format!("{}个名额已招满", s.headcount)));
        }
        if let Some(age) = p.age_on(today) {
            let age = i64::from(age);
            if s.min_age.is_some_and(|m| age < i64::from(m)) || s.max_age.is_some_and(|m| age > i64::from(m)) {
                let range = match (s.min_age, s.max_age) {
                    (Some(a), Some(b)) => format!("{a}–{b}岁"),
                    (Some(a), None) => format!("{a}岁以上"),
                    (None, Some(b)) => format!("{b}岁以下"),
                    (None, None) => String::new(),
                };
                out.push(Reason::new("age", format!("岗位要求年龄{range}，本人{age}岁")));
            }
        }
        if s.gender_requirement != "any" && s.gender_requirement != p.gender {
            let who = if s.gender_requirement == "male" { "男性" } else { "女性" };
            out.push(Reason::new("gender", format!("岗位只招{who}")));
        }
        if education_rank(s.education_min.as_deref()) > education_rank(p.education.as_deref()) {
            out.push(Reason::new(
                "education",
                format!(
                    "岗位要求{}及以上学历，本人{}",
                    education_label(s.education_min.as_deref()),
                    education_label(p.education.as_deref())
                ),
            ));
        }
        out
    }

    fn why_posting(&self, s: &PostingSummary, p: &Profile, groups: &[Group]) -> Vec<Reason> {
        let text =
            [Some(s.title.as_str()), s.occupation.as_deref(), s.occupation_group.as_deref(), s.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
        let terms = self.analyzer().index_terms(&text);
        let mut out: Vec<Reason> = Vec::new();
        for g in groups {
            let matched: Vec<String> = g.words.iter().filter(|w| terms.contains(*w)).cloned().collect();
            if matched.is_empty() {
                continue;
            }
            let (code, text) = match g.kind {
                Kind::Certificate => ("certificate", format!("持有“{}”证书，与岗位“{}”对口", g.label, s.title)),
                Kind::Desired => ("desired_occupation", format!("求职意向“{}”与岗位相符", g.label)),
                Kind::Skill => ("skill", format!("技能“{}”与岗位相符", g.label)),
                Kind::Typed | Kind::Place => ("matched_terms", format!("匹配“{}”", g.label)),
            };
            if let Some(r) = out.iter_mut().find(|r| r.code == code) {
                for m in matched {
                    if !r.terms.contains(&m) {
                        r.terms.push(m);
                    }
                }
            } else {
                out.push(Reason { code, text, terms: matched });
            }
        }
        let prefixes = region_prefixes(&s.region_code);
        if let Some(code) = p.desired_region_codes.iter().find(|c| region_key(c).is_some_and(|k| prefixes.contains(&k)))
        {
            out.push(Reason::new(
                "desired_region",
                format!("工作地{}在求职意向地区（{}）内", region_label(&s.region_code), region_label(code)),
            ));
        }
        let paired = region_key(&self.paired_district);
        if paired.as_ref().is_some_and(|k| prefixes.contains(k) || region_prefixes(&s.employer_region_code).contains(k))
        {
            out.push(Reason::new("paired_district", format!("{}是对口协作地区的用人单位", s.employer_name)));
        }
        match (s.salary_min, s.salary_max) {
            (Some(a), Some(b)) => out.push(Reason::new("salary", format!("月薪{a}–{b}元"))),
            (Some(a), None) => out.push(Reason::new("salary", format!("月薪{a}元起"))),
            (None, Some(b)) => out.push(Reason::new("salary", format!("月薪最高{b}元"))),
            (None, None) => {}
        }
        if s.benefits.iter().any(|b| b == "housing") {
            out.push(Reason::new("housing", "提供住宿".into()));
        }
        out
    }

    /// `GET /postings/{id}/candidates`: people for a posting, best first.
    /// `employed` answers which of some people are in an ongoing placement
    /// (pass `None` to keep them).
    pub fn candidates(
        &self,
        d: &PostingDoc,
        limit: usize,
        today: NaiveDate,
        employed: Option<&mut EmployedOf<'_>>,
    ) -> anyhow::Result<Vec<Candidate>> {
        let g = self.current();
        let searcher = g.labourers.reader.searcher();
        let f = &g.labourers.fields;
        let summary = PostingSummary::of(self.vocab(), d);
        let posting = &summary;
        let occupation = posting.occupation.clone().unwrap_or_default();
        let group_name = summary.occupation_group.clone();
        let mut groups = self.groups_of(&format!("{} {}", posting.title, occupation), Kind::Typed, 1.0);
        if let Some(name) = &group_name {
            if !groups.iter().any(|g| g.words.contains(&name.to_lowercase())) {
                groups.extend(self.groups_of(name, Kind::Typed, 1.0));
            }
        }
        let fields = [(f.certs, 3.0), (f.desired, 2.0), (f.skills, 1.0)];
        let mut text = Vec::new();
        for gr in &groups {
            if let Some(q) = Search::group_query(&searcher, gr, &fields)? {
                text.push(q);
            }
        }
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, any_of(text))];
        for prefix in region_prefixes(&posting.region_code) {
            clauses.push(bonus(exact(f.desired_code, &prefix), 2.0));
        }
        if posting.gender_requirement != "any" {
            clauses.push(filter(exact(f.gender, &posting.gender_requirement)));
        }
        let rank = education_rank(posting.education_min.as_deref());
        if rank > 0 {
            clauses.push(filter(u64_range(f.education_rank, Bound::Included(rank), Bound::Unbounded)));
        }
        // Age at today within [min, max]: born no later than today − min
        // years and after today − (max + 1) years.
        let born_by = posting.min_age.and_then(|a| today.checked_sub_months(Months::new(12 * a.max(0) as u32)));
        let born_after =
            posting.max_age.and_then(|a| today.checked_sub_months(Months::new(12 * (a.max(0) as u32 + 1))));
        if born_by.is_some() || born_after.is_some() {
            clauses.push(filter(i64_range(
                f.birth_day,
                born_after.map(|d| Bound::Excluded(day_number(d))).unwrap_or(Bound::Unbounded),
                born_by.map(|d| Bound::Included(day_number(d))).unwrap_or(Bound::Unbounded),
            )));
        }
        let fetch = (limit * 3 + 10).min(1_000);
        let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(fetch).order_by_score())?;
        let mut found = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let view = doc.get_first(f.view).and_then(|v| v.as_str()).unwrap_or("{}");
            let p: Profile = serde_json::from_str(view)?;
            found.push((score, p));
        }
        let busy = match employed {
            Some(check) => check(&found.iter().map(|(_, p)| p.id).collect::<Vec<_>>())?,
            None => HashSet::new(),
        };
        let mut out = Vec::new();
        for (score, p) in found {
            if busy.contains(&p.id) || out.len() >= limit {
                continue;
            }
            let mut person_groups = Vec::new();
            for c in &p.certificates {
                person_groups.extend(self.groups_of(c, Kind::Certificate, 1.0));
            }
            for d in &p.desired_occupations {
                person_groups.extend(self.groups_of(d, Kind::Desired, 1.0));
            }
            for s in &p.skills {
                person_groups.extend(self.groups_of(s, Kind::Skill, 1.0));
            }
            let why: Vec<Reason> = self
                .why_posting(&summary, &p, &person_groups)
                .into_iter()
                .filter(|r| matches!(r.code, "certificate" | "desired_occupation" | "skill" | "desired_region"))
                .collect();
            out.push(Candidate { id: p.id, score, why });
        }
        Ok(out)
    }
}

fn summary(searcher: &Searcher, f: &PostingFields, addr: DocAddress) -> anyhow::Result<PostingSummary> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let view = doc.get_first(f.view).and_then(|v| v.as_str()).unwrap_or("{}");
    Ok(serde_json::from_str(view)?)
}
