import { useQuery } from '@tanstack/react-query';
import { listAllMembers } from './members';
import { getPermissions, listRoles, rolesKey } from './roles';
import { listTeams, teamsKey } from './teams';

// Whole lists for pickers and names. Each is only asked for when the member may read it.
export const useTeams = (enabled = true) => useQuery({ queryKey: teamsKey, queryFn: listTeams, enabled, staleTime: 30_000 });
export const useRoles = (enabled = true) => useQuery({ queryKey: rolesKey, queryFn: listRoles, enabled, staleTime: 30_000 });
export const useAllMembers = (enabled = true) => useQuery({ queryKey: ['members', 'all'], queryFn: listAllMembers, enabled, staleTime: 30_000 });
export const usePermissionCatalog = () => useQuery({ queryKey: ['permissions'], queryFn: getPermissions, staleTime: Infinity });
