// The channels and teams the settings name, fetched once for every tab.
import { useQuery } from '@tanstack/react-query';
import { fetchAll } from '../../api/client';
import type { Channel } from '../../api/channels';

export const useChannels = () => useQuery({ queryKey: ['channels', 'all'], queryFn: () => fetchAll<Channel>('/channels'), staleTime: 30_000 });
