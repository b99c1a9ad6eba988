// Task list (filtered by the API to what the caller may see) and task detail with the actions the caller may take.
import { t, unitName, categoryName, CATEGORIES, UNITS } from './i18n.js';
import { api, describe, ApiError } from './api.js';
import { h, clear, date, time, today } from './dom.js';
import { go, hasRole, me } from './app.js';

export function light(value) {
  const v = value || 'NONE';
  return h('span', { class: 'light light-' + v, title: t('light_' + v) }, h('i', {}), t('light_' + v));
}

export function pager(page, goTo) {
  if (!page || page.totalPages <= 1) return page && page.totalElements ? h('p', { class: 'muted pager' }, t('pageOf', 1, 1, page.totalElements)) : null;
  return h('div', { class: 'pager' },
    h('button', { type: 'button', disabled: page.number === 0, onclick: () => goTo(page.number - 1) }, t('prev')),
    h('span', { class: 'muted' }, t('pageOf', page.number + 1, page.totalPages, page.totalElements)),
    h('button', { type: 'button', disabled: page.number + 1 >= page.totalPages, onclick: () => goTo(page.number + 1) }, t('next')));
}

function select(name, label, options, value) {
  return h('label', {}, h('span', {}, label), h('select', { name },
    h('option', { value: '' }, t('filterAny')),
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

export function taskTable(tasks) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'tasks' },
    h('thead', {}, h('tr', {}, [t('colLight'), t('colTitle'), t('colLead'), t('colDeadline'), t('colStatus'), t('colProgress')].map(c => h('th', {}, c)))),
    h('tbody', {}, tasks.map(task => h('tr', {},
      h('td', { 'data-label': t('colLight') }, light(task.light)),
      h('td', { 'data-label': t('colTitle'), class: 'title' }, h('a', { href: '#/tasks/' + task.id, class: 'task-link' }, task.title)),
      h('td', { 'data-label': t('colLead') }, unitName(task.leadUnit)),
      h('td', { 'data-label': t('colDeadline') }, date(ownDeadline(task))),
      h('td', { 'data-label': t('colStatus') }, t('status_' + task.status)),
      h('td', { 'data-label': t('colProgress') }, h('progress', { max: 100, value: task.progress || 0 }), ' ', (task.progress || 0) + '%'))))));
}

/** A unit sees its own assignment's deadline (it may have been extended); others the task's. */
function ownDeadline(task) {
  const own = (task.assignments || []).find(a => a.unit === me()?.unit);
  return own ? own.deadline : task.deadline;
}

export async function taskList(main, params, current) {
  const office = hasRole('supervisor') || hasRole('inspector');
  const filters = h('form', { class: 'filters card', onsubmit: (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target));
    go('#/tasks', { ...data, page: 0 });
  } },
    select('status', t('filterStatus'), ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'CANCELLED'].map(s => [s, t('status_' + s)]), params.status),
    select('light', t('filterLight'), ['RED', 'YELLOW', 'GREEN'].map(l => [l, t('light_' + l)]), params.light),
    select('category', t('filterCategory'), CATEGORIES.map(c => [c, categoryName(c)]), params.category),
    office ? select('unit', t('filterUnit'), Object.keys(UNITS).filter(u => (u.startsWith('dept-') || u.startsWith('town-')) && u !== 'dept-jw').map(u => [u, unitName(u)]), params.unit) : null,
    h('label', {}, h('span', {}, t('filterText')), h('input', { name: 'q', type: 'search', value: params.q || '', maxlength: 100 })),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('search')),
      h('button', { type: 'button', onclick: () => go('#/tasks', {}) }, t('reset'))));
  const query = new URLSearchParams({ page: params.page || 0, size: 20, sort: params.sort || 'deadline', direction: params.direction || 'asc' });
  for (const key of ['status', 'light', 'category', 'unit', 'q']) if (params[key]) query.set(key, params[key]);
  let answer;
  try {
    answer = await api.get('/api/tasks?' + query);
  } catch (e) {
    if (!current()) return;
    clear(main, h('h2', {}, t('nav_tasks')), filters, h('p', { class: 'error' }, describe(e).join(' ')));
    return;
  }
  if (!current()) return;
  const tasks = answer.content || [];
  const filtered = ['status', 'light', 'category', 'unit', 'q'].some(k => params[k]);
  const empty = filtered ? t('noTasks') : hasRole('unit') ? t('noTasksUnit') : hasRole('leader') ? t('noTasksLeader') : t('dashEmpty');
  const title = hasRole('unit') ? t('nav_myTasks') : hasRole('leader') && !office ? t('nav_leaderTasks') : t('nav_tasks');
  const escalated = hasRole('leader') && !office ? await escalations() : null;
  if (!current()) return;
  clear(main,
    h('div', { class: 'heading' }, h('h2', {}, title),
      hasRole('supervisor') ? h('a', { class: 'button', href: ledgerLink(params), download: '', id: 'ledger' }, t('ledger')) : null,
      hasRole('supervisor') ? h('a', { class: 'button primary', href: '#/tasks/new' }, t('nav_new')) : null),
    escalated,
    filters,
    tasks.length ? taskTable(tasks) : h('p', { class: 'empty', id: 'empty' }, empty),
    pager(answer.page, (p) => go('#/tasks', { ...params, page: p })));
}

