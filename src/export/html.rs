//! The offline HTML viewer: one self-contained file holding the SVG Graphviz drew, the
//! entities' names and sources as JSON, and a small script written here (no network access,
//! no libraries). A search box highlights matching entities, a click highlights an entity's
//! neighbourhood, and hovering shows an entity's or link's sources. `#search=WORDS` in the
//! address applies a search on load, `#focus=ID` highlights an entity's neighbourhood.
//!
//! The script records errors in `document.body.dataset.errors`, and sets
//! `data-ready="true"` and `data-matches` on the body, so a headless browser can check it.

use serde_json::{Map, Value as Json, json};

use super::graphml::xml_escape;
use super::view::Selection;
use super::{data_date, dot, link_id, source_lines};
use crate::graph::KnowledgeGraph;

const STYLE: &str = r#"
body { margin: 0; font-family: Helvetica, Arial, sans-serif; background: #fff; color: #222; }
header { position: sticky; top: 0; z-index: 2; background: #f5f5f5; border-bottom: 1px solid #ccc;
  padding: 8px 12px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0; }
header input { font-size: 14px; padding: 4px 8px; width: 18em; }
#tg-status { font-size: 13px; color: #555; }
#tg-diagram svg { display: block; }
#tg-tip { position: fixed; z-index: 3; max-width: 36em; background: #fffff0; border: 1px solid #999;
  padding: 6px 8px; font-size: 12px; white-space: pre-wrap; pointer-events: none; display: none; }
#tg-info { position: fixed; right: 8px; bottom: 8px; z-index: 2; max-width: 32em; max-height: 40vh;
  overflow: auto; background: #fff; border: 1px solid #999; padding: 8px; font-size: 12px;
  white-space: pre-wrap; display: none; }
g.node, g.edge { cursor: pointer; }
.tg-dim { opacity: 0.15; }
.tg-match polygon, .tg-match ellipse, .tg-match path { stroke: #d6008f; stroke-width: 4px; }
.tg-focus polygon, .tg-focus ellipse { stroke: #0050d6; stroke-width: 5px; }
.tg-near polygon, .tg-near ellipse { stroke: #0050d6; stroke-width: 2.5px; }
g.edge.tg-near path { stroke-width: 3px; }
"#;

const SCRIPT: &str = r#"
(function () {
  'use strict';
  var body = document.body;
  var errors = [];
  function fail(message) {
    errors.push(String(message));
    body.dataset.errors = errors.join(' | ');
  }
  window.addEventListener('error', function (e) { fail(e.message); });
  try {
    var data = JSON.parse(document.getElementById('tg-data').textContent);
    var input = document.getElementById('tg-search');
    var status = document.getElementById('tg-status');
    var tip = document.getElementById('tg-tip');
    var info = document.getElementById('tg-info');
    var nodes = {};
    var links = {};
    var around = {};
    Object.keys(data.nodes).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { nodes[id] = el; around[id] = []; }
    });
    data.links.forEach(function (l) {
      var el = document.getElementById(l.id);
      if (!el) { return; }
      links[l.id] = el;
      if (around[l.from]) { around[l.from].push([l.id, l.to]); }
      if (around[l.to]) { around[l.to].push([l.id, l.from]); }
    });
    var all = Object.keys(nodes).map(function (k) { return nodes[k]; })
      .concat(Object.keys(links).map(function (k) { return links[k]; }));
    function fold(s) {
      return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    }
    function clear() {
      all.forEach(function (el) { el.classList.remove('tg-match', 'tg-focus', 'tg-near', 'tg-dim'); });
      info.style.display = 'none';
      body.dataset.matches = '0';
    }
    function search(q) {
      clear();
      var words = fold(q).trim();
      if (!words) { status.textContent = ''; return; }
      var hits = 0;
      var first = null;
      Object.keys(nodes).forEach(function (id) {
        var n = data.nodes[id];
        var hay = fold([n.name, n.id].concat(n.aliases).join(' '));
        if (hay.indexOf(words) >= 0) {
          nodes[id].classList.add('tg-match');
          hits += 1;
          first = first || nodes[id];
        }
      });
      if (first && first.scrollIntoView) { first.scrollIntoView({block: 'center', inline: 'center'}); }
      if (hits > 0) {
        all.forEach(function (el) { if (!el.classList.contains('tg-match')) { el.classList.add('tg-dim'); } });
      }
      body.dataset.matches = String(hits);
      status.textContent = hits + (hits === 1 ? ' match' : ' matches');
    }
    function focus(id) {
      clear();
      all.forEach(function (el) { el.classList.add('tg-dim'); });
      nodes[id].classList.remove('tg-dim');
      nodes[id].classList.add('tg-focus');
      around[id].forEach(function (pair) {
        [links[pair[0]], nodes[pair[1]]].forEach(function (el) {
          if (el) { el.classList.remove('tg-dim'); el.classList.add('tg-near'); }
        });
      });
      var n = data.nodes[id];
      info.textContent = n.tip + '\n\n' + around[id].length + ' link(s) shown. Click the background to clear.';
      info.style.display = 'block';
      status.textContent = n.name + ': ' + around[id].length + ' link(s)';
    }
    function tipFor(el) {
      if (el.id in data.nodes) { return data.nodes[el.id].tip; }
      return data.links.filter(function (x) { return x.id === el.id; })
        .map(function (x) { return x.tip; }).join('\n\n');
    }
    all.forEach(function (el) {
      el.querySelectorAll('title').forEach(function (t) { t.textContent = ''; });
      el.querySelectorAll('a').forEach(function (a) { a.removeAttribute('xlink:title'); });
      el.addEventListener('mousemove', function (e) {
        tip.textContent = tipFor(el);
        tip.style.display = 'block';
        tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 320) + 'px';
        tip.style.top = (e.clientY + 14) + 'px';
      });
      el.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
    });
    Object.keys(nodes).forEach(function (id) {
      nodes[id].addEventListener('click', function (e) { e.stopPropagation(); focus(id); });
    });
    document.getElementById('tg-diagram').addEventListener('click', function () { clear(); status.textContent = ''; });
    input.addEventListener('input', function () { search(input.value); });
    function fromHash() {
      var m = /^#search=(.*)$/.exec(window.location.hash);
      if (m) { input.value = decodeURIComponent(m[1].replace(/\+/g, ' ')); search(input.value); }
      var f = /^#focus=(.*)$/.exec(window.location.hash);
      if (f && nodes['n-' + decodeURIComponent(f[1])]) { focus('n-' + decodeURIComponent(f[1])); }
    }
    window.addEventListener('hashchange', fromHash);
    fromHash();
  } catch (e) {
    fail(e && e.message ? e.message : e);
  }
  body.dataset.ready = 'true';
})();
"#;

