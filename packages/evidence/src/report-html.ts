// SPDX-License-Identifier: Apache-2.0
// A self-contained HTML report: no network (a Content-Security-Policy forbids it), the data embedded
// as JSON, a summary, per-agent / issuer / scope tables and an entry table a person can filter.
import type { AuditReport } from './audit.js';

/** JSON safe inside a <script> element. */
const embed = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function renderHtmlReport(report: AuditReport, title = 'Agent Passport audit'): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}.bad{color:#b00020}.ok{color:#0a7a2f}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#fafafa;position:sticky;top:0}td.code{font-family:ui-monospace,monospace}
tr.failed td{background:#fff3f3}.muted{color:#777}
input,select{font:inherit;padding:.2rem .4rem;margin-right:.5rem}
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p id="verdict"></p>
<div class="cards" id="cards"></div>
<h2>Per agent</h2><table id="agents"></table>
<h2>Per issuer</h2><table id="issuers"></table>
<h2>Per scope</h2><table id="scopes"></table>
<h2>Problems</h2><table id="problems"></table>
<h2>Entries</h2>
<p><input id="filter" type="search" placeholder="filter: agent, scope, code, URL…" aria-label="filter">
<select id="outcome" aria-label="outcome"><option value="">every outcome</option><option>accepted</option><option>refused</option><option>failed</option></select>
<span id="shown" class="muted"></span></p>
<table id="entries"></table>
<script type="application/json" id="data">${embed(report)}</script>
<script>
(function () {
  var r = JSON.parse(document.getElementById('data').textContent);
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function table(id, head, rows) {
    var t = document.getElementById(id); t.textContent = '';
    var tr = el('tr'); head.forEach(function (h) { tr.appendChild(el('th', h)); }); t.appendChild(tr);
    rows.forEach(function (row) { var tr = el('tr', undefined, row.cls); row.cells.forEach(function (c, i) { tr.appendChild(el('td', c, row.codeCol === i ? 'code' : '')); }); t.appendChild(tr); });
  }
  var v = document.getElementById('verdict');
  v.textContent = r.intact ? 'The log is intact: every entry is chained and hashed as written.' : 'The log has been tampered with or damaged: see the problems below.';
  v.className = r.intact ? 'ok' : 'bad';
  [['entries', r.entries], ['accepted', r.totals.accepted], ['refused', r.totals.refused], ['do not re-verify', r.totals.failed], ['garbage lines', r.totals.garbage]].forEach(function (c) {
    var d = el('div', undefined, 'card'); d.setAttribute('data-card', c[0]); d.appendChild(el('b', c[1])); d.appendChild(el('span', c[0])); document.getElementById('cards').appendChild(d);
  });
  function counts(obj, extra) { return Object.keys(obj).sort().map(function (k) { var o = obj[k]; return { cells: [k].concat(extra ? extra(o) : []).concat([o.accepted, o.refused, o.failed]) }; }); }
  table('agents', ['agent', 'name', 'issuer', 'accepted', 'refused', 'do not re-verify'], counts(r.byAgent, function (o) { return [o.agentName || '', o.issuer || '']; }));
  table('issuers', ['issuer', 'accepted', 'refused', 'do not re-verify'], counts(r.byIssuer));
  table('scopes', ['scope', 'accepted', 'refused', 'do not re-verify'], counts(r.byScope));
  table('problems', ['file', 'line', 'entry', 'code', 'what'], r.problems.map(function (p) { return { cells: [p.file, p.line, p.seq === undefined ? '' : p.seq, p.code, p.message], codeCol: 3 }; }));
  var filter = document.getElementById('filter'), outcome = document.getElementById('outcome');
  function render() {
    var q = filter.value.toLowerCase(), o = outcome.value;
    var rows = r.rows.filter(function (e) {
      if (o && e.outcome !== o) return false;
      if (!q) return true;
      return [e.seq, e.time, e.agent, e.agentName, e.issuer, e.passportId, e.scopes.join(' '), e.method, e.url, e.code, e.outcome].join(' ').toLowerCase().indexOf(q) >= 0;
    });
    table('entries', ['entry', 'time', 'agent', 'name', 'scopes', 'call', 'logged', 'audit', 'code'], rows.map(function (e) {
      return { cls: e.outcome, cells: [e.seq, e.time, e.agent || '', e.agentName || '', e.scopes.join(' '), (e.method || e.kind) + ' ' + (e.url || ''), e.logged, e.outcome, e.code || ''], codeCol: 8 };
    }));
    document.getElementById('shown').textContent = rows.length + ' of ' + r.rows.length + ' entries shown' + (r.rowsOmitted ? ' (' + r.rowsOmitted + ' more not in this report)' : '');
  }
  filter.addEventListener('input', render); outcome.addEventListener('change', render); render();
})();
</script>
</body>
</html>
`;
}
