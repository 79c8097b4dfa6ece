//! `threatgraph extract FILE|DIR ...`: propose entities and links from articles, each with its
//! source, byte span and rule; print them, write them for review (`-o`), or score them against
//! gold annotations (`--eval`).

use std::path::{Path, PathBuf};

use super::{CliError, Format, Global, Outcome, load_checked, output, print_json};
use crate::extract::{Document, Extractor, eval, write};
use crate::graph::KnowledgeGraph;
use crate::load::Loaded;
use crate::model::Source;
use crate::model::text::name_key;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Articles: UTF-8 plain text, Markdown or HTML files, or folders of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The source the articles are (an id of sources.ron). Without it, each file's source is
    /// the one whose `file` has the same file name.
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// Write the proposals as RON for review, e.g. data/extracted/NAME.ron.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Score the proposals against gold annotations (a file or folder; see
    /// tests/fixtures/gold/README.md) instead of printing them.
    #[arg(long, value_name = "GOLD")]
    pub eval: Option<PathBuf>,
    /// Do not use the graph's names: extract from the rules and the gazetteer alone.
    #[arg(long)]
    pub no_graph: bool,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    super::refuse_as_of(g, "extract")?;
    let loaded = load_checked(g);
    let errors: Vec<_> = loaded.problems.iter().filter(|p| p.is_error()).cloned().collect();
    if !errors.is_empty() {
        super::print_problems(&loaded, &errors);
        return Err(CliError::InvalidData { errors: errors.len(), folder: g.data.display().to_string() });
    }
    let gold_usage = |message: String| CliError::Usage {
        message,
        help: "give a gold file or folder in the format of tests/fixtures/gold/README.md".into(),
    };
    if let Some(out) = &args.output {
        super::refuse_data_file(g, out)?;
    }
    let mut paths = article_files(&args.inputs)?;
    let golds = match &args.eval {
        Some(gold) => eval::read_gold(gold).map_err(gold_usage)?,
        None => Vec::new(),
    };
    if args.eval.is_some() {
        // Only the articles the gold files are about are read and scored.
        paths.retain(|p| p.file_name().is_some_and(|n| golds.iter().any(|g| n == g.article.as_str())));
    }
    let docs = documents(g, &loaded, &paths, args.source.as_deref())?;
    let graph = graph_without(loaded, args.output.as_deref());
    let extractor = Extractor::new((!args.no_graph).then_some(&graph));
    let bar = super::progress::bar(docs.len() as u64, "extracting");
    if let Some(gold) = &args.eval {
        // Each article on its own, to score it against its own gold file.
        let mut all = Vec::new();
        // The pieces of one file are scored together, against the file's gold.
        for group in docs.chunk_by(|a, b| a.file == b.file) {
            let extraction = extractor.extract(group);
            let duplicates = extractor.duplicates(&extraction);
            all.push((group[0].clone(), extraction, duplicates));
            bar.inc(group.len() as u64);
        }
        bar.finish_and_clear();
        let report = eval::evaluate(gold, &golds, &all).map_err(gold_usage)?;
        match g.format {
            Format::Json => print_json(&report)?,
            Format::Text => output::write(&report.text())?,
        }
        return Ok(Outcome::Yes);
    }
    let mut extraction = extractor.extract_with(&docs, || bar.inc(1));
    bar.finish_and_clear();
    crate::extract::review::drop_rejected(&g.data, &mut extraction)?;
    // A link the graph already holds (curated, accepted, or in another extracted file) is not
    // proposed again.
    extraction.links.retain(|l| {
        !graph.links().iter().any(|k| {
            k.rel == l.rel
                && ((k.from.as_str() == l.from && k.to.as_str() == l.to)
                    || (l.rel.is_symmetric() && k.from.as_str() == l.to && k.to.as_str() == l.from))
        })
    });
    if let Some(out) = &args.output {
        let inputs: Vec<String> = docs.iter().map(|d| d.file.clone()).collect();
        // Written only if the folder it goes into stays valid.
        super::review::guarded_write(g, &[(out.clone(), write::ron(&extraction, &inputs))])?;
        eprintln!(
            "wrote {}: {} new entities, {} links (review them with `threatgraph review`)",
            out.display(),
            extraction.entities.iter().filter(|e| !e.known).count(),
            extraction.links.len()
        );
        return Ok(Outcome::Yes);
    }
    match g.format {
        Format::Json => print_json(&extraction)?,
        Format::Text => {
            let mut out = String::new();
            let known = extraction.entities.iter().filter(|e| e.known).count();
            out.push_str(&format!(
                "{} entities ({known} known, {} new), {} links\n",
                extraction.entities.len(),
                extraction.entities.len() - known,
                extraction.links.len()
            ));
            for e in extraction.entities.iter().filter(|e| !e.known) {
                out.push_str(&format!(
                    "new {} {} ({}), {} mentions, rule {}\n",
                    e.kind,
                    e.name,
                    e.id,
                    e.mentions.len(),
                    e.rule
                ));
            }
            for l in &extraction.links {
                out.push_str(&format!(
                    "{} {} {}   {} · {} · {}:{}-{} «{}»\n",
                    l.from,
                    output::arrow(l.rel, crate::graph::Direction::Out),
                    l.to,
                    l.certainty,
                    l.rule,
                    l.source,
                    l.span.start,
                    l.span.end,
                    l.text.replace('\n', " ")
                ));
            }
            output::write(&out)?;
        }
    }
    Ok(Outcome::Yes)
}

