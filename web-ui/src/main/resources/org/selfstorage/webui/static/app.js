// The dashboard: polls the JSON API and draws it. Every value from the API is put into the page as
// text (textContent, never parsed as markup): file and partner names are chosen by other people.
'use strict';

const POLL_MS = 2000;
const state = { lastEvent: 0, events: [], snapshotsLoaded: false, tree: null, failures: 0 };

function $(id) { return document.getElementById(id); }

/** An element with a class and children; strings become text nodes. */
function el(tag, cls, ...children) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** Control characters and direction overrides shown as \u{…}, so a name cannot hide or reorder text. */
function visible(s) {
  if (s === null || s === undefined) return '';
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => '\\u{' + c.codePointAt(0).toString(16) + '}');
}

function size(n) {
  if (n === null || n === undefined || n < 0) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

function ago(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const abs = Math.abs(s);
  const text = abs < 60 ? abs + ' s' : abs < 3600 ? Math.round(abs / 60) + ' min'
    : abs < 172800 ? Math.round(abs / 3600) + ' h' : Math.round(abs / 86400) + ' days';
  return s >= 0 ? text + ' ago' : 'in ' + text;
}

function when(iso) {
  if (!iso) return 'never';
  return new Date(iso).toLocaleString() + ' (' + ago(iso) + ')';
}

/** A bar of used against quota, with the numbers beside it. */
function bar(label, used, quota) {
  const pct = quota > 0 && used >= 0 ? Math.min(100, (used / quota) * 100) : 0;
  const fill = el('div', 'fill' + (pct >= 90 ? ' full' : ''));
  fill.style.width = pct.toFixed(1) + '%';
  return el('div', 'usage', el('span', 'usage-label', label),
    el('div', 'bar', fill), el('span', 'usage-numbers', size(used) + ' of ' + size(quota)));
}

async function api(path, options) {
  const res = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } },
    options || {}));
  if (res.status === 401) {
    $('connection').textContent = 'Logged out: run "selfstorage ui" on this machine and open the link it prints.';
    throw new Error('logged out');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(body && body.message ? body.message : 'HTTP ' + res.status);
    err.body = body;
    throw err;
  }
  return body;
}

async function post(path, body) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body || {}) });
}

// ---- drawing

function drawStatus(s) {
  const v = s.verdict || {};
  const box = $('verdict');
  box.className = 'verdict level-' + (v.level || 'unknown');
  $('headline').textContent = v.headline || '';
  $('friends').textContent = v.partners || '';
  $('agent-home').textContent = visible(s.home);
  $('h-healthy').textContent = s.health.healthy;
  $('h-degraded').textContent = s.health.degraded;
  $('h-at-risk').textContent = s.health.atRisk;
  $('h-lost').textContent = s.health.lost;
  $('layout').textContent = s.packs + ' packs, ' + s.snapshots + ' snapshots, ' + size(s.storedBytes)
    + ' stored; new packs are cut ' + (s.layout === 'none' ? '(cannot back up now)' : s.layout + ' (data+parity shards)')
    + (s.repair ? '. Repairing now: ' + s.repair.packsDone + ' packs looked at, ' + size(s.repair.bytesDone)
      + ' of about ' + size(s.repair.bytesTotal) + (s.repair.eta ? ', done around '
      + new Date(s.repair.eta).toLocaleTimeString() : '')
      : s.lastRepair ? '. Last repair: ' + visible(s.lastRepair.message) + ', ' + ago(s.lastRepair.time) : '');
  const findings = $('findings');
  findings.replaceChildren();
  if (s.findings.length === 0) findings.append(el('li', 'finding ok', 'Nothing: all is well.'));
  for (const f of s.findings) {
    findings.append(el('li', 'finding ' + f.severity,
      el('strong', null, visible(f.what)), el('span', 'why', ' — ' + visible(f.why)),
      f.fix ? el('div', 'fix', 'Fix: ', el('code', null, visible(f.fix))) : null));
  }
  drawPartners($('dash-partners'), s.partners, false);
  drawPartners($('partners-list'), s.partners, true);
  drawStores(s.stores.filter((st) => st.kind === 'local'));
}

/** Local stores (disks, NAS mounts); partners have their own cards. Shown only when there are some. */
function drawStores(stores) {
  $('stores-section').hidden = stores.length === 0;
  const box = $('dash-stores');
  box.replaceChildren();
  for (const st of stores) {
    const card = el('div', 'card store status-' + (st.available ? 'ok' : 'unavailable'));
    card.dataset.store = st.name;
    card.append(el('h3', null, el('span', 'name', visible(st.name)), ' ',
      el('span', 'badge status', st.available ? 'ok' : 'unavailable')));
    card.append(el('p', 'muted', 'site ' + visible(st.site) + ' · ' + visible(st.location)));
    if (!st.available && st.problem) card.append(el('p', 'problem', visible(st.problem)));
    card.append(el('p', 'holds', st.shards + ' shards, ' + size(st.bytes)
      + (st.freeBytes >= 0 ? ' · ' + size(st.freeBytes) + ' free' : '')));
    box.append(card);
  }
}

