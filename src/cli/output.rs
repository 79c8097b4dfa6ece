//! Text output shared by the commands: how an entity, a step and a grade read.

use std::io::Write;

use super::CliError;
use crate::graph::Direction;
use crate::query::{EntityRef, Step};

/// Writes to stdout; a closed pipe (`| head`) ends the output quietly.
pub fn write(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `Salman Abedi (salman-abedi, Person)`.
pub fn entity(e: &EntityRef) -> String {
    match e.subkind {
        Some(sub) => format!("{} ({}, {sub})", e.name, e.id),
        None => format!("{} ({}, {})", e.name, e.id, e.kind),
    }
}

/// `—TraveledTo→` forwards, `←MemberOf—` when followed against the link.
pub fn arrow(rel: crate::model::Relation, direction: Direction) -> String {
    if rel.is_symmetric() {
        format!("—{rel}—")
    } else {
        match direction {
            Direction::Out => format!("—{rel}→"),
            Direction::In => format!("←{rel}—"),
        }
    }
}

/// The evidence of a link: date, grade and sources, e.g. `2017-05 · B/Reported · [ctc-basu-2018]`.
pub fn evidence(
    date: Option<&crate::model::PartialDate>,
    grade: &str,
    sources: &[impl AsRef<str>],
    origin: crate::model::Origin,
) -> String {
    let mut parts = Vec::new();
    if let Some(d) = date {
        parts.push(d.to_string());
    }
    parts.push(if grade.ends_with("/Refuted") {
        format!("{grade} (NOT a connection)")
    } else {
        grade.to_owned()
    });
    let sources: Vec<&str> = sources.iter().map(AsRef::as_ref).collect();
    parts.push(format!("[{}]", sources.join(", ")));
    parts.extend(origin.caveat().map(str::to_owned));
    parts.join(" · ")
}

/// One step of a path: `Salman Abedi —TraveledTo→ Libya   2017-05 · B/Reported · [ctc-basu-2018]`.
pub fn step(s: &Step) -> String {
    format!(
        "{} {} {}   {}",
        s.from.name,
        arrow(s.rel, s.direction),
        s.to.name,
        evidence(s.date.as_ref().or(s.since.as_ref()), &s.grade, &s.sources, s.origin)
    )
}
