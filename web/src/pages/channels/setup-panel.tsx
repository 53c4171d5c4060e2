// What the admin does at the provider for a saved channel (GET /channel-types `setup`): the steps,
// the webhook URL beside the step that needs it, "Connect" for providers Renmai registers itself
// with (Telegram setWebhook), and "Test connection" (POST /channels/{id}/test), whose failure shows
// the provider's stable reason (channelReasons.<reason>).
import { ApiOutlined, CheckCircleOutlined, LinkOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { channelsListPath, connectChannel, testChannel, type Channel, type ChannelType } from '../../api/channels';
import { isApiError } from '../../api/client';

/** The reason a provider call failed, in words: the problem's stable `reason`, else its detail. */
export function useReasonText() {
  const { t } = useTranslation();
  return (reason: string | null | undefined, fallback?: string | null) =>
    reason ? t(`channelReasons.${reason}`, { defaultValue: fallback ?? reason }) : (fallback ?? '');
}

function failureOf(error: unknown) {
  if (!isApiError(error)) return { reason: undefined, detail: error instanceof Error ? error.message : String(error) };
  return { reason: typeof error.extra.reason === 'string' ? error.extra.reason : undefined, detail: error.detail };
}

export function TestConnectionButton({ channel, size }: { channel: Channel; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const queryClient = useQueryClient();
  // The list's health column shows the token state the test recorded.
  const test = useMutation({ mutationFn: () => testChannel(channel.id), onSettled: () => void queryClient.invalidateQueries({ queryKey: ['list', channelsListPath] }) });
  const failure = test.isError ? failureOf(test.error) : undefined;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Button size={size} icon={<ApiOutlined />} loading={test.isPending} onClick={() => test.mutate()} data-testid="channel-test">{t('channelSetup.test')}</Button>
      {test.isSuccess ? (
        <Alert type="success" showIcon icon={<CheckCircleOutlined />} data-testid="channel-test-ok"
          title={t('channelSetup.testOk', { name: [test.data.account.name, test.data.account.username ? `@${test.data.account.username.replace(/^@/, '')}` : undefined].filter(Boolean).join(' ') || test.data.account.accountId || '' })} />
      ) : null}
      {failure ? (
        <Alert type="error" showIcon data-testid="channel-test-failed" data-reason={failure.reason}
          title={t('channelSetup.testFailed', { reason: reasonText(failure.reason, failure.detail) })}
          description={failure.reason ? failure.detail : undefined} />
      ) : null}
    </Space>
  );
}

function ConnectButton({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const connect = useMutation({ mutationFn: () => connectChannel(channel.id) });
  const failure = connect.isError ? failureOf(connect.error) : undefined;
  return (
    <Space orientation="vertical" size={4}>
      <Button type="primary" icon={<LinkOutlined />} loading={connect.isPending} onClick={() => connect.mutate()} data-testid="channel-connect">{t('channelSetup.connect')}</Button>
      {connect.isSuccess ? <Alert type="success" showIcon title={t('channelSetup.connected')} data-testid="channel-connected" /> : null}
      {failure ? <Alert type="error" showIcon title={t('channelSetup.connectFailed', { reason: reasonText(failure.reason, failure.detail) })} description={failure.reason ? failure.detail : undefined} /> : null}
    </Space>
  );
}

export function ChannelSetupPanel({ channel, type }: { channel: Channel; type: ChannelType }) {
  const { t } = useTranslation();
  const { setup } = type;
  if (!setup?.steps.length && !type.testable) return null;
  return (
    <Card size="small" title={t('channelSetup.title')} style={{ marginBottom: 16 }} data-testid="channel-setup"
      extra={setup?.providerUrl ? <Typography.Link href={setup.providerUrl} target="_blank" rel="noreferrer">{t('channelSetup.providerConsole')}</Typography.Link> : null}>
      {setup?.steps.length ? (
        <Steps orientation="vertical" size="small" current={-1}
          items={setup.steps.map((step) => ({
            key: step.key,
            title: t(`channelSetup.steps.${type.type}.${step.key}`, { defaultValue: step.text }),
            description: (
              <Space orientation="vertical" size={4}>
                {step.showHookUrl && type.hooks ? <Typography.Text copyable={{ text: channel.hookUrl }} code data-testid="channel-setup-hook-url">{channel.hookUrl}</Typography.Text> : null}
                {step.key === 'connect' && setup.webhook === 'connect' ? <ConnectButton channel={channel} /> : null}
                {step.key === 'test' && type.testable ? <TestConnectionButton channel={channel} /> : null}
              </Space>
            ),
          }))} />
      ) : null}
      {type.testable && !setup?.steps.some((s) => s.key === 'test') ? <TestConnectionButton channel={channel} /> : null}
    </Card>
  );
}
