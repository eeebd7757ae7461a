//! Reading a store's files as an attacker with the key would: every page of an SQLCipher file
//! and of its write-ahead log decrypted, live or free, so that a test can search them for text
//! an erasure should have removed (the erasure and purge suites in `tests/tests/`, and the demo). SQLite's own
//! reading would show only the live rows; what an erasure must also reach is the freed pages and
//! the log, which only the raw pages show.
//!
//! SQLCipher 4's page format, with a raw key (`PRAGMA key = "x'…'"`, as `core::db` gives it):
//! pages of 4,096 bytes, each encrypted with AES-256-CBC under the key itself, the last 80
//! bytes reserved (a 16-byte IV, then a 64-byte HMAC-SHA512); page 1's first 16 bytes are the
//! file's salt, not encrypted. A log frame is a 24-byte header (its page number first) and one
//! such page, after the log's 32-byte header.

use std::path::Path;

use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};

const PAGE: usize = 4096;
const RESERVE: usize = 80;
const IV: usize = 16;
const SALT: usize = 16;
const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;

type Decryptor = cbc::Decryptor<aes::Aes256>;

/// One page decrypted (its page number says whether the salt comes first).
fn decrypt_page(key: &[u8; 32], number: u32, page: &[u8]) -> Vec<u8> {
    let start = if number == 1 { SALT } else { 0 };
    let iv = &page[PAGE - RESERVE..PAGE - RESERVE + IV];
    let mut body = page[start..PAGE - RESERVE].to_vec();
    Decryptor::new(key.into(), iv.into())
        .decrypt_padded_mut::<NoPadding>(&mut body)
        .expect("a whole number of blocks")
        .to_vec()
}

/// Every page of a store file, decrypted, one after another.
pub fn store_pages(path: &Path, key: &[u8; 32]) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut plain = Vec::with_capacity(bytes.len());
    for (i, page) in bytes.chunks_exact(PAGE).enumerate() {
        plain.extend(decrypt_page(key, i as u32 + 1, page));
    }
    plain
}

/// Every frame of a store's write-ahead log, decrypted (empty when there is no log).
pub fn log_pages(path: &Path, key: &[u8; 32]) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut plain = Vec::new();
    if bytes.len() <= WAL_HEADER {
        return plain;
    }
    for frame in bytes[WAL_HEADER..].chunks_exact(FRAME_HEADER + PAGE) {
        let number = u32::from_be_bytes(frame[..4].try_into().expect("four bytes"));
        plain.extend(decrypt_page(key, number, &frame[FRAME_HEADER..]));
    }
    plain
}

/// A store and its log, decrypted: everything an attacker with the key could read from them.
pub fn store_and_log(path: &Path, key: &[u8; 32]) -> Vec<u8> {
    let mut plain = store_pages(path, key);
    let mut log = path.as_os_str().to_owned();
    log.push("-wal");
    plain.extend(log_pages(Path::new(&log), key));
    plain
}

/// Whether `text` occurs in `bytes` (as UTF-8).
pub fn contains(bytes: &[u8], text: &str) -> bool {
    let needle = text.as_bytes();
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// Every file under `dir`, read raw, with its path: for plain files (PostgreSQL's data
/// directory) the bytes are the text.
pub fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path, bytes));
        }
    }
    found
}