function drawPartners(box, partners, detail) {
  box.replaceChildren();
  if (partners.length === 0) {
    box.append(el('p', 'muted', 'No partners yet. ', el('a', null, 'Invite one')));
    box.querySelector('a').href = '#invite';
    return;
  }
  for (const p of partners) {
    const card = el('div', 'card partner status-' + p.status);
    card.dataset.partner = p.name;
    card.append(el('h3', null, el('span', 'name', visible(p.name)), ' ', el('span', 'badge status', p.status)));
    card.append(el('p', 'muted', 'site ' + visible(p.site) + ' · last seen ' + ago(p.lastSeen)));
    if (p.problem && p.status !== 'ok') card.append(el('p', 'problem', visible(p.problem)));
    if (p.notWritable) card.append(el('p', 'problem', 'takes no new shards: ' + visible(p.notWritable)));
    if (p.maxRate > 0) card.append(el('p', 'muted small rate', 'takes our shards at up to ' + size(p.maxRate) + '/s'));
    if (p.auditFailures > 0) {
      card.append(el('p', 'problem trust', 'trust ' + (Math.floor(p.trust * 1000) / 10) + '%: ' + p.auditFailures
        + ' of ' + p.auditChecks + ' audit checks failed in 30 days'));
    } else if (detail && p.auditChecks > 0) {
      card.append(el('p', 'muted small trust', 'trust 100%: ' + p.auditChecks + ' audit checks passed in 30 days'));
    }
    card.append(bar('Yours with them', p.storedWithThem, p.hostsForUs));
    card.append(bar('Theirs with you', p.usedByThem, p.hostsForThem));
    if (detail) {
      card.append(el('p', 'muted', p.shards + ' shards of yours there; they report ' + size(p.reportedByThem)));
      card.append(el('p', 'muted small', 'addresses ' + p.addresses.map(visible).join(', ')));
      card.append(el('p', 'muted small', 'key ' + visible(p.fingerprint)));
    }
    box.append(card);
  }
}

function drawSources(sources) {
  for (const [box, detail] of [[$('dash-sources'), false], [$('sources-list'), true]]) {
    box.replaceChildren();
    if (sources.length === 0) box.append(el('p', 'muted', 'No sources yet: selfstorage source add DIR'));
    for (const s of sources) {
      const card = el('div', 'card source');
      card.dataset.source = s.name;
      card.append(el('h3', null, el('span', 'name', visible(s.name))));
      card.append(el('p', 'muted path', visible(s.path)));
      card.append(el('p', 'last-backup', 'Last backup: ' + (s.lastBackup ? when(s.lastBackup) + ', snapshot '
        + s.lastSnapshot : 'never')));
      card.append(el('p', 'next-run', 'Next run: ' + (s.schedule ? (s.nextRun ? when(s.nextRun) : '?') + ' ('
        + visible(s.schedule) + ')' : 'not scheduled')));
      if (s.leavesOut.length > 0) card.append(el('p', 'muted leaves-out', 'Leaves out: ' + visible(s.leavesOut.join(', '))));
      if (detail) card.append(el('p', 'muted', s.snapshots + ' snapshots'));
      const job = s.job;
      const busy = job && (job.state === 'queued' || job.state === 'running');
      const button = el('button', 'backup-now', busy ? 'Backing up…' : 'Back up now');
      button.type = 'button';
      button.disabled = busy;
      button.addEventListener('click', () => backUp(s.name, button));
      card.append(el('p', null, button, ' ', jobLine(job)));
      box.append(card);
    }
  }
}

function jobLine(job) {
  if (!job) return el('span', 'job');
  const text = job.state === 'done' ? 'done: snapshot ' + job.snapshot.substring(0, 8) + counts(job.progress, false)
    : job.state === 'failed' ? 'failed: ' + visible(job.message) + (job.fix ? ' — ' + visible(job.fix) : '')
      : job.state + counts(job.progress, true);
  const line = el('span', 'job job-' + job.state, text);
  if (job.state === 'running' && job.progress && job.progress.detail) {
    line.title = visible(job.progress.detail);
  }
  return line;
}

/**
 * A job's progress: ": 1,234 files, 56.7 MiB read" while it runs, " (21,766 files, 1.5 GiB)" once done
 * (the snapshot's size), nothing before the first report.
 */
