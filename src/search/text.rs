//! Chinese text: one shared jieba segmenter (with the user dictionary),
//! wrapped as a tantivy tokenizer, and the analysis of what people type.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jieba_rs::{Jieba, TokenizeMode};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

use super::vocab::Vocabulary;

/// The tokenizer name fields refer to.
pub const ZH: &str = "lb_zh";

/// Words that say nothing about which posting is wanted.
const STOP_WORDS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "找", "要", "想", "我", "有", "做", "请", "招", "招聘", "诚聘", "急聘",
    "高薪", "工作", "岗位", "职位", "求职", "附近", "哪里", "什么", "一个", "人员", "工人", "师傅",
];

/// The segmenter, loaded once (the dictionary is large: share it, never
/// clone it).
#[derive(Clone)]
pub struct Analyzer {
    jieba: Arc<Jieba>,
    tags: Arc<HashMap<String, String>>,
}

/// The term standing for a whole synonym group: `#` and the occupation's
/// name (no word the segmenter gives starts with `#`).
pub fn group_tag(occupation: &str) -> String {
    format!("#{occupation}")
}

impl Analyzer {
    /// jieba's dictionary plus the vocabulary's words.
    pub fn new(vocab: &Vocabulary) -> Analyzer {
        let mut jieba = Jieba::new();
        for w in vocab.dictionary_words() {
            jieba.add_word(w, None, None);
        }
        let mut tags = HashMap::new();
        for o in vocab.occupations() {
            for w in &o.words {
                if let Some(owner) = vocab.occupation_of_word(w) {
                    tags.entry(w.clone()).or_insert_with(|| group_tag(&owner.name));
                }
            }
        }
        Analyzer { jieba: Arc::new(jieba), tags: Arc::new(tags) }
    }

    /// The group term of a word of the vocabulary (厨师, 大厨 … → `#厨师`).
    pub fn tag_of(&self, word: &str) -> Option<&str> {
        self.tags.get(word).map(String::as_str)
    }

    /// Registers the Chinese tokenizer on an index; every create and open
    /// goes through here.
    pub fn register(&self, index: &Index) {
        let tokenizer = ZhTokenizer { jieba: self.jieba.clone(), tags: self.tags.clone(), tokens: Vec::new() };
        index.tokenizers().register(ZH, TextAnalyzer::builder(tokenizer).build());
    }

    /// The words of `text` as indexed (search mode: whole words and their
    /// dictionary parts), lower-cased, without punctuation.
    pub fn index_terms(&self, text: &str) -> HashSet<String> {
        self.jieba
            .cut_for_search(text, true)
            .into_iter()
            .filter(|t| is_word(t.word))
            .map(|t| t.word.to_lowercase())
            .collect()
    }

