//! The offline HTML viewer: one self-contained file holding the SVG Graphviz drew, the
//! entities' names and sources as JSON, and a small script written here (no network access,
//! no libraries). The drawing opens fitted to the window (or, when fitting would make its text
//! too small to read, at one pixel a point centred on its hub, the entity with the most links), zooms
//! with the wheel, the buttons or `+`/`-`/`0`, and pans by dragging. A side panel beside the
//! drawing (never over it) shows the sources of what was clicked. A search box highlights
//! matching entities and brings the first into view, a click highlights an entity's
//! neighbourhood, and hovering shows an entity's or link's sources. `#search=WORDS` in the
//! address applies a search on load, `#focus=ID` highlights an entity's neighbourhood.
//!
//! The script records errors in `document.body.dataset.errors`, and sets
//! `data-ready="true"`, `data-matches`, `data-hub` and `data-hub-visible` on the body, so a
//! headless browser can check it.

use serde_json::{Map, Value as Json, json};

use super::graphml::xml_escape;
use super::view::Selection;
use super::{data_date, dot, link_id};
use crate::graph::KnowledgeGraph;

const STYLE: &str = r#"
html, body { height: 100%; }
body { margin: 0; font-family: Helvetica, Arial, sans-serif; background: #fff; color: #222;
  display: flex; flex-direction: column; overflow: hidden; }
header { flex: none; background: #f5f5f5; border-bottom: 1px solid #ccc;
  padding: 8px 12px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0; }
header input { font-size: 14px; padding: 4px 8px; width: 18em; }
header button { font-size: 14px; min-width: 2.2em; }
#tg-status { font-size: 13px; color: #555; }
#tg-main { flex: 1; display: flex; min-height: 0; }
#tg-diagram { flex: 1; min-width: 0; position: relative; overflow: hidden; cursor: grab; touch-action: none; }
#tg-diagram.tg-dragging { cursor: grabbing; }
#tg-diagram svg { display: block; width: 100%; height: 100%; }
#tg-info { flex: none; width: 26em; max-width: 40%; overflow: auto; border-left: 1px solid #ccc;
  background: #fafafa; padding: 8px 10px; font-size: 12px; white-space: pre-wrap; }
