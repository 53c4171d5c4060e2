// Keeps the inbox page current from the realtime socket: lists and the open thread re-read what
// an event names (events carry ids; the data comes over HTTP), typing indicators, and a full
// re-read after a resync.
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { Page } from '../../api/client';
import { useEffect, useRef, useState } from 'react';
import { inboxKeys, type Conversation } from '../../api/inbox';
import { useLiveEvents, type LiveEvent } from '../../api/inbox-live';

const TYPING_SHOWN_MS = 6000;
/** Who is typing when it is the customer rather than a member. */
export const CUSTOMER = 'customer';

/** Runs `fn` at once, then at most once every `ms` while calls keep coming (a burst → two refetches, not one each). */
function useCoalesced(fn: () => void, ms: number) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const again = useRef(false);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => clearTimeout(timer.current), []);
  const cool = () => {
    timer.current = setTimeout(() => {
      timer.current = undefined;
      if (!again.current) return;
      again.current = false;
      latest.current();
      cool();
    }, ms);
  };
  return () => {
    if (timer.current !== undefined) {
      again.current = true;
      return;
    }
    latest.current();
    cool();
  };
}

export function useInboxLiveSync(openId: string | undefined, meId: string) {
  const queryClient = useQueryClient();
  const [typing, setTyping] = useState<Record<string, { who: string; until: number }>>({});
  const refreshLists = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: inboxKeys.lists }), 300);

  useEffect(() => {
    const timer = setInterval(() => {
      setTyping((now) => {
        const live = Object.entries(now).filter(([, v]) => v.until > Date.now());
        return live.length === Object.keys(now).length ? now : Object.fromEntries(live);
      });
    }, 2000);
    return () => clearInterval(timer);
  }, []);

  // What the event itself says is shown at once; the refetch that follows brings the rest.
  const patchLists = (id: string, data: LiveEvent['data'], open: boolean) =>
    queryClient.setQueriesData<InfiniteData<Page<Conversation>>>({ queryKey: inboxKeys.lists }, (lists) => {
      if (!lists?.pages.some((p) => p.items.some((c) => c.id === id))) return lists;
      const bump = (c: Conversation): Conversation => ({
        ...c,
        lastMessagePreview: typeof data.preview === 'string' ? data.preview : c.lastMessagePreview,
        lastMessageAt: typeof data.createdAt === 'string' ? data.createdAt : c.lastMessageAt,
        unreadCount: data.direction === 'in' && !open ? c.unreadCount + 1 : c.unreadCount,
      });
      return { ...lists, pages: lists.pages.map((p) => ({ ...p, items: p.items.map((c) => (c.id === id ? bump(c) : c)) })) };
    });

  useLiveEvents((event: LiveEvent) => {
    const conversationId = typeof event.data.conversationId === 'string' ? event.data.conversationId : undefined;
    const touchesOpen = conversationId !== undefined && conversationId === openId;
    switch (event.type) {
      // message.updated: a file fetched after the message was stored (media by reference).
      case 'message.created':
      case 'message.status_changed':
      case 'message.updated':
        if (touchesOpen) void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(conversationId) });
        if (event.type === 'message.created') {
          if (conversationId) patchLists(conversationId, event.data, touchesOpen);
          refreshLists();
          if (touchesOpen) void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(conversationId) });
          // The customer's new message ends their "typing".
          if (conversationId && event.data.direction === 'in') setTyping(({ [conversationId]: _, ...rest }) => rest);
        }
        return;
      case 'conversation.status_changed':
      case 'conversation.assigned':
      case 'conversation.labels_changed':
      case 'conversation.removed':
      case 'conversation.read':
        refreshLists();
        if (conversationId) void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(conversationId) });
        return;
      case 'typing': {
        // Another agent (memberId), or the customer (contact: true, on channels that tell).
        const who = event.data.contact ? CUSTOMER : String(event.data.memberId ?? '');
        if (!conversationId || !who || who === meId) return;
        setTyping(({ [conversationId]: _, ...rest }) => (event.data.typing ? { ...rest, [conversationId]: { who, until: Date.now() + TYPING_SHOWN_MS } } : rest));
        return;
      }
      case 'presence.changed':
        void queryClient.invalidateQueries({ queryKey: inboxKeys.presence });
        return;
      case 'resync':
        void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
        return;
    }
  });

  return { typingIn: (id: string) => typing[id] };
}