function ledgerLink(params) {
  const query = new URLSearchParams();
  for (const key of ['status', 'light', 'category', 'unit']) if (params[key]) query.set(key, params[key]);
  return '/api/ledger.xlsx' + (query.toString() ? '?' + query : '');
}

// ---- detail -------------------------------------------------------------------------------------------

function field(label, value) {
  return value === undefined || value === null || value === '' ? null : h('div', { class: 'field' }, h('dt', {}, label), h('dd', {}, value));
}

export async function taskDetail(main, id, params, current) {
  let task;
  try {
    task = await api.get('/api/tasks/' + encodeURIComponent(id));
  } catch (e) {
    if (!current()) return;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      clear(main, h('section', { class: 'card notfound', id: 'not-found' }, h('h2', {}, t('detailTitle')),
        h('p', { class: 'error' }, t('notFound')), h('a', { href: '#/tasks', class: 'button' }, t('backToList'))));
    } else {
      clear(main, h('p', { class: 'error' }, describe(e).join(' ')));
    }
    return;
  }
  if (!current()) return;
  showTask(main, task);
  const subTasks = await api.get('/api/tasks?size=50&sort=deadline&direction=asc&parentId=' + encodeURIComponent(task.id)).catch(() => null);
  if (current() && subTasks && (subTasks.content || []).length && main.querySelector('#task')) {
    main.querySelector('#task').after(h('section', { class: 'card', id: 'sub-tasks' }, h('h3', {}, t('subTasks')), taskTable(subTasks.content)));
  }
}

function showTask(main, task, notice) {
  const reload = async (message) => {
    try { showTask(main, await api.get('/api/tasks/' + task.id), message); }
    catch (e) { main.prepend(h('p', { class: 'error' }, describe(e).join(' '))); }
  };
  const children = task.parentId ? h('p', {}, t('parent') + '：', h('a', { href: '#/tasks/' + task.parentId }, task.parentId)) : null;
  clear(main,
    h('p', {}, h('a', { href: '#/tasks' }, '← ' + t('backToList'))),
    notice ? h('p', { class: 'ok', id: 'notice' }, notice) : null,
    h('section', { class: 'card task', id: 'task', 'data-id': task.id, 'data-status': task.status },
      h('div', { class: 'heading' }, h('h2', { id: 'task-title' }, task.title), light(task.light)),
      h('dl', { class: 'facts' },
        field(t('colStatus'), h('span', { id: 'task-status' }, t('status_' + task.status) + (task.statusReason ? '（' + task.statusReason + '）' : ''))),
        field(t('colLead'), unitName(task.leadUnit)),
        field(t('field_coUnits'), (task.coUnits || []).map(unitName).join('、')),
        field(t('colDeadline'), date(task.deadline)),
        field(t('colCategory'), categoryName(task.category)),
        field(t('fPriority'), task.priority ? t('priority_' + task.priority) : ''),
        field(t('source'), task.source ? t('source_' + task.source.kind) + (task.source.reference ? '（' + task.source.reference + '）' : '') : ''),
        field(t('leader'), task.responsibleLeader),
        field(t('cycle'), task.reportingCycle ? t('cycle_' + task.reportingCycle.kind) : ''),
        field(t('colProgress'), (task.progress || 0) + '%'),
        field(t('createdBy'), [task.createdBy, time(task.createdAt)].filter(Boolean).join(' · ')),
        field('ID', h('code', { id: 'task-id' }, task.id))),
      task.description ? h('p', { class: 'description' }, task.description) : null,
      children,
      (task.milestones || []).length ? h('div', {}, h('h3', {}, t('milestones')),
        h('ul', {}, task.milestones.map(m => h('li', {}, date(m.date) + ' ' + m.title)))) : null,
      task.evaluation ? h('p', {}, t('evaluation') + '：' + t('timeliness') + ' ' + task.evaluation.timeliness + ' · '
        + t('quality') + ' ' + task.evaluation.quality + (task.evaluation.comment ? ' · ' + task.evaluation.comment : '')) : null),
    actionsPanel(task, reload),
    h('section', { class: 'assignments' }, h('h3', {}, t('assignments')), (task.assignments || []).map(a => assignmentCard(task, a))));
}

