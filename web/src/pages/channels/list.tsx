// 渠道: the workspace's channels, with their health, and where they are created, edited, disabled
// and deleted. The forms are drawn from each type's schema (GET /channel-types).
import { ApiOutlined, DeleteOutlined, DownOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Dropdown, Empty, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { channelsListPath, channelTypesKey, deleteChannel, listChannelTypes, testChannel, updateChannel, type Channel, type ChannelType } from '../../api/channels';
import { isApiError } from '../../api/client';
import { useTeams } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ChannelEditor } from './editor';
import { useReasonText } from './setup-panel';
import { TypeIcon, useTypeLabel } from './type-label';

type Editing = { type: ChannelType; channel: Channel | null } | null;

function Health({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const { health } = channel;
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('channelAdmin.lastEvent', { when: formatDate(health.lastEventAt) })}</Typography.Text>
      {health.refusedCount > 0 ? (
        <Tooltip title={health.lastRefusedReason ? t('channelAdmin.lastRefused', { when: formatDate(health.lastRefusedAt), reason: health.lastRefusedReason }) : undefined}>
          <Tag color="orange" data-testid="channel-refused">{t('channelAdmin.refused', { count: health.refusedCount })}</Tag>
        </Tooltip>
      ) : null}
      {health.sendPausedUntil && new Date(health.sendPausedUntil) > new Date() ? <Tag color="gold">{t('channelAdmin.pausedUntil', { when: formatDate(health.sendPausedUntil) })}</Tag> : null}
      {health.credentialsProblem ? (
        <Tooltip title={t('channelSetup.checkedAt', { when: formatDate(health.credentialsCheckedAt) })}>
          <Tag color="red" data-testid="channel-credentials-problem" data-reason={health.credentialsProblem}>{t(`channelReasons.${health.credentialsProblem}`, { defaultValue: health.credentialsProblem })}</Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

/** Test connection from the list: the result as a message (the channel page shows it in full). */
function TestButton({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reasonText = useReasonText();
  const queryClient = useQueryClient();
  const test = useMutation({
    mutationFn: () => testChannel(channel.id),
    // The health column shows the token state the test recorded.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['list', channelsListPath] }),
    onSuccess: (r) => void message.success(t('channelSetup.testOk', { name: r.account.name ?? r.account.username ?? r.account.accountId ?? '' })),
    onError: (e) => void message.error(t('channelSetup.testFailed', { reason: isApiError(e) ? reasonText(typeof e.extra.reason === 'string' ? e.extra.reason : undefined, e.detail) : String(e) })),
  });
  return (
    <Tooltip title={t('channelSetup.test')}>
      <Button size="small" icon={<ApiOutlined />} aria-label={t('channelSetup.test')} loading={test.isPending} onClick={() => test.mutate()} data-testid="channel-list-test" />
    </Tooltip>
  );
}

export default function ChannelsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const typeLabel = useTypeLabel();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const types = useQuery({ queryKey: channelTypesKey, queryFn: listChannelTypes, staleTime: Infinity });
  const list = useCursorList<Channel>(channelsListPath);
  const teams = useTeams(can('teams:read'));
  const [editing, setEditing] = useState<Editing>(null);
  const typeOf = (name: string) => types.data?.find((x) => x.type === name);
  const teamName = (id: string | null) => (id ? (teams.data?.find((x) => x.id === id)?.name ?? '…') : t('channelAdmin.noTeam'));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['list', channelsListPath] });

  const toggle = useMutation({
    mutationFn: (c: Channel) => updateChannel(c.id, { enabled: !c.enabled }),
    onSuccess: (c) => { void message.success(c.enabled ? t('channelAdmin.enabledNow') : t('channelAdmin.disabledNow')); void refresh(); },
    onError: toast,
  });
  const remove = useMutation({ mutationFn: (c: Channel) => deleteChannel(c.id), onSuccess: () => void refresh(), onError: toast });
  const edit = (c: Channel) => {
    const type = typeOf(c.type);
    if (type) setEditing({ type, channel: c });
  };

  const create = (
    <Dropdown trigger={['click']} disabled={!types.data?.length}
      menu={{ items: (types.data ?? []).map((x) => ({ key: x.type, icon: <TypeIcon type={x.type} />, label: <span data-testid={`channel-create-${x.type}`}>{typeLabel(x.type)}</span> })),
        onClick: ({ key }) => setEditing({ type: typeOf(key)!, channel: null }) }}>
      <Button type="primary" icon={<PlusOutlined />} data-testid="channel-create">{t('channelAdmin.create')} <DownOutlined /></Button>
    </Dropdown>
  );

  return (
    <>
      <PageHeader title={t('channelAdmin.nav.channels')} description={t('channelAdmin.hint')} extra={create} />
      <Card>
        <ErrorAlert error={list.error ?? types.error} />
        <Table<Channel>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isPending || list.isError ? <span /> : (
            <Empty description={<><Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('channelAdmin.emptyTitle')}</Typography.Paragraph>{t('channelAdmin.emptyHint')}</>}>{create}</Empty>
          ) }}
          columns={[
            { title: t('channelAdmin.name'), key: 'name', render: (_, c) => <Typography.Link onClick={() => edit(c)} data-testid="channel-link">{c.name}</Typography.Link> },
            { title: t('channelAdmin.type'), key: 'type', render: (_, c) => <Space size={6}><TypeIcon type={c.type} />{typeLabel(c.type)}</Space> },
            { title: t('channelAdmin.team'), key: 'team', render: (_, c) => teamName(c.teamId) },
            { title: t('channelAdmin.health'), key: 'health', render: (_, c) => <Health channel={c} /> },
            {
              title: t('channelAdmin.enabled'), key: 'enabled', render: (_, c) => (
                <Switch size="small" checked={c.enabled} loading={toggle.isPending && toggle.variables?.id === c.id} onChange={() => toggle.mutate(c)} data-testid="channel-enabled" />
              ),
            },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDate },
            {
              title: t('common.actions'), key: 'actions', render: (_, c) => (
                <Space size={4}>
                  {typeOf(c.type)?.testable ? <TestButton channel={c} /> : null}
                  <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => edit(c)} data-testid="channel-edit" />
                  <Popconfirm title={t('channelAdmin.deleteConfirm', { name: c.name })} description={t('channelAdmin.deleteHint')} okButtonProps={{ danger: true }}
                    okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(c).catch(() => undefined)}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} data-testid="channel-delete" />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
        <LoadMore list={list} />
      </Card>
      {editing ? (
        <ChannelEditor type={editing.type} channel={editing.channel} onClose={() => setEditing(null)}
          onSaved={(channel) => setEditing({ type: editing.type, channel })} />
      ) : null}
    </>
  );
}
