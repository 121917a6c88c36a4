// SPDX-License-Identifier: Apache-2.0
// Show a report: the verdict, every check (✓/✗/– with its code and the code's meaning from the
// error table), the readable fields (a long DID short, the full value one click away) and the JSON.
import { ERROR_CODES } from '@agent-passport/core';
import { renderJson } from './json-view.js';
import type { CheckRow, Field, Report } from './types.js';

const meaningOf = (code: string) => (ERROR_CODES as Record<string, string>)[code];

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
  const e = document.createElement(tag);
  if (cls !== undefined) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

/** `did:key:z6Mkf…ippNH`: long DIDs shortened in the middle. */
export function shortDid(did: string): string {
  return did.length <= 36 ? did : `${did.slice(0, 18)}…${did.slice(-6)}`;
}

function didValue(value: string): HTMLElement {
  const dd = el('dd');
  const shown = el('span', 'did-full', shortDid(value));
  shown.title = value;
  dd.append(shown);
  if (shortDid(value) === value) return dd;
  const toggle = el('button', 'linkish', 'show full');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-label', `show the full DID ${shortDid(value)}`);
  toggle.addEventListener('click', () => {
    const full = toggle.getAttribute('aria-expanded') !== 'true';
    shown.textContent = full ? value : shortDid(value);
    toggle.textContent = full ? 'show short' : 'show full';
    toggle.setAttribute('aria-expanded', String(full));
  });
  dd.append(toggle);
  return dd;
}

function checkItem(c: CheckRow): HTMLLIElement {
  const li = el('li', c.skipped === true ? 'skipped' : c.ok ? 'ok' : 'bad');
  li.dataset['check'] = c.name;
  li.append(el('span', 'mark', c.skipped === true ? '–' : c.ok ? '✓' : '✗'), el('span', 'name', c.name));
  if (c.skipped === true) li.append(' (not run)');
  if (c.code !== undefined) {
    li.dataset['code'] = c.code;
    li.append(' ', el('code', undefined, c.code));
    const meaning = meaningOf(c.code);
    if (meaning !== undefined) li.append(el('span', 'meaning', meaning));
  }
  if (c.message !== undefined && c.message !== '') li.append(el('span', 'message', c.message));
  return li;
}

function fieldItems(fields: readonly Field[]): HTMLElement[] {
  return fields.flatMap((f) => [
    el('dt', undefined, f.label),
    f.did === true ? didValue(f.value) : el('dd', undefined, f.value),
  ]);
}

function verdictText(r: Report): string {
  const what =
    r.kind === 'delegation'
      ? 'delegation chain'
      : r.kind === 'proof'
        ? 'Data Integrity proof'
        : r.kind === 'request'
          ? 'signed request'
          : r.kind === 'evidence'
            ? 'evidence entry'
            : r.kind;
  if (r.verified === undefined) return `Not verified (${what}): ${r.problem ?? ''}`;
  return r.verified ? `✓ verified ${what}` : `✗ refused ${what}: ${r.codes.join(', ')}`;
}

export function renderReport(root: HTMLElement, r: Report): void {
  const $ = (id: string) => root.querySelector(`#${id}`) as HTMLElement;
  const verdict = $('verdict');
  verdict.textContent = verdictText(r);
  verdict.className = `verdict ${r.verified === true ? 'ok' : r.verified === false ? 'bad' : ''}`;
  $('notes').replaceChildren(...r.notes.map((n) => el('li', undefined, n)));
  $('checks').replaceChildren(...r.checks.map(checkItem));
  $('summary').replaceChildren(...fieldItems(r.summary));
  renderJson($('json'), r.json);
  root.dataset['kind'] = r.kind;
  root.dataset['verified'] = r.verified === undefined ? 'none' : String(r.verified);
  root.dataset['codes'] = r.codes.join(' ');
  root.dataset['run'] = String(Number(root.dataset['run'] ?? '0') + 1);
}

/** A problem before anything could be verified (the time field, an unexpected failure). */
export function renderProblem(root: HTMLElement, message: string): void {
  renderReport(root, {
    kind: 'passport',
    verified: undefined,
    codes: [],
    checks: [],
    summary: [],
    notes: [],
    problem: message,
  });
}
