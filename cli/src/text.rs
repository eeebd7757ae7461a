//! Recorded text kept off the command line.
//!
//! A command's arguments are not private: while it runs, any local user sees them with `ps` (they
//! are in `/proc/<pid>/cmdline`, readable by all), and the shell keeps them in its history file.
//! What a worker records is health data about vulnerable people, so every recorded text
//! `--X TEXT` has a sibling `--X-file PATH` that reads it from a file instead, or from standard
//! input when PATH is `-` (a pipe, a here-document, or typed at the terminal and ended with
//! Ctrl-D). Exactly one trailing newline (`\n` or `\r\n`) is removed, since editors and `echo` add
//! one; nothing else is, so a note keeps its inner lines. Only one option of a command can read
//! standard input. What is read never appears in an error: a file that cannot be read is named by
//! its option, not by its contents.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use gadeplan_core::Error;

use crate::output::Failure;

/// The PATH of `--X-file` that means standard input.
const STDIN: &str = "-";

/// More than any recorded text may hold (the core's longest, a note, is 8,000 characters); a
/// larger file is refused unread rather than held in memory.
const MAX_BYTES: u64 = 1 << 20;

/// One recorded text as the command line gave it: inline (`--X`), from a file (`--X-file`), or
/// not at all. clap has already refused both at once.
#[derive(Debug)]
pub struct Source {
    /// The option's name as typed, without dashes: `note`, `referred-to`.
    name: String,
    text: Option<String>,
    file: Option<PathBuf>,
}

impl Source {
    /// `field` is the option's field name (`referred_to`); the option is its kebab-case form.
    pub fn new(field: &str, text: Option<String>, file: Option<PathBuf>) -> Self {
        Source {
            name: field.replace('_', "-"),
            text,
            file,
        }
    }

    fn file_option(&self) -> String {
        format!("{}-file", self.name)
    }

    fn reads_stdin(&self) -> bool {
        self.file.as_deref() == Some(Path::new(STDIN))
    }

    fn resolve(self) -> Result<Option<String>, Error> {
        let Some(path) = &self.file else {
            return Ok(self.text);
        };
        let field = self.file_option();
        let bytes = read_bytes(path).map_err(|e| {
            Error::invalid(&field, format!("the file cannot be read ({})", e.kind()))
        })?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(Error::invalid(
                &field,
                format!("the file is larger than {MAX_BYTES} bytes"),
            ));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(&field, "the file is not UTF-8 text"))?;
        Ok(Some(without_one_newline(text)))
    }
}

/// The texts of one command, in the order given. Nothing is read unless at most one of them
/// reads standard input; a file that cannot be read is refused before anything is recorded.
pub fn read<const N: usize>(sources: [Source; N]) -> Result<[Option<String>; N], Failure> {
    let from_stdin: Vec<String> = sources
        .iter()
        .filter(|s| s.reads_stdin())
        .map(|s| format!("--{}", s.file_option()))
        .collect();
    if from_stdin.len() > 1 {
        let options = from_stdin.join(", ");
        return Err(Failure::Usage {
            message: format!("only one option can read standard input (-), not {options}"),
            field: options,
        });
    }
    let mut texts: [Option<String>; N] = std::array::from_fn(|_| None);
    for (slot, source) in texts.iter_mut().zip(sources) {
        *slot = source.resolve()?;
    }
    Ok(texts)
}

fn read_bytes(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    // One byte over the limit tells a file at the limit from a larger one.
    if path == Path::new(STDIN) {
        io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)?;
    } else {
        File::open(path)?
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Removes one trailing `\n` or `\r\n`, the line end an editor or `echo` adds; nothing else.
fn without_one_newline(mut text: String) -> String {
    if text.ends_with("\r\n") {
        text.truncate(text.len() - 2);
    } else if text.ends_with('\n') {
        text.pop();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_line_end_is_removed() {
        for (read, kept) in [
            ("a note", "a note"),
            ("a note\n", "a note"),
            ("a note\r\n", "a note"),
            ("a note\n\n", "a note\n"),
            ("line one\nline two\n", "line one\nline two"),
            ("  spaced  \n", "  spaced  "),
            ("\n", ""),
            ("", ""),
            ("a note\r", "a note\r"),
        ] {
            assert_eq!(without_one_newline(read.to_string()), kept, "{read:?}");
        }
    }

    #[test]
    fn options_are_named_as_typed() {
        let s = Source::new("referred_to", None, Some(PathBuf::from("-")));
        assert_eq!(s.file_option(), "referred-to-file");
        assert!(s.reads_stdin());
        assert!(!Source::new("note", None, Some(PathBuf::from("./-"))).reads_stdin());
    }
}