function assignmentCard(task, a) {
  const pending = (a.extensionRequests || []).find(r => r.approved === null || r.approved === undefined);
  return h('article', { class: 'card assignment', 'data-unit': a.unit, 'data-state': a.state },
    h('div', { class: 'heading' }, h('h4', {}, unitName(a.unit), h('small', { class: 'muted' }, ' · ' + t('role_' + a.role))), light(a.light),
      h('span', { class: 'state', 'data-role': 'state' }, t('state_' + a.state))),
    h('dl', { class: 'facts' },
      field(t('colDeadline'), date(a.deadline) + (a.originalDeadline && a.originalDeadline !== a.deadline ? '（' + t('deadlineOriginal', date(a.originalDeadline)) + '）' : '')),
      field(t('colProgress'), h('span', {}, h('progress', { max: 100, value: a.percent || 0 }), ' ' + (a.percent || 0) + '%')),
      field(t('acknowledgedAt'), time(a.acknowledgedAt)),
      field(t('summary'), a.completionSummary)),
    list(t('reports'), a.reports, r => [time(r.at), ' · ', r.percent + '% · ', r.text,
      (r.attachmentIds || []).map((att, i) => h('a', { href: `/api/tasks/${task.id}/attachments/${att}`, class: 'attachment' }, ' [' + t('attachment') + (i + 1) + ']'))]),
    list(t('urges'), a.urges, u => [time(u.at), ' · ', u.by, '：', u.message]),
    list(t('extensions'), a.extensionRequests, r => [time(r.requestedAt), ' · ', t('proposedDeadline'), ' ', date(r.proposedDeadline), '：', r.reason,
      r.approved === true ? ' ✔ ' + t('approve') : r.approved === false ? ' ✘ ' + t('reject') : '', r.decisionReason ? '（' + r.decisionReason + '）' : '']),
    list(t('reviews'), a.reviews, r => [time(r.at), ' · ', r.outcome === 'APPROVED' ? t('approveCompletion') : t('returnBack'), r.reason ? '：' + r.reason : '']),
    pending ? h('p', { class: 'muted' }, t('extensions') + '：' + date(pending.proposedDeadline)) : null);
}

function list(title, items, line) {
  if (!items || !items.length) return null;
  return h('details', { open: items.length <= 3 }, h('summary', {}, title + ' (' + items.length + ')'),
    h('ul', {}, items.slice().reverse().map(item => h('li', {}, line(item)))));
}

// ---- actions ------------------------------------------------------------------------------------------

const UNIT_ACTIONS = ['ACKNOWLEDGE', 'REPORT_PROGRESS', 'REQUEST_EXTENSION', 'REQUEST_COMPLETION'];
const OFFICE_ACTIONS = ['REVIEW', 'DECIDE_EXTENSION', 'URGE', 'EVALUATE', 'DECOMPOSE', 'CHANGE_DEADLINE', 'SUSPEND', 'RESUME', 'CANCEL'];

function actionsPanel(task, reload) {
  const allowed = new Set(task.allowedActions || []);
  const order = [...UNIT_ACTIONS, ...OFFICE_ACTIONS].filter(a => allowed.has(a));
  const area = h('div', { class: 'action-form', id: 'action-form' });
  if (!order.length) return hasRole('unit') || hasRole('supervisor') ? h('section', { class: 'card actions' }, h('h3', {}, t('actions')), h('p', { class: 'muted' }, t('noActions'))) : null;
  const buttons = order.map(action => h('button', { type: 'button', class: action === order[0] ? 'primary' : '', 'data-action': action,
    onclick: () => openAction(action, task, area, reload) }, t('a_' + action)));
  return h('section', { class: 'card actions' }, h('h3', {}, t('actions')), h('div', { class: 'buttons' }, buttons), area);
}

function ownAssignment(task) {
  return (task.assignments || []).find(a => a.unit === me()?.unit);
}

function input(name, label, attributes) {
  return h('label', {}, h('span', {}, label), h(attributes?.rows ? 'textarea' : 'input', { name, ...attributes }), h('small', { class: 'hint', 'data-for': name }));
}

