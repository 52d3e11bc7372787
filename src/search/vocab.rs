//! The occupation vocabulary and the segmenter's user dictionary, both kept
//! as text in `index/` and compiled in, so a binary copied elsewhere
//! searches the same way as the one built here.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

const OCCUPATIONS: &str = include_str!("../../index/occupations.tsv");
const USER_DICT: &str = include_str!("../../index/userdict.txt");

/// One occupation with its words.
#[derive(Debug, Clone)]
pub struct Occupation {
    /// The name facets and reasons use, e.g. 厨师.
    pub name: String,
    /// 职业分类大典 code, where known.
    pub code: Option<String>,
    /// The name and every synonym, lower-cased.
    pub words: Vec<String>,
    /// Names of related occupations (work a person wishing for this one
    /// can usually do), from the table's fourth column.
    pub related: Vec<String>,
}

/// Occupations, synonyms and extra dictionary words.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    occupations: Vec<Occupation>,
    by_word: HashMap<String, usize>,
    extra_words: Vec<String>,
    places: HashMap<String, String>,
    fingerprint: String,
}

/// Drops a place name's administrative suffix: 江门市 → 江门.
pub fn short_place_name(name: &str) -> Option<String> {
    const SUFFIXES: [&str; 9] = ["壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市", "区", "县", "镇"];
    for s in SUFFIXES {
        if let Some(stem) = name.strip_suffix(s) {
            if stem.chars().count() >= 2 {
                return Some(stem.to_string());
            }
        }
    }
    None
}

impl Vocabulary {
    /// The vocabulary compiled from `index/`.
    pub fn builtin() -> Vocabulary {
        Vocabulary::parse(OCCUPATIONS, USER_DICT)
    }

