import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { getMe, meKey } from '../api/auth';
import type { Me } from '../api/types';

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: getMe, staleTime: 60_000, retry: false });
}

const SessionContext = createContext<Me | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

/** The signed-in user; only used under the signed-in layout, which guarantees one. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside a signed-in page');
  return me;
}

export function hasPermission(me: Me | null | undefined, permission: string | undefined): boolean {
  if (!permission) return true;
  return Boolean(me?.member?.permissions.includes(permission));
}

export function useCan(): (permission: string) => boolean {
  const me = useSession();
  return (permission) => hasPermission(me, permission);
}
