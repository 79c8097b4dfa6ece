//! `threatgraph export FORMAT`: a diagram (DOT, SVG, PNG, HTML) or a data file (GraphML, JSON
//! node-link, Cypher, Neo4j CSV, FollowTheMoney, STIX 2.1) of a named view, a neighbourhood, the paths
//! between two entities, or the whole graph.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{CliError, Global, Outcome, filter, load_graph, output};
use crate::export::new_since::{self, New};
use crate::export::view::{self, Refuted, Selection};
use crate::export::{cypher, dot, ftm, graphml, html, json, neo4j_csv, render, stix, write_atomic};
use crate::graph::KnowledgeGraph;
use crate::model::Cluster;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT text.
    Dot,
    /// SVG rendered by Graphviz `dot`.
    Svg,
    /// PNG rendered by Graphviz `dot` (needs -o).
    Png,
    /// One self-contained HTML page: the SVG with search, click-to-highlight and sources on
    /// hover (needs Graphviz; works offline).
    Html,
    /// GraphML with typed attributes (Gephi, yEd, Cytoscape, NetworkX).
    Graphml,
    /// JSON node-link (D3, Cytoscape.js, NetworkX `node_link_graph`).
    Json,
    /// A Neo4j Cypher script: a constraint, then MERGE statements.
    Cypher,
    /// Neo4j bulk-import CSV: `-o DIR` gets nodes.csv and relationships.csv.
    #[value(name = "neo4j-csv")]
    Neo4jCsv,
    /// FollowTheMoney entities as JSON lines (Aleph, OpenSanctions tooling).
    Ftm,
    /// A STIX 2.1 bundle (OpenCTI, MISP): identities, threat actors, locations, campaigns,
    /// reports for sources, relationships with `confidence`.
    Stix,
    /// threatgraph's own data folder (`-o DIR`, new or empty): the entities and links, with
    /// the sources they cite, for another threatgraph user.
    Ron,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to write.
    #[arg(value_enum, value_name = "FORMAT")]
    pub what: ExportFormat,
    /// A named view: `data/views/NAME.ron`.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["around", "path", "chain"])]
    pub view: Option<String>,
    /// The neighbourhood of this entity (id, name or alias), --depth links deep.
    #[arg(long, value_name = "ENTITY", conflicts_with_all = ["path", "chain"])]
    pub around: Option<String>,
    /// The path-to-attack chains from this person or group (as `chain` finds them).
    #[arg(long, value_name = "ACTOR", conflicts_with = "path")]
    pub chain: Option<String>,
    /// With --chain: the longest chain, in links.
    #[arg(long, default_value_t = 4, requires = "chain")]
    pub max_len: usize,
    /// With --around: how many links away to look.
    #[arg(long, default_value_t = 1, requires = "around")]
    pub depth: u32,
    /// The shortest paths between two entities.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub path: Vec<String>,
    /// Write here instead of stdout (a folder for neo4j-csv). Written atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Leave out `Refuted` links (by default they are drawn red, dotted, marked REFUTED).
    #[arg(long)]
    pub no_refuted: bool,
    /// Diagrams without the legend.
    #[arg(long)]
    pub no_legend: bool,
    /// Diagrams: mark the entities and links first published on or after DATE (a double
    /// outline, a thicker line, `NEW`); see README, "As of a date".
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    pub new_since: Option<crate::model::PartialDate>,
    /// Group a diagram's nodes by `country` or `group`, or `none` (default: as the view says).
    #[arg(long, value_name = "BY", value_parser = parse_cluster)]
    pub cluster: Option<ClusterBy>,
}

/// How `--cluster` groups a diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClusterBy(pub Option<Cluster>);

fn parse_cluster(s: &str) -> Result<ClusterBy, String> {
    match s.to_ascii_lowercase().as_str() {
        "country" => Ok(ClusterBy(Some(Cluster::Country))),
        "group" => Ok(ClusterBy(Some(Cluster::Group))),
        "none" => Ok(ClusterBy(None)),
        _ => Err("expected country, group or none".to_owned()),
    }
}

