//! Device tokens, enrolment codes and team-leader tokens: made from the operating system's random
//! source, handed out once, and kept only as SHA-256 hashes, so a copy of the centre's database
//! does not let anyone act as a phone.

use sha2::{Digest, Sha256};

/// A device or leader token: 256 random bits, as 64 hex characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed with
/// cold hands (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
const CODE_ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTWXY";

/// A one-time enrolment code, e.g. `K7QD-3MXF-A9`: 10 symbols of 23, about 45 bits. It works once,
/// expires, and is typed on a phone beside the operator.
pub fn new_code() -> String {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    let symbols: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!(
        "{}-{}-{}",
        symbols[..4].iter().collect::<String>(),
        symbols[4..8].iter().collect::<String>(),
        symbols[8..].iter().collect::<String>()
    )
}

/// Codes are compared without dashes, spaces or case, as people type them.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_codes_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(hash(&a), a);
        let code = new_code();
        assert_eq!(code.len(), 12);
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            normalise_code(&code)
        );
    }
}
