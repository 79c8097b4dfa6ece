// threatgraph workspace: the page. The graph stays on the server; this asks for what it
// draws. Every name, alias, note and source title reaches the page as text (textContent or
// a Cytoscape label), never as markup.
'use strict';

const TOKEN = document.querySelector('meta[name="tg-token"]').content;
const $ = (id) => document.getElementById(id);
const CERTAINTIES = ['Refuted', 'Disputed', 'Suspected', 'Alleged', 'Reported', 'Confirmed'];
const KINDS = ['Person', 'Group', 'Place', 'Event'];

/** An element with a class and text (never HTML). */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function name(text) { return el('span', 'name', text); }

function status(text, isError) {
  const s = $('status');
  s.textContent = text || '';
  s.title = text || '';
  s.classList.toggle('error', !!isError);
}

async function getJSON(path, params) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v);
  const r = await fetch(u, { credentials: 'same-origin' });
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
  return j;
}
async function post(path, body) {
  return fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-threatgraph-token': TOKEN },
    body: JSON.stringify(body),
  });
}
async function postJSON(path, body) {
  const r = await post(path, body);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
  return j;
}

// ---- styles, as the diagrams draw them -------------------------------------------------
function nodeLook(n) {
  const sub = n.subkind || '';
  switch (n.kind) {
    case 'Person': return { shape: 'ellipse', color: '#cfe2f3', label: 'Person' };
    case 'Group':
      if (sub === 'Organisation' || sub === 'Affiliate') return { shape: 'round-rectangle', color: '#b6d7a8', label: 'Group: ' + sub };
      if (sub === 'Media') return { shape: 'round-rectangle', color: '#d0e0e3', label: 'Group: Media' };
      if (sub === 'Agency') return { shape: 'rectangle', color: '#eeeeee', label: 'Group: Agency' };
      return { shape: 'round-rectangle', color: '#d9ead3', label: 'Group: ' + (sub || 'cell/network') };
    case 'Place':
      return sub === 'Country' ? { shape: 'octagon', color: '#fff2cc', label: 'Place: Country' } : { shape: 'octagon', color: '#fffbeb', label: 'Place' };
    default:
      if (sub === 'Attack') return { shape: 'hexagon', color: '#ea9999', label: 'Event: Attack' };
      if (sub === 'Plot') return { shape: 'hexagon', color: '#f9cb9c', label: 'Event: Plot' };
      if (['Arrest', 'Conviction', 'Release'].includes(sub)) return { shape: 'hexagon', color: '#d9d2e9', label: 'Event: ' + sub };
      return { shape: 'hexagon', color: '#f3f3f3', label: 'Event' + (sub ? ': ' + sub : '') };
  }
}
// Widths as the diagrams' (src/export/dot.rs `edge_style`: Confirmed 1.8, Reported 1.0),
// scaled for the screen: Confirmed is the thick line, so it never reads as Reported.
const EDGE = {
  Confirmed: { style: 'solid', color: '#000000', width: 3 },
  Reported: { style: 'solid', color: '#333333', width: 1.4 },
  Alleged: { style: 'dashed', color: '#555555', width: 1.4 },
  Suspected: { style: 'dashed', color: '#888888', width: 1.4 },
  Disputed: { style: 'dotted', color: '#8a6d00', width: 1.8 },
  Refuted: { style: 'dotted', color: '#cc0000', width: 1.8 },
};
function edgeLabel(e) {
  let l = e.certainty === 'Refuted' ? 'REFUTED: ' + e.rel
    : (e.certainty === 'Confirmed' || e.certainty === 'Reported') ? e.rel : e.rel + ' (' + e.certainty + ')';
  if (e.when) l += '\n' + e.when;
  return l;
}

