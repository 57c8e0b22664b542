// Lists several pages need (roles, groups), read fresh for each page view.
import { listAll } from './api.js';

export async function loadRoles() {
  return listAll('/organization/roles');
}

export async function loadGroups() {
  return listAll('/organization/groups');
}

export function byId(items) {
  return new Map(items.map((item) => [item.id, item]));
}
