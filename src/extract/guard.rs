//! The check before a write into a data folder: the folder is loaded and validated as it will
//! be after the write (the files to be written read from memory, every other file from disk),
//! and the write is refused when that adds an error. `extract -o`, `review accept|reject` and
//! `review merge` go through it, so none of them can leave a folder its own loader rejects.

use std::path::{Path, PathBuf};

use crate::load::{self, Loaded, Problem};

/// A write that would add errors: the folder as it would be, and the errors it would gain.
#[derive(Debug)]
pub struct Refused {
    /// The folder as it would be after the write (files named by their path inside it).
    pub after: Loaded,
    /// The errors the write would add.
    pub added: Vec<Problem>,
}

/// The path of `path` inside the data folder `data` (`extracted/x.ron`), when it is one of the
/// files the loader reads there; the file itself need not exist yet.
fn inside(data: &Path, path: &Path) -> Option<String> {
    let data = data.canonicalize().ok()?;
    // The nearest folder that exists, then the rest as written (folders are made on write).
    let mut base = path;
    let mut rest = Vec::new();
    let full = loop {
        if let Ok(found) = base.canonicalize() {
            break rest.iter().rev().fold(found, |p: PathBuf, c| p.join(c));
        }
        rest.push(base.file_name()?);
        base = base.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    };
    let rel = full.strip_prefix(&data).ok()?;
    let name = rel.to_str()?.replace('\\', "/");
    let read = name == "sources.ron"
        || name.split_once('/').is_some_and(|(folder, file)| {
            let file = match folder {
                // An import's own folder: `imported/NAME/x.ron`.
                "imported" => match file.split_once('/') {
                    Some((import, file)) if !import.starts_with('.') => file,
                    _ => return false,
                },
                "curated" | "extracted" | "views" | "chains" => file,
                _ => return false,
            };
            !file.contains('/') && file.ends_with(".ron")
        });
    read.then_some(name)
}

/// Loads and validates the folder from memory: its files as on disk, with `writes` in place
/// of (or beside) them.
fn load_with(data: &Path, writes: &[(PathBuf, String)]) -> std::io::Result<Loaded> {
    let written: Vec<(String, &str)> =
        writes.iter().filter_map(|(p, text)| Some((inside(data, p)?, text.as_str()))).collect();
    let mut files: Vec<(String, String)> = Vec::new();
    for path in load::data_files(data) {
        let Some(name) = inside(data, &path) else { continue };
        let text = match written.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => (*text).to_owned(),
            None => std::fs::read_to_string(&path)?,
        };
        files.push((name, text));
    }
    for (name, text) in &written {
        if !files.iter().any(|(n, _)| n == name) {
            files.push((name.clone(), (*text).to_owned()));
        }
    }
    // The loader's order: sources first, then each folder's files by name.
    let rank = |n: &str| match n.split_once('/').map(|(f, _)| f) {
        None => 0,
        Some("curated") => 1,
        Some("extracted") => 2,
        Some("imported") => 3,
        Some("views") => 4,
        _ => 5,
    };
    // Within an import's folder its sources come first, as the loader reads them.
    let own_sources = |n: &str| !n.ends_with("/sources.ron");
    files.sort_by(|(a, _), (b, _)| {
        (rank(a), a.rsplit_once('/').map(|p| p.0), own_sources(a), a).cmp(&(
            rank(b),
            b.rsplit_once('/').map(|p| p.0),
            own_sources(b),
            b,
        ))
    });
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut loaded = load::load_memory(&refs);
    let (more, ends) = crate::validate::validate_with_ends(&loaded);
    loaded.problems.extend(more);
    loaded.link_ends = ends;
    load::diagnostic::sort(&mut loaded.problems);
    Ok(loaded)
}

/// What identifies an error across two loads of the folder (the files are the same but for
/// the written ones, so spans may move).
fn signature(p: &Problem) -> (&'static str, &str) {
    (p.code, p.message.as_str())
}

/// Checks the folder `data` as it will be after `writes` (each a path and its whole new
/// text). `Ok` when the write adds no error; the caller then writes.
pub fn check_writes(
    data: &Path,
    writes: &[(PathBuf, String)],
) -> Result<Result<(), Refused>, std::io::Error> {
    let after = load_with(data, writes)?;
    if !after.problems.iter().any(Problem::is_error) {
        return Ok(Ok(()));
    }
    let before = load_with(data, &[])?;
    let mut old: Vec<_> = before.problems.iter().filter(|p| p.is_error()).map(signature).collect();
    let mut added = Vec::new();
    for p in after.problems.iter().filter(|p| p.is_error()) {
        match old.iter().position(|s| *s == signature(p)) {
            Some(i) => {
                old.swap_remove(i);
            }
            None => added.push(p.clone()),
        }
    }
    Ok(if added.is_empty() { Ok(()) } else { Err(Refused { after, added }) })
}

/// Writes each file atomically, in the order given.
pub fn write_all(writes: &[(PathBuf, String)]) -> Result<(), String> {
    for (path, text) in writes {
        super::write::atomic_write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sources.ron"), "[(id: \"s\", title: \"S\", reliability: B)]\n")
            .unwrap();
        std::fs::create_dir(dir.path().join("curated")).unwrap();
        std::fs::write(
            dir.path().join("curated/a.ron"),
            "(entities: [Person(id: \"ann\", name: \"Ann\", sources: [\"s\"])])\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn a_write_that_adds_an_error_is_refused_and_one_that_does_not_passes() {
        let dir = folder();
        let out = dir.path().join("extracted/x.ron");
        let bad = "(links: [(from: \"ann\", rel: MemberOf, to: \"nobody\", certainty: Reported, sources: [\"s\"])])\n";
        let refused = check_writes(dir.path(), &[(out.clone(), bad.into())]).unwrap().unwrap_err();
        assert_eq!(refused.added.len(), 1);
        assert_eq!(refused.added[0].code, "unknown-entity");
        let good = "(entities: [Group(id: \"g\", name: \"G\", subkind: Cell, sources: [\"s\"])], links: [(from: \"ann\", rel: MemberOf, to: \"g\", certainty: Reported, sources: [\"s\"])])\n";
        assert!(check_writes(dir.path(), &[(out, good.into())]).unwrap().is_ok());
    }

    #[test]
    fn files_outside_the_folder_are_not_checked() {
        let dir = folder();
        let elsewhere = tempfile::tempdir().unwrap();
        let out = elsewhere.path().join("x.ron");
        assert!(check_writes(dir.path(), &[(out, "not ron at all".into())]).unwrap().is_ok());
        assert_eq!(inside(dir.path(), &dir.path().join("curated/a.ron")).as_deref(), Some("curated/a.ron"));
        assert_eq!(
            inside(dir.path(), &dir.path().join("extracted/new.ron")).as_deref(),
            Some("extracted/new.ron")
        );
        assert_eq!(inside(dir.path(), &dir.path().join("curated/deeper/a.ron")), None);
        assert_eq!(
            inside(dir.path(), &dir.path().join("imported/apt/x.ron")).as_deref(),
            Some("imported/apt/x.ron")
        );
        assert_eq!(inside(dir.path(), &dir.path().join("imported/.apt/x.ron")), None);
    }
}