/// The article files among the inputs: files as given, and the `.txt`, `.md` and `.html` files
/// directly in folders, sorted.
fn article_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|x| {
                            ["txt", "md", "markdown", "html", "htm"].contains(&&*x.to_string_lossy())
                        })
                })
                .collect();
            found.sort();
            out.extend(found);
        } else if input.is_file() {
            out.push(input.clone());
        } else {
            return Err(CliError::Usage {
                message: format!("`{}` not found", input.display()),
                help: "give article files (text, Markdown or HTML) or folders of them".into(),
            });
        }
    }
    Ok(out)
}

/// Reads each article and names its source.
fn documents(
    g: &Global,
    loaded: &Loaded,
    paths: &[PathBuf],
    source: Option<&str>,
) -> Result<Vec<Document>, CliError> {
    let sources = &loaded.dataset.sources;
    if let Some(id) = source
        && !sources.iter().any(|s| s.id.as_str() == id)
    {
        return Err(CliError::Usage {
            message: format!("no source `{id}` in {}/sources.ron", g.data.display()),
            help: "add the article to sources.ron first: every fact cites a source".into(),
        });
    }
    let mut docs = Vec::new();
    // Every article that cannot be read is named, not only the first. Text that is not UTF-8 is
    // refused rather than repaired: spans must point at the bytes of the file as it is.
    let mut unreadable = Vec::new();
    for path in paths {
        let read = crate::load::file::read_limited(path).map_err(|e| e.to_string()).and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|e| format!("it is not valid UTF-8 ({})", crate::load::file::utf8_error_at(&e)))
        });
        let text = match read {
            Ok(text) => text,
            Err(why) => {
                unreadable.push(format!("`{}`: {why}", path.display()));
                continue;
            }
        };
        let file = relative_to(&g.data, path);
        if let Some(id) = source {
            docs.push(Document { file, source: id.to_owned(), text });
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let matching: Vec<&Source> = sources
            .iter()
            .filter(|s| {
                s.file
                    .as_deref()
                    .is_some_and(|f| Path::new(f).file_name().is_some_and(|n| n == name.as_str()))
            })
            .collect();
        match matching.as_slice() {
            [] => {
                return Err(CliError::Usage {
                    message: format!("no source in sources.ron names the file `{name}`"),
                    help: "pass --source ID, or add `file: \"...\"` to the article's source".into(),
                });
            }
            [one] => docs.push(Document { file, source: one.id.to_string(), text }),
            many => match pieces(&text, many) {
                Some(pieces) => docs.extend(pieces.into_iter().map(|(source, text)| Document {
                    file: file.clone(),
                    source,
                    text,
                })),
                None => {
                    let first = many[0].id.to_string();
                    eprintln!(
                        "note: {} sources name `{name}` and not every title is a line of it; citing `{first}` \
                         (pass --source to choose)",
                        many.len()
                    );
                    docs.push(Document { file, source: first, text });
                }
            },
        }
    }
    if !unreadable.is_empty() {
        return Err(CliError::Usage {
            message: format!("cannot read {} article(s):\n  {}", unreadable.len(), unreadable.join("\n  ")),
            help: "give UTF-8 text, Markdown or HTML files of at most 256 MiB; convert others first, \
                   e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt`"
                .into(),
        });
    }
    Ok(docs)
}

