//! `threatgraph import stix|ftm|csv FILE... --as NAME`: read other tools' data into
//! `data/imported/NAME/` (see [`crate::import`]), report what was left out, joined or may be a
//! duplicate. Writes nothing when the folder would not check clean.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{CliError, Format, Global, Outcome, output, print_json};
use crate::import::{self, Imported, Report, write};
use crate::load::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// STIX 2.1 bundles (JSON).
    Stix,
    /// FollowTheMoney entities, one JSON object per line.
    Ftm,
    /// CSV files, read by a mapping file (`--mapping FILE.ron`).
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The format of the files.
    #[arg(value_enum, id = "input-format", value_name = "FORMAT")]
    pub input_format: ImportFormat,
    /// The files to import.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The import's name: its facts go to `data/imported/NAME/`, replacing an earlier import of
    /// that name. Lowercase letters, digits and hyphens.
    #[arg(long = "as", value_name = "NAME")]
    pub name: String,
    /// With csv: the mapping file (RON) saying which columns make entities and links.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Read, join and check, and print the report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The most bytes of records a facts file of the import holds (hidden: for tests of
    /// imports split into several files).
    #[arg(long, hide = true, default_value_t = write::CHUNK_BYTES)]
    pub chunk_bytes: usize,
    /// Print on stderr the time and peak memory of the import's two parts, reading and
    /// writing, then checking the folder as it will be (hidden: for `benches/import_scale.py`).
    #[arg(long, hide = true)]
    pub measure: bool,
}

/// The time and peak resident memory of the parts of an import, for `--measure`: the peak is
/// read from `/proc/self/status` (`VmHWM`) and reset (`/proc/self/clear_refs`) between parts,
/// so each part's peak is its own. Linux only; elsewhere the peaks are 0.
struct Measure {
    enabled: bool,
    start: std::time::Instant,
    parts: Vec<(&'static str, f64, u64)>,
}

impl Measure {
    fn new(enabled: bool) -> Self {
        Measure { enabled, start: std::time::Instant::now(), parts: Vec::new() }
    }

    /// Ends the part `what`: its time and peak (MiB); unless it is the `last`, the peak then
    /// starts again from now (the last is not reset, so that the process's own peak, as
    /// `/usr/bin/time` reads it at exit, stays the peak of the whole run).
    fn part(&mut self, what: &'static str, last: bool) {
        if !self.enabled {
            return;
        }
        let peak = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_owned())))
            .and_then(|v| v.trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        if !last {
            let _ = std::fs::write("/proc/self/clear_refs", "5");
        }
        self.parts.push((what, self.start.elapsed().as_secs_f64(), peak / 1024));
        self.start = std::time::Instant::now();
    }

    fn print(&self) {
        for (what, seconds, mib) in &self.parts {
            eprintln!("measure: {what}: {seconds:.1} s, peak {mib} MiB");
        }
    }
}