function assignmentSelect(task, filter) {
  const options = (task.assignments || []).filter(filter);
  return h('label', {}, h('span', {}, t('forUnit')), h('select', { name: 'assignment', required: true },
    options.map(a => h('option', { value: a.id }, unitName(a.unit) + ' · ' + t('state_' + a.state)))));
}

/** Runs an action; the task's version goes as If-Match, so that a change by someone else in between is noticed. */
async function perform(task, path, body, form, reload, doneMessage) {
  const errors = form.querySelector('.problems');
  form.querySelectorAll('button').forEach(b => { b.disabled = true; });
  try {
    await api.post('/api/tasks/' + task.id + path, body, { 'If-Match': '"' + task.version + '"' });
    await reload(doneMessage || t('done'));
  } catch (e) {
    form.querySelectorAll('button').forEach(b => { b.disabled = false; });
    if (e instanceof ApiError && e.status === 412) { await reload(t('changedMeanwhile')); return; }
    clear(errors, h('b', {}, t('problemTitle')), h('ul', {}, describe(e).map(line => h('li', {}, line))));
  }
}

function validateRequired(form) {
  let ok = true;
  for (const control of form.querySelectorAll('[required]')) {
    const hint = form.querySelector(`.hint[data-for="${control.name}"]`);
    const missing = !String(control.value || '').trim();
    if (hint) hint.textContent = missing ? t('required') : '';
    control.classList.toggle('invalid', missing);
    if (missing) ok = false;
  }
  return ok;
}

function actionForm(fields, submitLabel, onSubmit, extraButtons) {
  const form = h('form', { class: 'card inner', novalidate: true },
    fields, h('div', { class: 'problems error', role: 'alert' }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', 'data-submit': '1' }, submitLabel), extraButtons || null));
  form.addEventListener('input', () => validateRequired(form));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!validateRequired(form)) return;
    onSubmit(Object.fromEntries(new FormData(form)), form, e.submitter);
  });
  return form;
}

