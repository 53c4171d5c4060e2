import type { Team } from '../api/types';

export interface TeamNode {
  key: string;
  value: string;
  title: string;
  team: Team;
  children: TeamNode[];
  disabled?: boolean;
}

/** The flat /teams list as a tree, siblings by name. A team whose parent is missing becomes a root. */
export function buildTeamTree(teams: Team[], disabledIds: Set<string> = new Set()): TeamNode[] {
  const nodes = new Map<string, TeamNode>();
  for (const team of teams) nodes.set(team.id, { key: team.id, value: team.id, title: team.name, team, children: [], disabled: disabledIds.has(team.id) });
  const roots: TeamNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.team.parentId ? nodes.get(node.team.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: TeamNode[]) => {
    list.sort((a, b) => a.title.localeCompare(b.title));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** A team and everything under it: none of these can become its new parent. */
export function subtreeIds(teams: Team[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const team of teams) {
      if (team.parentId && ids.has(team.parentId) && !ids.has(team.id)) {
        ids.add(team.id);
        grew = true;
      }
    }
  }
  return ids;
}
