//! The command line: global options, one module per subcommand (its clap `Args` and a `run`
//! that calls the library and prints), and the shared loading and output helpers.

mod as_of;
mod chain;
mod chain_check;
mod changes;
mod check;
mod clusters;
mod common;
mod completions;
mod connect;
mod dedupe;
mod export;
mod extract;
mod import;
mod man;
mod neighbours;
mod output;
mod path;
mod progress;
mod rank;
mod render;
mod review;
mod search;
mod serve;
mod show;
mod timeline;

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use crate::graph::KnowledgeGraph;
use crate::load::{self, Loaded, Problem, diagnostic};
use crate::model::{Certainty, Kind, PartialDate, Relation};
use crate::query::LinkFilter;
use crate::query::resolve::ResolveError;
use crate::snapshot;

/// A sourced, graded knowledge graph of terrorist networks.
#[derive(Debug, Parser)]
#[command(name = "threatgraph", about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes. `--help` lists them apart, after the command's own.
#[derive(Clone, Debug, clap::Args)]
#[command(next_help_heading = GLOBAL_OPTIONS)]
pub struct Global {
    /// The data folder (sources.ron, curated/, extracted/, views/, chains/).
    #[arg(long, global = true, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
    /// Output format. JSON output is a stable interface (see docs/json.md).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Leave out facts proposed by the extractor and not yet reviewed, and imported facts.
    #[arg(long, global = true)]
    pub curated_only: bool,
    /// Only links at least this certain (Confirmed, Reported, Alleged, Suspected, Disputed).
    #[arg(long, global = true, value_name = "C", value_parser = parse_certainty)]
    pub min_certainty: Option<Certainty>,
    /// Answer from only what the sources had published by the end of DATE (YYYY, YYYY-Qn,
    /// YYYY-MM or YYYY-MM-DD): see docs/guide.md, "As of a date".
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<PartialDate>,
    /// Neither use nor write a compiled snapshot of the data (see docs/performance.md, "Snapshots"); the
    /// same as `THREATGRAPH_CACHE=off`.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate the data; print a summary and every problem.
    Check(check::Args),
    /// Find entities by id, name or alias (exact, prefix, substring, near spellings).
    Search(search::Args),
    /// An entity's card: its fields and every link in and out, with certainty and sources.
    Show(show::Args),
    /// The entities within a number of links of one entity.
    #[command(visible_alias = "neighbors")]
    Neighbours(neighbours::Args),
    /// How two entities are connected: shortest paths, or all simple paths up to a length.
    Path(path::Args),
    /// Dated events, oldest first.
    Timeline(timeline::Args),
    /// Path-to-attack chains from a person or group, or `chain check` for declared chains.
    Chain(chain::Args),
    /// What the sources published between two dates added: new entities and links, and links
    /// whose certainty or grade changed, each with the sources that brought it.
    Changes(changes::Args),
    /// The smallest network joining several entities, and who joins them.
    Connect(connect::Args),
    /// Key actors by degree, betweenness, closeness or PageRank.
    Rank(rank::Args),
    /// Connected components and communities (Louvain), with modularity.
    Clusters(clusters::Args),
    /// What two entities share: common neighbours and their links to each.
    Common(common::Args),
    /// Propose entities and links from articles, each with its source, span and rule.
    Extract(extract::Args),
    /// Extracted facts waiting for review, with their sentences; accept or reject them.
    Review(review::Args),
    /// Likely duplicate entities across the graph, each pair with a score and its reasons.
    Dedupe(dedupe::Args),
    /// A diagram (dot, svg, png, html) or data file (graphml, json, cypher, neo4j-csv, ftm, stix)
    /// of a view, a neighbourhood, a path or the whole graph.
    Export(export::Args),
    /// Read STIX 2.1 bundles, FtM entities or CSV (with a mapping) into `data/imported/NAME/`.
    Import(import::Args),
    /// Every view in `data/views/` to `graphs/NAME.dot`, `.svg` and `.png`; `--check` fails when stale.
    Render(render::Args),
    /// The analyst workspace: a local web app to search, expand, question and review the
    /// graph (127.0.0.1 unless --bind; see README, "Workspace").
    Serve(serve::Args),
    /// The shell completion script for bash, zsh, fish or PowerShell, on stdout.
    Completions(completions::Args),
    /// The manual pages (roff): `threatgraph.1` on stdout, or every page into a folder.
    Man(man::Args),
}

/// The heading under which `--help` lists the options every command takes.
const GLOBAL_OPTIONS: &str = "Global options";

