// Members: find by email, page through every member with cursors, and manage one member's base
// role, roles (direct or through which group) and membership.
import { enc, listAll, v1 } from './api.js';
import { byId, loadGroups, loadRoles } from './data.js';
import { badge, busy, clear, confirmDialog, errorSlot, field, formatTime, h, loading, notify, section, table } from './ui.js';

const PAGE_SIZE = 25;

export async function renderMembers(container) {
  const state = { cursors: [undefined], index: 0, email: '', selected: null };
  const [roles, groups] = await Promise.all([loadRoles(), loadGroups()]);
  const groupsById = byId(groups);

  const email = h('input', { type: 'search', name: 'email', autocomplete: 'off', placeholder: 'name@example.com' });
  const { wrap } = field('Find a member by email', email);
  const searchSlot = errorSlot({ emails: email });
  const findButton = h('button', { type: 'submit', class: 'primary' }, 'Find');
  const allButton = h('button', { type: 'button' }, 'Show everyone');
  const search = h('form', { class: 'inline-form', role: 'search' }, wrap, findButton, allButton);
  const listArea = h('div', { 'aria-live': 'polite' });
  const detail = h('div', { class: 'detail' });
  container.append(section('Directory', search, searchSlot.el, listArea), detail);

  async function showPage() {
    clear(listArea, loading('Loading members…'));
    try {
      const page = await v1('GET', '/organization/users', {
        query: { limit: PAGE_SIZE, after: state.cursors[state.index], emails: state.email ? [state.email] : undefined },
      });
      renderList(page);
    } catch (error) {
      clear(listArea);
      searchSlot.show(error);
    }
  }

  function renderList(page) {
    if (page.data.length === 0) {
      clear(listArea, h('p', { class: 'empty' }, state.email ? `No member has the email ${state.email}.` : 'No members yet.'));
      return;
    }
    const rows = page.data.map((user) => [
      user.name || '—',
      user.email,
      badge(user.role, user.role),
      formatTime(user.added_at),
      h('button', { type: 'button', onclick: () => openMember(user.id), 'aria-label': `Manage ${user.name || user.email}` }, 'Manage'),
    ]);
    const prev = h('button', { type: 'button', disabled: state.index === 0 }, 'Previous');
    const next = h('button', { type: 'button', disabled: !page.has_more }, 'Next');
    prev.addEventListener('click', () => {
      state.index -= 1;
      showPage();
    });
    next.addEventListener('click', () => {
      state.cursors[state.index + 1] = page.last_id;
      state.index += 1;
      showPage();
    });
    clear(listArea,
      table(['Name', 'Email', 'Base role', 'Joined', ''], rows, 'Members'),
      h('div', { class: 'pager' }, prev, h('span', {}, `Page ${state.index + 1}`), next));
  }

  search.addEventListener('submit', (event) => {
    event.preventDefault();
    searchSlot.clear();
    state.email = email.value.trim();
    state.cursors = [undefined];
    state.index = 0;
    showPage();
  });
  allButton.addEventListener('click', () => {
    email.value = '';
    state.email = '';
    state.cursors = [undefined];
    state.index = 0;
    showPage();
  });

  async function openMember(userId) {
    clear(detail, loading('Loading member…'));
    let user;
    let held;
    try {
      [user, held] = await Promise.all([
        v1('GET', `/organization/users/${enc(userId)}`),
        listAll(`/organization/users/${enc(userId)}/roles`),
      ]);
    } catch (error) {
      clear(detail, h('p', { class: 'error', role: 'alert' }, error.message));
      return;
    }
    renderMember(user, held);
  }

  function sourceText(source) {
    if (source.principal_type === 'group') {
      const group = groupsById.get(source.principal_id);
      return `group ${group ? group.name : source.principal_id}`;
    }
    return 'direct';
  }

  function renderMember(user, held) {
    const who = user.name ? `${user.name} (${user.email})` : user.email;
    // Base role.
    const baseSelect = h('select', { name: 'role' },
      ['owner', 'reader'].map((r) => h('option', { value: r, selected: r === user.role }, r === 'owner' ? 'Owner' : 'Reader')));
    const baseSlot = errorSlot({ role: baseSelect });
    const baseButton = h('button', { type: 'submit' }, 'Change base role');
    const baseForm = h('form', { class: 'inline-form' }, field('Base role', baseSelect).wrap, baseButton);
    baseForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const updated = await busy(baseButton, 'Saving…', baseSlot, () =>
        v1('POST', `/organization/users/${enc(user.id)}`, { body: { role: baseSelect.value } }));
      if (updated) {
        notify(`${who} is now ${updated.role}.`);
        await openMember(user.id);
        showPage();
      }
    });

    // Every role held, with where it comes from.
    const roleRows = held.map((role) => {
      const sources = role.assignment_sources || [];
      const direct = sources.some((s) => s.principal_type === 'user');
      const slot = errorSlot();
      const unassign = direct && !role.predefined_role
        ? h('button', { type: 'button', class: 'link-danger', 'aria-label': `Unassign ${role.name} from ${who}` }, 'Unassign')
        : null;
      if (unassign) {
        unassign.addEventListener('click', async () => {
          const done = await busy(unassign, 'Removing…', slot, () =>
            v1('DELETE', `/organization/users/${enc(user.id)}/roles/${enc(role.id)}`));
          if (done) {
            notify(`${role.name} unassigned from ${who}.`);
            openMember(user.id);
          }
        });
      }
      const sourceCell = h('span', { class: 'sources' },
        sources.length === 0 ? badge('base role') : sources.map((s) => badge(sourceText(s), s.principal_type === 'group' ? 'inherited' : 'direct')));
      return [role.name, role.predefined_role ? 'predefined' : 'custom', sourceCell, h('span', {}, unassign, slot.el)];
    });

    const assignable = roles.filter((r) => !r.predefined_role);
    const assignSelect = h('select', { name: 'role_id' },
      assignable.map((r) => h('option', { value: r.id }, r.name)));
    const assignSlot = errorSlot({ role_id: assignSelect });
    const assignButton = h('button', { type: 'submit', disabled: assignable.length === 0 }, 'Assign role');
    const assignForm = h('form', { class: 'inline-form' }, field('Custom role', assignSelect).wrap, assignButton);
    assignForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const done = await busy(assignButton, 'Assigning…', assignSlot, () =>
        v1('POST', `/organization/users/${enc(user.id)}/roles`, { body: { role_id: assignSelect.value } }));
      if (done) {
        notify(`${done.role.name} assigned to ${who}.`);
        openMember(user.id);
      }
    });

    const removeSlot = errorSlot();
    const removeButton = h('button', { type: 'button', class: 'danger' }, 'Remove from organization');
    removeButton.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: 'Remove member?',
        body: h('p', {}, 'Remove ', h('strong', {}, who), ' from the organization? Their roles, group memberships and admin keys stop working at once.'),
        confirmLabel: `Remove ${user.name || user.email}`,
      });
      if (!ok) return;
      const done = await busy(removeButton, 'Removing…', removeSlot, () => v1('DELETE', `/organization/users/${enc(user.id)}`));
      if (done) {
        notify(`${who} was removed.`);
        clear(detail);
        showPage();
      }
    });

    clear(detail, section(`Member: ${who}`,
      h('dl', { class: 'facts' },
        h('dt', {}, 'User id'), h('dd', {}, h('code', {}, user.id)),
        h('dt', {}, 'Joined'), h('dd', {}, formatTime(user.added_at))),
      baseForm, baseSlot.el,
      h('h3', {}, 'Roles'),
      table(['Role', 'Kind', 'From', ''], roleRows, `Roles of ${who}`),
      assignForm, assignSlot.el,
      assignable.length === 0 ? h('p', { class: 'hint' }, 'Create a custom role on the Roles page to assign it here.') : null,
      h('div', { class: 'danger-zone' }, removeButton, removeSlot.el)));
    detail.querySelector('h2').setAttribute('tabindex', '-1');
    detail.querySelector('h2').focus();
  }

  await showPage();
}
