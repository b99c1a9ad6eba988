// The working-day calendar of a year: holidays and adjusted working days (调休). Everyone may read it; the
// administrator corrects it when the State Council publishes or changes the year's arrangements.
import { t } from './i18n.js';
import { api, describe } from './api.js';
import { h, clear } from './dom.js';
import { go, hasRole } from './app.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The dates of a text area, one per line or separated by commas; the lines that are not dates of the year. */
function dates(text, year) {
  const all = text.split(/[\s,，]+/).filter(Boolean);
  const wrong = all.filter(d => !DATE.test(d) || isNaN(Date.parse(d + 'T00:00:00Z')) || !d.startsWith(year + '-'));
  return { list: [...new Set(all)].sort(), wrong };
}

export async function calendar(main, params, current) {
  const thisYear = new Date().getFullYear();
  const year = /^\d{4}$/.test(params.year || '') ? Number(params.year) : thisYear;
  let data;
  try {
    data = await api.optional('/api/calendar/' + year);
  } catch (e) {
    if (current()) clear(main, h('h2', {}, t('calendarTitle')), h('p', { class: 'error' }, describe(e).join(' ')));
    return;
  }
  if (!current()) return;
  const years = h('div', { class: 'buttons' }, [thisYear - 1, thisYear, thisYear + 1].map(y =>
    h('button', { type: 'button', class: y === year ? 'primary small' : 'small', onclick: () => go('#/calendar', { year: y }) }, String(y))));
  const view = h('div', { class: 'card', id: 'calendar-view' },
    data ? [
      h('p', { class: 'muted' }, t('calendarSource'), '：', data.source, ' · ', t('calendarVersion'), ' ', String(data.version)),
      h('h3', {}, t('calendarHolidays'), ' (', String(data.holidays.length), ')'),
      h('p', { id: 'calendar-holidays' }, data.holidays.map(d => h('span', { class: 'chip' }, d))),
      h('h3', {}, t('calendarWorkdays'), ' (', String(data.workdays.length), ')'),
      h('p', { id: 'calendar-workdays' }, data.workdays.length ? data.workdays.map(d => h('span', { class: 'chip' }, d)) : t('calendarNone')),
    ] : h('p', { class: 'empty', id: 'calendar-missing' }, t('calendarMissing', year)));
  clear(main, h('h2', {}, t('calendarTitle'), ' ', String(year)), years, view, hasRole('admin') ? editor(year, data) : null);
}

function editor(year, data) {
  const message = h('p', { id: 'calendar-message', role: 'status' });
  const check = (form) => {
    let ok = true;
    for (const name of ['holidays', 'workdays']) {
      const { wrong } = dates(form[name].value, year);
      form.querySelector(`.hint[data-for="${name}"]`).textContent = wrong.length ? t('calendarWrongDates', wrong.slice(0, 3).join('、')) : '';
      if (wrong.length) ok = false;
    }
    const source = form.source.value.trim();
    form.querySelector('.hint[data-for="source"]').textContent = !source ? t('msg_required') : source.length > 300 ? t('msg_size') : '';
    return ok && source && source.length <= 300;
  };
  const form = h('form', { class: 'card form', id: 'calendar-form', oninput: (e) => check(e.currentTarget), onsubmit: async (e) => {
    e.preventDefault();
    const target = e.target;
    if (!check(target)) return;
    const button = target.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const saved = await api.put('/api/calendar/' + year, {
        holidays: dates(target.holidays.value, year).list, workdays: dates(target.workdays.value, year).list, source: target.source.value.trim() });
      message.textContent = t('calendarSaved', saved.version);
      message.className = 'ok';
      setTimeout(() => go('#/calendar', { year }), 800);
    } catch (err) {
      message.textContent = describe(err).join(' ');
      message.className = 'error';
    } finally {
      button.disabled = false;
    }
  } },
    h('h3', { class: 'full' }, t('calendarEdit')),
    h('p', { class: 'muted full' }, t('calendarEditHelp')),
    h('label', {}, h('span', {}, t('calendarHolidays')), h('textarea', { name: 'holidays', rows: 8, id: 'calendar-holidays-input' }, (data?.holidays || []).join('\n')), h('small', { class: 'hint', 'data-for': 'holidays' })),
    h('label', {}, h('span', {}, t('calendarWorkdays')), h('textarea', { name: 'workdays', rows: 8, id: 'calendar-workdays-input' }, (data?.workdays || []).join('\n')), h('small', { class: 'hint', 'data-for': 'workdays' })),
    h('label', { class: 'full' }, h('span', {}, t('calendarSource')), h('input', { name: 'source', maxlength: 300, value: data?.source || '', id: 'calendar-source' }), h('small', { class: 'hint', 'data-for': 'source' })),
    h('div', { class: 'buttons full' }, h('button', { type: 'submit', class: 'primary' }, t('calendarSave'))),
    message);
  return form;
}