    /// The words of a query, in order, without stop words or repeats.
    pub fn query_words(&self, q: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.jieba.cut(q, true) {
            let w = t.word.to_lowercase();
            if is_word(&w) && !STOP_WORDS.contains(&w.as_str()) && !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }
}

fn is_word(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

/// jieba as a tantivy tokenizer, in search mode: every word, and before
/// it the dictionary words inside it (电子厂普工 also gives 电子厂 and
/// 普工), so a query for a part finds the whole.
///
/// A part is given the byte range of the word it lies in, not its own: in
/// search mode parts overlap and come before their word, so their own
/// ranges would start earlier than the token before. Highlighting walks
/// the tokens in order and needs ranges that never go back (tantivy's
/// snippets panic otherwise); the cost is that a part is marked as its
/// whole word (包吃 marks 包吃住). Offsets are not stored in the index, so
/// this changes no document.
///
/// A word of a synonym group is followed, at the same position and range,
/// by its group's term (`大厨` → `#厨师`), so a search for any word of the
/// group is one term per field instead of one per synonym.
#[derive(Clone)]
pub struct ZhTokenizer {
    jieba: Arc<Jieba>,
    tags: Arc<HashMap<String, String>>,
    tokens: Vec<Token>,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream<'a> {
        self.tokens.clear();
        let words = self.jieba.tokenize(text, TokenizeMode::Search, true);
        let spans = enclosing_spans(text, &words.iter().map(|t| (t.byte_start, t.byte_end)).collect::<Vec<_>>());
        let mut position = 0;
        for (i, (from, to)) in spans {
            let Some(t) = words.get(i).filter(|t| is_word(t.word)) else { continue };
            let text = t.word.to_lowercase();
            let tag = self.tags.get(&text).cloned();
            self.tokens.push(Token { offset_from: from, offset_to: to, position, text, position_length: 1 });
            if let Some(tag) = tag {
                self.tokens.push(Token { offset_from: from, offset_to: to, position, text: tag, position_length: 1 });
            }
            position += 1;
        }
        ZhTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

/// The largest char boundary of `text` at or before `i`.
pub(super) fn char_floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `text` at or after `i`.
pub(super) fn char_ceil(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Each range (by its index) with the span of the overlapping ranges it
/// belongs to, in the order of the spans and, within one, the order given.
/// Spans never overlap, so both ends never go back from one to the next,
/// and they lie on char boundaries of `text`.
fn enclosing_spans(text: &str, ranges: &[(usize, usize)]) -> Vec<(usize, (usize, usize))> {
    let mut by_start: Vec<usize> = (0..ranges.len()).collect();
    by_start.sort_by_key(|&i| (ranges[i].0, std::cmp::Reverse(ranges[i].1)));
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut span_of = vec![0; ranges.len()];
    for i in by_start {
        let (from, to) = (char_floor(text, ranges[i].0), char_floor(text, ranges[i].1));
        match spans.last_mut() {
            Some(last) if from < last.1 => last.1 = last.1.max(to),
            _ => spans.push((from, to.max(from))),
        }
        span_of[i] = spans.len() - 1;
    }
    let mut out: Vec<(usize, (usize, usize))> = (0..ranges.len()).map(|i| (i, spans[span_of[i]])).collect();
    out.sort_by_key(|&(i, _)| span_of[i]);
    out
}

/// The tokens of one text.
pub struct ZhTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for ZhTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(&Vocabulary::builtin())
    }

    #[test]
    fn domain_words_stay_whole_and_their_parts_are_indexed_too() {
        let a = analyzer();
        let terms = a.index_terms("招聘中式烹调师，包吃住，扶贫车间");
        for w in ["中式烹调师", "包吃住", "扶贫车间"] {
            assert!(terms.contains(w), "{w} missing from {terms:?}");
        }
        assert!(!terms.contains("，"));
        assert_eq!(a.query_words("粤菜师傅"), vec!["粤菜师傅"]);
    }

    #[test]
    fn queries_lose_stop_words_and_keep_places() {
        let a = analyzer();
        assert_eq!(a.query_words("我想找江门的厨师工作"), vec!["江门", "厨师"]);
        assert_eq!(a.query_words("CNC 操作工"), vec!["cnc", "操作工"]);
    }

    #[test]
    fn the_tokenizer_gives_byte_offsets_for_highlighting() {
        let a = analyzer();
        let mut t = ZhTokenizer { jieba: a.jieba.clone(), tags: a.tags.clone(), tokens: Vec::new() };
        let text = "急招保安员";
        let mut stream = t.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let tok = stream.token();
            seen.push((tok.text.clone(), &text[tok.offset_from..tok.offset_to]));
        }
        // The part 保安 is marked as the word it is part of; each word of
        // the group is followed by the group's term.
        assert_eq!(
            seen[seen.len() - 4..],
            [
                ("保安".to_string(), "保安员"),
                ("#保安员".to_string(), "保安员"),
                ("保安员".to_string(), "保安员"),
                ("#保安员".to_string(), "保安员")
            ]
        );
    }

    #[test]
    fn overlapping_ranges_take_the_span_of_their_word_in_order() {
        let text = "南京市长江大桥";
        // As search mode gives them: parts, then the word.
        let ranges = [(0, 6), (3, 9), (0, 9), (9, 15), (15, 21), (9, 21)];
        let spans = enclosing_spans(text, &ranges);
        assert_eq!(spans, [(0, (0, 9)), (1, (0, 9)), (2, (0, 9)), (3, (9, 21)), (4, (9, 21)), (5, (9, 21))]);
        // Out of order, or not on a char boundary: still in order and whole.
        assert_eq!(enclosing_spans(text, &[(9, 21), (1, 4)]), [(1, (0, 3)), (0, (9, 21))]);
    }

    /// Why a token stream is unfit for highlighting, if it is.
    fn offset_fault(text: &str, tokens: &[Token]) -> Option<String> {
        let mut last = (0, 0);
        for t in tokens {
            let (from, to) = (t.offset_from, t.offset_to);
            let fault = if from > to || to > text.len() {
                "a range out of the text or backwards"
            } else if !text.is_char_boundary(from) || !text.is_char_boundary(to) {
                "a range that splits a character"
            } else if from < last.0 || to < last.1 {
                "a range that goes back"
            } else if !t.text.starts_with('#') && !text[from..to].to_lowercase().contains(&t.text) {
                "a range that does not hold its token"
            } else {
                last = (from, to);
                continue;
            };
            return Some(format!("{fault}: `{}` at {from}..{to} after {last:?}", t.text));
        }
        None
    }

    fn tokens_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer.token_stream(text).process(&mut |t: &Token| out.push(t.clone()));
        out
    }