/// Splits an article that holds several sources (a page collecting several pieces) at the line
/// that gives each source's title, compared as name keys (case, accents and punctuation
/// folded), with or without a trailing note in brackets such as "(review)"; `None` unless
/// every title is found. What comes before the first title belongs to
/// the first piece. Each piece keeps the whole text's length with the rest blanked to spaces,
/// so byte spans still point into the file.
fn pieces(text: &str, sources: &[&Source]) -> Option<Vec<(String, String)>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, name_key(line)));
        offset += line.len();
    }
    let mut starts = Vec::new();
    for s in sources {
        let bare = s.title.trim_end().strip_suffix(')').and_then(|t| t.rsplit_once('(')).map(|(t, _)| t);
        let keys = [Some(name_key(&s.title)), bare.map(name_key)];
        let is_title = |k: &String| !k.is_empty() && keys.iter().flatten().any(|key| key == k);
        let (start, _) = lines.iter().find(|(_, k)| is_title(k))?;
        starts.push((*start, s.id.to_string()));
    }
    starts.sort();
    starts[0].0 = 0;
    let ends: Vec<usize> = starts.iter().skip(1).map(|(start, _)| *start).chain([text.len()]).collect();
    let piece = |start: usize, end: usize| {
        let bytes: Vec<u8> = text
            .bytes()
            .enumerate()
            .map(|(i, b)| if (start..end).contains(&i) || b == b'\n' { b } else { b' ' })
            .collect();
        // Pieces start and end at line ends, so whole characters are blanked.
        String::from_utf8(bytes).expect("spaces for whole characters")
    };
    Some(starts.into_iter().zip(ends).map(|((start, id), end)| (id, piece(start, end))).collect())
}

/// `path` as seen from folder `base` (e.g. `../../shared/seeds/000.txt`), for spans that stay
/// valid wherever the repository is checked out.
pub fn relative_to(base: &Path, path: &Path) -> String {
    let (Ok(base), Ok(path)) = (base.canonicalize(), path.canonicalize()) else {
        return path.display().to_string();
    };
    let b: Vec<_> = base.components().collect();
    let p: Vec<_> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out.display().to_string()
}

/// The graph without the facts of `skip` (the file being rewritten), so that extracting twice
/// gives the same file.
fn graph_without(mut loaded: Loaded, skip: Option<&Path>) -> KnowledgeGraph {
    if let Some(skip) = skip.and_then(|p| p.canonicalize().ok()) {
        let file_of = |f: crate::load::FileId| loaded.files.get(f).path.canonicalize().ok();
        let keep_e: Vec<bool> =
            loaded.map.entities.iter().map(|l| file_of(l.file).as_ref() != Some(&skip)).collect();
        let keep_l: Vec<bool> =
            loaded.map.links.iter().map(|l| file_of(l.file).as_ref() != Some(&skip)).collect();
        let mut i = 0;
        loaded.dataset.entities.retain(|_| (keep_e[i], i += 1).0);
        let mut i = 0;
        loaded.dataset.links.retain(|_| (keep_l[i], i += 1).0);
    }
    KnowledgeGraph::build(loaded.dataset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Reliability};

    fn source(id: &str, title: &str) -> Source {
        Source {
            id: Id::new(id),
            title: title.into(),
            publisher: None,
            author: None,
            date: None,
            url: None,
            reliability: Reliability::C,
            file: Some("page.txt".into()),
            note: None,
        }
    }

    #[test]
    fn a_page_of_several_pieces_is_split_at_their_titles() {
        let text =
            "Blog header\nFirst Piece: Über alles\nAnn went to Testland.\nThe Second piece\nBob met Ann.\n";
        let (a, b) = (source("a", "The second piece"), source("b", "First piece – über alles (review)"));
        let pieces = pieces(text, &[&a, &b]).expect("both titles are lines");
        let ids: Vec<&str> = pieces.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["b", "a"], "in the order of the text");
        for (_, piece) in &pieces {
            assert_eq!(piece.len(), text.len(), "offsets still point into the file");
            assert_eq!(piece.matches('\n').count(), text.matches('\n').count());
        }
        let at = |p: &str, s: &str| text.find(s).map(|i| &p[i..i + s.len()] == s).unwrap();
        assert!(at(&pieces[0].1, "Blog header") && at(&pieces[0].1, "Ann went to Testland."));
        assert!(!at(&pieces[0].1, "Bob met Ann."));
        assert!(at(&pieces[1].1, "Bob met Ann.") && !at(&pieces[1].1, "Ann went"));

        let missing = source("c", "A title the page does not hold");
        assert!(super::pieces(text, &[&a, &missing]).is_none());
    }
}
