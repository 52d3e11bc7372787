//! How an ID number is shown to those who may not read it whole
//! (docs/权限与脱敏.md): the first 6 and last 2 characters, the rest `*`.

/// Masks an ID number for display: the first 6 and last 2 characters are kept.
///
/// `451424198506121090` becomes `451424**********90`. Surrounding whitespace is
/// ignored; anything shorter than 8 characters is masked entirely.
pub fn mask_id_number(s: &str) -> String {
    let s = s.trim();
    let n = s.chars().count();
    if n < 8 {
        return "*".repeat(n);
    }
    // One allocation: a ledger masks hundreds of thousands of these.
    let mut masked = String::with_capacity(s.len());
    masked.extend(s.chars().enumerate().map(|(i, c)| if i < 6 || i >= n - 2 { c } else { '*' }));
    masked
}

#[cfg(test)]
mod tests {
    use super::mask_id_number;

    #[test]
    fn masking_keeps_first_six_and_last_two_characters() {
        assert_eq!(mask_id_number("451424199001011231"), "451424**********31");
        assert_eq!(mask_id_number(" 45142419900101123X "), "451424**********3X");
        assert_eq!(mask_id_number("1234567"), "*******");
        assert_eq!(mask_id_number(""), "");
        assert_eq!(mask_id_number("12345678"), "12345678");
        // By characters, not bytes: full-width digits stay whole.
        assert_eq!(mask_id_number("４５１４２４１９９０"), "４５１４２４**９０");
    }
}
