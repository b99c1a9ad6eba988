// Inspectors: the audit trail of a task, its timeline, a record's inclusion proof checked in the page, evidence download.
import { t, unitName, eventName, UNITS } from './i18n.js';
import { api, describe } from './api.js';
import { h, clear, time } from './dom.js';
import { go } from './app.js';
import { pager } from './tasks.js';

const ID = /^[A-Za-z0-9-]{1,64}$/;

function records(list, proofs) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'audit', id: 'audit-records' },
    h('thead', {}, h('tr', {}, [t('colSeq'), t('colTime'), t('colActor'), t('colAction'), t('colFrom'), ''].map(c => h('th', {}, c)))),
    h('tbody', {}, list.map(r => {
      const result = h('span', { class: 'proof' });
      return h('tr', { 'data-type': r.type || '' },
        h('td', { 'data-label': t('colSeq') }, r.seq ?? ''),
        h('td', { 'data-label': t('colTime') }, time(r.time)),
        h('td', { 'data-label': t('colActor') }, r.actor ? [r.actor.id ? h('a', { href: '#/audit?actor=' + encodeURIComponent(r.actor.id), title: t('auditByActor') }, r.actor.name || r.actor.id) : r.actor.name,
          ' ', h('small', { class: 'muted' }, unitName(r.actor.unit))] : ''),
        h('td', { 'data-label': t('colAction') }, eventName(r.type), summary(r.data)),
        h('td', { 'data-label': t('colFrom') }, h('small', {}, r.clientAddress || '')),
        h('td', {}, proofs && r.seq ? [h('button', { type: 'button', class: 'small', onclick: (e) => verify(r, e.target, result) }, t('verifyProof')), ' ', result] : ''));
    }))));
}

function summary(data) {
  if (!data) return null;
  const parts = ['unit', 'percent', 'message', 'reason', 'summary', 'outcome', 'proposedDeadline', 'deadline']
    .filter(k => data[k] !== undefined && data[k] !== null && typeof data[k] !== 'object')
    .map(k => k === 'unit' ? unitName(data[k]) : String(data[k]));
  return parts.length ? h('div', { class: 'muted small' }, parts.join(' · ')) : null;
}

const ACTOR = /^[A-Za-z0-9-]{1,64}$/;

export async function auditSearch(main, params, current) {
  const task = params.task || '';
  const unit = params.unit || '';
  const actor = params.actor || '';
  const form = h('form', { class: 'card filters', id: 'audit-form', onsubmit: (e) => {
    e.preventDefault();
    const values = { task: e.target.task.value.trim(), unit: e.target.unit.value, actor: e.target.actor.value.trim() };
    let ok = true;
    for (const [name, pattern] of [['task', ID], ['actor', ACTOR]]) {
      const wrong = values[name] && !pattern.test(values[name]);
      e.target.querySelector(`.hint[data-for="${name}"]`).textContent = wrong ? t('msg_pattern') : '';
      if (wrong) ok = false;
    }
    if (ok) go('#/audit', values);
  } },
    h('p', { class: 'muted full' }, t('auditHelp')),
    h('label', {}, h('span', {}, t('auditTask')), h('input', { name: 'task', value: task, maxlength: 64, id: 'audit-task' }), h('small', { class: 'hint', 'data-for': 'task' })),
    h('label', {}, h('span', {}, t('filterUnit')), h('select', { name: 'unit' }, h('option', { value: '' }, t('filterAny')),
      Object.keys(UNITS).map(u => h('option', { value: u, selected: u === unit }, unitName(u))))),
    // Actors are searched by their account id: a click on a name in the results fills it in.
    h('input', { type: 'hidden', name: 'actor', value: actor }),
    actor ? h('span', { class: 'chip' }, t('auditActor') + '：' + actor.slice(0, 8) + '… ',
      h('button', { type: 'button', class: 'small', onclick: () => go('#/audit', { task, unit }) }, '×'), h('small', { class: 'hint', 'data-for': 'actor' })) : h('small', { class: 'hint', 'data-for': 'actor', hidden: true }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('search'))));
  if (!task && !unit && !actor) { clear(main, h('h2', {}, t('auditTitle')), form); return; }
  const page = Number(params.page || 0);
  const query = new URLSearchParams({ page, size: 50 });
  if (task) query.set('subject', task);
  if (unit) query.set('unit', unit);
  if (actor) query.set('actorId', actor);
  let answer, proofsAvailable;
  try {
    [answer, proofsAvailable] = await Promise.all([
      api.get('/api/audit/records?' + query),
      api.optional('/api/audit/checkpoints/latest', { 'Accept': 'text/plain' }).then(Boolean).catch(() => false),
    ]);
  } catch (e) {
    if (current()) clear(main, h('h2', {}, t('auditTitle')), form, h('p', { class: 'error' }, describe(e).join(' ')));
    return;
  }
  if (!current()) return;
  const list = answer.content || [];
  clear(main, h('h2', {}, t('auditTitle')), form,
    h('div', { class: 'heading' }, h('h3', {}, task ? [t('timeline'), ' ', h('code', {}, task)] : t('auditRecords')),
      task ? h('a', { class: 'button', href: '#/tasks/' + encodeURIComponent(task) }, t('openTask')) : null,
      proofsAvailable && task ? h('a', { class: 'button', href: '/api/audit/export?task=' + encodeURIComponent(task), download: '', id: 'evidence' }, t('exportEvidence')) : null),
    list.length ? records(list, proofsAvailable) : h('p', { class: 'empty', id: 'audit-empty' }, t('auditEmpty')),
    pager(answer.page, (p) => go('#/audit', { task, unit, actor, page: p })));
}

// ---- RFC 9162 inclusion proof, checked with the browser's own SHA-256 -----------------------------------

const bytes = (b64) => Uint8Array.from(atob(b64), c => c.charCodeAt(0));
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

async function sha256(...parts) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { all.set(p, offset); offset += p.length; }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

async function rootFromProof(index, size, leafHash, proof) {
  let fn = BigInt(index), sn = BigInt(size - 1), r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

async function verify(record, button, result) {
  button.disabled = true;
  try {
    const proof = await api.optional(`/api/audit/records/${record.seq}/proof`);
    if (!proof || !crypto.subtle) { result.textContent = t('proofNA'); return; }
    const text = proof.checkpoint.split('\n\n')[0].split('\n');
    const root = bytes(text[2]);
    const leafHash = await sha256(Uint8Array.of(0), new TextEncoder().encode(proof.leaf));
    const computed = await rootFromProof(proof.seq - 1, proof.treeSize, leafHash, proof.proof.map(bytes));
    const ok = Number(text[1]) === proof.treeSize && equal(leafHash, bytes(proof.leafHash)) && computed && equal(computed, root)
      && (!record.leafHash || equal(leafHash, bytes(record.leafHash)));
    result.textContent = ok ? '✔ ' + t('proofOk', proof.treeSize) : '✘ ' + t('proofBad');
    result.className = 'proof ' + (ok ? 'ok' : 'error');
  } catch (e) {
    result.textContent = describe(e).join(' ');
    result.className = 'proof error';
  } finally {
    button.disabled = false;
  }
}