    /// Reads the two files' text (lines starting with `#` are comments).
    pub fn parse(occupations: &str, user_dict: &str) -> Vocabulary {
        let mut list = Vec::new();
        let mut by_word = HashMap::new();
        for line in occupations.lines().map(str::trim_end).filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let name = cols.next().unwrap_or_default().trim().to_string();
            let code = cols.next().map(str::trim).filter(|c| !c.is_empty()).map(String::from);
            let mut words = vec![name.to_lowercase()];
            for w in cols.next().unwrap_or_default().split(',').map(|w| w.trim().to_lowercase()) {
                if !w.is_empty() && !words.contains(&w) {
                    words.push(w);
                }
            }
            let related = cols
                .next()
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect();
            let idx = list.len();
            for w in &words {
                by_word.entry(w.clone()).or_insert(idx);
            }
            list.push(Occupation { name, code, words, related });
        }
        let extra_words = user_dict
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_whitespace().next())
            .map(String::from)
            .collect();
        // Places on both sides of the cooperation, by their short names.
        let mut places = HashMap::new();
        for (code, name) in crate::domain::region::all_regions() {
            if code.starts_with("44") || code.starts_with("45") {
                places.insert(name.to_string(), code.to_string());
                if let Some(short) = short_place_name(name) {
                    places.entry(short).or_insert_with(|| code.to_string());
                }
            }
        }
        let mut h = Sha256::new();
        h.update(occupations.as_bytes());
        h.update([0]);
        h.update(user_dict.as_bytes());
        let fingerprint = hex::encode(&h.finalize()[..8]);
        Vocabulary { occupations: list, by_word, extra_words, places, fingerprint }
    }

    /// Every occupation, in file order.
    pub fn occupations(&self) -> &[Occupation] {
        &self.occupations
    }

    /// The occupation a word names, if any.
    pub fn occupation_of_word(&self, word: &str) -> Option<&Occupation> {
        self.by_word.get(&word.to_lowercase()).and_then(|&i| self.occupations.get(i))
    }

    /// The first occupation whose words appear in `text` (longest word wins
    /// within a line, file order across lines).
    pub fn occupation_in(&self, text: &str) -> Option<&Occupation> {
        let text = text.to_lowercase();
        let mut best: Option<(usize, usize)> = None; // (word length, index)
        for (i, o) in self.occupations.iter().enumerate() {
            for w in &o.words {
                if text.contains(w.as_str()) {
                    let len = w.chars().count();
                    if best.is_none_or(|(l, _)| len > l) {
                        best = Some((len, i));
                    }
                }
            }
        }
        best.and_then(|(_, i)| self.occupations.get(i))
    }

    /// A word with its synonyms (just the word when it names no occupation).
    pub fn expand(&self, word: &str) -> Vec<String> {
        match self.occupation_of_word(word) {
            Some(o) => {
                let mut words = vec![word.to_lowercase()];
                words.extend(o.words.iter().filter(|w| **w != word.to_lowercase()).cloned());
                words
            }
            None => vec![word.to_lowercase()],
        }
    }

    /// Words the segmenter must keep whole.
    pub fn dictionary_words(&self) -> impl Iterator<Item = &str> {
        self.occupations
            .iter()
            .flat_map(|o| o.words.iter().map(String::as_str))
            .chain(self.extra_words.iter().map(String::as_str))
            .chain(self.places.keys().map(String::as_str))
    }

    /// The region code a place name (full or short) stands for, on either
    /// side of the cooperation.
    pub fn place(&self, word: &str) -> Option<&str> {
        self.places.get(word).map(String::as_str)
    }

    /// Place names for typeahead.
    pub fn place_names(&self) -> impl Iterator<Item = &str> {
        self.places.keys().map(String::as_str)
    }

    /// Changes whenever either file changes; an index built with another
    /// vocabulary is rebuilt.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_has_forty_occupations_with_the_plans_synonyms() {
        let v = Vocabulary::builtin();
        assert!(v.occupations().len() >= 40, "{}", v.occupations().len());
        let chef = v.occupation_of_word("粤菜师傅").map(|o| o.name.as_str());
        assert_eq!(chef, Some("厨师"));
        assert_eq!(v.occupation_of_word("中式烹调师").map(|o| o.code.as_deref()), Some(Some("4-03-02-01")));
        assert_eq!(v.occupation_of_word("门卫").map(|o| o.name.as_str()), Some("保安员"));
        assert_eq!(v.occupation_of_word("流水线工人").map(|o| o.name.as_str()), Some("普工"));
        assert_eq!(v.occupation_of_word("保姆").map(|o| o.name.as_str()), Some("家政服务员"));
        assert!(v.expand("厨师").contains(&"中式烹调师".to_string()));
        assert_eq!(v.expand("电脑"), vec!["电脑".to_string()]);
    }

    #[test]
    fn each_word_belongs_to_one_occupation() {
        let v = Vocabulary::builtin();
        let mut seen = HashMap::new();
        for o in v.occupations() {
            for w in &o.words {
                if let Some(other) = seen.insert(w.clone(), o.name.clone()) {
                    panic!("`{w}` is in both {other} and {}", o.name);
                }
            }
        }
    }

    #[test]
    fn a_posting_gets_the_most_specific_occupation_its_text_names() {
        let v = Vocabulary::builtin();
        assert_eq!(v.occupation_in("诚聘粤菜厨师（炒锅）").map(|o| o.name.as_str()), Some("厨师"));
        assert_eq!(v.occupation_in("电子厂普工 包吃住").map(|o| o.name.as_str()), Some("普工"));
        assert_eq!(v.occupation_in("叉车司机").map(|o| o.name.as_str()), Some("叉车司机"));
        assert!(v.occupation_in("程序员").is_none());
    }

    #[test]
    fn places_are_known_by_their_short_names() {
        let v = Vocabulary::builtin();
        assert_eq!(v.place("江门"), Some("440700"));
        assert_eq!(v.place("大新"), Some("451424"));
        assert_eq!(v.place("广西"), Some("450000"));
        assert_eq!(short_place_name("广西壮族自治区").as_deref(), Some("广西"));
        assert_eq!(short_place_name("江海区").as_deref(), Some("江海"));
    }
}
