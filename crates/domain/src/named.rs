//! Enums stored and sent as text: a status, a purpose, a kind. [`named!`] declares one with the
//! exact words the database and the API use, so that no layer above the store compares them as
//! strings.

/// Declares an enum whose variants are written as the given words: `as_str`, `parse`, `ALL`,
/// `Display`, and serde (plus the OpenAPI schema under the `openapi` feature) in those words.
/// Private to this crate: the paths it writes (`serde`, `utoipa`, the `openapi` feature) are
/// this crate's.
macro_rules! named {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $word:tt),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored and sent for this variant.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            /// The variant written as `word`; `None` for any other text.
            pub fn parse(word: &str) -> Option<Self> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl $crate::named::Named for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn parse_word(word: &str) -> Option<Self> {
                Self::parse(word)
            }
            fn word(self) -> &'static str {
                self.as_str()
            }
        }
    };
}

pub(crate) use named;

/// What every [`named!`] enum is: read back from its word, written as it.
pub trait Named: Sized + Copy + 'static {
    fn all() -> &'static [Self];
    fn parse_word(word: &str) -> Option<Self>;
    fn word(self) -> &'static str;
}

#[cfg(test)]
mod tests {
    crate::named::named! {
        /// A test enum.
        pub enum Sample {
            One = "one",
            TwoWords = "two_words",
        }
    }

    #[test]
    fn words_read_back_as_written() {
        for s in Sample::ALL {
            assert_eq!(Sample::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Sample::parse("One"), None);
        assert_eq!(Sample::TwoWords.to_string(), "two_words");
        // Columns of the command line line up: a width pads the word.
        assert_eq!(format!("{:<6}|", Sample::One), "one   |");
        assert_eq!(
            serde_json::to_string(&Sample::TwoWords).ok().as_deref(),
            Some("\"two_words\"")
        );
    }
}