function counts(p, running) {
  if (!p) return '';
  const files = p.items.toLocaleString('en') + (p.items === 1 ? ' file' : ' files');
  return running ? ': ' + files + ', ' + size(p.bytes) + (p.bytesTotal > 0 ? ' of ' + size(p.bytesTotal) : '') + ' read'
    : ' (' + files + ', ' + size(p.bytes) + ')';
}

function drawEvents() {
  for (const [box, n] of [[$('dash-events'), 8], [$('events-list'), 200]]) {
    box.replaceChildren();
    for (const e of state.events.slice(0, n)) {
      const item = el('li', 'event ' + e.severity, el('time', null, new Date(e.time).toLocaleString()), ' ',
        el('span', 'code', e.code), ' ', el('span', 'message', visible(e.message)));
      if (e.fix) item.append(' ', el('span', 'fix', 'Next: ' + visible(e.fix)));
      box.append(item);
    }
    if (state.events.length === 0) box.append(el('li', 'muted', 'No events yet.'));
  }
}

function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

function drawStats(s) {
  $('repo-stats').textContent = plural(s.snapshots, 'snapshot') + ' of ' + plural(s.sources, 'source')
    + '; the latest of each hold ' + plural(s.latestFiles, 'file') + ' (' + size(s.latestBytes) + '). '
    + size(s.chunkBytes + s.treeBytes) + ' of distinct data, stored as ' + size(s.storedBytes)
    + ' after compression, ' + size(s.shardBytes) + ' with redundancy.';
}

async function drawSnapshots() {
  api('/api/stats').then(drawStats).catch(showFailure); // the list does not wait for it, nor fail with it
  const list = await api('/api/snapshots');
  const body = $('snapshots-list');
  body.replaceChildren();
  for (const s of list) {
    const link = el('a', null, s.shortId);
    link.href = '#snapshots';
    link.addEventListener('click', (ev) => { ev.preventDefault(); openTree(s, ''); });
    const row = el('tr', null, el('td', null, link), el('td', null, visible(s.source)),
      el('td', null, new Date(s.time).toLocaleString()), el('td', null, s.files), el('td', null, size(s.bytes)),
      el('td', null, size(s.addedBytes)), el('td', 'tags', visible((s.tags || []).join(', '))));
    row.dataset.snapshot = s.id;
    body.append(row);
  }
  if (list.length === 0) body.append(el('tr', null, el('td', 'muted', 'No snapshots yet.')));
}

function treePage(snapshot, path, offset) {
  return api('/api/snapshots/' + encodeURIComponent(snapshot.id) + '/tree?path=' + encodeURIComponent(path)
    + '&offset=' + offset);
}

async function openTree(snapshot, path) {
  state.tree = { snapshot, path };
  const r = await treePage(snapshot, path, 0);
  $('tree').hidden = false;
  $('snapshots-table').hidden = true;
  $('tree-title').textContent = 'Snapshot ' + snapshot.shortId + ' of ' + visible(snapshot.source) + ', '
    + new Date(snapshot.time).toLocaleString();
  const crumbs = $('tree-crumbs');
  crumbs.replaceChildren();
  const parts = path === '' ? [] : path.split('/');
  const rootLink = el('a', null, '/');
  rootLink.href = '#snapshots';
  rootLink.addEventListener('click', (ev) => { ev.preventDefault(); openTree(snapshot, ''); });
  crumbs.append(rootLink);
  parts.forEach((part, i) => {
    const a = el('a', null, visible(part));
    a.href = '#snapshots';
    a.addEventListener('click', (ev) => { ev.preventDefault(); openTree(snapshot, parts.slice(0, i + 1).join('/')); });
    crumbs.append(' / ', a);
  });
  const body = $('tree-entries');
  body.replaceChildren();
  if (r.entries.length === 0) body.append(el('tr', null, el('td', 'muted', 'Empty directory.')));
  appendEntries(snapshot, path, r);
}

