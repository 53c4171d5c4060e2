import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, type ButtonProps, Card, DatePicker, Empty, Form, Input, Modal, Popconfirm, Spin, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createApiKey, revokeApiKey } from '../api/api-keys';
import { usePermissionCatalog } from '../api/lookups';
import type { ApiKey, PermissionCatalog } from '../api/types';
import { useCan, useSession } from '../auth/session';
import { LoadMore, useCursorList } from '../components/cursor-list';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../components/errors';
import { useFormatDate } from '../components/format';
import { useLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { PermissionChecklist } from '../components/permission-checklist';
import { SecretOnce } from '../components/secret-once';

type Status = 'active' | 'revoked' | 'expired';
const statusOf = (k: ApiKey): Status => (k.revokedAt ? 'revoked' : k.expiresAt && new Date(k.expiresAt) <= new Date() ? 'expired' : 'active');
const statusColor: Record<Status, string> = { active: 'green', revoked: 'default', expired: 'orange' };

function scopeGroups(mine: string[], catalog: PermissionCatalog['groups']): PermissionCatalog['groups'] {
  const order = catalog.flatMap((g) => g.permissions);
  const groupOf = new Map(catalog.flatMap((g) => g.permissions.map((p) => [p, g.group] as const)));
  const sorted = [...mine].sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
  const groups = new Map<string, string[]>();
  for (const p of sorted) {
    const group = groupOf.get(p) ?? p.split(':')[0] ?? p;
    groups.set(group, [...(groups.get(group) ?? []), p]);
  }
  return [...groups].map(([group, permissions]) => ({ group, permissions }));
}

interface Values {
  name: string;
  scopes: string[];
  expiresAt?: Dayjs | null;
}

function CreateKeyModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const catalog = usePermissionCatalog();
  const me = useSession();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<Values>();
  // A key can carry at most what its creator may do: offer the member's own permissions, grouped
  // (and ordered) as the catalog lists them, or by their prefix while the catalog is unavailable.
  const groups = scopeGroups(me.member?.permissions ?? [], catalog.data?.groups ?? []);
  const [secret, setSecret] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (v: Values) => createApiKey({ name: v.name, scopes: v.scopes ?? [], ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf('day').toISOString() } : {}) }),
    onSuccess: (res) => {
      setSecret(res.secret);
      void queryClient.invalidateQueries({ queryKey: ['list', '/api-keys'] });
    },
    onError: onError(form, ['name', 'scopes', 'expiresAt']),
  });
  const close = () => {
    // Closing forgets the secret for good: the server never shows it again.
    setSecret(null);
    form.resetFields();
    onClose();
  };
  return (
    <Modal title={secret ? t('apiKeys.created') : t('apiKeys.create')} open={open} onCancel={close} width={640} destroyOnHidden maskClosable={!secret}
      footer={secret ? <Button type="primary" onClick={close} data-testid="api-key-done">{t('apiKeys.savedIt')}</Button> : undefined}
      onOk={() => form.submit()} okText={t('common.create')} cancelText={t('common.cancel')} confirmLoading={mutation.isPending}
      okButtonProps={{ 'data-testid': 'api-key-submit' } as ButtonProps}>
      {secret ? (
        <SecretOnce value={secret} warning={t('apiKeys.secretOnce')} testId="api-key-secret" />
      ) : (
        <Form form={form} name="api-key" layout="vertical" initialValues={{ scopes: [] }} onFinish={(v) => mutation.mutate(v)}>
          <Form.Item name="name" label={t('apiKeys.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
            <Input autoFocus placeholder={t('apiKeys.namePlaceholder')} data-testid="api-key-name" />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('apiKeys.expiresAt')} extra={t('apiKeys.expiresHint')}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(new Date(), 'day')} />
          </Form.Item>
          <Form.Item name="scopes" label={t('apiKeys.scopes')} extra={t('apiKeys.scopesHint')}
            rules={[{ validator: (_, v: string[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('apiKeys.scopesRequired')))) }]}>
            {/* Wait for the catalog: regrouping under the pointer would swallow a click. */}
            {catalog.isLoading ? <Spin /> : <PermissionChecklist catalog={groups} />}
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export default function ApiKeysPage() {
  const { t } = useTranslation();
  const can = useCan();
  const labels = useLabels();
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const list = useCursorList<ApiKey>('/api-keys');
  const [open, setOpen] = useState(false);
  const writable = can('api-keys:write');
  const revoke = useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => {
      void message.success(t('apiKeys.revoked'));
      void queryClient.invalidateQueries({ queryKey: ['list', '/api-keys'] });
    },
    onError: toast,
  });
  const createButton = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="api-key-create">{t('apiKeys.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('nav.apiKeys')} description={t('apiKeys.hint')} extra={createButton} />
      <Card>
        <ErrorAlert error={list.error} />
        <Table<ApiKey>
          rowKey="id" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: list.isError ? <span /> : <Empty image={<KeyOutlined style={{ fontSize: 48, color: '#bfbfbf' }} />} description={t('apiKeys.empty')}>{createButton}</Empty> }}
          columns={[
            { title: t('apiKeys.name'), dataIndex: 'name' },
            { title: t('apiKeys.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
            { title: t('apiKeys.scopes'), dataIndex: 'scopes', render: (scopes: string[]) => (
              <div style={{ maxWidth: 320 }}>{scopes.map((s) => <Tag key={s} style={{ marginBottom: 4 }}>{labels.permission(s)}</Tag>)}</div>
            ) },
            { title: t('apiKeys.owner'), key: 'owner', render: (_, k) => k.owner?.name ?? '—' },
            { title: t('apiKeys.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatDate(v) : t('apiKeys.neverUsed')) },
            { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatDate },
            { title: t('apiKeys.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? formatDate(v) : t('apiKeys.never')) },
            { title: t('members.status'), key: 'status', render: (_, k) => <Tag color={statusColor[statusOf(k)]}>{t(`apiKeys.statuses.${statusOf(k)}`)}</Tag> },
            ...(writable ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, k: ApiKey) => statusOf(k) === 'active' ? (
              <Popconfirm title={t('apiKeys.revokeConfirm', { name: k.name })} description={t('apiKeys.revokeHint')} okText={t('apiKeys.revoke')}
                cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => revoke.mutateAsync(k.id).catch(() => undefined)}>
                <Button size="small" danger>{t('apiKeys.revoke')}</Button>
              </Popconfirm>
            ) : null }] : []),
          ]}
        />
        <LoadMore list={list} />
      </Card>
      {writable ? <CreateKeyModal open={open} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
