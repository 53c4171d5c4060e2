// The closed list of permissions a role can carry. Each capability adds its own group here.
export const permissionGroups = {
  workspace: ['workspace:manage'],
  members: ['members:read', 'members:write'],
  teams: ['teams:read', 'teams:write'],
  roles: ['roles:read', 'roles:write'],
  'api-keys': ['api-keys:read', 'api-keys:write'],
  audit: ['audit:read'],
  jobs: ['jobs:read', 'jobs:write'],
  contacts: ['contacts:read', 'contacts:write', 'contacts:delete', 'contacts:import', 'contacts:export', 'contacts:merge'],
  'contact-settings': ['contact-settings:write'],
  rfm: ['rfm:read', 'rfm:write'],
  segments: ['segments:read', 'segments:write'],
  'tag-rules': ['tag-rules:read', 'tag-rules:write'],
  inbox: ['inbox:read', 'inbox:write', 'inbox:manage'],
  channels: ['channels:manage'],
  'live-codes': ['live-codes:read', 'live-codes:write'],
  fission: ['fission:read', 'fission:write'],
} as const;

export type Permission = (typeof permissionGroups)[keyof typeof permissionGroups][number];
export const allPermissions: readonly Permission[] = Object.values(permissionGroups).flat();
export const isPermission = (p: string): p is Permission => (allPermissions as readonly string[]).includes(p);

/** Which records of others a member sees: own only, their teams', their teams' and sub-teams', or all. */
export const dataScopes = ['own', 'team', 'team_tree', 'all'] as const;
export type DataScope = (typeof dataScopes)[number];

const readOnly = allPermissions.filter((p) => p.endsWith(':read'));

function managerContacts(): Permission[] {
  return ['contacts:read', 'contacts:write', 'contacts:delete', 'contacts:import', 'contacts:export', 'contacts:merge'];
}

/** Roles every workspace starts with. Owner and admin differ in that only an owner can touch owners. */
export const builtinRoles: ReadonlyArray<{ key: string; name: string; permissions: readonly Permission[]; scope: DataScope }> = [
  { key: 'owner', name: 'Owner', permissions: allPermissions, scope: 'all' },
  { key: 'admin', name: 'Admin', permissions: allPermissions, scope: 'all' },
  {
    key: 'manager',
    name: 'Manager',
    permissions: ['members:read', 'teams:read', 'teams:write', 'roles:read', 'api-keys:read', 'api-keys:write', 'audit:read', 'jobs:read', ...managerContacts(), 'rfm:read', 'segments:read', 'segments:write', 'tag-rules:read', 'tag-rules:write', 'inbox:read', 'inbox:write', 'inbox:manage', 'live-codes:read', 'live-codes:write', 'fission:read', 'fission:write'],
    scope: 'team_tree',
  },
  { key: 'agent', name: 'Agent', permissions: ['members:read', 'teams:read', 'api-keys:read', 'api-keys:write', 'jobs:read', 'contacts:read', 'contacts:write', 'rfm:read', 'segments:read', 'tag-rules:read', 'inbox:read', 'inbox:write', 'live-codes:read', 'fission:read'], scope: 'own' },
  { key: 'viewer', name: 'Viewer', permissions: readOnly, scope: 'all' },
];
