//! JSON node-link export, the shape D3, Cytoscape.js (after a small mapping) and NetworkX
//! (`networkx.node_link_graph(data, edges="links")`) read:
//! `{directed, multigraph, graph: {name, title, data_date, sources}, nodes: [{id, name, kind,
//! ...}], links: [{source, target, key, rel, certainty, grade, date, sources, ...}]}`.

use serde_json::{Map, Value as Json, json};

use super::view::Selection;
use super::{data_date, entity_attrs, link_attrs, link_id};
use crate::graph::KnowledgeGraph;
use crate::model::Id;

/// The sources cited by the selection's entities and links, in dataset order.
pub fn cited_sources<'a>(graph: &'a KnowledgeGraph, sel: &Selection) -> Vec<&'a crate::model::Source> {
    let mut cited: std::collections::HashSet<&Id> = std::collections::HashSet::new();
    for &i in &sel.nodes {
        cited.extend(&graph.entity(i).sources);
    }
    for &l in &sel.links {
        cited.extend(&graph.link(l).sources);
    }
    graph.sources().iter().filter(|s| cited.contains(&s.id)).collect()
}

/// The node-link document of a selection.
pub fn document(graph: &KnowledgeGraph, sel: &Selection, name: &str) -> Json {
    let nodes: Vec<Json> = sel
        .nodes
        .iter()
        .map(|&i| {
            let e = graph.entity(i);
            let mut m = Map::new();
            m.insert("id".into(), json!(e.id.as_str()));
            for (k, v) in entity_attrs(e) {
                m.insert(k.into(), v.json());
            }
            Json::Object(m)
        })
        .collect();
    let links: Vec<Json> = sel
        .links
        .iter()
        .map(|&l| {
            let link = graph.link(l);
            let mut m = Map::new();
            m.insert("source".into(), json!(link.from.as_str()));
            m.insert("target".into(), json!(link.to.as_str()));
            m.insert("key".into(), json!(link_id(graph, l)));
            for (k, v) in link_attrs(graph, link) {
                m.insert(k.into(), v.json());
            }
            Json::Object(m)
        })
        .collect();
    let sources: Vec<Json> = cited_sources(graph, sel)
        .into_iter()
        .map(|s| {
            json!({
                "id": s.id.as_str(),
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.as_ref().map(ToString::to_string),
                "url": s.url,
                "reliability": s.reliability.to_string(),
            })
        })
        .collect();
    json!({
        "directed": true,
        "multigraph": true,
        "graph": {
            "name": name,
            "title": sel.title,
            "data_date": data_date(graph).map(ToString::to_string),
            "sources": sources,
        },
        "nodes": nodes,
        "links": links,
    })
}

/// The node-link document as pretty JSON text, ending with a newline.
pub fn write(graph: &KnowledgeGraph, sel: &Selection, name: &str) -> String {
    let mut text = serde_json::to_string_pretty(&document(graph, sel, name)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    #[test]
    fn every_entity_and_link_with_certainty_and_sources() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let doc: Json = serde_json::from_str(&write(&g, &sel, "t")).unwrap();
        assert_eq!(doc["nodes"].as_array().unwrap().len(), g.entities().len());
        let links = doc["links"].as_array().unwrap();
        assert_eq!(links.len(), g.links().len());
        assert_eq!(links[4]["certainty"], "Refuted");
        assert_eq!(links[0]["sources"], json!(["s"]));
        assert_eq!(links[0]["since"], "2018");
        assert_eq!(doc["graph"]["sources"].as_array().unwrap().len(), 2);
    }
}