// ---- the canvas -----------------------------------------------------------------------
if (window.cytoscapeFcose) cytoscape.use(window.cytoscapeFcose);
const cy = cytoscape({
  container: $('cy'),
  wheelSensitivity: 0.3,
  boxSelectionEnabled: true,
  selectionType: 'additive',
  style: [
    { selector: 'node', style: {
      'label': 'data(label)', 'shape': 'data(shape)', 'background-color': 'data(color)',
      'border-width': 1, 'border-color': '#666', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': 110,
      'text-valign': 'bottom', 'text-margin-y': 3, 'width': 'data(size)', 'height': 'data(size)' } },
    { selector: 'node[origin = "extracted"]', style: { 'border-style': 'dashed' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1a73e8' } },
    { selector: 'node.pinned', style: { 'border-width': 3, 'border-color': '#444', 'border-style': 'double' } },
    { selector: 'edge', style: {
      'curve-style': 'bezier', 'line-style': 'data(lineStyle)', 'line-color': 'data(lineColor)', 'width': 'data(width)',
      'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(lineColor)', 'arrow-scale': 0.8,
      'label': 'data(label)', 'font-size': 8, 'text-wrap': 'wrap', 'color': '#444',
      'text-background-color': '#fff', 'text-background-opacity': 0.8, 'text-background-padding': 1,
      'text-rotation': 'autorotate' } },
    // A denial is a fact, never a connection: red, dotted, a bar at the end, no arrow.
    // Its label is as legible as any: full strength, bold, on an opaque ground.
    { selector: 'edge[certainty = "Refuted"]', style: { 'target-arrow-shape': 'tee', 'source-arrow-shape': 'tee', 'color': '#c00',
      'font-weight': 'bold', 'font-size': 9, 'text-background-opacity': 1 } },
    { selector: 'edge[?symmetric]', style: { 'target-arrow-shape': 'none' } },
    { selector: '.filtered', style: { 'display': 'none' } },
    { selector: '.faded', style: { 'opacity': 0.25 } },
    // While a path is highlighted, the other links' labels step aside: none lies over it.
    { selector: 'edge.faded', style: { 'text-opacity': 0 } },
    { selector: 'edge.hl', style: { 'underlay-color': '#ffb300', 'underlay-opacity': 0.55, 'underlay-padding': 5, 'z-index': 10 } },
    { selector: 'node.hl', style: { 'underlay-color': '#ffb300', 'underlay-opacity': 0.5, 'underlay-padding': 6 } },
  ],
});

const sources = {};           // source id -> {title, reliability}
const undoStack = [];
const filters = { min: '', kinds: new Set(KINDS), from: null, to: null };
let dates = [];               // sorted date keys on the canvas, for the slider

function snapshot() {
  return {
    nodes: cy.nodes().map((n) => ({ data: n.data(), position: { ...n.position() }, pinned: n.hasClass('pinned') })),
    edges: cy.edges().map((e) => ({ data: e.data() })),
  };
}
function pushUndo() {
  undoStack.push(snapshot());
  if (undoStack.length > 50) undoStack.shift();
  $('undo').disabled = false;
}
function undo() {
  const s = undoStack.pop();
  if (!s) return;
  cy.elements().remove();
  cy.add(s.nodes.map((n) => ({ group: 'nodes', data: n.data, position: n.position, classes: n.pinned ? 'pinned' : '' })));
  cy.add(s.edges.map((e) => ({ group: 'edges', data: e.data })));
  cy.nodes('.pinned').lock();
  $('undo').disabled = undoStack.length === 0;
  afterChange();
}

function nodeData(n) {
  const look = nodeLook(n);
  const label = n.date ? n.name + '\n' + (n.subkind || n.kind) + ' · ' + n.date : n.name;
  return { id: n.id, name: n.name, kind: n.kind, subkind: n.subkind, date: n.date, degree: n.degree, origin: n.origin,
    label, shape: look.shape, color: look.color, look: look.label, size: 22 + Math.min(26, Math.sqrt(n.degree || 1) * 4) };
}
function edgeData(e) {
  const s = EDGE[e.certainty] || EDGE.Reported;
  return { ...e, id: e.id, source: e.from, target: e.to, label: edgeLabel(e), lineStyle: s.style, lineColor: s.color, width: s.width, symmetric: !!e.symmetric };
}

/** Adds entities near `around` (or the centre) without laying out. Returns the new ones. */
function addNodes(list, around) {
  const added = [];
  const c = around ? around.position() : { x: cy.width() / 2, y: cy.height() / 2 };
  list.forEach((n, i) => {
    if (cy.getElementById(n.id).nonempty()) return;
    const a = (2 * Math.PI * i) / Math.max(1, list.length);
    added.push(cy.add({ group: 'nodes', data: nodeData(n), position: { x: c.x + 140 * Math.cos(a), y: c.y + 140 * Math.sin(a) } }));
  });
  return added;
}

/** Asks the server for every link among the canvas's entities and redraws them. */
async function refreshLinks() {
  const ids = cy.nodes().map((n) => n.id());
  if (ids.length === 0) { cy.edges().remove(); afterChange(); return; }
  const j = await postJSON('/api/links', { ids });
  Object.assign(sources, j.source_titles);
  for (const n of j.nodes) { const x = cy.getElementById(n.id); if (x.nonempty()) x.data(nodeData(n)); }
  const keep = new Set(j.edges.map((e) => e.id));
  cy.edges().filter((e) => !keep.has(e.id())).remove();
  for (const e of j.edges) if (cy.getElementById(e.id).empty()) cy.add({ group: 'edges', data: edgeData(e) });
  afterChange();
}

function layout(opts) {
  const visible = cy.elements().not('.filtered');
  if (visible.nodes().length === 0) return;
  const lay = visible.layout(Object.assign({
    name: window.cytoscapeFcose ? 'fcose' : 'cose', animate: false, randomize: false, quality: 'default',
    nodeRepulsion: 9000, idealEdgeLength: 110, nodeSeparation: 80, padding: 40, fit: true,
  }, opts || {}));
  // Fit once the layout has settled, never zooming a small picture past readable size.
  lay.one('layoutstop', () => { cy.fit(visible, 40); if (cy.zoom() > 1.6) { cy.zoom(1.6); cy.center(visible); } });
  lay.run();
}

async function addAndLayout(nodes, around) {
  pushUndo();
  const added = addNodes(nodes, around);
  await refreshLinks();
  layout({ randomize: cy.nodes().length === added.length });
  return added;
}

// ---- filters, legend, timeline, URL ----------------------------------------------------
/** Sortable bounds of a partial date (`2017`, `2017-05`, `2019-Q4`, `2017-05-22`, `~2015`). */
function dateRange(d) {
  const m = /(\d{4})(?:-(Q[1-4]|\d{2}))?(?:-(\d{2}))?/.exec(d || '');
  if (!m) return null;
  const y = +m[1];
  if (!m[2]) return [y * 10000 + 101, y * 10000 + 1231];
  if (m[2][0] === 'Q') { const q = +m[2][1]; return [y * 10000 + (q * 3 - 2) * 100 + 1, y * 10000 + q * 300 + 31]; }
  const mo = +m[2];
  if (!m[3]) return [y * 10000 + mo * 100 + 1, y * 10000 + mo * 100 + 31];
  const k = y * 10000 + mo * 100 + (+m[3]);
  return [k, k];
}
function outsideWindow(d) {
  if (filters.from === null || !d) return false;
  const r = dateRange(d);
  if (!r) return false;
  return r[1] < filters.from || r[0] > filters.to;
}
function fmtKey(k) { const y = Math.floor(k / 10000), m = Math.floor(k / 100) % 100; return m === 1 && k % 100 === 1 ? String(y) : y + '-' + String(m).padStart(2, '0'); }

function collectDates() {
  const keys = new Set();
  cy.nodes().forEach((n) => { const r = dateRange(n.data('date')); if (r) keys.add(r[0]); });
  cy.edges().forEach((e) => { const r = dateRange(e.data('when')); if (r) keys.add(r[0]); });
  dates = [...keys].sort((a, b) => a - b);
  const f = $('t-from'), t = $('t-to');
  const wasFull = filters.from === null;
  f.max = t.max = String(Math.max(0, dates.length - 1));
  if (wasFull) { f.value = '0'; t.value = t.max; }
  $('t-from-out').textContent = dates.length ? fmtKey(dates[+f.value] ?? dates[0]) : '–';
  $('t-to-out').textContent = dates.length ? fmtKey(dates[+t.value] ?? dates[dates.length - 1]) : '–';
  f.disabled = t.disabled = dates.length < 2;
}

function applyFilters() {
  const minRank = filters.min ? CERTAINTIES.indexOf(filters.min) : -1;
  const hid = { kind: 0, time: 0, certainty: 0, timeLinks: 0 };
  cy.batch(() => {
    cy.elements().removeClass('filtered');
    cy.nodes().forEach((n) => {
      if (!filters.kinds.has(n.data('kind'))) { n.addClass('filtered'); hid.kind++; }
      else if (outsideWindow(n.data('date'))) { n.addClass('filtered'); hid.time++; }
    });
    cy.edges().forEach((e) => {
      if (minRank >= 0 && CERTAINTIES.indexOf(e.data('certainty')) < minRank) { e.addClass('filtered'); hid.certainty++; }
      else if (outsideWindow(e.data('when'))) { e.addClass('filtered'); hid.timeLinks++; }
    });
  });
  const parts = [];
  if (hid.kind) parts.push(hid.kind + ' entit' + (hid.kind === 1 ? 'y' : 'ies') + ' by kind');
  if (hid.time) parts.push(hid.time + ' event' + (hid.time === 1 ? '' : 's') + ' outside the time window');
  if (hid.certainty) parts.push(hid.certainty + ' link' + (hid.certainty === 1 ? '' : 's') + ' below ' + filters.min);
  if (hid.timeLinks) parts.push(hid.timeLinks + ' dated link' + (hid.timeLinks === 1 ? '' : 's') + ' outside the time window');
  $('hidden-note').textContent = parts.length ? 'Filters hide ' + parts.join(', ') + '.' : '';
}

function renderLegend() {
  const box = $('legend');
  box.replaceChildren();
  const vis = cy.elements().not('.filtered');
  if (vis.empty()) return;
  const looks = new Map();
  vis.nodes().forEach((n) => looks.set(n.data('look'), { shape: n.data('shape'), color: n.data('color') }));
  const row1 = el('div', 'row');
  for (const [label, l] of [...looks.entries()].sort()) {
    const item = el('span');
    const sw = el('span', 'sw ' + (l.shape === 'ellipse' ? 'ellipse' : l.shape.includes('round') ? 'round' : l.shape));
    sw.style.background = l.color;
    item.append(sw, label);
    row1.append(item);
  }
  box.append(row1);
  const present = new Set(vis.edges().map((e) => e.data('certainty')));
  const row2 = el('div', 'row');
  for (const c of [...CERTAINTIES].reverse()) {
    if (!present.has(c)) continue;
    const item = el('span', c === 'Refuted' ? 'refuted' : '');
    const ln = el('span', 'ln');
    ln.style.borderTopStyle = EDGE[c].style;
    ln.style.borderTopColor = EDGE[c].color;
    ln.style.borderTopWidth = Math.max(1, Math.round(EDGE[c].width)) + 'px';
    item.style.color = EDGE[c].color;
    item.append(ln, c === 'Refuted' ? 'Refuted (denied by the sources; not a connection)' : c);
    row2.append(item);
  }
  if (row2.childNodes.length) box.append(row2);
}

function renderTimeline() {
  const box = $('timeline');
  box.replaceChildren();
  const evs = cy.nodes().filter((n) => n.data('kind') === 'Event' && dateRange(n.data('date')) && filters.kinds.has('Event'));
  if (evs.empty()) { box.append(el('div', 'none', 'Timeline: no dated events on the canvas.')); return; }
  const ks = evs.map((n) => dateRange(n.data('date'))[0]);
  let lo = Math.min(...ks), hi = Math.max(...ks);
  if (dates.length) { lo = Math.min(lo, dates[0]); hi = Math.max(hi, dates[dates.length - 1]); }
  const span = Math.max(1, hi - lo);
  const w = box.clientWidth - 40;
  const x = (k) => 20 + ((k - lo) / span) * w;
  box.append(el('div', 'axis'));
  if (filters.from !== null) {
    const win = el('div', 'win');
    win.style.left = x(Math.max(lo, filters.from)) + 'px';
    win.style.width = Math.max(2, x(Math.min(hi, filters.to)) - x(Math.max(lo, filters.from))) + 'px';
    box.append(win);
  }
  const years = new Set();
  for (let y = Math.floor(lo / 10000); y <= Math.floor(hi / 10000); y++) years.add(y);
  const step = Math.max(1, Math.ceil(years.size / 12));
  [...years].forEach((y, i) => { if (i % step) return; const t = el('div', 'tick', y); t.style.left = x(Math.max(lo, y * 10000 + 101)) + 'px'; box.append(t); });
  let lastLabel = -1e9;
  evs.sort((a, b) => dateRange(a.data('date'))[0] - dateRange(b.data('date'))[0]).forEach((n) => {
    const k = dateRange(n.data('date'))[0];
    const m = el('div', 'ev' + (n.hasClass('filtered') ? ' out' : ''));
    m.style.left = x(k) + 'px';
    m.title = n.data('name') + ' · ' + n.data('date');
    m.addEventListener('click', () => { cy.elements().unselect(); n.select(); showCard(n.id()); });
    box.append(m);
    if (x(k) - lastLabel > 120) {
      const lab = el('div', 'lab', n.data('name'));
      lab.style.left = x(k) + 'px';
      // Labels at the ends of the strip stay inside it.
      if (x(k) < 80) lab.style.transform = 'translateX(-10px)';
      else if (x(k) > w - 60) lab.style.transform = 'translateX(calc(-100% + 10px))';
      box.append(lab);
      lastLabel = x(k);
    }
  });
}

function writeURL() {
  const p = new URLSearchParams();
  const ids = cy.nodes().map((n) => n.id());
  if (ids.length) p.set('n', ids.join(','));
  const pinned = cy.nodes('.pinned').map((n) => n.id() + '@' + Math.round(n.position().x) + ',' + Math.round(n.position().y));
  if (pinned.length) p.set('pin', pinned.join(';'));
  if (filters.min) p.set('min', filters.min);
  if (filters.kinds.size < KINDS.length) p.set('kinds', [...filters.kinds].join(','));
  if (filters.from !== null) p.set('t', fmtKey(filters.from) + '..' + fmtKey(filters.to));
  const hash = p.toString();
  if (location.hash.slice(1) !== hash) history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
}

function updateButtons() {
  const sel = cy.nodes(':selected');
  $('hide').disabled = sel.empty();
  $('pin').disabled = sel.empty();
  $('path').disabled = sel.length !== 2;
  $('chain').disabled = !(sel.length === 1 && ['Person', 'Group'].includes(sel.data('kind')));
  $('empty').hidden = cy.nodes().nonempty();
}

function afterChange() {
  collectDates();
  applyFilters();
  renderLegend();
  renderTimeline();
  updateButtons();
  writeURL();
}

// ---- the side panel --------------------------------------------------------------------
function panel(title) {
  const p = $('panel');
  p.replaceChildren();
  const close = el('button', 'close', '×');
  close.title = 'Close';
  close.addEventListener('click', () => p.replaceChildren());
  p.append(close);
  if (title) p.append(el('h2', 'name', title));
  return p;
}
function sourceList(ids) {
  const ul = el('ul', 'src');
  for (const id of ids || []) {
    const s = sources[id];
    ul.append(el('li', 'src', s ? id + ': ' + s.title + ' (reliability ' + s.reliability + ')' : id));
  }
  return ul;
}
function stepLine(s) {
  const d = el('div', 'step');
  const rel = s.direction === 'in' ? ' ←' + s.rel + '— ' : ' —' + s.rel + '→ ';
  d.append(name(s.from.name), el('span', s.certainty === 'Refuted' ? 'refuted' : '', rel), name(s.to.name), ' ');
  d.append(el('span', 'grade', s.grade));
  if (s.origin === 'extracted') d.append(el('span', 'muted', ' extracted, unreviewed'));
  const when = s.date || s.since;
  if (when) d.append(el('span', 'muted', ' ' + when));
  d.append(sourceList(s.sources));
  return d;
}

async function showCard(id) {
  let j;
  try { j = await getJSON('/api/card', { id }); } catch (e) { status(e.message, true); return; }
  Object.assign(sources, j.source_titles);
  const c = j.card;
  const p = panel(c.name);
  p.append(el('div', 'muted', [c.kind + (c.subkind ? ' · ' + c.subkind : ''), c.id, c.origin === 'extracted' ? 'extracted, unreviewed' : ''].filter(Boolean).join(' · ')));
  if (c.aliases && c.aliases.length) p.append(el('div', 'muted', 'also: ' + c.aliases.join(', ')));
  if (c.summary) p.append(el('p', '', c.summary));
  p.append(el('h3', '', 'Sources'), sourceList(c.sources.map((s) => s.id)));
  // Expand, with filters.
  const ctl = el('div', 'controls');
  const rel = el('select'); rel.append(new Option('any relation', ''));
  for (const r of [...new Set(c.links.map((l) => l.rel))].sort()) rel.append(new Option(r, r));
  const kind = el('select'); kind.append(new Option('any kind', '')); for (const k of KINDS) kind.append(new Option(k, k));
  const min = el('select'); min.append(new Option('any certainty', '')); for (const k of CERTAINTIES.slice(1).reverse()) min.append(new Option(k + '+', k));
  const go = el('button', '', 'Expand');
  go.id = 'expand';
  go.addEventListener('click', () => expand(c.id, { rel: rel.value, kind: kind.value, min: min.value }, 0));
  ctl.append(rel, kind, min, go);
  p.append(ctl);
  p.append(el('h3', '', 'Links (' + j.links_total + ')' + (j.links_total > c.links.length ? ', first ' + c.links.length + ' shown' : '')));
  let current = null, ul = null;
  for (const l of c.links) {
    if (l.rel !== current) { current = l.rel; p.append(el('h3', '', l.rel)); ul = el('ul'); p.append(ul); }
    const li = el('li', l.certainty === 'Refuted' ? 'refuted' : '');
    li.append(l.direction === 'in' ? '← ' : '→ ', name(l.other.name), ' ', el('span', 'grade', l.grade));
    const when = l.date || l.since;
    if (when) li.append(el('span', 'muted', ' ' + when));
    if (l.note) li.append(el('div', 'muted', l.note));
    li.append(sourceList(l.sources));
    ul.append(li);
  }
}

async function expand(id, f, offset) {
  let j;
  try { j = await getJSON('/api/expand', { id, rel: f.rel, kind: f.kind, min: f.min, offset, limit: 25 }); } catch (e) { status(e.message, true); return; }
  if (cy.getElementById(id).empty()) addNodes([j.center]);
  await addAndLayout(j.nodes, cy.getElementById(id));
  const shown = j.offset + j.nodes.length;
  status('Expanded ' + j.center.name + ': ' + shown + ' of ' + j.total + ' neighbours' + (j.left ? ', ' + j.left + ' left' : ''));
  const old = $('more'); if (old) old.remove();
  if (j.left > 0) {
    const more = el('button', '', 'Next ' + Math.min(25, j.left) + ' of ' + j.left + ' left');
    more.id = 'more';
    more.addEventListener('click', () => expand(id, f, shown));
    $('panel').prepend(more);
  }
}

function highlight(linkIds) {
  cy.elements().removeClass('hl faded');
  if (!linkIds || !linkIds.length) return;
  const es = cy.collection();
  for (const id of linkIds) es.merge(cy.getElementById(id));
  es.addClass('hl'); es.connectedNodes().addClass('hl');
  cy.elements().not('.hl').addClass('faded');
}

async function findPath() {
  const sel = cy.nodes(':selected');
  if (sel.length !== 2) return;
  const [a, b] = [sel[0].id(), sel[1].id()];
  let j;
  try { j = await getJSON('/api/path', { from: a, to: b }); } catch (e) { status(e.message, true); return; }
  Object.assign(sources, j.source_titles);
  await addAndLayout(j.nodes);
  const p = panel('Paths: ' + sel[0].data('name') + ' — ' + sel[1].data('name'));
  for (const s of j.answer.refuted) { p.append(el('div', 'refuted', 'Denied by the sources, never followed:')); p.append(stepLine(s)); }
  if (!j.answer.paths.length) p.append(el('p', '', 'No path within 6 links (refuted links are never followed).'));
  j.answer.paths.forEach((path, i) => {
    const h = el('h3', 'pathhead', 'Path ' + (i + 1) + ' (' + path.steps.length + ' link' + (path.steps.length === 1 ? '' : 's') + ')');
    h.addEventListener('click', () => highlight(j.links[i]));
    p.append(h);
    path.steps.forEach((s) => p.append(stepLine(s)));
  });
  if (j.answer.cut_by) p.append(el('p', 'muted', 'More paths may exist (the search stopped: ' + j.answer.cut_by + ').'));
  highlight(j.links[0]);
  status(j.answer.paths.length ? j.answer.paths.length + ' path(s) found; path 1 highlighted' : 'no path');
}

async function findChains() {
  const sel = cy.nodes(':selected');
  if (sel.length !== 1) return;
  let j;
  try { j = await getJSON('/api/chains', { actor: sel.id() }); } catch (e) { status(e.message, true); return; }
  Object.assign(sources, j.source_titles);
  pushUndo();
  addNodes(j.nodes, sel);
  await refreshLinks();
  // Left to right in time: each chain a row, each step a column.
  const placed = new Set([sel.id()]);
  sel.position({ x: 0, y: 0 });
  j.answer.chains.forEach((c, row) => {
    c.steps.forEach((s, col) => {
      const n = cy.getElementById(s.step.to.id);
      if (!placed.has(n.id())) { n.position({ x: (col + 1) * 200, y: row * 110 }); placed.add(n.id()); }
    });
  });
  cy.nodes().filter((n) => !placed.has(n.id())).forEach((n, i) => n.position({ x: -200, y: 120 + i * 60 }));
  cy.fit(undefined, 40);
  const p = panel('Chains from ' + sel.data('name'));
  if (!j.answer.chains.length) p.append(el('p', '', 'No chain to an attack or plot within 4 links of operational relations.'));
  j.answer.chains.forEach((c, i) => {
    const h = el('h3', 'pathhead', 'Chain ' + (i + 1) + ': ' + c.attack.name + (c.attack_date ? ', ' + c.attack_date : '') + ' · weakest ' + c.weakest.grade + ' at step ' + (c.weakest.step + 1));
    h.addEventListener('click', () => highlight(j.links[i]));
    p.append(h);
    c.steps.forEach((s) => p.append(stepLine(s.step)));
    p.append(el('div', 'muted', c.time_ordered ? 'time order: forward' : 'time order: breaks'));
  });
  highlight(j.links[0]);
  afterChange();
}

// ---- search, views, export -------------------------------------------------------------
let searchSeq = 0, active = -1;
async function runSearch() {
  const q = $('search').value.trim();
  const list = $('hits');
  const seq = ++searchSeq;
  if (!q) { list.hidden = true; return; }
  let j;
  try { j = await getJSON('/api/search', { q, limit: 12 }); } catch (e) { status(e.message, true); return; }
  if (seq !== searchSeq) return;
  list.replaceChildren();
  active = -1;
  for (const h of j.hits) {
    const li = el('li');
    li.setAttribute('role', 'option');
    li.append(el('span', 'kind', h.subkind || h.kind), name(h.name));
    if (h.name_matched !== h.name) li.append(el('span', 'muted', '(' + h.name_matched + ')'));
    if (h.date) li.append(el('span', 'muted', h.date));
    li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pick(h); });
    list.append(li);
  }
  if (!j.hits.length) list.append(el('li', 'muted', 'No entity matches.'));
  list.dataset.q = q;
  list.hidden = false;
}
async function pick(h) {
  searchSeq++; // answers still on their way are for a list no longer wanted
  clearTimeout(typing);
  $('hits').hidden = true;
  $('search').value = '';
  await addAndLayout([h]);
  cy.elements().unselect();
  const n = cy.getElementById(h.id);
  n.select();
  cy.animate({ center: { eles: n }, duration: 0 });
  showCard(h.id);
}

