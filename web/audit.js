// The audit log: newest first, filtered by event type, actor and time range, more on scroll; each
// event as a sentence with its raw JSON one click away.
import { enc, v1 } from './api.js';
import { byId, loadGroups, loadRoles } from './data.js';
import { clear, errorSlot, field, formatTime, h, section } from './ui.js';

const PAGE_SIZE = 30;

// The event types Roster writes, in the order a person thinks of them.
const EVENT_TYPES = [
  ['user.added', 'Member added'],
  ['user.updated', 'Member changed'],
  ['user.deleted', 'Member removed'],
  ['invite.sent', 'Invite sent'],
  ['invite.accepted', 'Invite accepted'],
  ['invite.deleted', 'Invite revoked'],
  ['role.created', 'Role created'],
  ['role.updated', 'Role changed'],
  ['role.deleted', 'Role deleted'],
  ['role.assignment.created', 'Role assigned'],
  ['role.assignment.deleted', 'Role unassigned'],
  ['group.created', 'Group created'],
  ['group.updated', 'Group renamed'],
  ['group.deleted', 'Group deleted'],
  ['api_key.created', 'Admin key created'],
  ['api_key.deleted', 'Admin key revoked'],
];

function toSeconds(localValue) {
  if (!localValue) return undefined;
  const ms = new Date(localValue).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export async function renderAudit(container) {
  const [roles, groups] = await Promise.all([loadRoles(), loadGroups()]);
  const rolesById = byId(roles);
  const groupsById = byId(groups);
  const users = new Map();

  // A member's email in place of their id, once known (removed members keep their id).
  function userRef(id) {
    const el = h('strong', { class: 'ref' }, id);
    if (!users.has(id)) {
      users.set(id, v1('GET', `/organization/users/${enc(id)}`).then((u) => u.email).catch(() => null));
    }
    users.get(id).then((email) => {
      if (email) el.textContent = email;
    });
    return el;
  }
  const roleRef = (id) => h('strong', {}, rolesById.has(id) ? rolesById.get(id).name : id);
  const groupRef = (id) => h('strong', {}, groupsById.has(id) ? `group ${groupsById.get(id).name}` : `group ${id}`);

  function actorOf(event) {
    const actor = event.actor;
    if (!actor) return h('strong', {}, 'Roster (command line)');
    const user = actor.type === 'api_key' ? actor.api_key.user : actor.session.user;
    return h('strong', {}, user.email || user.id);
  }

  function principal(payload) {
    return payload.principal_type === 'group' ? groupRef(payload.principal_id) : userRef(payload.principal_id);
  }

  function sentence(event) {
    const who = actorOf(event);
    const p = event[event.type] || {};
    const data = p.data || {};
    const changes = p.changes_requested || {};
    const roleOfAssignment = () => roleRef(String(p.id || '').split(':')[1] || '');
    switch (event.type) {
      case 'user.added':
        if (event.actor && event.actor.type === 'session') return [who, ` joined as ${data.role}`];
        return [who, ' added ', userRef(p.id), ` as ${data.role}`];
      case 'user.updated':
        return [who, ' changed ', userRef(p.id), ': ', Object.entries(changes).map(([k, v]) => `${k} → ${v}`).join(', ')];
      case 'user.deleted': return [who, ' removed ', userRef(p.id)];
      case 'invite.sent': return [who, ' invited ', h('strong', {}, data.email), ` as ${data.role}`];
      case 'invite.accepted': return [who, ' accepted their invite'];
      case 'invite.deleted': return [who, ' revoked invite ', h('code', {}, p.id)];
      case 'role.created':
        return [who, ' created role ', h('strong', {}, p.role_name), ` with ${(p.permissions || []).length} permissions`];
      case 'role.updated':
        return [who, ' changed role ', roleRef(p.id), ': ', Object.keys(changes).join(', ') || 'nothing'];
      case 'role.deleted': return [who, ' deleted role ', roleRef(p.id)];
      case 'role.assignment.created': return [who, ' assigned ', roleOfAssignment(), ' to ', principal(p)];
      case 'role.assignment.deleted': return [who, ' unassigned ', roleOfAssignment(), ' from ', principal(p)];
      case 'group.created': return [who, ' created group ', h('strong', {}, data.group_name)];
      case 'group.updated': return [who, ' renamed ', groupRef(p.id), ' to ', h('strong', {}, changes.group_name)];
      case 'group.deleted': return [who, ' deleted ', groupRef(p.id)];
      case 'api_key.created': return [who, ' created admin key ', h('code', {}, p.id)];
      case 'api_key.deleted': return [who, ' revoked admin key ', h('code', {}, p.id)];
      default: return [who, ` — ${event.type}`];
    }
  }

  // Filters.
  const type = h('select', { name: 'event_types' }, h('option', { value: '' }, 'Any event'),
    EVENT_TYPES.map(([value, label]) => h('option', { value }, label)));
  const actor = h('input', { type: 'email', name: 'actor_emails', autocomplete: 'off', placeholder: 'who did it' });
  const from = h('input', { type: 'datetime-local', name: 'from' });
  const to = h('input', { type: 'datetime-local', name: 'to' });
  const slot = errorSlot({ event_types: type, actor_emails: actor, 'effective_at[gte]': from, 'effective_at[lte]': to });
  const apply = h('button', { type: 'submit', class: 'primary' }, 'Apply filters');
  const reset = h('button', { type: 'reset' }, 'Clear');
  const form = h('form', { class: 'inline-form filters', role: 'search', 'aria-label': 'Filter the audit log' },
    field('Event type', type).wrap, field('Actor email', actor).wrap, field('From', from).wrap, field('To', to).wrap, apply, reset);

  const list = h('ol', { class: 'events', 'aria-label': 'Events, newest first' });
  const status = h('p', { class: 'hint', role: 'status' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  container.append(section('Filters', form, slot.el), section('Events', list, status, more, sentinel));

  let cursor;
  let hasMore = false;
  let loadingNow = false;
  let generation = 0;

  function query() {
    return {
      limit: PAGE_SIZE,
      after: cursor,
      event_types: type.value ? [type.value] : undefined,
      actor_emails: actor.value.trim() ? [actor.value.trim()] : undefined,
      'effective_at[gte]': toSeconds(from.value),
      'effective_at[lte]': toSeconds(to.value),
    };
  }

  function item(event) {
    const json = JSON.stringify(event, null, 2);
    return h('li', { class: 'event', 'data-type': event.type },
      h('div', { class: 'event-line' },
        h('time', { datetime: new Date(event.effective_at * 1000).toISOString() }, formatTime(event.effective_at)),
        h('span', { class: 'sentence' }, sentence(event))),
      h('details', {}, h('summary', {}, 'Raw JSON'), h('pre', {}, h('code', {}, json))));
  }

  async function loadMore() {
    if (loadingNow) return;
    loadingNow = true;
    const mine = generation;
    status.textContent = 'Loading events…';
    more.disabled = true;
    try {
      const page = await v1('GET', '/organization/audit_logs', { query: query() });
      if (mine !== generation) return;
      for (const event of page.data) list.append(item(event));
      cursor = page.last_id;
      hasMore = page.has_more;
      status.textContent = list.children.length === 0 ? 'No events match these filters.'
        : hasMore ? `${list.children.length} events shown; scroll for more.` : `${list.children.length} events, all shown.`;
    } catch (error) {
      if (mine === generation) {
        slot.show(error);
        status.textContent = '';
      }
    } finally {
      if (mine === generation) {
        loadingNow = false;
        more.disabled = false;
        more.hidden = !hasMore;
      }
    }
  }

  async function restart() {
    generation += 1;
    loadingNow = false;
    cursor = undefined;
    hasMore = false;
    slot.clear();
    clear(list);
    await loadMore();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    restart();
  });
  form.addEventListener('reset', () => setTimeout(restart, 0));
  more.addEventListener('click', loadMore);
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && hasMore && !loadingNow) loadMore();
  }, { rootMargin: '200px' });
  observer.observe(sentinel);

  await restart();
}
