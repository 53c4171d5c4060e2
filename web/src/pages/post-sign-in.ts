import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { getMe, meKey } from '../api/auth';
import type { User } from '../api/types';
import { applyLanguage, toLanguage } from '../i18n';

/** Only same-site paths, so a crafted ?next= cannot send someone elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** After login or accepting an invitation: adopt the account's language, load the session, go in. */
export function useAfterSignIn() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (user: User, next: string) => {
    const lang = toLanguage(user.locale);
    if (lang) await applyLanguage(lang);
    queryClient.clear();
    await queryClient.fetchQuery({ queryKey: meKey, queryFn: getMe });
    void navigate(next, { replace: true });
  };
}
