import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { contactKey, getContact, updateContact, type Contact, type ContactInput } from '../../api/contacts';

export function useContact(id: string) {
  return useQuery({ queryKey: contactKey(id), queryFn: () => getContact(id) });
}

/** PATCH one contact; the answer replaces the cached profile and lists refresh. */
export function useUpdateContact(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ContactInput) => updateContact(id, body),
    onSuccess: (contact) => {
      queryClient.setQueryData<Contact>(contactKey(id), (old) => ({ ...old, ...contact, identities: contact.identities ?? old?.identities, consents: contact.consents ?? old?.consents }));
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', id] });
    },
  });
}

/** Re-read the profile and everything around it (after tags, identities, merges). */
export function useRefreshContact(id: string) {
  const queryClient = useQueryClient();
  return () => Promise.all([
    queryClient.invalidateQueries({ queryKey: contactKey(id) }),
    queryClient.invalidateQueries({ queryKey: ['timeline', id] }),
    queryClient.invalidateQueries({ queryKey: ['contacts'] }),
  ]);
}