/// What `--version` prints after the name: the program's version and the versions of the
/// formats it reads and writes.
pub fn version() -> String {
    format!(
        "{} (data format {}, snapshot format {})",
        env!("CARGO_PKG_VERSION"),
        crate::load::DATA_FORMAT,
        snapshot::FORMAT
    )
}

/// The command line's definition, as `--help`, completions and manual pages describe it.
pub fn command() -> clap::Command {
    Cli::command().version(version())
}

/// Parses the process's arguments; on a usage error or `--help`, prints and exits as clap does.
pub fn parse() -> Cli {
    Cli::from_arg_matches(&command().get_matches()).unwrap_or_else(|e| e.exit())
}

/// What a command concluded: 0 for yes or done, 1 for a "no" (a failed check, no path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Yes => ExitCode::SUCCESS,
            Outcome::No => ExitCode::from(1),
        }
    }
}

/// Errors that stop a command: bad data, a name that picks out no single entity, bad
/// arguments. All exit with 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CliError {
    /// The data did not load; the diagnostics are already printed.
    #[error("{errors} error(s) in the data folder `{folder}`")]
    #[diagnostic(code(invalid_data), help("fix the problems above; `threatgraph check` lists them all"))]
    InvalidData { errors: usize, folder: String },
    /// `--data` names no folder.
    #[error("data folder `{folder}` {problem}")]
    #[diagnostic(
        code(no_data_folder),
        help("run from the repository root, or pass the folder with `--data DIR`")
    )]
    NoDataFolder { folder: String, problem: &'static str },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Resolve(#[from] ResolveError),
    #[error("{message}")]
    #[diagnostic(code(usage), help("{help}"))]
    Usage { message: String, help: String },
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Render(#[from] crate::export::render::RenderError),
}

pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    let g = &cli.global;
    // A name taken to mean a search's clear best match is said on stderr, before the answer.
    crate::query::resolve::on_taken(|taken| eprintln!("{taken}"));
    let reads_data = match &cli.command {
        Command::Completions(_) | Command::Man(_) => false,
        // `check --format json` reports a missing folder as a problem in its JSON.
        Command::Check(_) => g.format == Format::Text,
        _ => true,
    };
    if reads_data && !g.data.is_dir() {
        let problem = if g.data.exists() { "is not a folder" } else { "not found" };
        return Err(CliError::NoDataFolder { folder: g.data.display().to_string(), problem });
    }
    let outcome = match cli.command {
        Command::Check(args) => check::run(g, args),
        Command::Search(args) => search::run(g, args),
        Command::Show(args) => show::run(g, args),
        Command::Neighbours(args) => neighbours::run(g, args),
        Command::Path(args) => path::run(g, args),
        Command::Timeline(args) => timeline::run(g, args),
        Command::Chain(args) => chain::run(g, args),
        Command::Changes(args) => changes::run(g, args),
        Command::Connect(args) => connect::run(g, args),
        Command::Rank(args) => rank::run(g, args),
        Command::Clusters(args) => clusters::run(g, args),
        Command::Common(args) => common::run(g, args),
        Command::Extract(args) => extract::run(g, args),
        Command::Review(args) => review::run(g, args),
        Command::Dedupe(args) => dedupe::run(g, args),
        Command::Export(args) => export::run(g, args),
        Command::Render(args) => render::run(g, args),
        Command::Serve(args) => serve::run(g, args),
        Command::Import(args) => import::run(g, args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    };
    // A name not known as of a date may be known now: say so rather than just "no entity".
    match (outcome, &g.as_of) {
        (Err(CliError::Resolve(ResolveError::NotFound { query, hint })), Some(date)) => {
            let hint = format!(
                "{hint}; no source published by the end of {date} names it (drop --as-of to search all)"
            );
            Err(CliError::Resolve(ResolveError::NotFound { query, hint }))
        }
        (outcome, _) => outcome,
    }
}

/// Loads and validates the data folder. Returns the load with every problem found, sorted.
pub fn load_checked(g: &Global) -> Loaded {
    load_checked_with(g, |_| ())
}

/// Like [`load_checked`], with `more` reading extra files into the load before validation.
pub fn load_checked_with(g: &Global, more: impl FnOnce(&mut Loaded)) -> Loaded {
    let mut loaded = load::load(&g.data);
    more(&mut loaded);
    let (more, ends) = crate::validate::validate_with_ends(&loaded);
    loaded.problems.extend(more);
    loaded.link_ends = ends;
    diagnostic::sort(&mut loaded.problems);
    loaded
}

/// True when diagnostics should be coloured: stderr (where they go) and stdout are both
/// terminals, `NO_COLOR` is unset or empty (no-color.org) and `TERM` is not `dumb`. (`--help`
/// is clap's, which follows the same rules for stdout.)
pub fn color() -> bool {
    let terminals = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    colour_wanted(terminals, std::env::var_os("NO_COLOR").as_deref(), std::env::var_os("TERM").as_deref())
}

fn colour_wanted(terminals: bool, no_color: Option<&OsStr>, term: Option<&OsStr>) -> bool {
    terminals && no_color.is_none_or(OsStr::is_empty) && term.is_none_or(|t| t != "dumb")
}

/// Prints an error that stopped a command the way the data's diagnostics are printed: its
/// message first, then its help. The diagnostic's code stays on the type, for programs.
pub fn print_error(error: &CliError) {
    let theme = if color() { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(diagnostic::WIDTH).with_links(false);
    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = handler.render_report(&mut text, &Uncoded(error));
    eprint!("{text}");
}

/// A diagnostic shown without its code, which miette would print alone on the first line.
#[derive(Debug)]
struct Uncoded<'a>(&'a dyn Diagnostic);

impl std::fmt::Display for Uncoded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for Uncoded<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl Diagnostic for Uncoded<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.0.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.0.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}

