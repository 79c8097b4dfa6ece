//! FollowTheMoney entities as JSON lines, the format Aleph and OpenSanctions tooling ingest
//! (`ftm store write`, `alephclient write-entities`). People become `Person`, groups
//! `Organization`, places `Address`, events `Event`; links become interval entities:
//! `Membership` (member of, leader of, founded, supporter of, part of, affiliate of),
//! `Family`, `Associate` (associate of, handled, recruited) and `UnknownLink` for the rest.
//! Certainty goes in `status` (where the schema has it) and `description`; sources in
//! `publisher`, `sourceUrl` and `description` (or `notes` on entities).

use serde_json::{Map, Value as Json, json};

use super::view::Selection;
use super::{grade, link_id, source_lines};
use crate::graph::KnowledgeGraph;
use crate::model::{Details, Entity, Id, Link, PartialDate, Precision, Relation};

/// The FtM id of an entity: `tg-<id>`.
pub fn entity_id(id: &Id) -> String {
    format!("tg-{id}")
}

/// A partial date as FtM writes dates (an ISO prefix): quarters become their year, and
/// the `~` of approximate dates is dropped.
pub fn date(d: &PartialDate) -> String {
    let body = d.as_str().trim_start_matches('~');
    match d.precision() {
        Precision::Quarter => body.split('-').next().unwrap_or(body).to_owned(),
        _ => body.to_owned(),
    }
}

/// The interval schema and the property names of its two ends.
fn interval_schema(rel: Relation) -> (&'static str, &'static str, &'static str) {
    use Relation::*;
    match rel {
        MemberOf | LeaderOf | Founded | SupporterOf | PartOf | AffiliateOf => {
            ("Membership", "member", "organization")
        }
        SiblingOf | SpouseOf | RelativeOf | ParentOf => ("Family", "person", "relative"),
        AssociateOf | Handled | Recruited => ("Associate", "person", "associate"),
        _ => ("UnknownLink", "subject", "object"),
    }
}

struct Props(Map<String, Json>);

impl Props {
    fn add(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() {
            return;
        }
        let list = self.0.entry(key.to_owned()).or_insert_with(|| Json::Array(Vec::new()));
        if let Json::Array(items) = list
            && !items.iter().any(|v| v == &Json::String(value.clone()))
        {
            items.push(Json::String(value));
        }
    }

    fn date(&mut self, key: &str, d: Option<&PartialDate>) {
        if let Some(d) = d {
            self.add(key, date(d));
        }
    }
}

fn add_sources(graph: &KnowledgeGraph, p: &mut Props, ids: &[Id]) {
    for id in ids {
        if let Some(s) = graph.source(id) {
            p.add("publisher", s.publisher.clone().unwrap_or_default());
            p.add("sourceUrl", s.url.clone().unwrap_or_default());
        }
    }
}

fn entity(graph: &KnowledgeGraph, e: &Entity) -> Json {
    let mut p = Props(Map::new());
    p.add("name", e.name.clone());
    for a in &e.aliases {
        p.add("alias", a.clone());
    }
    p.add("description", e.summary.clone().unwrap_or_default());
    p.add("notes", format!("sources:\n{}", source_lines(graph, &e.sources).join("\n")));
    add_sources(graph, &mut p, &e.sources);
    let schema = match &e.details {
        Details::Person(d) => {
            p.date("birthDate", d.born.as_ref());
            p.date("deathDate", d.died.as_ref());
            for r in &d.roles {
                p.add("position", r.clone());
            }
            "Person"
        }
        Details::Group(d) => {
            p.date("incorporationDate", d.founded.as_ref());
            p.date("dissolutionDate", d.dissolved.as_ref());
            p.add("classification", d.subkind.name());
            "Organization"
        }
        Details::Place(d) => {
            p.add("full", e.name.clone());
            p.add("remarks", d.subkind.name());
            if let (Some(lat), Some(lon)) = (d.lat, d.lon) {
                p.add("latitude", lat.to_string());
                p.add("longitude", lon.to_string());
            }
            "Address"
        }
        Details::Event(d) => {
            p.date("date", d.date.as_ref());
            p.date("startDate", d.start.as_ref());
            p.date("endDate", d.end.as_ref());
            p.add("summary", d.subkind.name());
            "Event"
        }
    };
    json!({"id": entity_id(&e.id), "schema": schema, "properties": Json::Object(p.0)})
}

fn interval(graph: &KnowledgeGraph, i: usize, l: &Link) -> Json {
    let (schema, from_prop, to_prop) = interval_schema(l.rel);
    let mut p = Props(Map::new());
    p.add(from_prop, entity_id(&l.from));
    p.add(to_prop, entity_id(&l.to));
    let role = match &l.role {
        Some(r) => format!("{} ({r})", l.rel),
        None => l.rel.to_string(),
    };
    p.add(if matches!(schema, "Family" | "Associate") { "relationship" } else { "role" }, role);
    if matches!(schema, "Membership" | "UnknownLink") {
        p.add("status", l.certainty.name());
    }
    let refuted = if l.certainty.is_refuted() { " (the sources say this is NOT so)" } else { "" };
    p.add(
        "description",
        format!(
            "{} {} {}: {}{refuted}, graded {}\nsources:\n{}",
            l.from,
            l.rel,
            l.to,
            l.certainty,
            grade(graph, l),
            source_lines(graph, &l.sources).join("\n")
        ),
    );
    p.add("summary", l.note.clone().unwrap_or_default());
    p.date("date", l.date.as_ref());
    p.date("startDate", l.since.as_ref());
    p.date("endDate", l.until.as_ref());
    p.add("recordId", link_id(graph, i));
    add_sources(graph, &mut p, &l.sources);
    json!({"id": format!("tg-{}", link_id(graph, i)), "schema": schema, "properties": Json::Object(p.0)})
}

/// One FtM entity per line: the entities, then the links.
pub fn write(graph: &KnowledgeGraph, sel: &Selection) -> String {
    let mut out = String::new();
    let lines = sel
        .nodes
        .iter()
        .map(|&i| entity(graph, graph.entity(i)))
        .chain(sel.links.iter().map(|&l| interval(graph, l, graph.link(l))));
    for line in lines {
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    #[test]
    fn dates_are_iso_prefixes() {
        assert_eq!(date(&PartialDate::parse("2017-Q2").unwrap()), "2017");
        assert_eq!(date(&PartialDate::parse("~2017-05").unwrap()), "2017-05");
        assert_eq!(date(&PartialDate::parse("2017-05-22").unwrap()), "2017-05-22");
    }

    #[test]
    fn one_line_per_entity_and_link_with_schemas() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let lines: Vec<Json> = write(&g, &sel).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), g.entities().len() + g.links().len());
        let schema = |id: &str| lines.iter().find(|l| l["id"] == id).map(|l| l["schema"].clone()).unwrap();
        assert_eq!(schema("tg-ann"), "Person");
        assert_eq!(schema("tg-alpha-cell"), "Organization");
        assert_eq!(schema("tg-testville"), "Address");
        assert_eq!(schema("tg-zed-attack"), "Event");
        assert_eq!(schema("tg-ann.MemberOf.alpha-cell"), "Membership");
        assert_eq!(schema("tg-cat.SiblingOf.bob"), "Family");
        assert_eq!(schema("tg-ann.AssociateOf.dan"), "Associate");
        let refuted = lines.iter().find(|l| l["id"] == "tg-ann.AssociateOf.dan").unwrap();
        assert!(refuted["properties"]["description"][0].as_str().unwrap().contains("Refuted"));
    }
}
