// The supervision office: dashboard, registering and assigning a task, importing a work plan.
import { t, unitName, categoryName, CATEGORIES, UNITS } from './i18n.js';
import { api, describe, ApiError } from './api.js';
import { h, clear, today } from './dom.js';
import { light, taskTable } from './tasks.js';

const ECHARTS = '/webjars/echarts/5.3.1/dist/echarts.min.js';
let echartsLoading;

/** ECharts comes as a WebJar; the dashboard still works (tables only) if it cannot be loaded. */
function loadEcharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  echartsLoading ??= new Promise((resolve) => {
    const script = h('script', { src: ECHARTS });
    script.onload = () => resolve(window.echarts || null);
    script.onerror = () => { echartsLoading = undefined; resolve(null); };
    document.head.append(script);
  });
  return echartsLoading;
}

async function count(query) {
  const answer = await api.get('/api/tasks?size=1&' + query);
  return answer.page ? answer.page.totalElements : (answer.content || []).length;
}

function yearAgo() {
  const d = new Date();
  d.setFullYear(d.getFullYear() - 1);
  return d.toISOString().slice(0, 10);
}

function percent(part, whole) {
  return whole ? Math.round((part / whole) * 100) : 0;
}

function figuresTable(rows, nameOf, id) {
  if (!rows.length) return h('p', { class: 'empty' }, t('dashEmpty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'figures', id },
    h('thead', {}, h('tr', {}, [id === 'by-unit' ? t('colUnit') : t('colCategory'), t('colAssigned'), t('colCompleted'), t('colOnTime'), t('colOverdue'), t('colRate')].map(c => h('th', {}, c)))),
    h('tbody', {}, rows.map(r => h('tr', {},
      h('td', { 'data-label': '' }, nameOf(r.key)), h('td', { 'data-label': t('colAssigned') }, r.assigned), h('td', { 'data-label': t('colCompleted') }, r.completed),
      h('td', { 'data-label': t('colOnTime') }, r.completedOnTime), h('td', { 'data-label': t('colOverdue'), class: r.overdueNow ? 'bad' : '' }, r.overdueNow),
      h('td', { 'data-label': t('colRate') }, percent(r.completed, r.assigned) + '%'))))));
}

export async function dashboard(main, params, current) {
  const lights = ['RED', 'YELLOW', 'GREEN'];
  let counts, overdue, byUnit, byCategory;
  try {
    [counts, overdue] = await Promise.all([
      Promise.all([count('status=ACTIVE'), ...lights.map(l => count('status=ACTIVE&light=' + l))]),
      api.get('/api/tasks?status=ACTIVE&light=RED&sort=deadline&direction=asc&size=10'),
    ]);
    const period = `from=${yearAgo()}&to=${today()}`;
    [byUnit, byCategory] = await Promise.all([
      api.get(`/api/statistics?${period}&by=UNIT`).catch(() => []),
      api.get(`/api/statistics?${period}&by=CATEGORY`).catch(() => []),
    ]);
  } catch (e) {
    if (current()) clear(main, h('h2', {}, t('dashTitle')), h('p', { class: 'error' }, describe(e).join(' ')));
    return;
  }
  if (!current()) return;
  const [all, ...perLight] = counts;
  const chart = h('div', { class: 'chart', id: 'chart' });
  clear(main,
    h('div', { class: 'heading' }, h('h2', {}, t('dashTitle')),
      h('a', { class: 'button', href: '/api/ledger.xlsx', download: '' }, t('ledger')),
      h('a', { class: 'button primary', href: '#/tasks/new' }, t('nav_new'))),
    all === 0 ? h('p', { class: 'empty' }, t('dashEmpty')) : null,
    h('section', { class: 'tiles', id: 'lights' },
      h('a', { class: 'tile', href: '#/tasks?status=ACTIVE' }, h('b', {}, all), h('span', {}, t('status_ACTIVE'))),
      lights.map((l, i) => h('a', { class: 'tile tile-' + l, href: '#/tasks?status=ACTIVE&light=' + l, 'data-light': l },
        h('b', {}, perLight[i]), light(l)))),
    h('section', { class: 'card' }, h('h3', {}, t('dashOverdue')),
      (overdue.content || []).length ? taskTable(overdue.content) : h('p', { class: 'muted' }, t('dashNoOverdue'))),
    h('section', { class: 'card' }, h('h3', {}, t('dashChart'), h('small', { class: 'muted' }, ' ' + t('dashPeriod'))), chart),
    h('div', { class: 'two' },
      h('section', { class: 'card' }, h('h3', {}, t('dashByUnit')), figuresTable(byUnit || [], unitName, 'by-unit')),
      h('section', { class: 'card' }, h('h3', {}, t('dashByCategory')), figuresTable(byCategory || [], categoryName, 'by-category'))));
  drawChart(chart, byUnit || []);
}