async function openView(nameOfView) {
  let j;
  try { j = await getJSON('/api/view', { name: nameOfView }); } catch (e) { status(e.message, true); return; }
  pushUndo();
  cy.elements().remove();
  addNodes(j.nodes);
  await refreshLinks();
  layout({ randomize: true });
  status(j.title + ': ' + j.nodes.length + ' entities, ' + j.edges.length + ' links');
}

async function exportCanvas(format) {
  const ids = cy.nodes().not('.filtered').map((n) => n.id());
  if (!ids.length) { status('The canvas is empty: nothing to export', true); return; }
  const r = await post('/api/export', { ids, format, title: 'threatgraph workspace' });
  if (!r.ok) { const j = await r.json(); status(j.error, true); return; }
  const blob = await r.blob();
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'threatgraph-canvas.' + format;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  status('Exported ' + ids.length + ' entities as ' + format.toUpperCase());
}

// ---- review queue ----------------------------------------------------------------------
let queue = [], at = 0;
async function openReview() {
  try { queue = (await getJSON('/api/review')).pending; } catch (e) { status(e.message, true); return; }
  at = 0;
  renderReview();
}
function renderReview() {
  const p = panel('Review (' + queue.length + ' waiting)');
  p.dataset.mode = 'review';
  if (!queue.length) { p.append(el('p', '', 'Nothing waits for review.')); return; }
  const it = queue[at];
  const box = el('div', 'review-item');
  box.append(el('div', 'muted', (at + 1) + ' of ' + queue.length + ' · ' + it.kind + ' · rule ' + it.rule));
  box.append(el('h3', 'name', it.fact));
  if (it.certainty) box.append(el('div', '', 'certainty: ' + it.certainty));
  const s = el('div', 'sentence');
  const sentence = it.sentence || '(the article could not be read)';
  const i = it.span ? sentence.indexOf(it.span) : -1;
  if (i >= 0) { const m = el('mark', '', it.span); s.append(sentence.slice(0, i), m, sentence.slice(i + it.span.length)); } else s.append(sentence);
  box.append(s);
  box.append(el('div', 'src', 'sources: ' + it.sources.join(', ') + (it.file ? ' · ' + it.file : '')));
  const ctl = el('div', 'controls');
  const acc = el('button', '', 'Accept (A)'); acc.id = 'accept'; acc.addEventListener('click', () => decide(true));
  const rej = el('button', '', 'Reject (R)'); rej.id = 'reject'; rej.addEventListener('click', () => decide(false));
  ctl.append(acc, rej);
  box.append(ctl, el('div', 'keys', 'Keys: A accept · R reject · J/K next/previous'));
  p.append(box);
}
async function decide(accepting) {
  const it = queue[at];
  if (!it) return;
  try {
    const j = await postJSON('/api/review/' + (accepting ? 'accept' : 'reject'), { id: it.id });
    status(j.decision + ' ' + j.id);
  } catch (e) { status(e.message, true); return; }
  try { queue = (await getJSON('/api/review')).pending; } catch (e) { status(e.message, true); }
  at = Math.min(at, Math.max(0, queue.length - 1));
  renderReview();
}

