// The agent's own presence (online / away): only online agents get conversations automatically.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Segmented, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { inboxKeys, listPresence, setMyPresence, type PresenceStatus } from '../../api/inbox';
import { useLiveState } from '../../api/inbox-live';
import { useErrorToast } from '../../components/errors';

export function PresenceSwitch({ meId }: { meId: string }) {
  const { t } = useTranslation();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const live = useLiveState();
  const presence = useQuery({ queryKey: inboxKeys.presence, queryFn: listPresence, staleTime: 30_000 });
  const mine = presence.data?.find((a) => a.memberId === meId);
  const set = useMutation({
    mutationFn: setMyPresence,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKeys.presence }),
    onError: toast,
  });
  const chosen = mine?.chosenStatus === 'away' ? 'away' : 'online';
  return (
    <Tooltip title={live === 'open' ? t('inbox.live.open') : t('inbox.live.reconnecting')}>
      <span data-testid="live-state" data-state={live}>
        <Segmented<PresenceStatus>
          size="small"
          value={chosen}
          disabled={set.isPending}
          onChange={(status) => set.mutate(status)}
          options={[
            { value: 'online', label: <span data-testid="presence-online"><Badge status={live === 'open' ? 'success' : 'default'} /> {t('inbox.presence.online')}</span> },
            { value: 'away', label: <span data-testid="presence-away"><Badge status="warning" /> {t('inbox.presence.away')}</span> },
          ]}
        />
      </span>
    </Tooltip>
  );
}
