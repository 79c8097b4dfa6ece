//! Writing an import to `data/imported/NAME/`: `sources.ron`, the facts in the format
//! [`crate::save`] writes and the loader reads (`facts.ron`, or `facts-0001.ron`, ... when
//! they are more than one file holds: see [`Stage`]), `joins.ron`, the records joined to
//! entities already there (each entity keeps their ids; its own file is not touched), and
//! `duplicates.ron`, the entities that may be entities already there, to review. The
//! facts are written a chunk at a time into a new folder beside the old one
//! (`imported/.NAME-...`, which the loader skips), so an import never holds them whole; the
//! data folder is checked with that folder in place of the old one, and only then is it
//! renamed into place, so a reader sees the old import or the new one, never a mix.

use std::path::{Path, PathBuf};

use super::Imported;
use crate::load::{self, Loaded};

/// The folder of an import, relative to the data folder.
pub fn folder(name: &str) -> PathBuf {
    Path::new("imported").join(name)
}

/// The bytes a facts file of an import is kept under: a quarter of the loader's limit
/// ([`crate::load::MAX_FILE_BYTES`]), so each file reads well within it.
pub const CHUNK_BYTES: usize = (crate::load::MAX_FILE_BYTES / 4) as usize;

/// An import being written: its facts go, a chunk at a time, into a fresh folder beside the
/// old one (`imported/.NAME-new-...`, which the loader skips; for a dry run, a temporary
/// folder elsewhere), each chunk a file of at most `limit` bytes of records. One file is
/// `facts.ron`; more are `facts-0001.ron`, `facts-0002.ron`, ... in the order the records came.
/// [`Stage::check`] loads the data folder with the staged folder in place of the old one;
/// [`Stage::commit`] renames it into place, so a reader sees the old import or the new one,
/// never a mix, and no file of the old one stays behind. Dropped uncommitted, it is removed.
pub struct Stage {
    data: PathBuf,
    name: String,
    /// The staged folder; taken when committed.
    fresh: Option<tempfile::TempDir>,
    /// True when the stage made `imported/` itself: it goes again if nothing is committed.
    made_parent: bool,
    limit: usize,
    entities: String,
    links: String,
    /// Chunks written so far.
    chunks: usize,
    /// Entities and links staged so far.
    counts: (usize, usize),
    /// The files written, relative to the staged folder, in order.
    files: Vec<String>,
}

impl Stage {
    /// A stage for import `name` of the data folder at `data`, writing facts files of at most
    /// `limit` bytes of records (at least one record each). `dry_run`: stage outside the data
    /// folder, which is never written.
    pub fn new(data: &Path, name: &str, limit: usize, dry_run: bool) -> std::io::Result<Stage> {
        let prefix = format!(".{name}-new-");
        let parent = data.join("imported");
        let made_parent = !dry_run && !parent.is_dir();
        let fresh = if dry_run {
            tempfile::Builder::new().prefix(&prefix).tempdir()?
        } else {
            std::fs::create_dir_all(&parent)?;
            tempfile::Builder::new().prefix(&prefix).tempdir_in(&parent)?
        };
        Ok(Stage {
            data: data.to_owned(),
            name: name.to_owned(),
            fresh: Some(fresh),
            made_parent,
            limit: limit.max(1),
            entities: String::new(),
            links: String::new(),
            chunks: 0,
            counts: (0, 0),
            files: Vec::new(),
        })
    }

    /// Adds an entity to the facts (all entities come before any link).
    pub fn entity(&mut self, e: &crate::model::Entity) -> std::io::Result<()> {
        self.add(crate::save::entity(e), false)
    }

    /// Adds a link to the facts.
    pub fn link(&mut self, l: &crate::model::Link) -> std::io::Result<()> {
        self.add(crate::save::link(l), true)
    }

    /// Adds a record, an entity's or (`link`) a link's, writing the chunk first when it would
    /// take it over the limit.
    fn add(&mut self, record: String, link: bool) -> std::io::Result<()> {
        let line = format!("        {record},\n");
        let held = self.entities.len() + self.links.len();
        if held > 0 && held + line.len() > self.limit {
            self.flush()?;
        }
        if link {
            self.links.push_str(&line);
            self.counts.1 += 1;
        } else {
            self.entities.push_str(&line);
            self.counts.0 += 1;
        }
        Ok(())
    }

    /// The entities staged so far.
    pub fn entities(&self) -> usize {
        self.counts.0
    }

    /// The links staged so far.
    pub fn links(&self) -> usize {
        self.counts.1
    }

    /// Writes the chunk held as the next facts file, `facts-NNNN.ron`.
    fn flush(&mut self) -> std::io::Result<()> {
        self.chunks += 1;
        self.write_held(format!("facts-{:04}.ron", self.chunks))
    }

    /// Writes the records held as the facts file `file` of the staged folder.
    fn write_held(&mut self, file: String) -> std::io::Result<()> {
        let text = crate::save::facts_text(&self.entities, &self.links);
        // Freed, not cleared: the last chunk's room is not to be held through the check.
        (self.entities, self.links) = (String::new(), String::new());
        crate::export::write_atomic(&self.dir().join(&file), text.as_bytes())?;
        self.files.push(file);
        Ok(())
    }

