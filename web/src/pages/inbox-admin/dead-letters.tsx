// 发送失败: outbound messages that failed for good (the provider refused them, or every attempt
// failed), with why, and retrying one or a selection (each goes back to the send queue).
import { CheckCircleOutlined, RedoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { channelsListPath, type Channel } from '../../api/channels';
import { deadLettersPath, retryDeadLetter, type DeadLetter } from '../../api/channels-dead-letters';
import { fetchAll } from '../../api/client';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';

const preview = (m: DeadLetter) => m.subject ?? m.text ?? m.attachments.map((a) => a.fileName).join(', ');

export default function DeadLettersPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [channelId, setChannelId] = useState<string | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const channels = useQuery({ queryKey: ['list', channelsListPath, 'all'], queryFn: () => fetchAll<Channel>(channelsListPath) });
  const list = useCursorList<DeadLetter>(deadLettersPath, { channelId });
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? '…';

  const retry = useMutation({
    // One request each: a message another admin retried meanwhile answers 409 without failing the rest.
    mutationFn: async (ids: string[]) => (await Promise.allSettled(ids.map(retryDeadLetter))).filter((r) => r.status === 'fulfilled').length,
    onSuccess: (done, ids) => {
      if (done) void message.success(t('channelAdmin.deadLetters.retried', { count: done }));
      if (done < ids.length) void message.warning(t('channelAdmin.deadLetters.notRetried', { count: ids.length - done }));
      setSelected([]);
      void queryClient.invalidateQueries({ queryKey: ['list', deadLettersPath] });
    },
    onError: toast,
  });

  const filter = (
    <Select allowClear style={{ width: 220 }} placeholder={t('channelAdmin.deadLetters.allChannels')} value={channelId} onChange={setChannelId}
      options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="dead-letters-channel" />
  );
  const retrySelected = (
    <Button type="primary" icon={<RedoOutlined />} disabled={!selected.length} loading={retry.isPending && (retry.variables?.length ?? 0) > 1}
      onClick={() => retry.mutate(selected)} data-testid="dead-letters-retry-selected">
      {t('channelAdmin.deadLetters.retrySelected', { count: selected.length })}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('channelAdmin.nav.deadLetters')} description={t('channelAdmin.deadLetters.hint')} extra={<>{filter}{retrySelected}</>} />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<DeadLetter>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
          locale={{ emptyText: list.isPending || list.isError ? <span /> : (
            <Empty image={<CheckCircleOutlined style={{ fontSize: 48, color: '#52c41a' }} />}
              description={<><Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('channelAdmin.deadLetters.emptyTitle')}</Typography.Paragraph>{t('channelAdmin.deadLetters.emptyHint')}</>} />
          ) }}
          columns={[
            { title: t('channelAdmin.deadLetters.failedAt'), dataIndex: 'failedAt', render: formatDate },
            { title: t('channelAdmin.deadLetters.channel'), key: 'channel', render: (_, m) => channelName(m.channelId) },
            {
              title: t('channelAdmin.deadLetters.message'), key: 'message', render: (_, m) => (
                <Space orientation="vertical" size={0} style={{ maxWidth: 320 }}>
                  <Typography.Text ellipsis>{preview(m) || '—'}</Typography.Text>
                  <Link to={`/inbox/${m.conversationId}`} data-testid="dead-letter-conversation">{t('channelAdmin.deadLetters.openConversation')}</Link>
                </Space>
              ),
            },
            {
              title: t('channelAdmin.deadLetters.error'), key: 'error', render: (_, m) => (
                <Space orientation="vertical" size={0} style={{ maxWidth: 360 }}>
                  {m.errorReason ? <Typography.Text strong type="danger" data-testid="dead-letter-reason" data-reason={m.errorReason}>{t(`channelReasons.${m.errorReason}`, { defaultValue: m.errorReason })}</Typography.Text> : null}
                  <Typography.Text type={m.errorReason ? 'secondary' : 'danger'} style={{ fontSize: m.errorReason ? 12 : undefined }} data-testid="dead-letter-error">{m.lastError ?? '—'}</Typography.Text>
                </Space>
              ),
            },
            { title: t('channelAdmin.deadLetters.attempts'), dataIndex: 'attempts' },
            {
              title: t('common.actions'), key: 'actions', render: (_, m) => (
                <Button size="small" icon={<RedoOutlined />} loading={retry.isPending && retry.variables?.length === 1 && retry.variables[0] === m.id}
                  onClick={() => retry.mutate([m.id])} data-testid="dead-letter-retry">{t('channelAdmin.deadLetters.retry')}</Button>
              ),
            },
          ]}
        />
        <LoadMore list={list} />
      </Card>
    </>
  );
}