// ---- wiring ----------------------------------------------------------------------------
let typing;
$('search').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(runSearch, 120); });
$('search').addEventListener('keydown', (ev) => {
  const items = [...$('hits').querySelectorAll('li[role=option]')];
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    active = Math.max(0, Math.min(items.length - 1, active + (ev.key === 'ArrowDown' ? 1 : -1)));
    items.forEach((li, i) => li.classList.toggle('active', i === active));
  } else if (ev.key === 'Enter' && items.length) {
    items[Math.max(0, active)].dispatchEvent(new MouseEvent('mousedown'));
  } else if (ev.key === 'Escape') { $('hits').hidden = true; }
});
$('search').addEventListener('blur', () => setTimeout(() => { $('hits').hidden = true; }, 150));
$('fit').addEventListener('click', () => cy.fit(cy.elements().not('.filtered'), 40));
$('relayout').addEventListener('click', () => layout({ randomize: true }));
$('undo').addEventListener('click', undo);
$('clear').addEventListener('click', () => { pushUndo(); cy.elements().remove(); $('panel').replaceChildren(); afterChange(); });
$('hide').addEventListener('click', () => { pushUndo(); cy.nodes(':selected').remove(); afterChange(); });
$('pin').addEventListener('click', () => {
  pushUndo();
  cy.nodes(':selected').forEach((n) => { if (n.hasClass('pinned')) { n.removeClass('pinned'); n.unlock(); } else { n.addClass('pinned'); n.lock(); } });
  writeURL();
});
$('path').addEventListener('click', findPath);
$('chain').addEventListener('click', findChains);
$('views').addEventListener('change', (ev) => { if (ev.target.value) openView(ev.target.value); ev.target.value = ''; });
$('export').addEventListener('change', (ev) => { if (ev.target.value) exportCanvas(ev.target.value); ev.target.value = ''; });
$('review').addEventListener('click', openReview);
$('min').addEventListener('change', (ev) => { filters.min = ev.target.value; afterChange(); });
for (const box of $('kinds').querySelectorAll('input')) {
  box.addEventListener('change', () => { if (box.checked) filters.kinds.add(box.value); else filters.kinds.delete(box.value); afterChange(); });
}
function onSlide() {
  const f = $('t-from'), t = $('t-to');
  if (+f.value > +t.value) { if (this === f) t.value = f.value; else f.value = t.value; }
  const full = +f.value === 0 && +t.value === dates.length - 1;
  if (full) { filters.from = filters.to = null; } else {
    filters.from = dates[+f.value];
    const r = dateRange(fmtKey(dates[+t.value]));
    filters.to = r ? r[1] : dates[+t.value];
  }
  afterChange();
}
$('t-from').addEventListener('input', onSlide);
$('t-to').addEventListener('input', onSlide);

