// SPDX-License-Identifier: Apache-2.0
// The page: read the fields, inspect on every change (debounced) or on Verify, show the report.
// Documents arrive by paste, drop, a file picker or the URL fragment; nothing leaves the page
// unless the operator enabled did:web fetching and the user asks for it.
import { fetchDidWeb } from './did-web.js';
import { asOf, inspect } from './inspect.js';
import { renderProblem, renderReport } from './render.js';
import { decodeState, encodeState, type PageState } from './state.js';
import type { Kind } from './types.js';

const $ = <T extends HTMLElement = HTMLInputElement>(id: string) => document.getElementById(id) as T;
const FIELDS = ['as-of', 'challenge', 'domain', 'scopes', 'purposes', 'origin'] as const;

function readState(): PageState {
  return {
    doc: $<HTMLTextAreaElement>('doc').value,
    kind: $<HTMLSelectElement>('kind').value as Kind | 'auto',
    trust: {
      docs: $<HTMLTextAreaElement>('trust-docs').value,
      bundle: $<HTMLTextAreaElement>('bundle').value,
      bundleAuthor: $('bundle-author').value,
    },
    options: {
      asOf: $('as-of').value,
      challenge: $('challenge').value,
      domain: $('domain').value,
      scopes: $('scopes').value,
      purposes: $('purposes').value,
      origin: $('origin').value,
    },
  };
}

function writeState(s: Partial<PageState>): void {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  $<HTMLTextAreaElement>('doc').value = str(s.doc);
  const kind = $<HTMLSelectElement>('kind');
  kind.value = str(s.kind) || 'auto';
  // A link naming no kind the page knows reads the document as detected.
  if (kind.value === '') kind.value = 'auto';
  $<HTMLTextAreaElement>('trust-docs').value = str(s.trust?.docs);
  $<HTMLTextAreaElement>('bundle').value = str(s.trust?.bundle);
  $('bundle-author').value = str(s.trust?.bundleAuthor);
  const o = s.options;
  $('as-of').value = str(o?.asOf);
  $('challenge').value = str(o?.challenge);
  $('domain').value = str(o?.domain);
  $('scopes').value = str(o?.scopes);
  $('purposes').value = str(o?.purposes);
  $('origin').value = str(o?.origin);
}

let latest = 0;
async function run(): Promise<void> {
  const mine = ++latest;
  const state = readState();
  const result = $<HTMLElement>('result');
  const trustStatus = $<HTMLElement>('trust-status');
  if (state.doc.trim() === '') return;
  try {
    const report = await inspect(state.doc, state.kind, {
      now: asOf(state.options.asOf),
      options: state.options,
      trust: state.trust,
    });
    if (mine !== latest) return;
    renderReport(result, report);
    trustStatus.textContent = report.trustProblems.join(' · ');
    trustStatus.className = `status ${report.trustProblems.length > 0 ? 'bad' : ''}`;
  } catch (e) {
    if (mine === latest) renderProblem(result, (e as Error).message);
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
const soon = () => {
  clearTimeout(timer);
  timer = setTimeout(() => void run(), 250);
};

/** Drop a file on a text area: its text replaces the area's. */
function droppable(area: HTMLTextAreaElement): void {
  area.addEventListener('dragover', (e) => {
    e.preventDefault();
    area.classList.add('dragging');
  });
  area.addEventListener('dragleave', () => area.classList.remove('dragging'));
  area.addEventListener('drop', (e) => {
    e.preventDefault();
    area.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (file !== undefined)
      void file.text().then((t) => {
        area.value = t;
        soon();
      });
  });
}

function share(): void {
  history.replaceState(null, '', encodeState(readState()));
  $<HTMLElement>('share-status').textContent = 'The link in the address bar now holds this state.';
}

function enableDidWeb(): void {
  const mode = document.querySelector('meta[name="did-web-fetch"]')?.getAttribute('content');
  if (mode === 'off') {
    $<HTMLElement>('did-web-offer').hidden = false;
    $<HTMLButtonElement>('did-web-allow').addEventListener('click', () => {
      location.assign(`?did-web${encodeState(readState())}`);
    });
  }
  if (mode !== 'on') return;
  $<HTMLElement>('did-web').hidden = false;
  $<HTMLElement>('network-note').textContent =
    'did:web fetching is on: when you ask, this page fetches that DID document from its host over HTTPS. Nothing else is sent.';
  $<HTMLButtonElement>('did-web-fetch').addEventListener('click', () => {
    const status = $<HTMLElement>('did-web-status');
    const did = $('did-web-id').value.trim();
    status.textContent = `fetching ${did}…`;
    fetchDidWeb(did).then(
      ({ url, document: doc }) => {
        const area = $<HTMLTextAreaElement>('trust-docs');
        const current = area.value.trim();
        const list =
          current === ''
            ? []
            : current.startsWith('[')
              ? (JSON.parse(current) as unknown[])
              : [JSON.parse(current)];
        area.value = JSON.stringify([...list, doc], null, 2);
        status.textContent = `fetched ${url} and trusted ${did}`;
        soon();
      },
      (e: Error) => {
        status.textContent = `could not fetch ${did}: ${e.message}`;
      },
    );
  });
}

function start(): void {
  for (const id of ['doc', 'trust-docs', 'bundle']) droppable($<HTMLTextAreaElement>(id));
  for (const id of ['doc', 'trust-docs', 'bundle', 'bundle-author', ...FIELDS])
    $(id).addEventListener('input', soon);
  $<HTMLSelectElement>('kind').addEventListener('change', soon);
  $<HTMLButtonElement>('verify').addEventListener('click', () => {
    clearTimeout(timer);
    void run();
  });
  $('doc-file').addEventListener('change', () => {
    const file = $('doc-file').files?.[0];
    if (file !== undefined)
      void file.text().then((t) => {
        $<HTMLTextAreaElement>('doc').value = t;
        void run();
      });
  });
  $<HTMLButtonElement>('share').addEventListener('click', share);
  enableDidWeb();
  const saved = decodeState(location.hash);
  if (saved !== undefined) {
    writeState(saved);
    void run();
  }
  document.documentElement.dataset['ready'] = 'true';
}

start();