/** One page of a directory's entries, then a button for the next page while there is one. */
function appendEntries(snapshot, path, r) {
  const body = $('tree-entries');
  for (const e of r.entries) {
    const name = e.path.substring(e.path.lastIndexOf('/') + 1);
    let cell;
    if (e.type === 'dir') {
      cell = el('a', null, visible(name) + '/');
      cell.href = '#snapshots';
      cell.addEventListener('click', (ev) => { ev.preventDefault(); openTree(snapshot, e.path); });
    } else if (e.type === 'file') {
      // a plain link: the browser sends the login cookie and saves what comes back (an attachment)
      cell = el('a', 'download', visible(name));
      cell.href = '/api/snapshots/' + encodeURIComponent(snapshot.id) + '/file?path=' + encodeURIComponent(e.path);
      cell.setAttribute('download', name);
      cell.title = 'Download this file as it was in the snapshot';
    } else {
      cell = el('span', null, visible(name), e.linkTarget ? ' → ' + visible(e.linkTarget) : '');
    }
    body.append(el('tr', 'entry', el('td', null, cell), el('td', null, e.type + (e.incomplete ? ' (incomplete)' : '')),
      el('td', null, e.type === 'file' ? size(e.size) : ''), el('td', null, new Date(e.mtime).toLocaleString())));
  }
  const shown = r.offset + r.entries.length;
  if (shown < r.total) {
    const more = el('button', 'more-entries', 'Show more (' + shown.toLocaleString('en') + ' of '
      + r.total.toLocaleString('en') + ' shown)');
    more.type = 'button';
    const row = el('tr', 'more', el('td', null, more));
    more.addEventListener('click', async () => {
      more.disabled = true;
      const next = await treePage(snapshot, path, shown);
      if (state.tree.snapshot !== snapshot || state.tree.path !== path) return; // the user went elsewhere
      row.remove();
      appendEntries(snapshot, path, next);
    });
    body.append(row);
  }
}

// ---- actions

async function backUp(source, button) {
  button.disabled = true;
  button.textContent = 'Backing up…';
  try {
    await post('/api/sources/' + encodeURIComponent(source) + '/backup');
  } catch (e) {
    button.disabled = false;
    button.textContent = 'Back up now';
    button.after(el('span', 'error', ' ' + e.message));
  }
  poll();
}

async function invite(ev) {
  ev.preventDefault();
  const form = ev.target;
  $('invite-error').hidden = true;
  try {
    const r = await post('/api/invitations', { quota: form.quota.value, expires: form.expires.value });
    $('invite-code').textContent = r.code;
    $('invite-terms').textContent = 'Offers ' + size(r.quotaBytes) + '; valid until ' + new Date(r.expires).toLocaleString()
      + '; reaches this agent at ' + r.addresses.join(', ');
    $('invite-result').hidden = false;
  } catch (e) {
    $('invite-error').textContent = e.message;
    $('invite-error').hidden = false;
  }
}

// ---- navigation and polling

function showPage() {
  const name = (location.hash || '#dashboard').substring(1);
  let found = false;
  for (const page of document.querySelectorAll('.page')) {
    page.hidden = page.id !== 'page-' + name;
    found = found || !page.hidden;
  }
  if (!found) $('page-dashboard').hidden = false;
  for (const a of document.querySelectorAll('nav a')) {
    a.classList.toggle('current', a.getAttribute('href') === '#' + name);
  }
  if (name === 'snapshots' && !state.tree) drawSnapshots().catch(showFailure);
}

function showFailure(e) {
  if (e.message !== 'logged out') {
    $('connection').textContent = 'Cannot reach the agent: ' + e.message;
    $('connection').className = 'error';
  }
}

const drawn = {};

function changed(what, data) {
  const text = JSON.stringify(data);
  if (drawn[what] === text) return false;
  drawn[what] = text;
  return true;
}

async function poll() {
  try {
    const [status, sources, events] = await Promise.all([api('/api/status'), api('/api/sources'),
      api('/api/events?after=' + state.lastEvent + '&limit=200')]);
    // drawn again only when something changed: a button being clicked is not swapped under the pointer
    if (changed('status', status)) drawStatus(status);
    if (changed('sources', sources)) drawSources(sources);
    if (events.length > 0) {
      state.events = events.concat(state.events).slice(0, 500);
      state.lastEvent = state.events[0].id;
      drawEvents();
    } else if (state.events.length === 0) {
      drawEvents();
    }
    $('connection').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · status checked '
      + ago(status.checkedAt);
    $('connection').className = 'muted';
  } catch (e) {
    showFailure(e);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  window.addEventListener('hashchange', showPage);
  $('tree-close').addEventListener('click', () => {
    state.tree = null;
    $('tree').hidden = true;
    $('snapshots-table').hidden = false;
    drawSnapshots().catch(showFailure);
  });
  $('invite-form').addEventListener('submit', invite);
  $('invite-copy').addEventListener('click', () => navigator.clipboard.writeText($('invite-code').textContent));
  // this browser alone: other browsers and the login link stay valid (selfstorage ui --new-token ends them all)
  $('logout').addEventListener('click', () => post('/api/logout', {}).catch(() => null)
    .then(() => window.location.replace('/')));
  showPage();
  poll();
  setInterval(poll, POLL_MS);
});