#tg-tip { position: fixed; z-index: 3; max-width: 36em; background: #fffff0; border: 1px solid #999;
  padding: 6px 8px; font-size: 12px; white-space: pre-wrap; pointer-events: none; display: none; }
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
    var pane = document.getElementById('tg-diagram');
    var svg = pane.querySelector('svg');
    var hint = info.textContent;
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
    // Zoom and pan: the SVG fills the pane and its viewBox says what part of the drawing shows.
    var full = svg.viewBox.baseVal;
    var whole = {x: full.x, y: full.y, w: full.width, h: full.height};
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    var view = {x: whole.x, y: whole.y, w: whole.w, h: whole.h};
    function show() {
      svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' '));
    }
    // Screen pixels per drawing unit at the current view.
    function scale() {
      return Math.min(pane.clientWidth / view.w, pane.clientHeight / view.h);
    }
    function zoom(factor, cx, cy) {
      var w = Math.min(Math.max(view.w / factor, whole.w / 50), whole.w * 4);
      var h = w * view.h / view.w;
      view.x = cx - (cx - view.x) * w / view.w;
      view.y = cy - (cy - view.y) * h / view.h;
      view.w = w;
      view.h = h;
      show();
    }
    function middle() { return [view.x + view.w / 2, view.y + view.h / 2]; }
    // Centre of an element in drawing units: its box in the graph group, moved by the group's
    // transform (Graphviz translates the drawing into the viewBox).
    var group = svg.querySelector('g.graph');
    var moved = group.transform.baseVal.consolidate();
    function centreOf(el) {
      var box = el.getBBox();
      var p = svg.createSVGPoint();
      p.x = box.x + box.width / 2;
      p.y = box.y + box.height / 2;
      if (moved) { p = p.matrixTransform(moved.matrix); }
      return [p.x, p.y];
    }
    function centreOn(el) {
      var c = centreOf(el);
      view.x = c[0] - view.w / 2;
      view.y = c[1] - view.h / 2;
      show();
    }
    function inView(el) {
      var c = centreOf(el);
      return c[0] >= view.x && c[0] <= view.x + view.w && c[1] >= view.y && c[1] <= view.y + view.h;
    }
    function fit() {
      view = {x: whole.x, y: whole.y, w: whole.w, h: whole.h};
      var w = pane.clientWidth || 1;
      var h = pane.clientHeight || 1;
      // The box the pane shows, in drawing units, with the drawing centred in it.
      var k = Math.max(whole.w / w, whole.h / h);
      view.w = w * k;
      view.h = h * k;
      view.x = whole.x - (view.w - whole.w) / 2;
      view.y = whole.y - (view.h - whole.h) / 2;
      show();
      // Fitted so small that 10 pt text is under 4 px (a whole graph), no one can read it:
      // 1 px a point instead, centred on the hub.
      if (scale() < 0.4 && hub) {
        zoom(1 / scale(), middle()[0], middle()[1]);
        centreOn(nodes[hub]);
      }
    }
    var hub = Object.keys(nodes).sort(function (a, b) {
      return around[b].length - around[a].length || (a < b ? -1 : 1);
    })[0];
    pane.addEventListener('wheel', function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      var k = Math.max(view.w / r.width, view.h / r.height);
      var cx = view.x + (e.clientX - r.left - (r.width - view.w / k) / 2) * k;
      var cy = view.y + (e.clientY - r.top - (r.height - view.h / k) / 2) * k;
      zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, cx, cy);
    }, {passive: false});
    var drag = null;
    var dragged = false;
    pane.addEventListener('pointerdown', function (e) {
      drag = {x: e.clientX, y: e.clientY, vx: view.x, vy: view.y};
      dragged = false;
    });
    window.addEventListener('pointermove', function (e) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect();
      var k = Math.max(view.w / r.width, view.h / r.height);
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) {
        dragged = true;
        pane.classList.add('tg-dragging');
      }
      view.x = drag.vx - (e.clientX - drag.x) * k;
      view.y = drag.vy - (e.clientY - drag.y) * k;
      show();
    });
    window.addEventListener('pointerup', function () { drag = null; pane.classList.remove('tg-dragging'); });
    document.getElementById('tg-zoom-in').addEventListener('click', function () { zoom(1.25, middle()[0], middle()[1]); });
    document.getElementById('tg-zoom-out').addEventListener('click', function () { zoom(0.8, middle()[0], middle()[1]); });
    document.getElementById('tg-fit').addEventListener('click', fit);
    window.addEventListener('keydown', function (e) {
      if (e.target === input) { return; }
      if (e.key === '+' || e.key === '=') { zoom(1.25, middle()[0], middle()[1]); }
      if (e.key === '-') { zoom(0.8, middle()[0], middle()[1]); }
      if (e.key === '0') { fit(); }
    });
    window.addEventListener('resize', fit);
    function clear() {
      all.forEach(function (el) { el.classList.remove('tg-match', 'tg-focus', 'tg-near', 'tg-dim'); });
      info.textContent = hint;
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
      if (first && !inView(first)) { centreOn(first); }
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
      if (!inView(nodes[id])) { centreOn(nodes[id]); }
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
      nodes[id].addEventListener('click', function (e) {
        e.stopPropagation();
        if (!dragged) { focus(id); }
      });
    });
    pane.addEventListener('click', function () {
      if (!dragged) { clear(); status.textContent = ''; }
    });
    input.addEventListener('input', function () { search(input.value); });
    function fromHash() {
      var m = /^#search=(.*)$/.exec(window.location.hash);
      if (m) { input.value = decodeURIComponent(m[1].replace(/\+/g, ' ')); search(input.value); }
      var f = /^#focus=(.*)$/.exec(window.location.hash);
      if (f && nodes['n-' + decodeURIComponent(f[1])]) { focus('n-' + decodeURIComponent(f[1])); }
    }
    window.addEventListener('hashchange', fromHash);
    fit();
    body.dataset.hub = hub ? hub.replace(/^n-/, '') : '';
    body.dataset.hubVisible = String(Boolean(hub) && inView(nodes[hub]));
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
        let tip = dot::entity_tooltip(graph, e);
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
            "<button id=\"tg-zoom-out\" title=\"Zoom out (-)\">−</button>",
            "<button id=\"tg-zoom-in\" title=\"Zoom in (+)\">+</button>",
            "<button id=\"tg-fit\" title=\"Fit to the window (0)\">Fit</button>",
            "<span id=\"tg-status\"></span></header>\n",
            "<div id=\"tg-main\"><div id=\"tg-diagram\">\n{svg}</div>\n",
            "<aside id=\"tg-info\">Click an entity for its sources and links; hover over anything for its sources. ",
            "Drag to pan, wheel or +/− to zoom, 0 or Fit to see it all.</aside></div>\n",
            "<div id=\"tg-tip\"></div>\n",
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
