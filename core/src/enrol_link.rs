//! The enrolment link a phone scans (issue 16): `gadeplan://enrol?centre=<address>&code=<code>`,
//! shown by the centre as a QR code beside the one-time code, so the worker need not type either.
//! Made and read here, once, so that both shells and the CLI take the same link and refuse the
//! same bad ones. The address must be `https://` (or `http://`, for a centre on loopback or behind
//! a proxy on the same host); the code is what the operator would read out. Percent-encoding is
//! the URL standard's; nothing else of a URL is accepted (no fragment, no other parameters).

use crate::error::{Error, Result};

const SCHEME: &str = "gadeplan://enrol?";

/// What an enrolment link carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct EnrolLink {
    pub centre: String,
    pub code: String,
}

fn bad(reason: &str) -> Error {
    Error::invalid("link", reason)
}

/// Characters a query value keeps as they are (RFC 3986's unreserved).
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if unreserved(b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| bad("a % not followed by two hex digits"))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| bad("not UTF-8 once decoded"))
}

/// The link for a centre's address and a code.
pub fn make(centre: &str, code: &str) -> String {
    format!("{SCHEME}centre={}&code={}", encode(centre), encode(code))
}

/// Reads an enrolment link; a link of another form, without both parts, or with a centre that
/// is not an `https://` or `http://` address, is refused (`invalid-input`, field `link`).
#[uniffi::export]
pub fn parse_enrol_link(link: String) -> Result<EnrolLink> {
    let link = link.trim();
    if link.len() > 2_048 {
        return Err(bad("too long"));
    }
    let query = link
        .strip_prefix(SCHEME)
        .ok_or_else(|| bad("not a Gadeplan enrolment link (gadeplan://enrol?centre=…&code=…)"))?;
    let (mut centre, mut code) = (None, None);
    for pair in query.split('&') {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| bad("a part without a value"))?;
        let slot = match key {
            "centre" => &mut centre,
            "code" => &mut code,
            _ => return Err(bad("a part other than centre and code")),
        };
        if slot.replace(decode(value)?).is_some() {
            return Err(bad("a part given twice"));
        }
    }
    let centre = centre
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| bad("no centre"))?;
    let code = code
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| bad("no code"))?;
    let host = centre
        .strip_prefix("https://")
        .or_else(|| centre.strip_prefix("http://"))
        .ok_or_else(|| bad("the centre is not an https:// address"))?;
    if host.is_empty() || host.starts_with('/') || centre.chars().any(char::is_whitespace) {
        return Err(bad("the centre's address has no host"));
    }
    if code.len() > 64 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(bad("the code is letters, digits and hyphens"));
    }
    Ok(EnrolLink { centre, code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_made_is_read_back_and_bad_ones_are_refused() {
        let link = make("https://centre.kommune.dk:8470/gadeplan", "K7QD-3MXF-A9");
        assert_eq!(
            link,
            "gadeplan://enrol?centre=https%3A%2F%2Fcentre.kommune.dk%3A8470%2Fgadeplan&code=K7QD-3MXF-A9"
        );
        assert_eq!(
            parse_enrol_link(link).unwrap(),
            EnrolLink {
                centre: "https://centre.kommune.dk:8470/gadeplan".into(),
                code: "K7QD-3MXF-A9".into()
            }
        );
        // Unencoded, as a person might type it.
        let typed =
            parse_enrol_link("gadeplan://enrol?code=AB12&centre=http://127.0.0.1:8470".into());
        assert_eq!(typed.unwrap().centre, "http://127.0.0.1:8470");
        for bad in [
            "https://centre.kommune.dk",
            "gadeplan://enrol?centre=https%3A%2F%2Fc.dk",
            "gadeplan://enrol?code=AB12",
            "gadeplan://enrol?centre=ftp%3A%2F%2Fc.dk&code=AB12",
            "gadeplan://enrol?centre=https%3A%2F%2F&code=AB12",
            "gadeplan://enrol?centre=https%3A%2F%2Fc.dk&code=AB12&code=CD34",
            "gadeplan://enrol?centre=https%3A%2F%2Fc.dk&code=AB12&extra=1",
            "gadeplan://enrol?centre=https%3A%2F%2Fc.dk&code=AB%2",
            "gadeplan://enrol?centre=https%3A%2F%2Fc.dk&code=%3Cscript%3E",
            "gadeplan://enrol?centre=https%3A%2F%2Fc.dk&code=%FF",
        ] {
            assert!(
                matches!(parse_enrol_link(bad.into()), Err(Error::InvalidInput { ref field, .. }) if field == "link"),
                "{bad}"
            );
        }
    }
}
