// Calls to the gateway from the page: the session cookie goes along; the CSRF cookie goes back as a header.
import { t } from './i18n.js';

// X-Requested-With makes the gateway answer 401 instead of redirecting a call to the login page.
const SCRIPT = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || String(status));
    this.status = status;
    this.problem = problem || {};
  }
}

export function cookie(name) {
  const match = document.cookie.match(new RegExp('(?:^|;\\s*)' + name + '=([^;]*)'));
  return match ? decodeURIComponent(match[1]) : '';
}

async function send(method, path, { body, headers, form } = {}) {
  const init = { method, headers: { ...SCRIPT, ...(headers || {}) }, credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-XSRF-TOKEN'] = cookie('XSRF-TOKEN');
  if (form) {
    init.body = form;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('session-expired'));
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  return data;
}

export const api = {
  get: (path) => send('GET', path),
  post: (path, body, headers) => send('POST', path, { body, headers }),
  put: (path, body, headers) => send('PUT', path, { body, headers }),
  upload: (path, file) => {
    const form = new FormData();
    form.append('file', file);
    return send('POST', path, { form });
  },
  /** Like get, but null instead of an error when the endpoint is not there (yet): optional features stay hidden. */
  optional: async (path, headers) => {
    try {
      return await send('GET', path, { headers });
    } catch (e) {
      if ([404, 405, 406, 501, 503].includes(e.status)) return null;
      throw e;
    }
  },
};

export async function logout() {
  const response = await fetch('/logout', { method: 'POST', headers: { ...SCRIPT, 'X-XSRF-TOKEN': cookie('XSRF-TOKEN') } });
  // 202 carries Keycloak's logout address, which ends the Keycloak session and comes back here.
  location.href = (response.status === 202 && response.headers.get('Location')) || '/';
}

const MESSAGES = [
  [/must not be (blank|null|empty)/i, 'msg_required'], [/size must be|at most/i, 'msg_size'],
  [/must match|must be a (unit code|category code|user name)/i, 'msg_pattern'], [/must be (less|greater)/i, 'msg_range'],
];

/** A problem+json answer in plain words: a sentence for the status, then each invalid field by its label. */
export function describe(error) {
  if (!(error instanceof ApiError)) return [t('offline')];
  const status = error.status >= 500 ? '5xx' : error.status;
  const lines = [t('error_' + status) === 'error_' + status ? (error.problem.detail || String(error.status)) : t('error_' + status)];
  const detail = error.problem.detail;
  if (detail && error.status !== 401 && error.status !== 404 && !/^The request is not valid\.?$/.test(detail)) lines.push(detail);
  for (const e of error.problem.errors || []) {
    if (typeof e === 'string') { lines.push(e); continue; }
    const field = e.field || e.item || e.pointer || '';
    const label = t('field_' + field) === 'field_' + field ? field : t('field_' + field);
    const known = MESSAGES.find(([pattern]) => pattern.test(e.message || ''));
    lines.push((label ? label + '：' : '') + (known ? t(known[1]) + '（' + e.message + '）' : (e.message || '')));
  }
  return lines;
}