/// The selection the arguments ask for, and a name for it.
pub fn select(g: &Global, graph: &KnowledgeGraph, args: &Args) -> Result<(Selection, String), CliError> {
    let refuted = if args.no_refuted { Refuted::Omit } else { Refuted::Show };
    let f = filter(g, &[]);
    if let Some(name) = &args.view {
        let Some(v) = graph.views().iter().find(|v| &v.name == name) else {
            let names: Vec<&str> = graph.views().iter().map(|v| v.name.as_str()).collect();
            return Err(CliError::Usage {
                message: format!("no view is called `{name}`"),
                help: format!("views in {}/views: {}", g.data.display(), names.join(", ")),
            });
        };
        return Ok((view::named(graph, v, &f, refuted), v.name.clone()));
    }
    if let Some(center) = &args.around {
        let c = graph.resolve(center)?;
        return Ok((view::around(graph, c, args.depth, &f, refuted), graph.entity(c).id.to_string()));
    }
    if let Some(actor) = &args.chain {
        let a = graph.resolve(actor)?;
        let name = format!("{}-chains", graph.entity(a).id);
        return Ok((view::chains(graph, a, args.max_len, &f), name));
    }
    if let [a, b] = args.path.as_slice() {
        let (a, b) = (graph.resolve(a)?, graph.resolve(b)?);
        if a == b {
            return Err(CliError::Usage {
                message: "--path needs two different entities".into(),
                help: "give two different entities".into(),
            });
        }
        let name = format!("{}-to-{}", graph.entity(a).id, graph.entity(b).id);
        return Ok((view::path(graph, a, b, &f, refuted), name));
    }
    Ok((view::whole(graph, &f, refuted, "The whole graph"), "threatgraph".to_owned()))
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    if let Some(out) = &args.output {
        super::refuse_data_file(g, out)?;
    }
    let diagram =
        matches!(args.what, ExportFormat::Dot | ExportFormat::Svg | ExportFormat::Png | ExportFormat::Html);
    if args.new_since.is_some() && !diagram {
        return Err(CliError::Usage {
            message: "--new-since marks a diagram: dot, svg, png or html".into(),
            help: "for data, `threatgraph changes --since DATE` lists what is new".into(),
        });
    }
    let graph = load_graph(g)?;
    let (mut sel, name) = select(g, &graph, &args)?;
    if let Some(ClusterBy(by)) = args.cluster {
        sel.cluster = by;
    }
    let new = args.new_since.as_ref().map(|since| {
        let new = New::find(&graph, &sel, since);
        sel.title.push_str(&format!("\ndouble outline, thick line, NEW: first published since {since}"));
        new
    });
    if let Some(date) = &g.as_of {
        sel.title.push_str(&super::as_of::title(date));
    }
    let opts = Diagram { options: dot::Options { legend: !args.no_legend }, new: new.as_ref() };
    let bytes: Vec<u8> = match args.what {
        ExportFormat::Dot => opts.write(&graph, &sel, &name).into_bytes(),
        ExportFormat::Svg => render_image(&graph, &sel, &name, opts, render::Image::Svg)?,
        ExportFormat::Png => {
            if args.output.is_none() {
                return Err(CliError::Usage {
                    message: "PNG is binary and is not written to the terminal".into(),
                    help: "give a file: `-o diagram.png`".into(),
                });
            }
            render_image(&graph, &sel, &name, opts, render::Image::Png)?
        }
        ExportFormat::Html => {
            let svg = render_image(&graph, &sel, &name, opts, render::Image::Svg)?;
            html::write(&graph, &sel, &String::from_utf8_lossy(&svg)).into_bytes()
        }
        ExportFormat::Graphml => graphml::write(&graph, &sel, &name).into_bytes(),
        ExportFormat::Json => json::write(&graph, &sel, &name).into_bytes(),
        ExportFormat::Cypher => cypher::write(&graph, &sel).into_bytes(),
        ExportFormat::Ftm => ftm::write(&graph, &sel).into_bytes(),
        ExportFormat::Stix => stix::write(&graph, &sel).into_bytes(),
        ExportFormat::Ron => {
            let Some(dir) = &args.output else {
                return Err(CliError::Usage {
                    message: "ron writes a data folder and needs one".into(),
                    help:
                        "give a new folder: `-o shared-data/` (then `threatgraph --data shared-data check`)"
                            .into(),
                });
            };
            let part = crate::save::subset(
                graph.sources(),
                sel.nodes.iter().map(|&i| graph.entity(i)),
                sel.links.iter().map(|&l| graph.link(l)),
            );
            crate::save::write_folder(&part, dir).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => CliError::Usage {
                    message: e.to_string(),
                    help: "give a new or empty folder: an export never replaces data".into(),
                },
                _ => CliError::Io(e),
            })?;
            return Ok(answer(&graph, &sel, &args));
        }
        ExportFormat::Neo4jCsv => {
            let Some(dir) = &args.output else {
                return Err(CliError::Usage {
                    message: "neo4j-csv writes two files and needs a folder".into(),
                    help: "give one: `-o neo4j/` (it gets nodes.csv and relationships.csv)".into(),
                });
            };
            let Some(files) = neo4j_csv::write(&graph, &sel) else {
                return Err(CliError::Usage {
                    message: format!(
                        "every array delimiter Neo4j could use ({}) occurs in some list value",
                        neo4j_csv::ARRAY_DELIMITERS.map(|d| format!("{d:?}")).join(", ")
                    ),
                    help: "export `cypher` instead: its strings are escaped".into(),
                });
            };
            std::fs::create_dir_all(dir)?;
            write_atomic(&dir.join("nodes.csv"), files.nodes.as_bytes())?;
            write_atomic(&dir.join("relationships.csv"), files.relationships.as_bytes())?;
            if files.delimiter != '|' {
                eprintln!(
                    "a list value holds `|`, so arrays are delimited by {:?}: import with --array-delimiter={:?}",
                    files.delimiter, files.delimiter
                );
            }
            return Ok(answer(&graph, &sel, &args));
        }
    };
    emit(args.output.as_deref(), &bytes)?;
    Ok(answer(&graph, &sel, &args))
}