/// Stages the records of an import held whole (STIX, CSV); gives its sources and report.
fn staged(
    stage: &mut write::Stage,
    imported: Imported,
) -> std::io::Result<(Vec<crate::model::Source>, Report)> {
    stage.records(&imported)?;
    Ok((imported.sources, imported.report))
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    if !crate::model::Id::from(args.name.as_str()).is_valid() {
        return Err(CliError::Usage {
            message: format!("`{}` cannot name an import", args.name),
            help: format!(
                "use lowercase letters, digits and single hyphens, e.g. `--as {}`",
                crate::model::slugify(&args.name)
            ),
        });
    }
    let mut measure = Measure::new(args.measure);
    let paths: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    // Joined to the data as it is without this import's own earlier folder, so that importing
    // the same files again gives the same result; but with that folder's joins, so that a
    // record joined before is found again by its id.
    let folder = write::folder(&args.name);
    let joins = folder.join("joins.ron");
    let earlier: Vec<(String, String)> = std::fs::read_to_string(g.data.join(&joins))
        .map(|text| vec![(joins.display().to_string(), text)])
        .unwrap_or_default();
    let existing = crate::load::load_replacing(&g.data, Some(&folder), earlier);
    let mut stage = write::Stage::new(&g.data, &args.name, args.chunk_bytes, args.dry_run)?;
    let read = match args.input_format {
        ImportFormat::Ftm => {
            // Read twice (entities, then links): the bar counts both passes.
            let total: u64 = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
            let bar = super::progress::bytes(2 * total, "reading FtM entities, then links");
            let mut joiner = import::Joiner::new(&existing.dataset, &args.name, Report::default());
            let streamed = import::ftm::stream(&paths, &args.name, &mut joiner, &mut stage, |n| bar.inc(n))?;
            bar.finish_and_clear();
            streamed.map(|sources| joiner.finish(sources))
        }
        ImportFormat::Stix => match import::stix::read(&paths, &args.name) {
            Ok((draft, preferred)) => {
                Ok(staged(&mut stage, import::finish(draft, &existing.dataset, &args.name, &preferred))?)
            }
            Err(errors) => Err(errors),
        },
        ImportFormat::Csv => {
            let Some(mapping) = &args.mapping else {
                return Err(CliError::Usage {
                    message: "a CSV import needs a mapping".into(),
                    help: "give `--mapping FILE.ron` (see README, Importing)".into(),
                });
            };
            match import::csv::read_mapping(mapping)
                .map_err(|e| vec![e])
                .and_then(|m| import::csv::read(&paths, &m, &args.name))
            {
                Ok(draft) => Ok(staged(
                    &mut stage,
                    import::finish(draft, &existing.dataset, &args.name, &Default::default()),
                )?),
                Err(errors) => Err(errors),
            }
        }
    };
    drop(existing);
    let (sources, report, counts) = match read {
        Ok((sources, report)) => {
            let counts = Counts { sources: sources.len(), entities: stage.entities(), links: stage.links() };
            (sources, report, counts)
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            return Err(CliError::Usage {
                message: format!("{} input file(s) could not be read; nothing was written", errors.len()),
                help: "fix the files named above and run the import again".into(),
            });
        }
    };
    stage.finish(&sources, &report)?;
    drop(sources);
    measure.part("read, join and write", false);
    // The records are on disk now, in the staged folder; it is checked as the data folder
    // will be, all of it loaded as `check` loads it.
    let loaded = stage.check()?;
    let errors: Vec<Problem> = loaded.problems.iter().filter(|p| p.is_error()).cloned().collect();
    if !errors.is_empty() {
        super::print_problems(&loaded, &errors);
        return Err(CliError::Usage {
            message: format!(
                "the data folder would have {} error(s) with this import; nothing was written",
                errors.len()
            ),
            help: "fix the problems above (in the data folder, or in the input) and run the import again"
                .into(),
        });
    }
    let warnings = loaded.problems.len();
    drop(loaded);
    measure.part("check of the folder as it will be", true);
    if !args.dry_run {
        stage.commit()?;
    }
    measure.print();
    match g.format {
        Format::Json => {
            let mut json = summary(&args.name, &counts, &report, !args.dry_run);
            json["warnings"] = warnings.into();
            print_json(&json)?;
        }
        Format::Text => {
            let mut out = text(&g.data, &args.name, &counts, &report, !args.dry_run);
            if warnings > 0 {
                out.push_str(&format!(
                    "the data folder checks with {warnings} warning(s): `threatgraph check` lists them\n"
                ));
            }
            output::write(&out)?;
        }
    }
    Ok(Outcome::Yes)
}

/// How many records an import wrote, of each sort.
struct Counts {
    sources: usize,
    entities: usize,
    links: usize,
}

fn summary(name: &str, counts: &Counts, report: &Report, written: bool) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "written": written,
        "folder": format!("imported/{name}"),
        "sources": counts.sources,
        "entities": counts.entities,
        "links": counts.links,
        "report": report,
    })
}

fn text(data: &Path, name: &str, counts: &Counts, r: &Report, written: bool) -> String {
    let mut out = format!(
        "{} {}: {} sources, {} entities, {} links\n",
        if written { "wrote" } else { "would write (--dry-run)" },
        data.join(write::folder(name)).display(),
        counts.sources,
        counts.entities,
        counts.links
    );
    let counted = |title: &str, counts: &std::collections::BTreeMap<String, usize>| {
        let mut s = String::new();
        if !counts.is_empty() {
            let total: usize = counts.values().sum();
            s.push_str(&format!("{title} ({total}):\n"));
            for (what, n) in counts {
                s.push_str(&format!("  {n:>4} {what}\n"));
            }
        }
        s
    };
    out.push_str(&counted("skipped, no place in the graph", &r.skipped));
    out.push_str(&counted("relationships with no relation", &r.unmapped));
    let listed = |title: &str, items: &[String]| {
        let mut s = String::new();
        if !items.is_empty() {
            s.push_str(&format!("{title} ({}):\n", items.len()));
            for i in items {
                s.push_str(&format!("  {i}\n"));
            }
        }
        s
    };
    // Each is listed in the JSON report; here they are counted by type and missing end.
    let mut dangling = std::collections::BTreeMap::new();
    for d in &r.dangling {
        *dangling.entry(d.split_once(": ").map_or(d.as_str(), |(_, what)| what).to_owned()).or_default() += 1;
    }
    out.push_str(&counted("relationships left out, an end was skipped", &dangling));
    out.push_str(&listed("merged", &r.folded));
    out.push_str(&listed("unreadable values", &r.unreadable));
    let joined: Vec<String> = r
        .joined
        .iter()
        .map(|j| format!("{} ({}) is `{}`, by {}", j.name, j.external_id, j.existing, j.by))
        .collect();
    out.push_str(&listed("joined to entities already there", &joined));
    let pairs: Vec<String> = r
        .possible_duplicates
        .iter()
        .map(|p| format!("`{}` and `{}`: {}", p.imported, p.existing, p.why))
        .collect();
    out.push_str(&listed("possible duplicates, to review", &pairs));
    out
}
