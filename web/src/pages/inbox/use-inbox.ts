// Data the inbox's parts share: the filter in the URL, the conversation list, and names of
// members, teams and channels.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { conversationStatuses, inboxKeys, listConversations, listInboxChannels, type Conversation, type ConversationFilter, type ConversationStatus } from '../../api/inbox';
import { useAllMembers, useTeams } from '../../api/lookups';
import { useCan, useSession } from '../../auth/session';

export const views = ['mine', 'unassigned', 'all'] as const;
export type View = (typeof views)[number];

export interface InboxFilter {
  view: View;
  /** `any` for every status. */
  status: ConversationStatus | 'any';
  channelId?: string;
  teamId?: string;
  label?: string;
}

const isStatus = (s: string | null): s is ConversationStatus => conversationStatuses.includes(s as ConversationStatus);

/** The list's filter lives in the URL: a reload or a shared link shows the same list. */
export function useInboxFilter(): [InboxFilter, (patch: Partial<InboxFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const viewParam = params.get('view');
  const statusParam = params.get('status');
  const filter: InboxFilter = {
    view: views.includes(viewParam as View) ? (viewParam as View) : 'mine',
    status: statusParam === 'any' ? 'any' : isStatus(statusParam) ? statusParam : 'open',
    channelId: params.get('channel') ?? undefined,
    teamId: params.get('team') ?? undefined,
    label: params.get('label') ?? undefined,
  };
  const update = (patch: Partial<InboxFilter>) => {
    const next = { ...filter, ...patch };
    const out = new URLSearchParams();
    out.set('view', next.view);
    out.set('status', next.status);
    if (next.channelId) out.set('channel', next.channelId);
    if (next.teamId) out.set('team', next.teamId);
    if (next.label) out.set('label', next.label);
    setParams(out, { replace: true });
  };
  return [filter, update];
}

export const toApiFilter = (f: InboxFilter): ConversationFilter => ({
  assignee: f.view === 'mine' ? 'me' : f.view === 'unassigned' ? 'none' : undefined,
  status: f.status === 'any' ? undefined : f.status,
  channelId: f.channelId,
  teamId: f.teamId,
  label: f.label,
});

export function useConversationList(filter: InboxFilter) {
  const apiFilter = toApiFilter(filter);
  const query = useInfiniteQuery({
    queryKey: inboxKeys.list(apiFilter),
    queryFn: ({ pageParam }) => listConversations(apiFilter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { query, items };
}

export const useInboxChannels = () => useQuery({ queryKey: inboxKeys.channels, queryFn: listInboxChannels, staleTime: 60_000 });

/** Names by id for members, teams and channels (what the member may read; ids stand in otherwise). */
export function useNames() {
  const can = useCan();
  const members = useAllMembers(can('members:read'));
  const teams = useTeams(can('teams:read'));
  const channels = useInboxChannels();
  return useMemo(() => {
    const member = new Map((members.data ?? []).map((m) => [m.id, m.name]));
    const team = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
    const channel = new Map((channels.data ?? []).map((c) => [c.id, c]));
    return {
      members: (members.data ?? []).filter((m) => m.status === 'active'),
      teams: teams.data ?? [],
      channels: channels.data ?? [],
      member: (id: string | null | undefined) => (id ? member.get(id) ?? id.slice(0, 8) : null),
      team: (id: string | null | undefined) => (id ? team.get(id) ?? id.slice(0, 8) : null),
      channel: (id: string) => channel.get(id),
    };
  }, [members.data, teams.data, channels.data]);
}
export type Names = ReturnType<typeof useNames>;

/** A conversation's title: its contact, or a group's name. */
export const titleOf = (c: Pick<Conversation, 'contact' | 'groupName'>) => c.contact?.name || c.groupName || '—';

export function useMe() {
  const me = useSession();
  return { memberId: me.member?.id ?? '', teamIds: me.member?.teamIds ?? [] };
}
