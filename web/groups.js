// Groups: create, rename, delete; add and remove members; assign roles that every member inherits.
import { enc, listAll, v1 } from './api.js';
import { loadGroups, loadRoles } from './data.js';
import { busy, clear, confirmDialog, errorSlot, field, formatTime, h, notify, section, table } from './ui.js';

export async function renderGroups(container) {
  const groups = await loadGroups();
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '128' });
  const createSlot = errorSlot({ name });
  const createButton = h('button', { type: 'submit', class: 'primary' }, 'Create group');
  const createForm = h('form', { class: 'inline-form' }, field('New group name', name).wrap, createButton);
  const listSection = section('All groups');
  const detail = h('div', { class: 'detail' });
  container.append(section('Create a group', createForm, createSlot.el), listSection, detail);

  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const group = await busy(createButton, 'Creating…', createSlot, () =>
      v1('POST', '/organization/groups', { body: { name: name.value.trim() } }));
    if (group) {
      name.value = '';
      notify(`Group ${group.name} created.`);
      await reload();
      openGroup(group.id);
    }
  });

  async function reload() {
    groups.splice(0, groups.length, ...(await loadGroups()));
    renderList();
  }

  function renderList() {
    const heading = listSection.firstChild;
    if (groups.length === 0) {
      clear(listSection, heading, h('p', { class: 'empty' }, 'No groups yet.'));
      return;
    }
    clear(listSection, heading, table(['Name', 'Created', ''], groups.map((group) => [
      h('strong', {}, group.name),
      formatTime(group.created_at),
      h('button', { type: 'button', onclick: () => openGroup(group.id), 'aria-label': `Manage group ${group.name}` }, 'Manage'),
    ]), 'Groups'));
  }

  async function openGroup(groupId) {
    let group;
    let members;
    let groupRoles;
    let roles;
    try {
      [group, members, groupRoles, roles] = await Promise.all([
        v1('GET', `/organization/groups/${enc(groupId)}`),
        listAll(`/organization/groups/${enc(groupId)}/users`),
        listAll(`/organization/groups/${enc(groupId)}/roles`),
        loadRoles(),
      ]);
    } catch (error) {
      clear(detail, h('p', { class: 'error', role: 'alert' }, error.message));
      return;
    }

    // Rename.
    const rename = h('input', { type: 'text', name: 'name', required: true, maxlength: '128', value: group.name });
    const renameSlot = errorSlot({ name: rename });
    const renameButton = h('button', { type: 'submit' }, 'Rename');
    const renameForm = h('form', { class: 'inline-form' }, field('Group name', rename).wrap, renameButton);
    renameForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const done = await busy(renameButton, 'Saving…', renameSlot, () =>
        v1('POST', `/organization/groups/${enc(group.id)}`, { body: { name: rename.value.trim() } }));
      if (done) {
        notify(`Group renamed to ${done.name}.`);
        await reload();
        openGroup(group.id);
      }
    });

    // Members.
    const memberRows = members.map((member) => {
      const slot = errorSlot();
      const remove = h('button', { type: 'button', class: 'link-danger', 'aria-label': `Remove ${member.email} from ${group.name}` }, 'Remove');
      remove.addEventListener('click', async () => {
        const done = await busy(remove, 'Removing…', slot, () =>
          v1('DELETE', `/organization/groups/${enc(group.id)}/users/${enc(member.id)}`));
        if (done) {
          notify(`${member.email} removed from ${group.name}.`);
          openGroup(group.id);
        }
      });
      return [member.name || '—', member.email, h('span', {}, remove, slot.el)];
    });
    const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'off' });
    const addSlot = errorSlot({ user_id: email, emails: email });
    const addButton = h('button', { type: 'submit' }, 'Add member');
    const addForm = h('form', { class: 'inline-form' }, field('Member email', email).wrap, addButton);
    addForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const done = await busy(addButton, 'Adding…', addSlot, async () => {
        const found = await v1('GET', '/organization/users', { query: { emails: [email.value.trim()], limit: 1 } });
        if (found.data.length === 0) {
          const error = new Error(`No member has the email ${email.value.trim()}. Invite them first.`);
          error.param = 'emails';
          throw error;
        }
        return v1('POST', `/organization/groups/${enc(group.id)}/users`, { body: { user_id: found.data[0].id } });
      });
      if (done) {
        notify(`${email.value.trim()} added to ${group.name}.`);
        openGroup(group.id);
      }
    });

    // Roles.
    const roleRows = groupRoles.map((role) => {
      const slot = errorSlot();
      const remove = h('button', { type: 'button', class: 'link-danger', 'aria-label': `Unassign ${role.name} from ${group.name}` }, 'Unassign');
      remove.addEventListener('click', async () => {
        const done = await busy(remove, 'Removing…', slot, () =>
          v1('DELETE', `/organization/groups/${enc(group.id)}/roles/${enc(role.id)}`));
        if (done) {
          notify(`${role.name} unassigned from ${group.name}.`);
          openGroup(group.id);
        }
      });
      return [h('strong', {}, role.name), `${role.permissions.length} permissions`, h('span', {}, remove, slot.el)];
    });
    const roleSelect = h('select', { name: 'role_id' }, roles.map((r) => h('option', { value: r.id }, r.name)));
    const roleSlot = errorSlot({ role_id: roleSelect });
    const roleButton = h('button', { type: 'submit' }, 'Assign role');
    const roleForm = h('form', { class: 'inline-form' }, field('Role', roleSelect).wrap, roleButton);
    roleForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const done = await busy(roleButton, 'Assigning…', roleSlot, () =>
        v1('POST', `/organization/groups/${enc(group.id)}/roles`, { body: { role_id: roleSelect.value } }));
      if (done) {
        notify(`${done.role.name} assigned to ${group.name}: its members inherit it.`);
        openGroup(group.id);
      }
    });

    // Delete.
    const deleteSlot = errorSlot();
    const deleteButton = h('button', { type: 'button', class: 'danger' }, 'Delete group');
    deleteButton.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Delete group ${group.name}?`,
        body: h('p', {}, `Its ${members.length} member${members.length === 1 ? '' : 's'} stay in the organization but lose the roles they inherit from it`,
          groupRoles.length ? ` (${groupRoles.map((r) => r.name).join(', ')}).` : '.'),
        confirmLabel: `Delete ${group.name}`,
      });
      if (!ok) return;
      const done = await busy(deleteButton, 'Deleting…', deleteSlot, () => v1('DELETE', `/organization/groups/${enc(group.id)}`));
      if (done) {
        notify(`Group ${group.name} deleted.`);
        clear(detail);
        await reload();
      }
    });

    clear(detail, section(`Group: ${group.name}`,
      renameForm, renameSlot.el,
      h('h3', {}, `Members (${members.length})`),
      members.length ? table(['Name', 'Email', ''], memberRows, `Members of ${group.name}`) : h('p', { class: 'empty' }, 'No members yet.'),
      addForm, addSlot.el,
      h('h3', {}, 'Roles its members inherit'),
      groupRoles.length ? table(['Role', 'Permissions', ''], roleRows, `Roles of ${group.name}`) : h('p', { class: 'empty' }, 'No roles yet.'),
      roleForm, roleSlot.el,
      h('div', { class: 'danger-zone' }, deleteButton, deleteSlot.el)));
    const heading = detail.querySelector('h2');
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }

  renderList();
}
