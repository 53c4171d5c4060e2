// Where a saved channel is reached: the webhook URL for types whose provider posts to /hooks, and
// the embed snippet for types that have one (the widget answers GET /channels/{id}/widget-snippet;
// other types answer with an error and show nothing).
import { useQuery } from '@tanstack/react-query';
import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getChannelSnippet, type Channel, type ChannelType } from '../../api/channels';

export function ChannelEndpoints({ channel, type }: { channel: Channel; type: ChannelType }) {
  const { t } = useTranslation();
  const snippet = useQuery({ queryKey: ['channel-snippet', channel.id], queryFn: () => getChannelSnippet(channel.id), retry: false, staleTime: 60_000 });
  if (!type.hooks && !snippet.data) return null;
  return (
    <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}
      items={[
        ...(type.hooks ? [{
          key: 'hook', label: t('channelAdmin.hookUrl'),
          children: <Typography.Text copyable={{ text: channel.hookUrl }} code data-testid="channel-hook-url">{channel.hookUrl}</Typography.Text>,
        }] : []),
        ...(snippet.data ? [{
          key: 'snippet', label: t('channelAdmin.snippet'),
          children: (
            <>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{t('channelAdmin.snippetHint')}</Typography.Paragraph>
              <Typography.Paragraph copyable={{ text: snippet.data.snippet }} code style={{ wordBreak: 'break-all', marginBottom: 0 }}>
                <span data-testid="channel-snippet">{snippet.data.snippet}</span>
              </Typography.Paragraph>
            </>
          ),
        }] : []),
      ]}
    />
  );
}
