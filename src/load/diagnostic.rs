//! Problems found while loading and validating, and their rendering as rustc-style
//! diagnostics (via miette): file, line and column, the source line, a label and a help line.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SpanContents,
};

use super::file::{FileId, Files, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file with a short label shown under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: String,
}

/// One problem with the data. Errors stop the data from loading; warnings are worth a look.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    /// A stable kebab-case code, such as `unknown-entity`.
    pub code: &'static str,
    pub message: String,
    /// Where the problem is; `None` for problems with a whole file or folder (the message
    /// names it).
    pub at: Option<Label>,
    /// Other places that explain it (the first definition of a duplicate id, ...).
    pub also: Vec<Label>,
    pub help: Option<String>,
}

impl Problem {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            code,
            message: message.into(),
            at: None,
            also: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Problem { severity: Severity::Warning, ..Problem::error(code, message) }
    }

    pub fn at(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.at = Some(Label { file, span, text: label.into() });
        self
    }

    pub fn also(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.also.push(Label { file, span, text: label.into() });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (Severity, Option<FileId>, usize, &str) {
        let (file, offset) = self.at.as_ref().map_or((None, 0), |l| (Some(l.file), l.span.start));
        (self.severity, file, offset, &self.message)
    }
}

/// Sorts problems for display: errors before warnings, then by file and position.
pub fn sort(problems: &mut [Problem]) {
    problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// The width diagnostics are wrapped at.
pub const WIDTH: usize = 100;

/// Renders problems as text. `color` adds ANSI colours (for a terminal).
pub fn render(problems: &[Problem], files: &Files, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(WIDTH).with_context_lines(1);
    let mut out = String::new();
    let mut lines = Lines::default();
    for problem in problems {
        let report = Report::new(problem, files, &mut lines);
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
    }
    out
}

/// A problem joined with the text of its files, in the shape miette renders.
#[derive(Debug)]
struct Report {
    severity: Severity,
    code: &'static str,
    message: String,
    help: Option<String>,
    source: Option<Window>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(problem: &Problem, files: &Files, lines: &mut Lines) -> Report {
        let mut report = Report {
            severity: problem.severity,
            code: problem.code,
            message: problem.message.clone(),
            help: problem.help.clone(),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        if let Some(at) = &problem.at {
            report.source = Some(lines.window(files, at.file));
            report.labels.push(LabeledSpan::new_primary_with_span(Some(at.text.clone()), span(at.span)));
        }
        for also in &problem.also {
            let same_file = problem.at.as_ref().is_some_and(|at| at.file == also.file);
            if same_file {
                report.labels.push(LabeledSpan::new_with_span(Some(also.text.clone()), span(also.span)));
            } else {
                report.related.push(Report {
                    severity: Severity::Warning,
                    code: "",
                    message: also.text.clone(),
                    help: None,
                    source: Some(lines.window(files, also.file)),
                    labels: vec![LabeledSpan::new_with_span(Some(also.text.clone()), span(also.span))],
                    related: Vec::new(),
                });
            }
        }
        report
    }
}

/// The line starts of each file shown so far, as miette counts lines: after `\n`, after
/// `\r\n` and after a lone `\r`. Computed once per file, not once per diagnostic.
#[derive(Default)]
struct Lines {
    starts: HashMap<FileId, Arc<Vec<usize>>>,
}

impl Lines {
    fn window(&mut self, files: &Files, id: FileId) -> Window {
        let file = files.get(id);
        let starts = self.starts.entry(id).or_insert_with(|| Arc::new(line_starts(file.text.as_bytes())));
        Window { name: file.name.clone(), text: Arc::clone(&file.text), starts: Arc::clone(starts) }
    }
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// A file as miette reads it, but reading only the lines around a span: miette's own reader
/// scans from the first byte of the file for every label, which makes a thousand diagnostics
/// near the end of a large file take minutes. The lines are cut out at line starts and read by
/// miette's reader, then moved back to their place in the file, so the output is the same.
#[derive(Debug)]
struct Window {
    name: String,
    text: Arc<String>,
    /// Line starts, as [`line_starts`] finds them.
    starts: Arc<Vec<usize>>,
}

impl fmt::Debug for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Lines")
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // The line of a byte offset: the last line start at or before it.
        let line_of = |offset: usize| self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let first = line_of(span.offset()).saturating_sub(context_lines_before + 2);
        let last = line_of(span.offset() + span.len()) + context_lines_after + 3;
        let start = self.starts[first];
        let end = self.starts.get(last).copied().unwrap_or(self.text.len());
        let inner = self.text[start..end].read_span(
            &(span.offset() - start, span.len()).into(),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (inner.span().offset() + start, inner.span().len()).into(),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

fn span(s: Span) -> miette::SourceSpan {
    (s.start, s.len()).into()
}

/// The message, then the problem's code in brackets: miette would print the code alone on
/// a line before the message, and a diagnostic should open with what is wrong.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.code.is_empty() {
            write!(f, " [{}]", self.code)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning if self.code.is_empty() => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn Diagnostic))
                as Box<dyn Iterator<Item = &dyn Diagnostic>>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading the lines around a span gives what miette's reader gives from the whole file:
    /// the same text, span, line, column and line count, whatever the line endings.
    #[test]
    fn windows_read_like_the_whole_file() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("line {i} é"));
            text.push_str(["\n", "\r\n", "\r", "\n\n"][i % 4]);
        }
        text.push_str("last");
        let text = Arc::new(text);
        let window = Window {
            name: "x".into(),
            text: Arc::clone(&text),
            starts: Arc::new(line_starts(text.as_bytes())),
        };
        let whole = miette::NamedSource::new("x", Arc::clone(&text));
        // (miette's reader panics on spans past the end; the loader makes none.)
        for start in (0..=text.len()).filter(|&s| text.is_char_boundary(s)) {
            for len in [0, 1, 3, 12, 40].into_iter().filter(|l| start + l <= text.len()) {
                for context in [0, 1, 2] {
                    let span: miette::SourceSpan = (start, len).into();
                    let a = window.read_span(&span, context, context);
                    let b = whole.read_span(&span, context, context);
                    match (a, b) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(
                                (a.data(), a.span(), a.line(), a.column(), a.line_count(), a.name()),
                                (b.data(), b.span(), b.line(), b.column(), b.line_count(), b.name()),
                                "span {start}+{len}, context {context}"
                            );
                        }
                        (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "span {start}+{len}, context {context}"),
                    }
                }
            }
        }
    }
}