    #[test]
    fn every_token_stream_has_char_aligned_offsets_that_never_go_back() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        crate::search::testkit::shared().1.register(&index);
        let mut zh = index.tokenizers().get(ZH).unwrap();
        let texts = crate::search::corpus::corpus(3000);
        let mut faults = Vec::new();
        for text in &texts {
            if let Some(fault) = offset_fault(text, &tokens_of(&mut zh, text)) {
                faults.push(format!("{text:?}: {fault}"));
            }
        }
        assert!(
            faults.is_empty(),
            "{} of {} texts:\n{}",
            faults.len(),
            texts.len(),
            faults[..faults.len().min(10)].join("\n")
        );
    }

    /// Only offsets changed and group terms were added: the words and their
    /// order (hence positions) are jieba's search mode as before.
    #[test]
    fn the_terms_and_their_order_are_search_modes_own() {
        let a = &crate::search::testkit::shared().1;
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        a.register(&index);
        let mut zh = index.tokenizers().get(ZH).unwrap();
        for text in crate::search::corpus::corpus(500) {
            let ours: Vec<(String, usize)> = tokens_of(&mut zh, &text)
                .into_iter()
                .filter(|t| !t.text.starts_with('#'))
                .map(|t| (t.text, t.position))
                .collect();
            let jieba: Vec<(String, usize)> = a
                .jieba
                .cut_for_search(&text, true)
                .into_iter()
                .filter(|t| is_word(t.word))
                .enumerate()
                .map(|(i, t)| (t.word.to_lowercase(), i))
                .collect();
            assert_eq!(ours, jieba, "{text:?}");
        }
    }

    #[test]
    fn search_mode_still_indexes_the_parts_of_a_word() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        crate::search::testkit::shared().1.register(&index);
        let mut zh = index.tokenizers().get(ZH).unwrap();
        let tokens = tokens_of(&mut zh, "电子厂普工，包吃住");
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        for w in ["电子厂普工", "电子厂", "普工", "包吃住", "包吃"] {
            assert!(words.contains(&w), "{w} missing from {words:?}");
        }
        // A part is marked with the whole word it came from.
        let part = tokens.iter().find(|t| t.text == "包吃").unwrap();
        assert_eq!("电子厂普工，包吃住".get(part.offset_from..part.offset_to), Some("包吃住"));
    }
}
