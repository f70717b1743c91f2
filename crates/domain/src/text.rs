//! Which characters free text may hold (issue 15, item 16). Control characters are never fit to
//! store (PostgreSQL refuses NUL outright, and none belongs in a name). Invisible format
//! characters (Unicode category Cf: the right-to-left override that makes `invoice`, U+202E,
//! `fdp.exe` read as `invoiceexe.pdf`, zero-width spaces and joiners, the byte-order mark, the
//! soft hyphen...) are refused in one-line text, where nothing legitimate needs them and they make
//! a name, a title or a file name look like another.
//!
//! Multi-line text (a lesson's Markdown, a note, an objection, an offer) is written prose, where
//! some of them have a job: the zero-width joiner builds emoji sequences (a woman, U+200D and a
//! laptop make one sign), the zero-width non-joiner is part of Persian and some Indic spelling, the left-to-right and right-to-left
//! marks place punctuation in mixed-direction text, the soft hyphen and the zero-width space
//! are line-break hints, tag characters spell subdivision flags. There only the characters that
//! reorder or hide what is shown are refused: the bidirectional embeddings, overrides and
//! isolates (U+202A–U+202E, U+2066–U+2069, the set compilers flag as "Trojan Source"), the
//! deprecated format characters (U+206A–U+206F) and the interlinear annotation marks
//! (U+FFF9–U+FFFB).

/// What makes a text unfit to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFault {
    /// A control character (NUL, a bell, an escape...), or a line break in one-line text.
    Control,
    /// An invisible format character where it is not allowed.
    Invisible,
}

/// The bidirectional embeddings, overrides and isolates, the deprecated format characters and
/// the interlinear annotations: refused in every text.
fn reorders_or_hides(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{206F}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Characters that show nothing (general category Cf, as of Unicode 15.1), the line and
/// paragraph separators, and the fillers that render blank (the Hangul fillers, the combining
/// grapheme joiner): refused in one-line text.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// What is wrong with a text, if anything: control characters (line breaks and tabs are fine
/// where `multiline`), and invisible characters (every one in one-line text; in multi-line text
/// those that reorder or hide what is shown, see the module's documentation).
pub fn text_fault(text: &str, multiline: bool) -> Option<TextFault> {
    let mut fault = None;
    for c in text.chars() {
        if c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')) {
            return Some(TextFault::Control);
        }
        if reorders_or_hides(c) || (!multiline && is_invisible(c)) {
            fault = Some(TextFault::Invisible);
        }
    }
    fault
}

/// Whether free text is fit to store (see [`text_fault`]).
pub fn is_clean_text(text: &str, multiline: bool) -> bool {
    text_fault(text, multiline).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused() {
        assert!(is_clean_text("Alma School «Білім»", false));
        assert!(!is_clean_text("Alma\u{0}School", false));
        assert!(!is_clean_text("two\nlines", false));
        assert!(is_clean_text("two\nlines\tand a tab", true));
        assert!(!is_clean_text("bell\u{7}", true));
        assert!(!is_clean_text("nul\u{0}", true));
        assert_eq!(text_fault("a\u{0}b", true), Some(TextFault::Control));
    }

    #[test]
    fn invisible_characters_are_refused_in_one_line_text() {
        for bad in [
            "invoice\u{202E}fdp.exe",
            "Alma\u{200B}School",
            "Alma\u{200D}School",
            "\u{FEFF}Alma",
            "Al\u{00AD}ma",
            "Alma\u{2066}School\u{2069}",
            "left\u{200E}right",
            "word\u{2060}joiner",
            "line\u{2028}separator",
            "\u{3164}",
            "tag\u{E0041}",
        ] {
            assert_eq!(
                text_fault(bad, false),
                Some(TextFault::Invisible),
                "{bad:?}"
            );
        }
        // Letters of every script, emoji with a variation selector, typographic spaces.
        for good in [
            "Алма «Білім» — курс №1",
            "Ұлттық тіл: әліпби",
            "❤\u{FE0F} Математика",
            "Café 10\u{202F}000",
            "日本語コース",
            "مدرسة",
        ] {
            assert!(is_clean_text(good, false), "{good:?}");
        }
    }

    #[test]
    fn prose_keeps_the_characters_writing_needs_and_loses_those_that_reorder() {
        // An emoji sequence (ZWJ), Persian with a ZWNJ, a right-to-left mark, a soft hyphen.
        for good in [
            "Команда 👩\u{200D}💻 работает\n",
            "می\u{200C}خواهم",
            "Text \u{200F}(עברית)\u{200F}",
            "Hyphen\u{00AD}ation",
            "\u{FEFF}A pasted text",
            "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
        ] {
            assert!(is_clean_text(good, true), "{good:?}");
        }
        for bad in [
            "access = \u{202E}resU\u{202C}",
            "isolated \u{2067}text\u{2069}",
            "deprecated \u{206A}",
            "annotation \u{FFF9}x\u{FFFB}",
        ] {
            assert_eq!(text_fault(bad, true), Some(TextFault::Invisible), "{bad:?}");
        }
    }
}
