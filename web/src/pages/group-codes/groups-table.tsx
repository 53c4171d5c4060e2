import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Image, Popconfirm, Progress, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { groupCodeKey, groupCodesKey, removeGroup, updateGroup, type Group, type GroupCode } from '../../api/group-codes';
import { useErrorToast } from '../../components/errors';
import { GroupDrawer } from './group-form';

/** A code's groups in the order scans try them, with how full each is today; add, change, move or remove them. */
export function GroupsTable({ code, writable }: { code: GroupCode; writable: boolean }) {
  const { t } = useTranslation();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ group?: Group } | null>(null);
  const groups = [...code.groups].sort((a, b) => a.position - b.position);
  const saved = (c: GroupCode) => { queryClient.setQueryData(groupCodeKey(code.id), c); void queryClient.invalidateQueries({ queryKey: groupCodesKey }); };
  // Positions are plain numbers the server sorts by (gaps and ties possible): renumber 0…n-1 in the new order, touching only the groups whose number changes.
  const move = useMutation({
    mutationFn: async ({ from, to }: { from: number; to: number }) => {
      const order = [...groups];
      [order[from], order[to]] = [order[to]!, order[from]!];
      let latest = code;
      for (const [i, g] of order.entries()) if (g.position !== i) latest = await updateGroup(code.id, g.id, { position: i });
      return latest;
    },
    onSuccess: saved,
    onError: toast,
  });
  const remove = useMutation({
    mutationFn: (groupId: string) => removeGroup(code.id, groupId),
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: groupCodeKey(code.id) }); void queryClient.invalidateQueries({ queryKey: groupCodesKey }); },
    onError: toast,
  });
  const add = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="group-add">{t('groupCodes.group.add')}</Button> : null;
  const today = dayjs().format('YYYY-MM-DD');
  const soon = dayjs().add(2, 'day').format('YYYY-MM-DD');

  return (
    <Card size="small" title={t('groupCodes.groups')} extra={add} style={{ marginBottom: 16 }}>
      <Table<Group>
        rowKey="id" dataSource={groups} pagination={false} scroll={{ x: 'max-content' }} data-testid="groups-table"
        locale={{ emptyText: <Empty description={t('groupCodes.group.empty')}>{add}</Empty> }}
        columns={[
          { title: '#', key: 'n', render: (_, g, i) => i + 1, width: 40 },
          { title: t('groupCodes.group.name'), key: 'name', render: (_, g) => <span data-testid="group-name-cell">{g.name}</span> },
          {
            title: t('groupCodes.group.way'), key: 'join', render: (_, g) => (g.joinUrl
              ? <Typography.Text copyable={{ text: g.joinUrl }} ellipsis style={{ maxWidth: 220 }}>{g.joinUrl}</Typography.Text>
              : g.qrImageUrl ? <Image src={g.qrImageUrl} width={40} alt={t('groupCodes.group.qrImage')} /> : '—'),
          },
          {
            title: t('groupCodes.group.filled'), key: 'filled', render: (_, g) => (
              <div style={{ minWidth: 140 }} data-testid="group-filled">
                <Progress percent={Math.round((g.filled / g.capacity) * 100)} size="small" status={g.filled >= g.capacity ? 'exception' : 'normal'} format={() => `${g.filled}/${g.capacity}`} />
              </div>
            ),
          },
          { title: t('groupCodes.group.today'), key: 'today', render: (_, g) => `${g.today} / ${g.dailyCap ?? '∞'}` },
          {
            title: t('groupCodes.group.expiresOn'), key: 'expires', render: (_, g) => {
              if (!g.expiresOn) return '—';
              if (g.expiresOn < today) return <Tag color="red">{g.expiresOn} · {t('groupCodes.group.expired')}</Tag>;
              return g.expiresOn <= soon ? <Tag color="orange">{g.expiresOn}</Tag> : g.expiresOn;
            },
          },
          { title: t('groupCodes.enabled'), key: 'enabled', render: (_, g) => (g.enabled ? <Tag color="green">{t('liveCodes.on')}</Tag> : <Tag>{t('liveCodes.off')}</Tag>) },
          ...(writable ? [{
            title: t('common.actions'), key: 'actions', render: (_: unknown, g: Group, i: number) => (
              <Space size={4}>
                <Button size="small" icon={<ArrowUpOutlined />} aria-label={t('groupCodes.group.up')} disabled={i === 0} loading={move.isPending && move.variables.from === i} onClick={() => move.mutate({ from: i, to: i - 1 })} />
                <Button size="small" icon={<ArrowDownOutlined />} aria-label={t('groupCodes.group.down')} disabled={i === groups.length - 1} loading={move.isPending && move.variables.from === i} onClick={() => move.mutate({ from: i, to: i + 1 })} />
                <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing({ group: g })} />
                <Popconfirm title={t('groupCodes.group.removeConfirm', { name: g.name })} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutateAsync(g.id).catch(() => undefined)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]}
      />
      {editing ? <GroupDrawer code={code} group={editing.group} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