async function drawChart(container, rows) {
  if (!rows.length) { container.remove(); return; }
  const echarts = await loadEcharts();
  if (!echarts || !container.isConnected) { container.remove(); return; }
  const chart = echarts.init(container);
  chart.setOption({
    tooltip: { trigger: 'axis', valueFormatter: (v) => v + '%' },
    legend: { data: [t('colRate'), t('colOnTimeRate')] },
    grid: { left: 40, right: 10, bottom: 80 },
    xAxis: { type: 'category', data: rows.map(r => unitName(r.key)), axisLabel: { rotate: 40, interval: 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: t('colRate'), type: 'bar', data: rows.map(r => percent(r.completed, r.assigned)), itemStyle: { color: '#1565c0' } },
      { name: t('colOnTimeRate'), type: 'bar', data: rows.map(r => percent(r.completedOnTime, r.completed)), itemStyle: { color: '#2e7d32' } },
    ],
  });
  window.addEventListener('resize', () => chart.resize());
}

// ---- register and assign ------------------------------------------------------------------------------

const ASSIGNABLE = () => Object.keys(UNITS).filter(u => (u.startsWith('dept-') || u.startsWith('town-')) && u !== 'dept-jw');

function control(name, label, element) {
  return h('label', { class: 'control' }, h('span', {}, label), element, h('small', { class: 'hint', 'data-for': name }));
}

function options(pairs, value, blank) {
  return [blank ? h('option', { value: '' }, blank) : null, pairs.map(([v, text]) => h('option', { value: v, selected: v === value }, text))];
}

/** The rules the server checks too, said as the user types. */
function check(form) {
  const v = Object.fromEntries(new FormData(form));
  const co = new FormData(form).getAll('coUnits');
  const problems = {};
  if (!v.title.trim()) problems.title = t('required');
  else if (v.title.length > 200) problems.title = t('tooLong', 200);
  if (v.description.length > 5000) problems.description = t('tooLong', 5000);
  if (!v.category) problems.category = t('required');
  if (!v.leadUnit) problems.leadUnit = t('required');
  if (co.includes(v.leadUnit)) problems.coUnits = t('leadIsCo');
  if (!v.deadline) problems.deadline = t('required');
  else if (v.deadline < today()) problems.deadline = t('deadlinePast');
  else if (form.dataset.parentDeadline && v.deadline > form.dataset.parentDeadline) problems.deadline = t('afterParent', form.dataset.parentDeadline);
  if (v.responsibleLeader && !/^[A-Za-z0-9._-]{1,64}$/.test(v.responsibleLeader)) problems.responsibleLeader = t('badUser');
  const range = { WEEKLY: [1, 7], HALF_MONTHLY: [1, 15], MONTHLY: [1, 31], QUARTERLY: [1, 31] }[v.cycle];
  if (range && !(Number(v.dueDay) >= range[0] && Number(v.dueDay) <= range[1])) problems.dueDay = t('dueDayRange', ...range);
  return problems;
}

function showProblems(form, problems, touchedOnly) {
  for (const hint of form.querySelectorAll('.hint')) {
    const name = hint.dataset.for;
    const show = problems[name] && (!touchedOnly || form.querySelector(`[name="${name}"]`)?.dataset.touched);
    hint.textContent = show ? problems[name] : '';
    form.querySelectorAll(`[name="${name}"]`).forEach(c => c.classList.toggle('invalid', !!show));
  }
}

