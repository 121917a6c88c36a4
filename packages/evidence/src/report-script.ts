// SPDX-License-Identifier: Apache-2.0
// The report page's script (plain JavaScript, run by the browser; allowed by its hash in the CSP).
// It builds every table with textContent (never HTML from the data), shortens identifiers (the full
// value on hover, and copied on click or on copying the short form), pages the entries (100 at a
// time, filtered over all of them), and rebuilds the full JSON report for download.
export const REPORT_SCRIPT = `
(() => {
  'use strict';
  const d = JSON.parse(document.getElementById('data').textContent);
  const S = d.strings, R = d.rows, sum = d.summary;
  const OUT = ['accepted', 'refused', 'failed', 'event'];
  const CHAIN = ' \u2192 ';
  const PAGE = 100;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  };
  const str = (i) => (i < 0 ? undefined : S[i]);
  const when = (t) => (typeof t === 'number' ? new Date(d.t0 + t).toISOString().replace('.000Z', 'Z') : t);
  const row = (a) => {
    const o = { seq: a[0], time: when(a[1]), kind: S[a[2]], scopes: str(a[7]) ? str(a[7]).split(' ') : [],
      logged: a[11] ? 'refused' : 'accepted', outcome: OUT[a[12]], file: S[a[15]], line: a[16] };
    [['agent', 3], ['agentName', 4], ['issuer', 5], ['passportId', 6], ['method', 8], ['url', 9],
      ['bodyDigest', 10], ['code', 13], ['message', 14]].forEach(([k, i]) => { if (a[i] >= 0) o[k] = S[a[i]]; });
    if (a[17] >= 0) o.principals = S[a[17]].split(CHAIN);
    return o;
  };
  const short = (v) => (v.length > 30 ? v.slice(0, 17) + '\\u2026' + v.slice(-6) : v);
  const ident = (v) => {
    if (!v) return el('span', 'muted', '\\u2014');
    const s = el('span', 'id', short(v));
    s.title = v; s.tabIndex = 0; s.dataset.full = v;
    s.setAttribute('role', 'button'); s.setAttribute('aria-label', v + ' (copy)');
    return s;
  };
  const who = (name, did) => {
    const f = document.createDocumentFragment();
    if (name) { f.appendChild(el('span', 'name', name)); f.appendChild(document.createTextNode(' ')); }
    f.appendChild(ident(did));
    return f;
  };
  /** A delegation chain, organisation first: each identifier shortened, joined by arrows. */
  const chain = (principals) => {
    const f = el('span', 'chain');
    principals.forEach((p, i) => { if (i > 0) f.appendChild(document.createTextNode(CHAIN)); f.appendChild(ident(p)); });
    return f;
  };
  /** The agent, and for a delegated call the chain it acted under. */
  const actor = (e) => {
    const f = document.createDocumentFragment();
    f.appendChild(who(e.agentName, e.agent));
    if (e.principals) { const v = el('div', 'via muted', 'on the authority of '); v.appendChild(chain(e.principals)); f.appendChild(v); }
    return f;
  };
  const path = (url) => { try { const u = new URL(url); return u.pathname + u.search; } catch (e) { return url || ''; } };
  const copy = (t) => {
    const done = () => { t.classList.add('copied'); setTimeout(() => t.classList.remove('copied'), 900); };
    if (navigator.clipboard) navigator.clipboard.writeText(t.dataset.full).then(done, () => {});
  };
  document.addEventListener('click', (e) => { const t = e.target.closest && e.target.closest('[data-full]'); if (t) copy(t); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target.dataset && e.target.dataset.full) copy(e.target); });
  document.addEventListener('copy', (e) => {
    const sel = getSelection(), n = sel && sel.anchorNode && sel.anchorNode.parentElement;
    const t = n && n.closest('[data-full]');
    if (t && sel.toString().trim() === t.textContent) { e.clipboardData.setData('text/plain', t.dataset.full); e.preventDefault(); }
  });

  /** A table: head [label, class], rows of cells (text or nodes), and what to say when empty. */
  function table(id, head, rows, empty) {
    const t = $(id); t.textContent = '';
    const hr = el('tr', 'head');
    head.forEach(([label, cls]) => hr.appendChild(el('th', cls, label)));
    t.appendChild(hr);
    if (rows.length === 0) {
      const tr = el('tr', 'empty'), td = el('td', '', empty);
      td.colSpan = head.length; tr.appendChild(td); t.appendChild(tr);
      return;
    }
    rows.forEach((r) => {
      const tr = el('tr', r.cls);
      r.cells.forEach((c, i) => {
        const td = el('td', head[i][1]), div = el('div', r.code === i ? 'code' : '');
        td.dataset.label = head[i][0];
        if (c instanceof Node) div.appendChild(c); else div.textContent = c === undefined ? '' : String(c);
        if (div.textContent === '') td.classList.add('blank');
        td.appendChild(div); tr.appendChild(td);
      });
      t.appendChild(tr);
    });
  }
  const counts = [['accepted', 'num'], ['refused', 'num'], ['do not re-verify', 'num']];
  const tally = (o) => [o.accepted, o.refused, o.failed];
  const byKey = (obj, cell) => Object.keys(obj).sort().map((k) => ({ cells: [cell(k)].concat(tally(obj[k])) }));

  function summary() {
    const v = $('verdict');
    v.textContent = sum.intact ? 'The log is intact: every entry is chained and hashed as written.'
      : 'The log has been tampered with or damaged: see the problems below.';
    v.className = sum.intact ? 'ok' : 'bad';
    [['entries', sum.entries], ['accepted', sum.totals.accepted], ['refused', sum.totals.refused],
      ['do not re-verify', sum.totals.failed], ['events', sum.totals.events ?? 0], ['garbage lines', sum.totals.garbage]].forEach(([k, n]) => {
      const c = el('div', 'card'); c.dataset.card = k;
      c.appendChild(el('b', '', n)); c.appendChild(el('span', '', k)); $('cards').appendChild(c);
    });
    $('files').textContent = sum.files.join(', ') + (sum.head ? ' \\u00b7 head: entry ' + sum.head.seq : '');
    const agents = Object.keys(sum.byAgent).map((k) => Object.assign({ did: k }, sum.byAgent[k]));
    const unknown = (a) => a.did.charAt(0) === '(';
    agents.sort((a, b) => (unknown(a) - unknown(b)) || (a.agentName || '\\uffff').localeCompare(b.agentName || '\\uffff') || a.did.localeCompare(b.did));
    table('agents', [['agent', ''], ['issuer', '']].concat(counts), agents.map((a) => ({
      cells: [unknown(a) ? a.did : who(a.agentName, a.did), ident(a.issuer)].concat(tally(a)) })), 'none: the log has no entries');
    table('issuers', [['issuer', '']].concat(counts), byKey(sum.byIssuer, (k) => (k.charAt(0) === '(' ? k : ident(k))), 'none');
    table('scopes', [['scope', '']].concat(counts), byKey(sum.byScope, (k) => k), 'none');
    table('chains', [['delegation chain (organisation \u2192 agent \u2192 sub-agent)', '']].concat(counts),
      byKey(sum.byChain || {}, (k) => chain(k.split(CHAIN))), 'none: no delegated calls');
    table('problems', [['file', 'w-file'], ['line', 'w-short num'], ['entry', 'w-short num'], ['code', 'w-code'], ['what', '']],
      sum.problems.map((p) => ({ cls: 'failed', code: 3, cells: [p.file, p.line, p.seq, p.code, p.message] })),
      'none: every entry is chained, hashed as written and re-verifies');
    if (sum.problemsOmitted) $('problems-more').textContent = sum.problemsOmitted + ' more problems are not in this report.';
    const w = $('warnings');
    if (sum.warnings.length === 0) w.appendChild(el('li', 'muted', 'none'));
    sum.warnings.forEach((x) => w.appendChild(el('li', '', x)));
  }

  function query() {
    if (!sum.matches || sum.matches.length === 0) return;
    $('query').hidden = false;
    sum.matches.forEach((m) => {
      const dl = el('dl', 'entry ' + m.outcome); dl.dataset.seq = m.seq;
      const add = (k, v) => { dl.appendChild(el('dt', '', k)); const dd = el('dd'); if (v instanceof Node) dd.appendChild(v); else dd.textContent = v === undefined ? '\\u2014' : String(v); dl.appendChild(dd); };
      add('entry', m.seq + ' (' + m.file + ':' + m.line + ')');
      add('time', m.time);
      add('agent', who(m.agentName, m.agent));
      if (m.principals) add('on the authority of', chain(m.principals));
      add('issuer', ident(m.issuer));
      add('passport', ident(m.passportId));
      add('request', (m.method || m.kind) + ' ' + path(m.url));
      add('URL', m.url);
      add('body digest', m.bodyDigest || 'no body');
      add('scopes required', m.scopes.join(' ') || 'none');
      add('logged', m.logged);
      add('audit', m.outcome + (m.code ? ': ' + m.code + (m.message ? ' (' + m.message + ')' : '') : ''));
      $('matches').appendChild(dl);
    });
  }

  let shown = R.map((_, i) => i), page = 0, low;
  function entries() {
    const from = page * PAGE, slice = shown.slice(from, from + PAGE).map((i) => row(R[i]));
    table('entries', [['entry', 'w-seq num'], ['time', 'w-time'], ['agent', 'w-agent'], ['call', ''], ['scopes', ''],
      ['logged', 'w-short'], ['audit', 'w-short'], ['code', 'w-code']], slice.map((e) => ({
      cls: e.outcome, code: 7,
      cells: [e.seq, e.time, actor(e), (e.method || e.kind) + ' ' + path(e.url),
        e.scopes.join(' '), e.logged, e.outcome, e.code] })), R.length === 0 ? 'none: the log has no entries' : 'none match this filter');
    $('shown').textContent = (shown.length === 0 ? 0 : from + 1) + '\\u2013' + Math.min(from + PAGE, shown.length) + ' of ' + shown.length +
      (shown.length === R.length ? ' entries' : ' matching entries (' + R.length + ' in all)') +
      (sum.rowsOmitted ? '; ' + sum.rowsOmitted + ' more not in this report' : '');
    $('prev').disabled = page === 0; $('next').disabled = from + PAGE >= shown.length;
  }
  /** Text columns of a row (string indexes), then the rest: matched without building row text. */
  const TEXT = [2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 17];
  function matcher(q) {
    if (!q) return () => true;
    low = low || S.map((x) => x.toLowerCase());
    const hit = low.map((x) => x.indexOf(q) >= 0);
    const outs = OUT.map((x) => x.indexOf(q) >= 0), logs = ['accepted', 'refused'].map((x) => x.indexOf(q) >= 0);
    const timeLike = /^[0-9tz:.-]+$/.test(q);
    return (a) => {
      for (let k = 0; k < TEXT.length; k++) if (a[TEXT[k]] >= 0 && hit[a[TEXT[k]]]) return true;
      return outs[a[12]] || logs[a[11]] || String(a[0]).indexOf(q) >= 0 ||
        (timeLike && String(when(a[1])).toLowerCase().indexOf(q) >= 0);
    };
  }
  function filter() {
    const o = $('outcome').value, match = matcher($('filter').value.trim().toLowerCase());
    shown = [];
    for (let i = 0; i < R.length; i++) if ((!o || OUT[R[i][12]] === o) && match(R[i])) shown.push(i);
    page = 0; entries();
  }
  function download() {
    const full = Object.assign({}, sum, { rows: R.map(row) });
    const a = el('a'); a.download = 'audit-report.json';
    a.href = URL.createObjectURL(new Blob([JSON.stringify(full, null, 2)], { type: 'application/json' }));
    document.body.appendChild(a); a.click(); a.remove();
  }
  summary(); query(); entries();
  $('filter').addEventListener('input', filter); $('outcome').addEventListener('change', filter);
  $('prev').addEventListener('click', () => { page -= 1; entries(); });
  $('next').addEventListener('click', () => { page += 1; entries(); });
  $('download').addEventListener('click', download);
})();
`;
