//! Whether the committed diagrams can be read at a glance: every view in `data/views/` is drawn
//! by Graphviz (`export svg --view NAME`, what `render` commits) and its SVG is measured.
//!
//! - It fits a screen: at most 1920x1200 px at 96 dpi (1440x900 pt), no text under 9 pt.
//! - No two labels (node, edge, cluster, title or legend text) overlap: each SVG `<text>` is a
//!   box from its position, anchor and font size, as wide as Graphviz measures that text (one
//!   probe graph in `-Tjson`, whose text operations carry Graphviz's own widths) and as tall
//!   as the font's ink (0.75 of the size above the baseline, 0.2 below). Lines of one label
//!   are not compared with each other; boxes touching by less than [`TOUCH`] pt are not an
//!   overlap.
//! - No edge label is farther than [`LABEL_REACH`] pt from its own line, nor nearer another
//!   line than its own line or the connector Graphviz draws from the label to it (`decorate`)
//!   (by more than [`NEARER`] pt), so that each label can be told to belong to its line.
//! - No edge line crosses a cluster's name.
//! - The legend takes at most [`LEGEND_SHARE`] of the picture.
//!
//! Graphviz is required as for the other diagram tests: missing, the test fails when `CI` is
//! set and is skipped (with a notice) otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use super::{root, threatgraph};

/// Screen size the pictures must fit, in points (1920x1200 px at 96 dpi).
const SCREEN: (f64, f64) = (1440.0, 900.0);
/// The smallest font size allowed, in points.
const MIN_FONT: f64 = 9.0;
/// How far (in points) an edge label's box may lie from its line: about two lines of 9 pt text
/// (`dot` sets a label beside its line, as a node of its own, never on it).
pub const LABEL_REACH: f64 = 24.0;
/// By how many points another line may be nearer an edge label than its own line.
const NEARER: f64 = 2.0;
/// Boxes overlapping by less than this many points on either axis only touch.
const TOUCH: f64 = 0.5;
/// The largest share of the picture the legend may take.
const LEGEND_SHARE: f64 = 0.15;

/// One `<text>` of the SVG, with the element (node, edge, cluster or graph) it belongs to.
#[derive(Clone, Debug)]
struct Text {
    owner: String,
    class: String,
    content: String,
    anchor: String,
    x: f64,
    y: f64,
    size: f64,
}

/// What the checks need from one SVG.
#[derive(Debug, Default)]
struct Drawing {
    width: f64,
    height: f64,
    texts: Vec<Text>,
    /// Points along each edge's line(s), by the edge's element id.
    lines: BTreeMap<String, Vec<(f64, f64)>>,
    /// Points along the connector Graphviz draws from an edge's label to its line.
    connectors: BTreeMap<String, Vec<(f64, f64)>>,
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x1.min(o.x1) - self.x0.max(o.x0) > TOUCH && self.y1.min(o.y1) - self.y0.max(o.y0) > TOUCH
    }

    fn union(&self, o: &Rect) -> Rect {
        Rect { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }

    fn distance(&self, (x, y): (f64, f64)) -> f64 {
        let dx = (self.x0 - x).max(x - self.x1).max(0.0);
        let dy = (self.y0 - y).max(y - self.y1).max(0.0);
        dx.hypot(dy)
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x > self.x0 && x < self.x1 && y > self.y0 && y < self.y1
    }

    fn area(&self) -> f64 {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';') else { break };
        let entity = &rest[at + 1..at + end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..=at + end]),
        }
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in a tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

fn number(tag: &str, name: &str) -> f64 {
    attribute(tag, name).and_then(|v| v.trim_end_matches("pt").parse().ok()).unwrap_or(f64::NAN)
}

/// Points along an SVG path of `M` and `C` commands, as Graphviz writes edges (each cubic
/// sampled 16 times).
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let numbers: Vec<f64> =
        d.split([',', ' ', 'M', 'C']).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    let pts: Vec<(f64, f64)> = numbers.chunks(2).filter(|c| c.len() == 2).map(|c| (c[0], c[1])).collect();
    let mut out = vec![pts[0]];
    for seg in pts[1..].chunks(3).filter(|s| s.len() == 3) {
        let p0 = *out.last().expect("a start");
        for k in 1..=16 {
            let t = f64::from(k) / 16.0;
            let u = 1.0 - t;
            let b = |a: f64, b: f64, c: f64, d: f64| {
                u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
            };
            out.push((b(p0.0, seg[0].0, seg[1].0, seg[2].0), b(p0.1, seg[0].1, seg[1].1, seg[2].1)));
        }
    }
    out
}

/// Points along a polyline's `points`, each segment sampled 16 times.
fn connector_points(points: &str) -> Vec<(f64, f64)> {
    let pts: Vec<(f64, f64)> = points
        .split(' ')
        .filter_map(|p| p.split_once(','))
        .filter_map(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
        .collect();
    let mut out: Vec<(f64, f64)> = pts.first().copied().into_iter().collect();
    for w in pts.windows(2) {
        for k in 1..=16 {
            let t = f64::from(k) / 16.0;
            out.push((w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1)));
        }
    }
    out
}