export async function registerTask(main, params, current) {
  const units = ASSIGNABLE().map(u => [u, unitName(u)]);
  // 分解: a sub-task of an active task, due no later than its parent.
  let parent = null;
  if (params.parentId) {
    try {
      parent = await api.get('/api/tasks/' + encodeURIComponent(params.parentId));
    } catch (e) {
      if (current()) clear(main, h('h2', {}, t('newTitle')), h('p', { class: 'error' }, describe(e).join(' ')));
      return;
    }
    if (!current()) return;
  }
  const form = h('form', { class: 'card form', id: 'register', novalidate: true },
    control('title', t('fTitle'), h('input', { name: 'title', maxlength: 200, required: true })),
    control('description', t('fDescription'), h('textarea', { name: 'description', rows: 3, maxlength: 5000 })),
    h('div', { class: 'two' },
      control('category', t('fCategory'), h('select', { name: 'category', required: true }, options(CATEGORIES.map(c => [c, categoryName(c)]), parent?.category || '', '—'))),
      control('priority', t('fPriority'), h('select', { name: 'priority' }, options(['HIGH', 'NORMAL', 'LOW'].map(p => [p, t('priority_' + p)]), 'NORMAL')))),
    h('div', { class: 'two' },
      control('source', t('fSource'), h('select', { name: 'source' }, options(['PARTY_CONGRESS_REPORT', 'LEADERSHIP_INSTRUCTION', 'MEETING_DECISION', 'PROPOSAL'].map(s => [s, t('source_' + s)]), '', '—'))),
      control('sourceRef', t('fSourceRef'), h('input', { name: 'sourceRef', maxlength: 200 }))),
    h('div', { class: 'two' },
      control('leadUnit', t('fLead'), h('select', { name: 'leadUnit', required: true }, options(units, '', '—'))),
      control('deadline', t('fDeadline'), h('input', { name: 'deadline', type: 'date', min: today(), max: parent?.deadline, required: true }))),
    h('fieldset', { class: 'control' }, h('legend', {}, t('fCo')),
      h('div', { class: 'checks' }, units.map(([u, name]) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'coUnits', value: u }), name))),
      h('small', { class: 'hint', 'data-for': 'coUnits' })),
    h('div', { class: 'two' },
      control('responsibleLeader', t('fLeader'), h('input', { name: 'responsibleLeader', maxlength: 64, placeholder: 'leader-liu' })),
      h('div', { class: 'two' },
        control('cycle', t('fCycle'), h('select', { name: 'cycle' }, options(['NONE', 'WEEKLY', 'HALF_MONTHLY', 'MONTHLY', 'QUARTERLY'].map(c => [c, t('cycle_' + c)]), 'NONE'))),
        control('dueDay', t('fDueDay'), h('input', { name: 'dueDay', type: 'number', min: 1, max: 31 })))),
    h('div', { class: 'problems error', role: 'alert', id: 'problems' }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'submit' }, t('submit')),
      h('a', { class: 'button', href: '#/tasks' }, t('cancel'))));
  const touch = (e) => { if (e.target.name) e.target.dataset.touched = '1'; showProblems(form, check(form), true); };
  form.addEventListener('input', touch);
  form.addEventListener('change', touch);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problems = check(form);
    const box = form.querySelector('#problems');
    showProblems(form, problems, false);
    if (Object.keys(problems).length) { clear(box, t('fixErrors')); return; }
    const v = Object.fromEntries(new FormData(form));
    const body = {
      parentId: parent?.id || null,
      title: v.title.trim(), description: v.description.trim() || null, category: v.category, priority: v.priority,
      leadUnit: v.leadUnit, coUnits: new FormData(form).getAll('coUnits'), deadline: v.deadline,
      responsibleLeader: v.responsibleLeader.trim() || null,
      source: v.source ? { kind: v.source, reference: v.sourceRef.trim() || null } : null,
      reportingCycle: v.cycle && v.cycle !== 'NONE' ? { kind: v.cycle, dueDay: Number(v.dueDay) } : null,
    };
    const button = form.querySelector('#submit');
    button.disabled = true;
    try {
      // One key per form: a double click or a retry after a lost answer registers the task once.
      form.dataset.key ??= crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
      const task = await api.post('/api/tasks', body, { 'Idempotency-Key': form.dataset.key });
      location.hash = '#/tasks/' + task.id;
    } catch (err) {
      button.disabled = false;
      const fields = {};
      for (const error of err instanceof ApiError ? err.problem.errors || [] : []) if (error.field) fields[error.field.split(/[.[]/)[0]] = error.message;
      showProblems(form, fields, false);
      clear(box, h('b', {}, t('problemTitle')), h('ul', {}, describe(err).map(line => h('li', {}, line))));
    }
  });
  if (parent) form.dataset.parentDeadline = parent.deadline;
  clear(main, h('h2', {}, parent ? t('decomposeTitle') : t('newTitle')),
    parent ? h('p', {}, t('parent') + '：', h('a', { href: '#/tasks/' + parent.id }, parent.title)) : null, form);
}

// ---- work plan import ---------------------------------------------------------------------------------

export async function importPlan(main) {
  const result = h('div', { id: 'import-result', role: 'status' });
  const progress = h('progress', { hidden: true });
  const form = h('form', { class: 'card form', id: 'import' },
    h('p', { class: 'muted' }, t('importHelp')),
    h('label', { class: 'control' }, h('span', {}, t('importFile')), h('input', { type: 'file', name: 'file', accept: '.yaml,.yml,.xlsx', required: true })),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('submit')), progress));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = form.file.files[0];
    if (!file) { clear(result, h('p', { class: 'error' }, t('required'))); return; }
    const button = form.querySelector('button');
    button.disabled = true;
    progress.hidden = false;
    clear(result, h('p', { class: 'muted' }, t('importing')));
    try {
      const answer = await api.upload('/api/plans/import', file);
      clear(result, h('p', { class: 'ok' }, answer.created ? t('importDone', answer.plan || file.name, answer.tasks, answer.created) : t('importNone')),
        h('a', { href: '#/tasks', class: 'button' }, t('nav_tasks')));
    } catch (err) {
      const rows = err instanceof ApiError ? err.problem.errors || [] : [];
      clear(result, h('p', { class: 'error' }, rows.length ? t('importErrors') : describe(err).join(' ')),
        rows.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('rowItem')), h('th', {}, t('rowProblem')))),
          h('tbody', {}, rows.map(r => h('tr', {}, h('td', {}, r.item || r.field || ''), h('td', {}, r.message || String(r))))))) : null);
    } finally {
      button.disabled = false;
      progress.hidden = true;
    }
  });
  clear(main, h('h2', {}, t('importTitle')), form, result);
}