function openAction(action, task, area, reload) {
  const own = ownAssignment(task);
  let form;
  switch (action) {
    case 'ACKNOWLEDGE':
      form = actionForm([h('p', {}, t('a_ACKNOWLEDGE') + '：' + task.title)], t('a_ACKNOWLEDGE'),
        (d, f) => perform(task, '/acknowledge', undefined, f, reload));
      break;
    case 'REPORT_PROGRESS': {
      const uploaded = [];
      const uploads = h('ul', { class: 'uploads' });
      const file = h('input', { type: 'file', name: 'evidence', accept: '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt', onchange: async (e) => {
        const chosen = e.target.files[0];
        if (!chosen) return;
        const item = h('li', { class: 'muted' }, t('uploading') + ' ' + chosen.name);
        uploads.append(item);
        try {
          const stored = await api.upload(`/api/tasks/${task.id}/attachments`, chosen);
          uploaded.push(stored.id);
          clear(item, t('attached', stored.filename || chosen.name));
          item.className = 'ok';
        } catch (err) {
          clear(item, chosen.name + '：' + describe(err).join(' '));
          item.className = 'error';
        }
        e.target.value = '';
      } });
      form = actionForm([
        input('text', t('reportText'), { rows: 3, maxlength: 5000, required: true }),
        input('percent', t('percent'), { type: 'number', min: own?.percent || 0, max: 100, value: own?.percent || 0, required: true }),
        h('label', {}, h('span', {}, t('attach')), file), uploads],
        t('submit'),
        (d, f) => perform(task, '/reports', { text: d.text, percent: Number(d.percent), attachmentIds: uploaded }, f, reload),
        h('button', { type: 'button', 'data-action': 'no-change', onclick: (e) => perform(task, '/reports', { noChange: true }, e.target.form, reload) }, t('noChange')));
      break;
    }
    case 'REQUEST_EXTENSION':
      form = actionForm([input('proposedDeadline', t('proposedDeadline'), { type: 'date', min: today(), required: true }),
        input('reason', t('reason'), { rows: 2, maxlength: 2000, required: true })], t('submit'),
        (d, f) => perform(task, '/extension-requests', { reason: d.reason, proposedDeadline: d.proposedDeadline }, f, reload));
      break;
    case 'REQUEST_COMPLETION':
      form = actionForm([input('summary', t('summary'), { rows: 3, maxlength: 5000, required: true })], t('submit'),
        (d, f) => perform(task, '/completion-request', { summary: d.summary }, f, reload));
      break;
    case 'URGE':
      form = actionForm([assignmentSelect(task, a => ['ASSIGNED', 'ACKNOWLEDGED'].includes(a.state)),
        input('message', t('message'), { rows: 2, maxlength: 1000, required: true })], t('a_URGE'),
        (d, f) => perform(task, `/assignments/${d.assignment}/urge`, { message: d.message }, f, reload));
      break;
    case 'DECIDE_EXTENSION': {
      const withPending = (a) => (a.extensionRequests || []).some(r => r.approved === null || r.approved === undefined);
      const decide = (approved) => (d, f) => {
        const a = task.assignments.find(x => x.id === d.assignment);
        const pending = a.extensionRequests.find(r => r.approved === null || r.approved === undefined);
        perform(task, `/assignments/${a.id}/extension-requests/${pending.id}/decision`, { approved, reason: d.reason || null }, f, reload);
      };
      form = actionForm([assignmentSelect(task, withPending), input('reason', t('reason'), { rows: 2, maxlength: 2000 })], t('approve'),
        decide(true), h('button', { type: 'button', onclick: (e) => decide(false)(Object.fromEntries(new FormData(e.target.form)), e.target.form) }, t('reject')));
      break;
    }
    case 'REVIEW': {
      const review = (approved) => (d, f) => {
        if (!approved && !String(d.reason || '').trim()) {
          f.querySelector('.hint[data-for="reason"]').textContent = t('required');
          return;
        }
        perform(task, `/assignments/${d.assignment}/review`, { approved, reason: d.reason || null }, f, reload);
      };
      form = actionForm([assignmentSelect(task, a => a.state === 'COMPLETION_REQUESTED'),
        h('p', { class: 'muted' }, (task.assignments.find(a => a.state === 'COMPLETION_REQUESTED') || {}).completionSummary || ''),
        input('reason', t('reason'), { rows: 2, maxlength: 2000 })], t('approveCompletion'), review(true),
        h('button', { type: 'button', 'data-action': 'return', onclick: (e) => review(false)(Object.fromEntries(new FormData(e.target.form)), e.target.form) }, t('returnBack')));
      break;
    }
    case 'EVALUATE':
      form = actionForm([input('timeliness', t('timeliness'), { type: 'number', min: 0, max: 100, value: 90, required: true }),
        input('quality', t('quality'), { type: 'number', min: 0, max: 100, value: 90, required: true }),
        input('comment', t('comment'), { rows: 2, maxlength: 2000 })], t('submit'),
        (d, f) => perform(task, '/evaluation', { timeliness: Number(d.timeliness), quality: Number(d.quality), comment: d.comment || null }, f, reload));
      break;
    case 'DECOMPOSE':
      location.hash = '#/tasks/new?parentId=' + encodeURIComponent(task.id);
      return;
    case 'CHANGE_DEADLINE':
      form = actionForm([assignmentSelect(task, a => ['ASSIGNED', 'ACKNOWLEDGED', 'COMPLETION_REQUESTED'].includes(a.state)),
        input('deadline', t('fDeadline'), { type: 'date', min: today(), required: true }),
        input('reason', t('reason'), { rows: 2, maxlength: 2000, required: true })], t('a_CHANGE_DEADLINE'),
        (d, f) => perform(task, `/assignments/${d.assignment}/deadline`, { deadline: d.deadline, reason: d.reason }, f, reload));
      break;
    case 'CANCEL': case 'SUSPEND': case 'RESUME':
      form = actionForm([input('reason', t('reason'), { rows: 2, maxlength: 2000, required: true })], t('a_' + action),
        (d, f) => perform(task, '/' + action.toLowerCase(), { reason: d.reason }, f, reload));
      break;
    default:
      return;
  }
  clear(area, h('h4', {}, t('a_' + action)), form);
  form.querySelector('input, textarea, select')?.focus();
}

/** For a responsible leader: the overdue tasks escalated to them (their ESCALATION notices), newest first. */
async function escalations() {
  const answer = await api.optional('/api/notifications?size=50').catch(() => null);
  const notices = (answer?.content || []).filter(n => n.kind === 'ESCALATION');
  if (!notices.length) return null;
  return h('section', { class: 'card escalations', id: 'escalations' },
    h('h3', {}, t('escalations'), ' (', String(notices.length), ')'),
    h('ul', { class: 'notices' }, notices.map(n => h('li', {},
      h('b', {}, n.title || ''), ' ', h('span', { class: 'muted' }, time(n.createdAt)), ' ',
      n.taskId ? h('a', { href: '#/tasks/' + n.taskId }, t('openTask')) : null))));
}
