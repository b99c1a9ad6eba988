// The notification bell (unread count, live when the stream is there, polled otherwise) and the inbox view.
import { t } from './i18n.js';
import { api, describe } from './api.js';
import { h, clear, time } from './dom.js';
import { pager } from './tasks.js';
import { go, me } from './app.js';

let unread = 0;

function showCount() {
  const badge = document.getElementById('bell-count');
  if (!badge) return;
  badge.textContent = unread > 99 ? '99+' : String(unread);
  badge.hidden = unread === 0;
  document.getElementById('bell')?.setAttribute('title', t('unreadN', unread));
}

export async function refreshBell() {
  try {
    const answer = await api.optional('/api/notifications/unread-count');
    unread = answer && typeof answer.unread === 'number' ? answer.unread : 0;
  } catch (e) {
    // The bell stays as it was; the inbox itself shows the error.
  }
  showCount();
}

export function startBell() {
  refreshBell();
  window.addEventListener('hashchange', showCount);
  // Live push when notify-service offers it; EventSource gives up by itself on a 404 and the polling carries on.
  if ('EventSource' in window) {
    const stream = new EventSource('/api/notifications/stream');
    stream.addEventListener('notification', refreshBell);
    stream.addEventListener('error', () => { if (stream.readyState === EventSource.CLOSED) stream.close(); });
  }
  setInterval(refreshBell, 60_000);
}

export async function notifications(main, params, current) {
  const page = Number(params.page || 0);
  let answer;
  try {
    answer = await api.get(`/api/notifications?page=${page}&size=20`);
  } catch (e) {
    if (!current()) return;
    clear(main, h('h2', {}, t('notifTitle')), h('p', { class: 'error' }, describe(e).join(' ')));
    return;
  }
  if (!current()) return;
  const notices = answer.content || [];
  const list = h('ul', { class: 'notices' }, notices.map(n => {
    const read = (n.readBy || []).includes(me().username);
    const item = h('li', { class: read ? 'read' : 'unread' },
      h('div', { class: 'notice-title' }, h('b', {}, n.title || n.kind || ''), h('span', { class: 'muted' }, ' ' + time(n.createdAt))),
      n.body ? h('p', {}, n.body) : null,
      h('div', { class: 'row' },
        n.taskId ? h('a', { href: '#/tasks/' + n.taskId }, t('openTask')) : null,
        h('button', { type: 'button', class: 'small', onclick: async (event) => {
          event.target.disabled = true;
          try { await api.post(`/api/notifications/${encodeURIComponent(n.id)}/read`); item.className = 'read'; refreshBell(); }
          catch (e) { event.target.disabled = false; item.append(h('p', { class: 'error' }, describe(e).join(' '))); }
        } }, t('markRead'))));
    return item;
  }));
  clear(main, h('h2', {}, t('notifTitle')),
    notices.length ? list : h('p', { class: 'empty' }, t('notifEmpty')),
    pager(answer.page, (p) => go('#/notifications', { page: p })));
  refreshBell();
}