/// `--path` with no path between the two is a "no" (exit 1), like `path`; the export is still
/// written, holding the two entities and any link between them that the sources deny.
fn answer(graph: &KnowledgeGraph, sel: &Selection, args: &Args) -> Outcome {
    let connected = sel.links.iter().any(|&l| !graph.link(l).certainty.is_refuted());
    if args.path.len() == 2 && !connected {
        eprintln!("no path between the two within 6 links: the export holds the two entities only");
        Outcome::No
    } else {
        Outcome::Yes
    }
}

/// How to draw a diagram: the writer's options, and what to mark as new.
#[derive(Clone, Copy)]
struct Diagram<'a> {
    options: dot::Options,
    new: Option<&'a New>,
}

impl Diagram<'_> {
    fn write(&self, graph: &KnowledgeGraph, sel: &Selection, name: &str) -> String {
        match self.new {
            Some(new) => new_since::write(graph, sel, name, self.options, new),
            None => dot::write(graph, sel, name, self.options),
        }
    }
}

fn render_image(
    graph: &KnowledgeGraph,
    sel: &Selection,
    name: &str,
    opts: Diagram<'_>,
    image: render::Image,
) -> Result<Vec<u8>, CliError> {
    Ok(render::render(&opts.write(graph, sel, name), image)?)
}

/// Writes to the file (atomically) or, without one, to stdout.
fn emit(path: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match path {
        Some(p) => Ok(write_atomic(p, bytes)?),
        None => output::write(&String::from_utf8_lossy(bytes)),
    }
}
