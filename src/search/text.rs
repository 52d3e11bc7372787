//! Chinese text: one shared jieba segmenter (with the user dictionary),
//! wrapped as a tantivy tokenizer, and the analysis of what people type.

use std::collections::HashSet;
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
}

impl Analyzer {
    /// jieba's dictionary plus the vocabulary's words.
    pub fn new(vocab: &Vocabulary) -> Analyzer {
        let mut jieba = Jieba::new();
        for w in vocab.dictionary_words() {
            jieba.add_word(w, None, None);
        }
        Analyzer { jieba: Arc::new(jieba) }
    }

    /// Registers the Chinese tokenizer on an index; every create and open
    /// goes through here.
    pub fn register(&self, index: &Index) {
        let tokenizer = ZhTokenizer { jieba: self.jieba.clone(), tokens: Vec::new() };
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

/// jieba as a tantivy tokenizer, in search mode.
#[derive(Clone)]
pub struct ZhTokenizer {
    jieba: Arc<Jieba>,
    tokens: Vec<Token>,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream<'a> {
        self.tokens.clear();
        let words = self.jieba.tokenize(text, TokenizeMode::Search, true);
        for (position, t) in words.into_iter().filter(|t| is_word(t.word)).enumerate() {
            self.tokens.push(Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position,
                text: t.word.to_lowercase(),
                position_length: 1,
            });
        }
        ZhTokenStream { tokens: &mut self.tokens, next: 0 }
    }
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
        let mut t = ZhTokenizer { jieba: a.jieba.clone(), tokens: Vec::new() };
        let text = "急招保安员";
        let mut stream = t.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let tok = stream.token();
            assert_eq!(&text[tok.offset_from..tok.offset_to], tok.text);
            seen.push(tok.text.clone());
        }
        assert!(seen.contains(&"保安员".to_string()), "{seen:?}");
    }
}
