//! The enrolment link drawn as a QR code (issue 16): as text for the operator's terminal
//! (`gadeplan-centre enrol --qr`), two rows of modules a character, with the quiet zone the
//! standard asks for. Terminals are mostly light text on a dark ground, so the light modules and
//! the quiet zone are the ones drawn (as qrencode's UTF-8 output does): a phone's camera then
//! sees dark on light.

use qrcode::{Color, QrCode};

use crate::store::{Refusal, Result};

/// Modules of light margin around the code (the standard's quiet zone is four).
const QUIET: usize = 4;

/// The link encoded, or why it cannot be.
fn encode(link: &str) -> Result<QrCode> {
    QrCode::new(link.as_bytes()).map_err(|e| {
        Refusal::new(
            400,
            "invalid-input",
            format!("no QR code for the link: {e}"),
        )
    })
}

/// The link as a QR code in text.
pub fn text(link: &str) -> Result<String> {
    let code = encode(link)?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    // Light inside the quiet zone and for every light module.
    let light = |x: usize, y: usize| -> bool {
        if x < QUIET || y < QUIET || x >= width + QUIET || y >= width + QUIET {
            return true;
        }
        colors[(y - QUIET) * width + (x - QUIET)] == Color::Light
    };
    let mut out = String::new();
    for y in (0..size).step_by(2) {
        for x in 0..size {
            let top = light(x, y);
            let bottom = y + 1 < size && light(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

/// The link as a QR code in SVG, for the page: one path of the dark modules on a light square,
/// with the quiet zone, scaled by the browser (`shape-rendering: crispEdges` keeps it sharp).
pub fn svg(link: &str) -> Result<String> {
    let code = encode(link)?;
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"{size}\" height=\"{size}\" \
         fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_draws_as_a_square_of_text_with_its_quiet_zone() {
        let drawn =
            super::text("gadeplan://enrol?centre=https%3A%2F%2Fc.dk&code=K7QD-3MXF-A9").unwrap();
        let lines: Vec<&str> = drawn.lines().collect();
        let width = lines[0].chars().count();
        // Two rows a line: a square code is twice as wide as it has lines (within one).
        assert!(
            lines.len() * 2 >= width && lines.len() * 2 <= width + 2,
            "{drawn}"
        );
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // The quiet zone is drawn all round; the finder patterns' dark rings are not.
        assert!(lines[0].chars().all(|c| c == '█'), "{drawn}");
        let (last, rest) = lines.split_last().unwrap();
        assert!(
            rest.iter()
                .all(|l| l.starts_with("████") && l.ends_with("████"))
        );
        // An odd number of rows: the last line is the quiet zone's top half only.
        assert!(last.chars().all(|c| c == '▀' || c == '█'), "{last}");
        assert!(drawn.contains(' '));
    }

    /// The text read back as a camera would see it (drawn is light), decoded: the link.
    #[test]
    fn the_drawn_code_decodes_to_the_link() {
        let link = "gadeplan://enrol?centre=https%3A%2F%2Fcentre.kommune.dk&code=K7QD-3MXF-A9";
        let drawn = super::text(link).unwrap();
        let rows: Vec<Vec<char>> = drawn.lines().map(|l| l.chars().collect()).collect();
        let (width, height) = (rows[0].len(), rows.len() * 2);
        // Four pixels a module, so the decoder sees clear edges.
        let scale = 4;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(width * scale, height * scale, |x, y| {
                let (mx, my) = (x / scale, y / scale);
                let c = rows[my / 2][mx];
                let light = match c {
                    '█' => true,
                    '▀' => my % 2 == 0,
                    '▄' => my % 2 == 1,
                    _ => false,
                };
                if light { 255 } else { 0 }
            });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, link);
    }
}
