//! A school's brand (issue 17, item 2): its accent colour and whether white text on it, and it
//! as text on white, stay readable (WCAG 2.1's contrast ratio, at least 4.5:1 for normal text).

/// The least contrast ratio an accent needs against white, in hundredths (4.5:1).
pub const MIN_CONTRAST_HUNDREDTHS: u32 = 450;

/// A colour written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` (either case); `None` for anything else.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// `#rrggbb` in lower case.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// The relative luminance of WCAG 2.1 (0 black to 1 white).
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let s = f64::from(c) / 255.0;
            if s <= 0.039_28 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The contrast ratio of this colour against white, in hundredths, rounded down (a ratio
    /// of 4.4999 is 449, short of 4.5:1).
    pub fn contrast_with_white_hundredths(self) -> u32 {
        let ratio = 1.05 / (self.luminance() + 0.05);
        // Between 1 and 21: the cast cannot overflow.
        (ratio * 100.0).floor() as u32
    }

    /// Whether white text on it (a button) and it on white (a link) are readable.
    pub fn readable_on_white(self) -> bool {
        self.contrast_with_white_hundredths() >= MIN_CONTRAST_HUNDREDTHS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_their_contrast_with_white_is_wcags() {
        assert_eq!(Rgb::parse("#007A8C"), Some(Rgb(0, 122, 140)));
        assert_eq!(Rgb::parse("#007a8c").unwrap().hex(), "#007a8c");
        for bad in ["007a8c", "#07a", "#007a8g", "#007a8c0", "", "#"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        // Black on white is 21:1, white on white 1:1.
        assert_eq!(Rgb(0, 0, 0).contrast_with_white_hundredths(), 2100);
        assert_eq!(Rgb(255, 255, 255).contrast_with_white_hundredths(), 100);
        // EduCenter's own dark accent passes; its light accent (#00afca, 2.62:1) does not.
        assert!(Rgb::parse("#007a8c").unwrap().readable_on_white());
        assert_eq!(
            Rgb::parse("#00afca")
                .unwrap()
                .contrast_with_white_hundredths(),
            262
        );
        assert!(!Rgb::parse("#00afca").unwrap().readable_on_white());
        // #767676 is the lightest grey at 4.5:1; #777777 falls just short (4.48:1).
        assert!(Rgb::parse("#767676").unwrap().readable_on_white());
        assert!(!Rgb::parse("#777777").unwrap().readable_on_white());
    }
}
