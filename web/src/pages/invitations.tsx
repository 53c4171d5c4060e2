import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Table, Tag, TreeSelect } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useRoles, useTeams } from '../api/lookups';
import { createInvitation, revokeInvitation } from '../api/members';
import type { Invitation } from '../api/types';
import { useCan } from '../auth/session';
import { LoadMore, useCursorList } from '../components/cursor-list';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../components/errors';
import { useFormatDate } from '../components/format';
import { useLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { SecretOnce } from '../components/secret-once';
import { buildTeamTree } from '../components/team-tree';

const statusColor: Record<Invitation['status'], string> = { pending: 'processing', accepted: 'success', revoked: 'default', expired: 'warning' };

function CreateInvitationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const labels = useLabels();
  const [form] = Form.useForm<{ email: string; roleId: string; teamIds?: string[] }>();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const roles = useRoles(open);
  const teams = useTeams(open && can('teams:read'));
  const [url, setUrl] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: createInvitation,
    onSuccess: (res) => {
      setUrl(new URL(res.url, window.location.origin).toString());
      void queryClient.invalidateQueries({ queryKey: ['list', '/invitations'] });
    },
    onError: onError(form, ['email', 'roleId', 'teamIds']),
  });
  const close = () => {
    setUrl(null);
    form.resetFields();
    onClose();
  };
  const defaultRole = roles.data?.find((r) => r.key === 'agent')?.id;

  return (
    <Modal title={t('invitations.create')} open={open} onCancel={close} destroyOnHidden
      footer={url ? <Button type="primary" onClick={close}>{t('common.done')}</Button> : undefined}
      onOk={() => form.submit()} okText={t('invitations.send')} cancelText={t('common.cancel')} confirmLoading={mutation.isPending}>
      {url ? (
        <SecretOnce value={url} warning={t('invitations.linkOnce')} testId="invitation-url" />
      ) : (
        <Form form={form} name="invitation" layout="vertical" onFinish={(v) => mutation.mutate({ ...v, teamIds: v.teamIds ?? [] })} initialValues={{ roleId: defaultRole }} key={defaultRole ?? 'none'}>
          <Form.Item name="email" label={t('auth.email')} rules={[{ required: true, message: t('validation.required') }, { type: 'email', message: t('validation.email') }]}>
            <Input inputMode="email" autoFocus />
          </Form.Item>
          <Form.Item name="roleId" label={t('members.role')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select loading={roles.isPending} options={(roles.data ?? []).map((r) => ({ value: r.id, label: labels.role(r) }))} />
          </Form.Item>
          {can('teams:read') ? (
            <Form.Item name="teamIds" label={t('members.teams')}>
              <TreeSelect multiple treeDefaultExpandAll allowClear treeData={buildTeamTree(teams.data ?? [])} placeholder={t('invitations.teamsPlaceholder')} />
            </Form.Item>
          ) : null}
        </Form>
      )}
    </Modal>
  );
}

export default function InvitationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const labels = useLabels();
  const toast = useErrorToast();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState(params.get('new') === '1');
  const list = useCursorList<Invitation>('/invitations');
  const writable = can('members:write');
  const revoke = useMutation({
    mutationFn: revokeInvitation,
    onSuccess: () => {
      void message.success(t('invitations.revoked'));
      void queryClient.invalidateQueries({ queryKey: ['list', '/invitations'] });
    },
    onError: toast,
  });
  const openCreate = () => setOpen(true);
  const createButton = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="invite-create">{t('invitations.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('nav.invitations')} description={t('invitations.hint')} extra={createButton} />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<Invitation>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError ? <span /> : <Empty description={t('invitations.empty')}>{createButton}</Empty> }}
          columns={[
            { title: t('auth.email'), dataIndex: 'email' },
            { title: t('members.role'), key: 'role', render: (_, i) => <Tag>{labels.role(i.role)}</Tag> },
            { title: t('members.status'), dataIndex: 'status', render: (s: Invitation['status']) => <Tag color={statusColor[s]}>{t(`invitations.statuses.${s}`)}</Tag> },
            { title: t('invitations.invitedBy'), key: 'by', render: (_, i) => i.invitedBy?.name ?? '—' },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDate },
            { title: t('invitations.expiresAt'), dataIndex: 'expiresAt', render: formatDate },
            ...(writable ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, i: Invitation) => i.status === 'pending' ? (
              <Popconfirm title={t('invitations.revokeConfirm', { email: i.email })} okText={t('invitations.revoke')} cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }} onConfirm={() => revoke.mutateAsync(i.id).catch(() => undefined)}>
                <Button size="small" danger>{t('invitations.revoke')}</Button>
              </Popconfirm>
            ) : null }] : []),
          ]}
        />
        <LoadMore list={list} />
      </Card>
      {writable ? <CreateInvitationModal open={open} onClose={() => { setOpen(false); if (params.has('new')) setParams({}, { replace: true }); }} /> : null}
    </>
  );
}