cy.on('tap', 'node', (ev) => { if (!ev.originalEvent || !ev.originalEvent.shiftKey) { cy.nodes().not(ev.target).unselect(); } showCard(ev.target.id()); });
cy.on('dbltap', 'node', (ev) => expand(ev.target.id(), {}, 0));
cy.on('tap', (ev) => { if (ev.target === cy) highlight(null); });
cy.on('select unselect remove add', 'node', () => updateButtons());
cy.on('dragfree', 'node', () => writeURL());

document.addEventListener('keydown', (ev) => {
  if (ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement) return;
  const reviewing = $('panel').dataset.mode === 'review' && $('panel').childNodes.length;
  const k = ev.key.toLowerCase();
  if (reviewing && k === 'a') { ev.preventDefault(); decide(true); return; }
  if (reviewing && k === 'r') { ev.preventDefault(); decide(false); return; }
  if (reviewing && (k === 'j' || k === 'k')) { at = Math.max(0, Math.min(queue.length - 1, at + (k === 'j' ? 1 : -1))); renderReview(); return; }
  if ((ev.ctrlKey || ev.metaKey) && k === 'z') { ev.preventDefault(); undo(); return; }
  if (k === 'f') cy.fit(cy.elements().not('.filtered'), 40);
  if (k === 'l') layout({ randomize: true });
  if (k === 'h' && !$('hide').disabled) $('hide').click();
  if (k === 'p' && !$('pin').disabled) $('pin').click();
});
window.addEventListener('resize', () => renderTimeline());

