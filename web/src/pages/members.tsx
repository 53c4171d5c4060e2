import { UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useRoles, useTeams } from '../api/lookups';
import { changeMemberRole, deactivateMember, reactivateMember } from '../api/members';
import type { Member } from '../api/types';
import { useCan, useSession } from '../auth/session';
import { useCursorList, LoadMore } from '../components/cursor-list';
import { ErrorAlert, useErrorToast } from '../components/errors';
import { useFormatDate } from '../components/format';
import { useLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';

export default function MembersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const labels = useLabels();
  const formatDate = useFormatDate();
  const [q, setQ] = useState('');
  const list = useCursorList<Member>('/members', { q });
  const writable = can('members:write');
  const roles = useRoles(writable && can('roles:read'));
  const teams = useTeams(can('teams:read'));
  const teamName = new Map((teams.data ?? []).map((team) => [team.id, team.name]));

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['list', '/members'] }).then(() => queryClient.invalidateQueries({ queryKey: ['members'] }));
  const done = () => {
    void message.success(t('common.saved'));
    void refresh();
  };
  const roleChange = useMutation({ mutationFn: (v: { id: string; roleId: string }) => changeMemberRole(v.id, v.roleId), onSuccess: done, onError: toast });
  const deactivate = useMutation({ mutationFn: deactivateMember, onSuccess: done, onError: toast });
  const reactivate = useMutation({ mutationFn: reactivateMember, onSuccess: done, onError: toast });

  const inviteButton = can('members:write') ? (
    <Button type="primary" icon={<UserAddOutlined />} onClick={() => navigate('/settings/invitations?new=1')}>{t('invitations.create')}</Button>
  ) : null;

  return (
    <>
      <PageHeader title={t('nav.members')} extra={inviteButton} />
      <Card>
        <Input.Search allowClear placeholder={t('members.search')} onSearch={setQ} style={{ maxWidth: 320, marginBottom: 16 }} enterButton={false} />
        <ErrorAlert error={list.error} />
        <Table<Member>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError ? <span /> : <Empty description={q ? t('members.noMatch') : t('members.empty')}>{q ? null : inviteButton}</Empty> }}
          columns={[
            { title: t('members.name'), key: 'name', render: (_, m) => (
              <div>
                <div>{m.name || '—'} {m.id === me.member?.id ? <Tag color="blue">{t('members.you')}</Tag> : null}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{m.email}</Typography.Text>
              </div>
            ) },
            { title: t('members.role'), key: 'role', render: (_, m) => writable && roles.data && m.id !== me.member?.id ? (
              <Select size="small" style={{ minWidth: 140 }} value={m.role.id} loading={roleChange.isPending && roleChange.variables?.id === m.id}
                options={roles.data.map((r) => ({ value: r.id, label: labels.role(r) }))}
                onChange={(roleId) => roleChange.mutate({ id: m.id, roleId })} />
            ) : <Tag>{labels.role(m.role)}</Tag> },
            { title: t('members.teams'), key: 'teams', render: (_, m) => m.teamIds.length ? m.teamIds.map((id) => <Tag key={id}>{teamName.get(id) ?? '…'}</Tag>) : <Typography.Text type="secondary">—</Typography.Text> },
            { title: t('members.status'), dataIndex: 'status', render: (s: Member['status']) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`members.statuses.${s}`)}</Tag> },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDate },
            ...(writable ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, m: Member) => m.id === me.member?.id ? null : (
              <Space>
                {m.status === 'active' ? (
                  <Popconfirm title={t('members.deactivateConfirm', { name: m.name || m.email })} description={t('members.deactivateHint')}
                    okText={t('members.deactivate')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => deactivate.mutateAsync(m.id).catch(() => undefined)}>
                    <Button size="small" danger>{t('members.deactivate')}</Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => reactivate.mutate(m.id)} loading={reactivate.isPending && reactivate.variables === m.id}>{t('members.reactivate')}</Button>
                )}
              </Space>
            ) }] : []),
          ]}
        />
        <LoadMore list={list} />
      </Card>
    </>
  );
}