/// JSON safe inside a `<script>` element: `<`, `>` and `&` written as `\u` escapes (they
/// can only occur inside JSON strings).
fn script_json(value: &Json) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// What the script needs: names, aliases and tooltips of the nodes, ends of the links.
fn data(graph: &KnowledgeGraph, sel: &Selection) -> Json {
    let mut nodes = Map::new();
    for &i in &sel.nodes {
        let e = graph.entity(i);
        let mut tip = format!("{} ({}, {})", e.name, e.id, e.subkind().unwrap_or(e.kind().name()));
        if let Some(s) = &e.summary {
            tip.push_str(&format!("\n{s}"));
        }
        tip.push_str(&format!("\nsources:\n  {}", source_lines(graph, &e.sources).join("\n  ")));
        nodes.insert(
            dot::node_name(e.id.as_str()),
            json!({"id": e.id.as_str(), "name": e.name, "aliases": e.aliases, "tip": tip}),
        );
    }
    // Links drawn as one edge share its element's id.
    let mut links: Vec<Json> = Vec::new();
    for group in dot::edge_groups(graph, sel) {
        let id = link_id(graph, group[0]);
        for l in group {
            let link = graph.link(l);
            links.push(json!({
                "id": id,
                "from": dot::node_name(link.from.as_str()),
                "to": dot::node_name(link.to.as_str()),
                "tip": dot::link_tooltip(graph, l),
            }));
        }
    }
    json!({"nodes": nodes, "links": links})
}

/// The SVG element of Graphviz's output, without the XML prolog, doctype and comments.
fn svg_element(svg: &str) -> String {
    let mut rest = svg.find("<svg").map_or(svg, |at| &svg[at..]);
    let mut out = String::with_capacity(rest.len());
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("-->").map_or("", |end| &rest[start + end + 3..]);
        if rest.starts_with('\n') {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The viewer page for a selection, given the SVG Graphviz rendered of it.
pub fn write(graph: &KnowledgeGraph, sel: &Selection, svg: &str) -> String {
    let title = xml_escape(&sel.title);
    let date =
        data_date(graph).map_or_else(String::new, |d| format!(" · data as of {}", xml_escape(d.as_str())));
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n",
            "<header><h1>{title}</h1><span>{date}</span>",
            "<input id=\"tg-search\" type=\"search\" placeholder=\"Search names and aliases\" ",
            "aria-label=\"Search names and aliases\">",
            "<span id=\"tg-status\"></span></header>\n",
            "<div id=\"tg-diagram\">\n{svg}</div>\n<div id=\"tg-tip\"></div>\n<div id=\"tg-info\"></div>\n",
            "<script type=\"application/json\" id=\"tg-data\">{data}</script>\n",
            "<script>{script}</script>\n</body>\n</html>\n",
        ),
        title = title,
        date = date,
        style = STYLE,
        svg = svg_element(svg),
        data = script_json(&data(graph, sel)),
        script = SCRIPT,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script() {
        let text = script_json(&json!({"name": "</script><script>alert(1)</script>&"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>&");
    }

    #[test]
    fn strips_the_prolog() {
        assert_eq!(svg_element("<?xml?>\n<!DOCTYPE svg>\n<svg a=\"1\"/>"), "<svg a=\"1\"/>");
        assert_eq!(svg_element("<svg>\n<!-- n&#45;a -->\n<g/><!-- x --></svg>"), "<svg>\n<g/></svg>");
    }
}
