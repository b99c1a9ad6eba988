// Inspectors: the audit trail of a task, its timeline, a record's inclusion proof checked in the page, evidence download.
import { t, unitName, eventName, UNITS, AUDIT_ACTIONS } from './i18n.js';
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

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day of the period as the instant the service expects: the start of the day, or the start of the next one. */
function instant(day, end) {
  if (!DAY.test(day || '')) return null;
  const date = new Date(day + 'T00:00:00');
  if (end) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

export async function auditSearch(main, params, current) {
  const task = params.task || '';
  const unit = params.unit || '';
  const actor = params.actor || '';
  const type = AUDIT_ACTIONS.includes(params.type) ? params.type : '';
  const from = DAY.test(params.from || '') ? params.from : '';
  const to = DAY.test(params.to || '') ? params.to : '';
  const form = h('form', { class: 'card filters', id: 'audit-form', onsubmit: (e) => {
    e.preventDefault();
    const values = { task: e.target.task.value.trim(), unit: e.target.unit.value, actor: e.target.actor.value.trim(),
      type: e.target.type.value, from: e.target.from.value, to: e.target.to.value };
    const backwards = values.from && values.to && values.from > values.to;
    e.target.querySelector('.hint[data-for="to"]').textContent = backwards ? t('msg_range') : '';
    let ok = true;
    for (const [name, pattern] of [['task', ID], ['actor', ACTOR]]) {
      const wrong = values[name] && !pattern.test(values[name]);
      e.target.querySelector(`.hint[data-for="${name}"]`).textContent = wrong ? t('msg_pattern') : '';
      if (wrong) ok = false;
    }
    if (ok && !backwards) go('#/audit', values);
  } },
    h('p', { class: 'muted full' }, t('auditHelp')),
    h('label', {}, h('span', {}, t('auditTask')), h('input', { name: 'task', value: task, maxlength: 64, id: 'audit-task' }), h('small', { class: 'hint', 'data-for': 'task' })),
    h('label', {}, h('span', {}, t('filterUnit')), h('select', { name: 'unit' }, h('option', { value: '' }, t('filterAny')),
      Object.keys(UNITS).map(u => h('option', { value: u, selected: u === unit }, unitName(u))))),
    h('label', {}, h('span', {}, t('auditAction')), h('select', { name: 'type', id: 'audit-type' }, h('option', { value: '' }, t('filterAny')),
      AUDIT_ACTIONS.map(a => h('option', { value: a, selected: a === type }, eventName(a))))),
    h('label', {}, h('span', {}, t('auditFrom')), h('input', { type: 'date', name: 'from', value: from, id: 'audit-from' })),
    h('label', {}, h('span', {}, t('auditTo')), h('input', { type: 'date', name: 'to', value: to, id: 'audit-to' }), h('small', { class: 'hint', 'data-for': 'to' })),
    // Actors are searched by their account id: a click on a name in the results fills it in.
    h('input', { type: 'hidden', name: 'actor', value: actor }),
    actor ? h('span', { class: 'chip' }, t('auditActor') + '：' + actor.slice(0, 8) + '… ',
      h('button', { type: 'button', class: 'small', onclick: () => go('#/audit', { task, unit, type, from, to }) }, '×'), h('small', { class: 'hint', 'data-for': 'actor' })) : h('small', { class: 'hint', 'data-for': 'actor', hidden: true }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('search'))));
  if (!task && !unit && !actor && !type && !from && !to) { clear(main, h('h2', {}, t('auditTitle')), form); return; }
  const page = Number(params.page || 0);
  const query = new URLSearchParams({ page, size: 50 });
  if (task) query.set('subject', task);
  if (unit) query.set('unit', unit);
  if (actor) query.set('actorId', actor);
  if (type) query.set('type', type);
  if (from) query.set('from', instant(from, false));
  if (to) query.set('to', instant(to, true));
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
      proofsAvailable && task ? h('a', { class: 'button', href: '/api/audit/export?task=' + encodeURIComponent(task), download: '', id: 'evidence' }, t('exportEvidence')) : null,
      proofsAvailable && unit && !task ? (from && to
        ? h('a', { class: 'button', id: 'unit-evidence', download: '',
            href: '/api/audit/export?' + new URLSearchParams({ unit, from: instant(from, false), to: instant(to, true) }) }, t('exportUnitEvidence'))
        : h('small', { class: 'muted' }, t('auditPeriodHint'))) : null),
    list.length ? records(list, proofsAvailable) : h('p', { class: 'empty', id: 'audit-empty' }, t('auditEmpty')),
    pager(answer.page, (p) => go('#/audit', { task, unit, actor, type, from, to, page: p })));
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
    const signature = ok ? await checkSignature(proof.checkpoint) : null;
    const good = ok && signature && signature.valid !== false;
    result.textContent = (good ? '✔ ' + t('proofOk', proof.treeSize) : '✘ ' + t('proofBad')) + ' '
      + (signature ? (signature.valid === null ? t('signatureNA') : signature.valid ? t('signatureOk', signature.key) : t('signatureBad')) : '');
    result.className = 'proof ' + (good ? 'ok' : 'error');
  } catch (e) {
    result.textContent = describe(e).join(' ');
    result.className = 'proof error';
  } finally {
    button.disabled = false;
  }
}

// ---- C2SP signed note: the checkpoint's Ed25519 signature, checked with the browser's WebCrypto -----------

let publicKey;

/** The audit log's public key (C2SP vkey: name+keyhash+base64(0x01 || key)), fetched once per page. */
async function auditKey() {
  if (!publicKey) {
    const vkey = (await api.optional('/api/audit/public-key', { 'Accept': 'text/plain' })).trim();
    // name+hash+key: the base64 key may itself hold a '+', so only the first two separate.
    const first = vkey.indexOf('+'), second = vkey.indexOf('+', first + 1);
    const [name, hash, encoded] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
    const raw = bytes(encoded);
    // The key id is computed, not taken from the text: the first four bytes of SHA-256(name || 0x0A || 0x01 || key).
    const id = (await sha256(new TextEncoder().encode(name), Uint8Array.of(0x0a), raw)).slice(0, 4);
    const hex = Array.from(id, b => b.toString(16).padStart(2, '0')).join('');
    publicKey = { name, hash: hex, id, raw: raw.slice(1), algorithm: hex === hash ? raw[0] : -1 };
  }
  return publicKey;
}

/**
 * { valid: true|false, key } for the checkpoint note's signature by the log's key; valid null when this browser
 * has no Ed25519. The signed message is the note's text up to and including its last newline before the blank line.
 */
async function checkSignature(note) {
  const key = await auditKey();
  const split = note.indexOf('\n\n');
  const message = new TextEncoder().encode(note.slice(0, split + 1));
  const line = note.slice(split + 2).split('\n').find(l => l.startsWith('\u2014 ' + key.name + ' '));
  if (!line || key.algorithm !== 1) return { valid: false, key: key.name };
  const signed = bytes(line.slice(('\u2014 ' + key.name + ' ').length));
  if (!equal(signed.slice(0, 4), key.id)) return { valid: false, key: key.name };
  try {
    const verifier = await crypto.subtle.importKey('raw', key.raw, { name: 'Ed25519' }, false, ['verify']);
    return { valid: await crypto.subtle.verify({ name: 'Ed25519' }, verifier, signed.slice(4), message), key: key.name + '+' + key.hash };
  } catch (e) {
    return { valid: null, key: key.name };
  }
}
