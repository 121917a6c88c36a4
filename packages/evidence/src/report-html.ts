// SPDX-License-Identifier: Apache-2.0
// A self-contained HTML report: no network (a Content-Security-Policy allows nothing but this
// page's own style and script, by hash), the data embedded compactly as JSON; a summary, a query's
// entries with their requests, problems, per-agent / issuer / scope tables, and a paged entry table
// that filters over every entry and downloads the full report as JSON. Readable from 390 px up.
import { createHash } from 'node:crypto';
import type { AuditReport } from './audit.js';
import { compactReport } from './report-data.js';
import { REPORT_SCRIPT } from './report-script.js';
import { REPORT_STYLE } from './report-style.js';

/** JSON safe inside a <script> element. */
const embed = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const CSP = [
  "default-src 'none'",
  `script-src ${hash(REPORT_SCRIPT)}`,
  `style-src ${hash(REPORT_STYLE)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtmlReport(report: AuditReport, title = 'Agent Passport audit'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p id="verdict"></p>
<p class="muted" id="files"></p>
<div class="cards" id="cards"></div>
<section id="query" hidden><h2>Which agent made this call</h2><div id="matches"></div></section>
<h2>Problems</h2><table id="problems"></table><p class="muted" id="problems-more"></p>
<h2>Per agent</h2><table id="agents"></table>
<h2>Per issuer</h2><table id="issuers"></table>
<h2>Per scope</h2><table id="scopes"></table>
<h2>Per delegation chain</h2><table id="chains"></table>
<h2>Warnings</h2><ul class="warnings" id="warnings"></ul>
<h2>Entries</h2>
<div class="controls">
<input id="filter" type="search" placeholder="filter: agent, scope, code, URL…" aria-label="filter entries">
<select id="outcome" aria-label="outcome"><option value="">every outcome</option><option>accepted</option><option>refused</option><option>failed</option><option>event</option></select>
<button id="download" type="button">download JSON</button>
</div>
<table id="entries"></table>
<div class="controls"><button id="prev" type="button">previous</button><button id="next" type="button">next</button><span id="shown" class="muted"></span></div>
<p class="muted">Identifiers are shortened: hover for the full value, click to copy it.</p>
<script type="application/json" id="data">${embed(compactReport(report, title))}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
