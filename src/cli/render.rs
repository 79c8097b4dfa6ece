//! `threatgraph render [--check]`: every view in `data/views/` to `graphs/NAME.dot`,
//! `graphs/NAME.svg` and `graphs/NAME.png` (the picture the README shows); with `--check`, write
//! nothing and fail (exit 1) when `graphs/` is stale.
//!
//! The `.dot` files are compared exactly. An `.svg` is compared only when the local Graphviz
//! is the version that made it (the SVG names it), since layouts differ between versions; a
//! `.png` (which names no version) only when its view's `.svg` was made by the local version.

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
        let [dot_file, svg_file, png_file] = ["dot", "svg", "png"].map(|ext| format!("{}.{ext}", v.name));
        expected.extend([dot_file.clone(), svg_file.clone(), png_file.clone()]);
        let images = if graphviz {
            match render(&text, Image::Svg).and_then(|svg| Ok((svg, render(&text, Image::Png)?))) {
                Ok(images) => Some(images),
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
        let [dot_path, svg_path, png_path] = [&dot_file, &svg_file, &png_file].map(|f| args.out.join(f));
        if args.check {
            if std::fs::read(&dot_path).ok().as_deref() != Some(text.as_bytes()) {
                stale.push(show(&dot_path));
            }
            let old = std::fs::read(&svg_path).ok();
            match (old, images) {
                (None, _) => stale.push(show(&svg_path)),
                (Some(old), Some((svg, png))) => {
                    let (old_s, new_s) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(&svg));
                    if svg_generator(&old_s) == svg_generator(&new_s) {
                        if old != svg {
                            stale.push(show(&svg_path));
                        }
                        if std::fs::read(&png_path).ok() != Some(png) {
                            stale.push(show(&png_path));
                        }
                    } else {
                        notes.push(format!(
                            "{} was made by another Graphviz version: it and its .png not compared",
                            show(&svg_path)
                        ));
                    }
                }
                (Some(_), None) => {}
            }
            if !png_path.exists() {
                stale.push(show(&png_path));
            }
        } else {
            std::fs::create_dir_all(&args.out)?;
            let mut files = vec![(dot_path, text.into_bytes())];
            if let Some((svg, png)) = images {
                files.extend([(svg_path, svg), (png_path, png)]);
            }
            for (path, bytes) in files {
                if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                    write_atomic(&path, &bytes)?;
                    stale.push(show(&path));
                }
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

/// `.dot`, `.svg` and `.png` files in `dir` that no view accounts for.
fn leftovers(dir: &Path, expected: &BTreeSet<String>) -> Result<Vec<PathBuf>, CliError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
    let mut extra = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let diagram = [".dot", ".svg", ".png"].iter().any(|ext| name.ends_with(ext));
        if diagram && !expected.contains(&name) {
            extra.push(path);
        }
    }
    extra.sort();
    Ok(extra)
}

fn show(p: &Path) -> String {
    p.display().to_string()
}