/// Prints problems to stderr, in colour on a terminal unless `NO_COLOR` is set.
pub fn print_problems(loaded: &Loaded, problems: &[Problem]) {
    eprint!("{}", diagnostic::render(problems, &loaded.files, color()));
}

/// Loads, validates and builds the graph; on errors prints them (not the warnings) and fails.
/// With `--as-of`, the graph holds only what the sources had published by then
/// (see [`as_of`]).
///
/// Uses the folder's snapshot when its files are unchanged, and writes one after a load with
/// no errors (see [`crate::snapshot`]); `--no-cache` or `THREATGRAPH_CACHE=off` turn this off.
///
/// The graph is never dropped: a command runs once and exits, and freeing millions of small
/// allocations one by one takes seconds on a large graph that the system reclaims at once.
pub fn load_graph(g: &Global) -> Result<ManuallyDrop<KnowledgeGraph>, CliError> {
    match &g.as_of {
        Some(date) => as_of::load_graph(g, date),
        None => Ok(load_current(g, cache(g).as_ref())?.0),
    }
}

/// The snapshot cache the options and the environment ask for, if any.
fn cache(g: &Global) -> Option<snapshot::Cache> {
    if g.no_cache { None } else { snapshot::Cache::from_env() }
}

/// The graph of the data as it is now (whatever `--as-of` says), from the snapshot in `cache`
/// or written to it, with the key of that snapshot (`None` when there is none).
fn load_current(
    g: &Global,
    cache: Option<&snapshot::Cache>,
) -> Result<(ManuallyDrop<KnowledgeGraph>, Option<snapshot::Key>), CliError> {
    let Some(cache) = cache else {
        return Ok((ManuallyDrop::new(build_checked(g, load_checked(g))?), None));
    };
    if let Some(key) = snapshot::folder_key(&g.data)
        && let Some(graph) = cache.read(&g.data, key)
    {
        return Ok((ManuallyDrop::new(graph), Some(key)));
    }
    let started = Instant::now();
    let loaded = load_checked(g);
    snapshot::timing("load and validate", started);
    let key = if loaded.problems.iter().any(Problem::is_error) {
        None
    } else {
        snapshot::loaded_key(&g.data, &loaded)
    };
    let graph = build_checked(g, loaded)?;
    if let Some(key) = key
        && let Err(e) = cache.write(&g.data, key, &graph)
    {
        snapshot::timing_note(&format!("cannot write a snapshot to `{}`: {e}", cache.dir().display()));
        return Ok((ManuallyDrop::new(graph), None));
    }
    Ok((ManuallyDrop::new(graph), key))
}

/// Builds the graph of a checked load; on errors prints them (not the warnings) and fails.
/// With `--as-of`, only what the sources had published by then.
pub fn graph_of(g: &Global, loaded: Loaded) -> Result<KnowledgeGraph, CliError> {
    match &g.as_of {
        Some(date) => {
            let dataset = checked(g, loaded)?.0;
            Ok(as_of::build(crate::model::as_of::Parts::of(&dataset), date))
        }
        None => build_checked(g, loaded),
    }
}