/// Reads a Graphviz SVG: its size, its texts with their owners, its edges' lines.
fn read_svg(svg: &str) -> Drawing {
    let mut drawing = Drawing::default();
    let head = &svg[svg.find("<svg").expect("an svg element")..];
    let head = &head[..head.find('>').expect("a tag")];
    drawing.width = number(head, "width");
    drawing.height = number(head, "height");
    // Open `<g>` elements: the owner (id and class) each one sets, if it is a node, edge or cluster.
    let mut open: Vec<Option<(String, String)>> = Vec::new();
    let owner = |open: &[Option<(String, String)>]| {
        open.iter().rev().find_map(Clone::clone).unwrap_or_else(|| ("graph".into(), "graph".into()))
    };
    let mut rest = svg;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').expect("tags close");
        let tag = &rest[..=end];
        if tag.starts_with("<g ") || tag == "<g>" {
            let class = attribute(tag, "class").unwrap_or("").split(' ').next().unwrap_or("").to_owned();
            let id = unescape(attribute(tag, "id").unwrap_or(""));
            // The legend is a table in the title, grouped (for its tooltip) as `a_legend`.
            if id == "a_legend" {
                open.push(Some(("legend".into(), "legend".into())));
            } else {
                open.push(matches!(class.as_str(), "node" | "edge" | "cluster").then_some((id, class)));
            }
        } else if tag.starts_with("</g") {
            open.pop();
        } else if tag.starts_with("<text") {
            let close = rest.find("</text>").expect("texts close");
            let (id, class) = owner(&open);
            drawing.texts.push(Text {
                owner: id,
                class,
                content: unescape(&rest[end + 1..close]),
                anchor: attribute(tag, "text-anchor").unwrap_or("start").to_owned(),
                x: number(tag, "x"),
                y: number(tag, "y"),
                size: number(tag, "font-size"),
            });
        } else if tag.starts_with("<path") || tag.starts_with("<polyline") {
            let (id, class) = owner(&open);
            if class == "edge" {
                let points = match attribute(tag, "d") {
                    Some(d) => path_points(d),
                    None => connector_points(attribute(tag, "points").expect("points")),
                };
                // A connector (`decorate`) is kept apart: it ties a label to its line, but is not the line.
                let lines =
                    if tag.starts_with("<path") { &mut drawing.lines } else { &mut drawing.connectors };
                lines.entry(id).or_default().extend(points);
            }
        }
        rest = &rest[end + 1..];
    }
    drawing
}