    /// Writes the last chunk, `sources.ron`, and `joins.ron` when a record was joined and
    /// `duplicates.ron` when one may be a duplicate. The facts are one `facts.ron` when they
    /// fit one chunk.
    pub fn finish(
        &mut self,
        sources: &[crate::model::Source],
        report: &super::Report,
    ) -> std::io::Result<()> {
        if self.chunks == 0 {
            self.write_held("facts.ron".into())?;
        } else if !self.entities.is_empty() || !self.links.is_empty() {
            self.flush()?;
        }
        let mut more = vec![("sources.ron", crate::save::sources(sources))];
        if !report.joined.is_empty() {
            more.push(("joins.ron", joins(&report.joined)));
        }
        if !report.possible_duplicates.is_empty() {
            more.push(("duplicates.ron", duplicates(&report.possible_duplicates)));
        }
        for (file, text) in more {
            crate::export::write_atomic(&self.dir().join(file), text.as_bytes())?;
            self.files.push(file.into());
        }
        Ok(())
    }

    /// Adds the records of an import held whole (STIX, CSV).
    pub fn records(&mut self, imported: &Imported) -> std::io::Result<()> {
        for e in &imported.entities {
            self.entity(e)?;
        }
        for l in &imported.links {
            self.link(l)?;
        }
        Ok(())
    }

    /// The files staged, relative to the data folder (`imported/NAME/facts-0001.ron`).
    pub fn files(&self) -> Vec<String> {
        self.files.iter().map(|f| format!("imported/{}/{f}", self.name)).collect()
    }

    /// The data folder loaded and validated as it will be once the staged folder replaces the
    /// import's folder: the staged files are read back as `check` reads a folder.
    pub fn check(&self) -> std::io::Result<Loaded> {
        let mut files = Vec::with_capacity(self.files.len());
        for f in &self.files {
            let text = std::fs::read_to_string(self.dir().join(f))?;
            files.push((format!("imported/{}/{f}", self.name), text));
        }
        Ok(check(&self.data, &self.name, files))
    }

    /// The staged folder.
    fn dir(&self) -> &Path {
        self.fresh.as_ref().map_or(&self.data, |f| f.path())
    }

    /// Renames the staged folder into place, replacing the import's folder.
    pub fn commit(mut self) -> std::io::Result<()> {
        let parent = self.data.join("imported");
        let target = parent.join(&self.name);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(self.dir(), std::fs::Permissions::from_mode(0o755))?;
        }
        let Some(fresh) = self.fresh.take() else { return Ok(()) };
        let fresh = fresh.keep();
        if target.exists() {
            // Move the old folder aside, the new one in, then drop the old one.
            let old = tempfile::Builder::new().prefix(&format!(".{}-old-", self.name)).tempdir_in(&parent)?;
            let old_path = old.path().join(&self.name);
            std::fs::rename(&target, &old_path)?;
            if let Err(e) = std::fs::rename(&fresh, &target) {
                let _ = std::fs::rename(&old_path, &target);
                let _ = std::fs::remove_dir_all(&fresh);
                return Err(e);
            }
            drop(old);
        } else if let Err(e) = std::fs::rename(&fresh, &target) {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for Stage {
    /// Removes the staged folder when it was not committed, and `imported/` when the stage
    /// made it and it is empty again.
    fn drop(&mut self) {
        if self.fresh.take().is_some() && self.made_parent {
            let _ = std::fs::remove_dir(self.data.join("imported"));
        }
    }
}

/// The text of `duplicates.ron`: one pair a line, in the order the import met them.
fn duplicates(pairs: &[super::PossibleDuplicate]) -> String {
    use crate::save::quote;
    let mut out = String::from(
        "// Written by `threatgraph import`: entities of this import that may be entities already\n\
         // in the data folder, written as their own. `threatgraph review` lists them;\n\
         // `threatgraph review merge EXISTING IMPORTED` makes a pair one. Replaced by the next\n\
         // import of this name.\n[\n",
    );
    for p in pairs {
        out.push_str(&format!(
            "    (imported: {}, existing: {}, why: {}),\n",
            quote(&p.imported),
            quote(&p.existing),
            quote(&p.why)
        ));
    }
    out.push_str("]\n");
    out
}

/// The text of `joins.ron`: one record a line, in the order the import met them.
fn joins(joined: &[super::Joined]) -> String {
    use crate::save::quote;
    let mut out = String::from(
        "// Written by `threatgraph import`: records of this import taken to be entities already\n\
         // in the data folder, by their foreign id. Each entity keeps the id; importing again\n\
         // finds it by it. Replaced by the next import of this name.\n[\n",
    );
    for j in joined {
        let sources: Vec<String> = j.sources.iter().map(|s| quote(s.as_str())).collect();
        out.push_str(&format!(
            "    (external_id: {}, entity: {}, by: {}, sources: [{}]),\n",
            quote(&j.external_id),
            quote(&j.existing),
            quote(&j.by),
            sources.join(", ")
        ));
    }
    out.push_str("]\n");
    out
}

/// The data folder at `data` loaded and validated as it will be once `files` replace the
/// folder of import `name`.
fn check(data: &Path, name: &str, files: Vec<(String, String)>) -> Loaded {
    let mut loaded = load::load_replacing(data, Some(&folder(name)), files);
    let (more, ends) = crate::validate::validate_with_ends(&loaded);
    loaded.problems.extend(more);
    loaded.link_ends = ends;
    load::diagnostic::sort(&mut loaded.problems);
    loaded
}
