//! The texts search properties are checked over: the occupation
//! vocabulary, the demo catalogue's postings, the hand-graded relevance
//! set, and random posting-like text from a fixed seed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::testkit::{graded_postings, shared};

/// Every word of the occupation vocabulary.
pub fn vocabulary_words() -> Vec<String> {
    shared().0.occupations().iter().flat_map(|o| o.words.iter().cloned()).collect()
}

/// SplitMix64: the same texts on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random text in the style of a posting: vocabulary words, common
/// characters, punctuation (full-width brackets, ASCII, `&<>"`), Latin
/// words and digits, odd whitespace and a character outside the BMP.
pub fn random_text(rng: &mut Rng, words: &[String]) -> String {
    const CHARS: &str = "的是在工作岗位招聘要求包吃住月薪元以上经验优先负责日常管理厂区宿舍食堂师傅学徒";
    const PUNCT: &[&str] = &[
        "，",
        "。",
        "、",
        "；",
        "：",
        "！",
        "？",
        "（",
        "）",
        "【",
        "】",
        "《",
        "》",
        "“",
        "”",
        "…",
        "—",
        "·",
        "(",
        ")",
        " ",
        "  ",
        "\n",
        "\t",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "5000-8000",
        "CNC",
        "QC",
        "WES-5.4",
        "𠀋",
        "①",
        "ｅ",
    ];
    let chars: Vec<char> = CHARS.chars().collect();
    let mut out = String::new();
    for _ in 0..(1 + rng.below(60)) {
        match rng.below(4) {
            0 => out.push_str(&words[rng.below(words.len())]),
            1 => out.push_str(PUNCT[rng.below(PUNCT.len())]),
            _ => out.push(chars[rng.below(chars.len())]),
        }
    }
    out
}

/// The texts properties are checked over: vocabulary lines and words, the
/// demo catalogue's titles and descriptions, the relevance set's postings,
/// and `random` generated texts.
pub fn corpus(random: usize) -> Vec<String> {
    let mut out: Vec<String> = include_str!("../../index/occupations.tsv").lines().map(String::from).collect();
    out.extend(vocabulary_words());
    for p in crate::demo::catalogue::POSTINGS {
        out.push(p.title.to_string());
        out.push(p.description.to_string());
    }
    for p in graded_postings() {
        out.push(p.title);
        out.extend(p.occupation);
        out.extend(p.description);
    }
    let words = vocabulary_words();
    let mut rng = Rng(2019);
    out.extend((0..random).map(|_| random_text(&mut rng, &words)));
    out
}
