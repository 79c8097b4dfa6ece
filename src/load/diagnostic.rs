//! Problems found while loading and validating, and their rendering as rustc-style
//! diagnostics (via miette): file, line and column, the source line, a label and a help line.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

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
    for problem in problems {
        let report = Report::new(problem, files);
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
    source: Option<NamedSource<Arc<String>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(problem: &Problem, files: &Files) -> Report {
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
            let file = files.get(at.file);
            report.source = Some(NamedSource::new(file.name.clone(), Arc::clone(&file.text)));
            report.labels.push(LabeledSpan::new_primary_with_span(Some(at.text.clone()), span(at.span)));
        }
        for also in &problem.also {
            let same_file = problem.at.as_ref().is_some_and(|at| at.file == also.file);
            if same_file {
                report.labels.push(LabeledSpan::new_with_span(Some(also.text.clone()), span(also.span)));
            } else {
                let file = files.get(also.file);
                report.related.push(Report {
                    severity: Severity::Warning,
                    code: "",
                    message: also.text.clone(),
                    help: None,
                    source: Some(NamedSource::new(file.name.clone(), Arc::clone(&file.text))),
                    labels: vec![LabeledSpan::new_with_span(Some(also.text.clone()), span(also.span))],
                    related: Vec::new(),
                });
            }
        }
        report
    }
}

fn span(s: Span) -> miette::SourceSpan {
    (s.start, s.len()).into()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

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
