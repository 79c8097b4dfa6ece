//! `threatgraph render [--check]`: every view in `data/views/` to `graphs/NAME.dot` and
//! `graphs/NAME.svg`; with `--check`, write nothing and fail (exit 1) when `graphs/` is stale.
//!
//! The `.dot` files are compared exactly. An `.svg` is compared only when the local Graphviz
//! is the version that made it (the SVG names it), since layouts differ between versions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{CliError, Global, Outcome, filter, load_graph, output};
use crate::export::render::{Image, RenderError, render, svg_generator};
use crate::export::view::{Refuted, named};
use crate::export::{dot, write_atomic};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compare instead of writing; exit 1 when a file is missing, different or left over.
    #[arg(long)]
    pub check: bool,
    /// The folder the diagrams go to.
    #[arg(long, value_name = "DIR", default_value = "graphs")]
    pub out: PathBuf,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    super::refuse_data_file(g, &args.out)?;
    // `graphs/` holds the diagrams of the data as it is: a dated set goes elsewhere.
    if let Some(date) = &g.as_of
        && args.out == Path::new("graphs")
    {
        return Err(CliError::Usage {
            message: format!("`render --as-of {date}` would replace the diagrams in graphs/ with older ones"),
            help: format!("give them a folder of their own: `--out graphs-{date}`"),
        });
    }
    let graph = load_graph(g)?;
    let mut views: Vec<_> = graph.views().iter().collect();
    views.sort_by(|a, b| a.name.cmp(&b.name));
    let mut expected: BTreeSet<String> = BTreeSet::new();
    let mut stale: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut graphviz = true;
    for v in &views {
        let mut sel = named(&graph, v, &filter(g, &[]), Refuted::Show);
        if let Some(date) = &g.as_of {
            sel.title.push_str(&super::as_of::title(date));
        }
        let text = dot::write(&graph, &sel, &v.name, dot::Options::default());
        let dot_file = format!("{}.dot", v.name);
        let svg_file = format!("{}.svg", v.name);
        expected.insert(dot_file.clone());
        expected.insert(svg_file.clone());
        let svg = if graphviz {
            match render(&text, Image::Svg) {
                Ok(bytes) => Some(bytes),
                Err(RenderError::Missing) if args.check => {
                    graphviz = false;
                    notes.push("Graphviz `dot` is missing: only the .dot files were compared".into());
                    None
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        let dot_path = args.out.join(&dot_file);
        let svg_path = args.out.join(&svg_file);
        if args.check {
            if std::fs::read(&dot_path).ok().as_deref() != Some(text.as_bytes()) {
                stale.push(show(&dot_path));
            }
            let old = std::fs::read(&svg_path).ok();
            match (old, svg) {
                (None, _) => stale.push(show(&svg_path)),
                (Some(old), Some(new)) => {
                    let (old_s, new_s) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(&new));
                    if svg_generator(&old_s) == svg_generator(&new_s) {
                        if old != new {
                            stale.push(show(&svg_path));
                        }
                    } else {
                        notes.push(format!(
                            "{} was made by another Graphviz version: not compared",
                            show(&svg_path)
                        ));
                    }
                }
                (Some(_), None) => {}
            }
        } else {
            std::fs::create_dir_all(&args.out)?;
            if std::fs::read(&dot_path).ok().as_deref() != Some(text.as_bytes()) {
                write_atomic(&dot_path, text.as_bytes())?;
                stale.push(show(&dot_path));
            }
            if let Some(svg) = svg
                && std::fs::read(&svg_path).ok().as_deref() != Some(svg.as_slice())
            {
                write_atomic(&svg_path, &svg)?;
                stale.push(show(&svg_path));
            }
        }
    }
    // Diagrams of views that no longer exist.
    for extra in leftovers(&args.out, &expected)? {
        if !args.check {
            std::fs::remove_file(&extra)?;
        }
        stale.push(show(&extra));
    }
    let mut out = String::new();
    let folder = show(&args.out);
    let outcome = if args.check && !stale.is_empty() {
        out.push_str(&format!("{folder} is stale:\n"));
        for s in &stale {
            out.push_str(&format!("  {s}\n"));
        }
        out.push_str("run `threatgraph render` and commit the result\n");
        Outcome::No
    } else if args.check || stale.is_empty() {
        out.push_str(&format!("{folder} is up to date ({} views)\n", views.len()));
        Outcome::Yes
    } else {
        out.push_str(&format!("updated {} file(s) in {folder} ({} views):\n", stale.len(), views.len()));
        for s in &stale {
            out.push_str(&format!("  {s}\n"));
        }
        Outcome::Yes
    };
    for n in &notes {
        out.push_str(&format!("note: {n}\n"));
    }
    output::write(&out)?;
    Ok(outcome)
}

/// `.dot` and `.svg` files in `dir` that no view accounts for.
fn leftovers(dir: &Path, expected: &BTreeSet<String>) -> Result<Vec<PathBuf>, CliError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut extra = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if (name.ends_with(".dot") || name.ends_with(".svg")) && !expected.contains(&name) {
            extra.push(path);
        }
    }
    extra.sort();
    Ok(extra)
}

fn show(p: &Path) -> String {
    p.display().to_string()
}
