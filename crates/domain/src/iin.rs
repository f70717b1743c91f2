//! Kazakhstan's individual and business identification numbers (IIN / BIN): 12 digits, the
//! last a check digit computed from the first eleven.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A 12-digit IIN or BIN whose check digit is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IinBin(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IinBinError {
    #[error("must be exactly 12 digits")]
    Format,
    #[error("the check digit does not match")]
    CheckDigit,
}

/// The check digit of the first eleven digits, or `None` when the number cannot have one
/// (both weightings give 10).
pub fn check_digit(digits: &[u8; 11]) -> Option<u8> {
    let weighted = |first: u32| -> u32 {
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, &d)| u32::from(d) * ((first + i as u32 - 1) % 11 + 1))
            .sum();
        sum % 11
    };
    match weighted(1) {
        10 => match weighted(3) {
            10 => None,
            c => Some(c as u8),
        },
        c => Some(c as u8),
    }
}

impl IinBin {
    pub fn parse(s: &str) -> Result<Self, IinBinError> {
        let s = s.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IinBinError::Format);
        }
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        let mut first = [0u8; 11];
        first.copy_from_slice(&digits[..11]);
        match check_digit(&first) {
            Some(c) if c == digits[11] => Ok(Self(s.to_owned())),
            _ => Err(IinBinError::CheckDigit),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IinBin {
    type Error = IinBinError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<IinBin> for String {
    fn from(v: IinBin) -> Self {
        v.0
    }
}

impl fmt::Display for IinBin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn known_numbers() {
        // 1st weighting: sum(d_i * i) for 12345678901 = 1+4+9+16+25+36+49+64+81+0+11 = 296;
        // 296 mod 11 = 10, so the 2nd weighting (3..11,1,2): 3+8+15+24+35+48+63+80+99+0+2 =
        // 377; 377 mod 11 = 3.
        assert_eq!(check_digit(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]), Some(3));
        assert!(IinBin::parse("123456789013").is_ok());
        assert_eq!(IinBin::parse("123456789012"), Err(IinBinError::CheckDigit));
        assert_eq!(IinBin::parse("12345678901"), Err(IinBinError::Format));
        assert_eq!(IinBin::parse("12345678901a"), Err(IinBinError::Format));
        // 900101300000 -> 9+0+0+4+0+6+21+0+0+0+0 = 40, 40 mod 11 = 7.
        assert_eq!(check_digit(&[9, 0, 0, 1, 0, 1, 3, 0, 0, 0, 0]), Some(7));
        assert!(IinBin::parse("900101300007").is_ok());
    }

    proptest! {
        #[test]
        fn only_the_computed_check_digit_passes(first in prop::array::uniform11(0u8..10), last in 0u8..10) {
            let mut s: String = first.iter().map(|d| char::from(b'0' + d)).collect();
            s.push(char::from(b'0' + last));
            prop_assert_eq!(IinBin::parse(&s).is_ok(), check_digit(&first) == Some(last));
        }
    }
}
