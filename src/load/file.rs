//! Source files held in memory, and byte spans within them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a file was not read by [`read_limited`].
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("it is not a regular file (a pipe, a device or a folder)")]
    NotAFile,
    #[error("it is {0}, over the limit of {limit} bytes", limit = super::MAX_FILE_BYTES)]
    TooLarge(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads a regular file of at most [`super::MAX_FILE_BYTES`]. Pipes and devices are refused
/// (a FIFO would block the read forever, `/dev/zero` never end it), and the read stops past
/// the limit even when the file grows after its size was taken.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let max = super::MAX_FILE_BYTES;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(format!("{} bytes", meta.len())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(std::fs::File::open(path)?, max + 1), &mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(format!("more than {max} bytes")));
    }
    Ok(bytes)
}

/// Where text stops being UTF-8, for a message: "line 3, byte 7 of the line".
pub fn utf8_error_at(e: &std::string::FromUtf8Error) -> String {
    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    format!("line {line}, byte {col} of the line")
}

/// A half-open byte range `start..end` in one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end: end.max(start) }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Index of a file in [`Files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// One file's path and text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown in diagnostics.
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<String>,
    /// Where each line starts, found when a position is first asked for: few files are ever
    /// asked, and finding them in every file was a fiftieth of a cold load.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(path: &Path, name: String, text: String) -> Self {
        SourceFile { name, path: path.to_owned(), text: Arc::new(text), line_starts: Default::default() }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let ends = self.text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1);
            std::iter::once(0).chain(ends).collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        start + line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i)
    }
}

/// Every file read in one run, so that diagnostics can show any of them.
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// The files read so far, with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_round_trip() {
        let f = SourceFile::new(Path::new("x"), "x".into(), "ab\nçé\r\nz".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2), "columns count characters");
        assert_eq!(f.offset_of(2, 2), 5);
        assert_eq!(f.offset_of(3, 1), 9);
        assert_eq!(f.offset_of(9, 9), f.text.len());
        assert_eq!(f.line_col(1000), (3, 2));
    }
}