/** Reopens the picture a URL describes. */
async function restore() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (p.get('min')) { filters.min = p.get('min'); $('min').value = filters.min; }
  if (p.get('kinds')) {
    filters.kinds = new Set(p.get('kinds').split(',').filter((k) => KINDS.includes(k)));
    for (const box of $('kinds').querySelectorAll('input')) box.checked = filters.kinds.has(box.value);
  }
  const ids = (p.get('n') || '').split(',').filter(Boolean);
  if (!ids.length) { afterChange(); return; }
  const j = await postJSON('/api/links', { ids });
  addNodes(j.nodes);
  await refreshLinks();
  layout({ randomize: true });
  for (const pin of (p.get('pin') || '').split(';').filter(Boolean)) {
    const m = /^(.*)@(-?\d+),(-?\d+)$/.exec(pin);
    const n = m && cy.getElementById(m[1]);
    if (n && n.nonempty()) { n.position({ x: +m[2], y: +m[3] }); n.addClass('pinned'); n.lock(); }
  }
  const t = /^(.+)\.\.(.+)$/.exec(p.get('t') || '');
  if (t) {
    const lo = dateRange(t[1]), hi = dateRange(t[2]);
    if (lo && hi) {
      $('t-from').value = String(Math.max(0, dates.findIndex((d) => d >= lo[0])));
      const last = dates.map((d) => d <= hi[1]).lastIndexOf(true);
      $('t-to').value = String(last < 0 ? dates.length - 1 : last);
      onSlide.call($('t-to'));
    }
  }
  if (j.unknown.length) status('Not in the data any more: ' + j.unknown.join(', '), true);
  afterChange();
}

(async function start() {
  try {
    const info = await getJSON('/api/info');
    status(info.entities + ' entities, ' + info.links + ' links' + (info.data_date ? ' · data as of ' + info.data_date : ''));
    if (info.review) { $('review').hidden = false; }
    const views = await getJSON('/api/views');
    for (const v of views.views) $('views').append(new Option(v.title, v.name));
    await restore();
  } catch (e) { status(e.message, true); }
  document.body.dataset.ready = '1';
})();
