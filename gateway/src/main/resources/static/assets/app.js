// The page: who is signed in, the top bar, the menu by role, and the views behind the #/... addresses.
import { t, lang, setLang, unitName } from './i18n.js';
import { api, logout } from './api.js';
import { h, clear } from './dom.js';
import { dashboard, registerTask, importPlan } from './office.js';
import { taskList, taskDetail } from './tasks.js';
import { auditSearch } from './audit.js';
import { notifications, startBell } from './bell.js';
import { calendar } from './calendar.js';

const state = { me: null };

export function me() {
  return state.me;
}

export function hasRole(role) {
  return !!state.me && state.me.roles.includes(role);
}

function homeRoute() {
  if (hasRole('supervisor')) return '#/dashboard';
  if (hasRole('admin')) return '#/calendar';
  if (hasRole('inspector')) return '#/audit';
  return '#/tasks';
}

function menu() {
  const items = [];
  if (hasRole('supervisor')) {
    items.push(['#/dashboard', 'nav_dashboard'], ['#/tasks', 'nav_tasks'], ['#/tasks/new', 'nav_new'], ['#/plans/import', 'nav_import']);
  } else if (hasRole('unit')) {
    items.push(['#/tasks', 'nav_myTasks']);
  } else if (hasRole('leader')) {
    items.push(['#/tasks', 'nav_leaderTasks']);
  }
  if (hasRole('inspector')) items.push(['#/audit', 'nav_audit'], ['#/tasks', 'nav_tasks']);
  if (hasRole('admin') || hasRole('supervisor')) items.push(['#/calendar', 'nav_calendar']);
  items.push(['#/notifications', 'nav_notifications']);
  const current = location.hash.split('?')[0] || homeRoute();
  return h('nav', { class: 'menu', 'aria-label': 'menu' },
    items.map(([href, key]) => h('a', { href, class: current === href ? 'active' : '', 'data-nav': key }, t(key))));
}

function topBar() {
  const bar = document.getElementById('topbar');
  const switchLang = h('button', { type: 'button', class: 'link', id: 'lang', onclick: () => { setLang(lang() === 'en' ? 'zh' : 'en'); render(); } }, t('language'));
  if (!state.me) {
    clear(bar, h('h1', {}, h('a', { href: '#/' }, t('appName'))), h('div', { class: 'account' }, switchLang));
    return;
  }
  const roles = state.me.roles.filter(r => t('role_' + r) !== 'role_' + r).map(r => t('role_' + r)).join('、');
  clear(bar,
    h('h1', {}, h('a', { href: '#/' }, t('appName'))),
    h('div', { class: 'account' },
      h('a', { href: '#/notifications', class: 'bell', id: 'bell', title: t('nav_notifications'), 'aria-label': t('nav_notifications') }, bellIcon(), h('span', { class: 'count', id: 'bell-count', hidden: true })),
      h('span', { class: 'who', id: 'who' }, h('b', {}, state.me.name || state.me.username), h('span', { class: 'unit' }, unitName(state.me.unit)), h('span', { class: 'roles' }, roles)),
      switchLang,
      h('button', { type: 'button', id: 'logout', onclick: logout }, t('logout'))));
}

function bellIcon() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '22');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z');
  svg.append(path);
  return svg;
}

function loginProblem(problem) {
  const key = { failed: 'loginFailed', unavailable: 'loginUnavailable' }[problem];
  return key ? h('p', { class: 'error', id: 'login-' + problem, role: 'alert' }, t(key)) : null;
}

function landing(main) {
  clear(main, h('section', { class: 'landing card' },
    h('h2', {}, t('appName')),
    h('p', {}, t('loginPrompt')),
    loginProblem(new URLSearchParams(location.search).get('login')),
    h('p', { class: 'muted' }, t('loginHint')),
    h('a', { class: 'button primary', id: 'login', href: '/oauth2/authorization/keycloak' }, t('login'))));
}

const routes = [
  [/^#\/dashboard$/, () => dashboard],
  [/^#\/tasks\/new$/, () => registerTask],
  [/^#\/tasks\/([A-Za-z0-9-]+)$/, (m) => (main, query, current) => taskDetail(main, m[1], query, current)],
  [/^#\/tasks$/, () => taskList],
  [/^#\/plans\/import$/, () => importPlan],
  [/^#\/audit$/, () => auditSearch],
  [/^#\/notifications$/, () => notifications],
  [/^#\/calendar$/, () => calendar],
];

export function params() {
  const query = location.hash.split('?')[1] || '';
  return Object.fromEntries(new URLSearchParams(query));
}

/** Replaces the query of the current view's address, which renders the view again. */
export function go(path, query) {
  const search = new URLSearchParams(Object.entries(query || {}).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  const target = path + (search.toString() ? '?' + search : '');
  if (location.hash === target) render(); else location.hash = target;
}

let rendering = 0;

export async function render() {
  const ticket = ++rendering;
  topBar();
  const main = document.getElementById('main');
  const nav = document.getElementById('nav');
  if (!state.me) {
    clear(nav);
    landing(main);
    return;
  }
  if (!location.hash || location.hash === '#/' || location.hash === '#') {
    location.replace(homeRoute());
    return;
  }
  clear(nav, menu());
  const path = location.hash.split('?')[0];
  for (const [pattern, view] of routes) {
    const match = path.match(pattern);
    if (match) {
      clear(main, h('p', { class: 'muted' }, t('loading')));
      try {
        await view(match)(main, params(), () => ticket === rendering);
      } catch (e) {
        console.error(e);
        if (ticket === rendering) clear(main, h('p', { class: 'error' }, t('offline')));
      }
      window.scrollTo(0, 0);
      return;
    }
  }
  location.replace(homeRoute());
}

async function start() {
  const status = document.getElementById('main');
  try {
    const whoAmI = document.querySelector('meta[name="supervision-me"]')?.content || '/api/me';
    const response = await fetch(whoAmI, { headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' } });
    if (response.status === 401) {
      state.me = null;
    } else if (!response.ok) {
      clear(status, h('p', { class: 'error' }, t('unavailable', response.status)));
      return;
    } else {
      state.me = await response.json();
    }
  } catch (e) {
    clear(status, h('p', { class: 'error' }, t('offline')));
    return;
  }
  window.addEventListener('hashchange', render);
  window.addEventListener('session-expired', () => {
    state.me = null;
    render();
    document.getElementById('main').prepend(h('p', { class: 'error' }, t('sessionExpired')));
  });
  await render();
  if (state.me) startBell();
}

start();
