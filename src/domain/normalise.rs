//! What clerks paste, made into what they meant, once, at the boundary.
//!
//! Values reach labour-bridge typed, scanned, pasted from WeChat, Word and
//! Excel, or read from an office's workbook. What the clerk sees is what
//! must count: `４５１４２４…` is an ID number, a trailing zero-width space
//! is nothing, `(+86)138 0013 8000` is a mobile number, and 阿依古丽•买买提
//! (a bullet typed for the middle dot) is the same person as 阿依古丽·买买提.
//! Every way in (the API, the fair desk, the import, the pages) goes through
//! the parsers in `domain`, and they go through these functions.

use unicode_normalization::UnicodeNormalization;

/// Characters with no width that editors and chat apps leave in copied text:
/// byte-order mark, zero-width space/joiners, word joiner, soft hyphen,
/// directional marks and isolates, Mongolian vowel separator.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{00AD}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{180E}'
    )
}

/// Whether `c` is a control character labour-bridge refuses: every C0
/// character but tab, line feed and carriage return, DEL, and C1.
pub fn is_refused_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || ('\u{80}'..='\u{9F}').contains(&c)
}

/// Whether `s` holds a refused control character (NUL included).
pub fn has_control(s: &str) -> bool {
    s.chars().any(is_refused_control)
}

/// A code or number as typed: invisible characters removed, NFKC applied
/// (full-width digits and letters become ASCII, `Ｘ` becomes `X`, a
/// no-break space a space), then trimmed.
pub fn code(s: &str) -> String {
    let visible: String = s.chars().filter(|c| !is_invisible(*c)).collect();
    visible.nfkc().collect::<String>().trim().to_string()
}

/// The middle-dot family people type for the separator in names of
/// minority nationalities (U+00B7 on the ID card).
const MIDDLE_DOTS: [char; 7] = ['\u{00B7}', '\u{2022}', '\u{2027}', '\u{30FB}', '\u{FF0E}', '\u{FF65}', '\u{22C5}'];

/// A personal name: invisible characters removed, every middle-dot look-alike
/// folded to U+00B7 (as on the card), white space between two Chinese
/// characters or beside the dot dropped (the card's name has none: 张 三 is
/// 张三, 买买提 · 艾力 is 买买提·艾力), other runs of white space made one
/// space (Li Ming), trimmed. Used when a name is stored and when one is
/// searched or compared.
pub fn name(s: &str) -> String {
    let folded: String = s
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if MIDDLE_DOTS.contains(&c) { '\u{00B7}' } else { c })
        .map(|c| if c == '\u{3000}' || c == '\u{00A0}' { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        let joined = |c: Option<char>| c.is_some_and(|c| is_han(c) || c == '\u{00B7}');
        let close_up = joined(out.chars().next_back()) && joined(word.chars().next());
        if !out.is_empty() && !close_up {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A Chinese character: the CJK Unified Ideographs and their extensions
/// A–H and compatibility ideographs (Unicode blocks), which names on the
/// card are written in (rare characters of names are in the extensions).
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x2F800..=0x2FA1F | 0x30000..=0x323AF)
}

/// Free text (notes, addresses, titles): invisible characters removed and
/// trimmed; everything else is kept as written.
pub fn text(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect::<String>().trim().to_string()
}

/// A phone number: as [`code`], then the separators people write (spaces,
/// hyphens, dots, brackets) dropped and a country prefix (`+86`, `0086`,
/// `86` before eleven digits) removed.
pub fn phone(s: &str) -> String {
    let compact: String =
        code(s).chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')' | '（' | '）')).collect();
    for prefix in ["+86", "0086"] {
        if let Some(rest) = compact.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    match compact.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.bytes().all(|b| b.is_ascii_digit()) => rest.to_string(),
        _ => compact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_invisible_characters_become_what_the_clerk_sees() {
        assert_eq!(code("４５１４２４１９９００３０７１２３Ｘ"), "45142419900307123X");
        assert_eq!(code("\u{FEFF}45142419900307123X"), "45142419900307123X");
        assert_eq!(code("45142419900307123X\u{200B}"), "45142419900307123X");
        assert_eq!(code("4514\u{00AD}2419900307123X"), "45142419900307123X");
        assert_eq!(code(" 451424\u{3000}"), "451424");
        assert_eq!(code("\u{200E}451424\u{2069}"), "451424");
    }

    #[test]
    fn phones_lose_country_prefixes_and_separators() {
        for typed in [
            "13800138000",
            "１３８００１３８０００",
            "0086 13800138000",
            "(+86)13800138000",
            "（+86）138-0013-8000",
            "+86 138 0013 8000",
            "8613800138000",
            "138.0013.8000\u{200B}",
        ] {
            assert_eq!(phone(typed), "13800138000", "{typed}");
        }
        assert_eq!(phone("0771-3621234"), "07713621234", "a landline keeps its digits for the rule to judge");
    }

    #[test]
    fn names_fold_every_middle_dot_to_the_cards_one() {
        let card = "阿依古丽\u{00B7}买买提";
        for typed in ['\u{2022}', '\u{2027}', '\u{30FB}', '\u{FF0E}', '\u{FF65}', '\u{22C5}', '\u{00B7}'] {
            assert_eq!(name(&format!("阿依古丽{typed}买买提")), card, "U+{:04X}", typed as u32);
        }
        assert_eq!(name("  农秀英\u{200B} "), "农秀英");
        assert_eq!(name("Li\u{3000}\u{3000}Ming"), "Li Ming");
        // The card's names have no spaces between characters.
        assert_eq!(name("  张 三  "), "张三");
        assert_eq!(name("黄\u{3000}志 强"), "黄志强");
        assert_eq!(name("买买提 · 艾力"), "买买提·艾力");
        assert_eq!(name("𠮷 祥"), "𠮷祥", "an extension B character");
        assert_eq!(name("韦 Anna"), "韦 Anna");
    }

    #[test]
    fn control_characters_are_refused_but_tabs_and_newlines_are_text() {
        assert!(has_control("demo\u{0}admin"));
        assert!(has_control("a\u{1B}b"));
        assert!(has_control("a\u{7F}"));
        assert!(has_control("a\u{85}"));
        assert!(!has_control("第一行\n第二行\t完"));
        assert!(!has_control("农秀英"));
    }
}