/// The dataset of a checked load and its links' ends; on errors prints them and fails.
fn checked(g: &Global, loaded: Loaded) -> Result<(crate::model::Dataset, Vec<[u32; 2]>), CliError> {
    let errors: Vec<Problem> = loaded.problems.iter().filter(|p| p.is_error()).cloned().collect();
    if !errors.is_empty() {
        print_problems(&loaded, &errors);
        return Err(CliError::InvalidData { errors: errors.len(), folder: g.data.display().to_string() });
    }
    // The file texts and record spans are not needed any more: free them (a few hundred
    // large allocations) before the graph takes room of its own.
    let Loaded { dataset, files, map, problems, link_ends, .. } = loaded;
    drop((files, map, problems));
    Ok((dataset, link_ends))
}

/// The graph of a checked load as the data is now.
fn build_checked(g: &Global, loaded: Loaded) -> Result<KnowledgeGraph, CliError> {
    let (dataset, link_ends) = checked(g, loaded)?;
    let started = Instant::now();
    let graph = KnowledgeGraph::build_with_ends(dataset, link_ends);
    snapshot::timing("build graph", started);
    Ok(graph)
}

/// Refuses to write command output over hand-written data: `sources.ron`, or anything in
/// `curated/`, `views/` or `chains/` of the data folder (existing or new). Facts reach
/// `curated/` only through `review accept`; `extracted/` is the extractor's own.
pub fn refuse_data_file(g: &Global, out: &Path) -> Result<(), CliError> {
    let Ok(data) = g.data.canonicalize() else { return Ok(()) };
    // The output may not exist yet: resolve its folder instead.
    let out = out.canonicalize().unwrap_or_else(|_| {
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match (parent.canonicalize(), out.file_name()) {
            (Ok(dir), Some(name)) => dir.join(name),
            _ => out.to_path_buf(),
        }
    });
    let protected = out == data.join("sources.ron")
        || ["curated", "views", "chains"].iter().any(|d| out.starts_with(data.join(d)));
    if protected {
        return Err(CliError::Usage {
            message: format!("refusing to write `{}`: it is hand-written data", out.display()),
            help: "write outside the data folder, or proposals to data/extracted/; facts reach \
                   curated/ only through `threatgraph review accept`"
                .into(),
        });
    }
    Ok(())
}

/// Refuses `--as-of` for a command that works on the data as it is now (checking it,
/// extracting into it, reviewing it), rather than ignoring it.
pub fn refuse_as_of(g: &Global, command: &str) -> Result<(), CliError> {
    match &g.as_of {
        Some(date) => Err(CliError::Usage {
            message: format!("`{command}` works on the data as it is now, not as of {date}"),
            help: "drop --as-of; it applies to the commands that question the graph".into(),
        }),
        None => Ok(()),
    }
}

/// The link filter the global options ask for, with extra relations.
pub fn filter(g: &Global, relations: &[Relation]) -> LinkFilter {
    LinkFilter {
        relations: relations.to_vec(),
        min_certainty: g.min_certainty,
        curated_only: g.curated_only,
        ..LinkFilter::default()
    }
}

/// Prints a value as pretty JSON followed by a newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    output::write(&format!("{text}\n"))
}

fn parse_certainty(s: &str) -> Result<Certainty, String> {
    Certainty::ALL
        .into_iter()
        .find(|c| c.name().eq_ignore_ascii_case(s))
        .ok_or_else(|| format!("expected one of {}", Certainty::ALL.map(|c| c.name()).join(", ")))
}

pub(crate) fn parse_relation(s: &str) -> Result<Relation, String> {
    Relation::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Relation::ALL.iter().map(|r| r.name()).collect();
        match load::closest(s, &names) {
            Some(best) => format!("unknown relation `{s}`: did you mean `{best}`?"),
            None => format!("unknown relation `{s}`; relations: {}", names.join(", ")),
        }
    })
}

pub(crate) fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::from_name(s).ok_or_else(|| "expected one of Person, Group, Place, Event".to_owned())
}

pub(crate) fn parse_date(s: &str) -> Result<PartialDate, String> {
    PartialDate::parse(s).map_err(|e| format!("{e}; {}", crate::model::DATE_FORMS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_terminals_without_no_color_or_a_dumb_term() {
        let set = |s: &'static str| Some(OsStr::new(s));
        assert!(colour_wanted(true, None, set("xterm-256color")));
        assert!(colour_wanted(true, None, None));
        assert!(!colour_wanted(false, None, set("xterm")), "not a terminal");
        assert!(!colour_wanted(true, set("1"), set("xterm")), "NO_COLOR set");
        assert!(colour_wanted(true, set(""), set("xterm")), "an empty NO_COLOR is unset (no-color.org)");
        assert!(!colour_wanted(true, None, set("dumb")));
    }
}
