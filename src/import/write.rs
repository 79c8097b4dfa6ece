//! Writing an import to `data/imported/NAME/`: `sources.ron` and `facts.ron`, in the format
//! [`crate::save`] writes and the loader reads, and `joins.ron`, the records joined to
//! entities already there (each entity keeps their ids; its own file is not touched). The folder is checked as it will be (the data
//! folder with the new files in place of the old) before anything is written; then the new
//! folder is written beside the old one (`imported/.NAME-...`, which the loader skips) and
//! renamed into place, so a reader sees the old import or the new one, never a mix.

use std::path::{Path, PathBuf};

use super::Imported;
use crate::load::{self, Loaded};

/// The folder of an import, relative to the data folder.
pub fn folder(name: &str) -> PathBuf {
    Path::new("imported").join(name)
}

/// The files of an import: paths relative to the data folder, and their text. The same
/// import always gives the same bytes.
pub fn files(name: &str, imported: &Imported) -> Vec<(String, String)> {
    let dir = format!("imported/{name}");
    let entities: Vec<_> = imported.entities.iter().collect();
    let links: Vec<_> = imported.links.iter().collect();
    let mut files = vec![
        (format!("{dir}/sources.ron"), crate::save::sources(&imported.sources)),
        (format!("{dir}/facts.ron"), crate::save::facts(&entities, &links)),
    ];
    if !imported.report.joined.is_empty() {
        files.push((format!("{dir}/joins.ron"), joins(&imported.report.joined)));
    }
    files
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
pub fn check(data: &Path, name: &str, files: &[(String, String)]) -> Loaded {
    let mut loaded = load::load_replacing(data, Some(&folder(name)), files.to_vec());
    let (more, ends) = crate::validate::validate_with_ends(&loaded);
    loaded.problems.extend(more);
    loaded.link_ends = ends;
    load::diagnostic::sort(&mut loaded.problems);
    loaded
}

/// Writes `files` as the folder of import `name`, replacing the one there.
pub fn write(data: &Path, name: &str, files: &[(String, String)]) -> std::io::Result<()> {
    let parent = data.join("imported");
    std::fs::create_dir_all(&parent)?;
    let fresh = tempfile::Builder::new().prefix(&format!(".{name}-new-")).tempdir_in(&parent)?;
    for (path, text) in files {
        let rel = Path::new(path).strip_prefix(folder(name)).map_err(std::io::Error::other)?;
        crate::export::write_atomic(&fresh.path().join(rel), text.as_bytes())?;
    }
    let target = parent.join(name);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(fresh.path(), std::fs::Permissions::from_mode(0o755))?;
    }
    let fresh = fresh.keep();
    if target.exists() {
        // Move the old folder aside, the new one in, then drop the old one.
        let old = tempfile::Builder::new().prefix(&format!(".{name}-old-")).tempdir_in(&parent)?;
        let old_path = old.path().join(name);
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