/// The width Graphviz gives each text at 1 pt (its `-Tjson` text operations, from one probe
/// graph that holds every text as a node label at 100 pt, in the diagrams' font).
fn widths(texts: &BTreeSet<String>) -> BTreeMap<String, f64> {
    let mut dot = String::from("digraph { node [fontname=\"Helvetica\", fontsize=100, shape=plaintext];\n");
    for (n, t) in texts.iter().enumerate() {
        dot.push_str(&format!("t{n} [label=\"{}\"];\n", threatgraph::export::dot::escape(t)));
    }
    dot.push('}');
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("dot runs");
    child.stdin.take().expect("stdin").write_all(dot.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("dot ends");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut found = BTreeMap::new();
    for object in v["objects"].as_array().into_iter().flatten() {
        for op in object["_ldraw_"].as_array().into_iter().flatten() {
            if op["op"] == "T" {
                let text = op["text"].as_str().expect("text").to_owned();
                found.insert(text, op["width"].as_f64().expect("width") / 100.0);
            }
        }
    }
    found
}

/// Everything wrong with one view's picture, in words.
fn problems(name: &str, svg: &str) -> Vec<String> {
    let drawing = read_svg(svg);
    let mut found = Vec::new();
    let (w_px, h_px) = (drawing.width * 96.0 / 72.0, drawing.height * 96.0 / 72.0);
    if drawing.width > SCREEN.0 || drawing.height > SCREEN.1 {
        found.push(format!("{name}: {w_px:.0}x{h_px:.0} px at 96 dpi, more than 1920x1200"));
    }
    let measured = widths(&drawing.texts.iter().map(|t| t.content.clone()).collect());
    let rect = |t: &Text| {
        let w = measured.get(&t.content).copied().unwrap_or_else(|| panic!("no width for {:?}", t.content))
            * t.size;
        let x0 = match t.anchor.as_str() {
            "middle" => t.x - w / 2.0,
            "end" => t.x - w,
            _ => t.x,
        };
        Rect { x0, y0: t.y - 0.75 * t.size, x1: x0 + w, y1: t.y + 0.2 * t.size }
    };
    for t in &drawing.texts {
        if t.size < MIN_FONT {
            found.push(format!("{name}: {:?} is {} pt, under {MIN_FONT}", t.content, t.size));
        }
    }
    let boxes: Vec<(Rect, &Text)> =
        drawing.texts.iter().filter(|t| !t.content.trim().is_empty()).map(|t| (rect(t), t)).collect();
    for (i, (a, ta)) in boxes.iter().enumerate() {
        for (b, tb) in &boxes[i + 1..] {
            if ta.owner != tb.owner && a.overlaps(b) {
                found.push(format!(
                    "{name}: {:?} ({} {}) overlaps {:?} ({} {})",
                    ta.content, ta.class, ta.owner, tb.content, tb.class, tb.owner
                ));
            }
        }
    }
    // Each edge label, as one box, against its own line.
    let mut labels: BTreeMap<&str, Rect> = BTreeMap::new();
    for (r, t) in boxes.iter().filter(|(_, t)| t.class == "edge") {
        labels.entry(&t.owner).and_modify(|u| *u = u.union(r)).or_insert(*r);
    }
    let distance = |label: &Rect, line: &[(f64, f64)]| {
        line.iter().map(|&p| label.distance(p)).fold(f64::INFINITY, f64::min)
    };
    for (edge, label) in &labels {
        let line = distance(label, drawing.lines.get(*edge).map(Vec::as_slice).unwrap_or_default());
        if line > LABEL_REACH {
            found.push(format!(
                "{name}: the label of {edge} is {line:.0} pt from its line (at most {LABEL_REACH})"
            ));
        }
        let connector = distance(label, drawing.connectors.get(*edge).map(Vec::as_slice).unwrap_or_default());
        let own = line.min(connector);
        // Another line nearer than its own would make the label look like that line's.
        for (other, line) in drawing.lines.iter().filter(|(other, _)| other != edge) {
            let near = distance(label, line);
            if near + NEARER < own {
                found.push(format!(
                    "{name}: the label of {edge} is nearer the line of {other} ({near:.0} pt) than its own ({own:.0} pt)"
                ));
            }
        }
    }
    // Cluster names crossed by a line.
    for (r, t) in boxes.iter().filter(|(_, t)| t.class == "cluster") {
        for (edge, line) in &drawing.lines {
            if line.iter().any(|&p| r.contains(p)) {
                found.push(format!("{name}: the line of {edge} crosses the cluster name {:?}", t.content));
            }
        }
    }
    let legend =
        boxes.iter().filter(|(_, t)| t.owner == "legend").map(|(r, _)| *r).reduce(|a, b| a.union(&b));
    if let Some(legend) = legend {
        let share = legend.area() / (drawing.width * drawing.height);
        if share > LEGEND_SHARE {
            found.push(format!("{name}: the legend takes {:.0}% of the picture", share * 100.0));
        }
    }
    found
}

fn views() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("data/views"))
        .expect("data/views")
        .filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn every_view_fits_a_screen_with_no_label_on_another() {
    if !super::export::graphviz() {
        return;
    }
    let mut all = Vec::new();
    for name in views() {
        let out = threatgraph(root()).args(["export", "svg", "--view", &name]).output().expect("runs");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        all.extend(problems(&name, &String::from_utf8_lossy(&out.stdout)));
    }
    assert!(all.is_empty(), "{} problem(s):\n{}", all.len(), all.join("\n"));
}

#[test]
fn the_checks_catch_overlaps_distant_labels_and_small_text() {
    if !super::export::graphviz() {
        return;
    }
    let svg = |body: &str| {
        format!(
            "<svg width=\"300pt\" height=\"200pt\"\n viewBox=\"0 0 300 200\">\n<g id=\"graph0\" class=\"graph\">\n{body}</g>\n</svg>\n"
        )
    };
    let node = |id: &str, x: f64, y: f64, text: &str| {
        format!(
            "<g id=\"{id}\" class=\"node\"><text text-anchor=\"middle\" x=\"{x}\" y=\"{y}\" font-size=\"10.00\">{text}</text></g>\n"
        )
    };
    let apart = svg(&(node("a", 50.0, 50.0, "Alpha") + &node("b", 200.0, 50.0, "Beta")));
    assert!(problems("t", &apart).is_empty(), "{:?}", problems("t", &apart));
    let on_top = svg(&(node("a", 50.0, 50.0, "Alpha") + &node("b", 60.0, 52.0, "Beta")));
    assert_eq!(problems("t", &on_top).len(), 1, "{:?}", problems("t", &on_top));
    let edge = |x: f64| {
        format!(
            "<g id=\"e\" class=\"edge\"><path d=\"M10,100C40,100 60,100 90,100\"/><text text-anchor=\"middle\" x=\"{x}\" y=\"96\" font-size=\"9.00\">Knew</text></g>\n"
        )
    };
    assert!(problems("t", &svg(&edge(50.0))).is_empty());
    assert!(problems("t", &svg(&edge(250.0)))[0].contains("from its line"));
    let small = svg("<text text-anchor=\"start\" x=\"5\" y=\"20\" font-size=\"8.00\">tiny</text>\n");
    assert!(problems("t", &small)[0].contains("under 9"));
    let big = "<svg width=\"1500pt\" height=\"100pt\">\n</svg>";
    assert!(problems("t", big)[0].contains("more than 1920x1200"));
}
