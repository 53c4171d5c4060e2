import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissionCatalog, useRoles } from '../api/lookups';
import { createRole, deleteRole, rolesKey, updateRole, type RoleInput } from '../api/roles';
import type { DataScope, Role } from '../api/types';
import { useCan } from '../auth/session';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../components/errors';
import { useLabels } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { PermissionChecklist } from '../components/permission-checklist';

const fallbackScopes: DataScope[] = ['own', 'team', 'team_tree', 'all'];

/** Create (role undefined), edit (custom role) or view (built-in role, or no roles:write). */
function RoleModal({ open, role, readOnly, onClose }: { open: boolean; role?: Role; readOnly: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const catalog = usePermissionCatalog();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<RoleInput>();
  const mutation = useMutation({
    mutationFn: (v: RoleInput) => (role ? updateRole(role.id, v) : createRole(v)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: rolesKey });
      onClose();
    },
    onError: onError(form, ['name', 'permissions', 'scope']),
  });
  const scopes = catalog.data?.scopes ?? fallbackScopes;
  const title = readOnly ? labels.role(role ?? { name: '' }) : role ? t('roles.edit') : t('roles.create');
  return (
    <Modal title={title} open={open} onCancel={onClose} width={640} destroyOnHidden
      footer={readOnly ? <Button onClick={onClose}>{t('common.close')}</Button> : undefined}
      onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={mutation.isPending}>
      {readOnly && role?.builtin ? <Typography.Paragraph type="secondary"><LockOutlined /> {t('roles.builtinHint')}</Typography.Paragraph> : null}
      <ErrorAlert error={catalog.error} />
      <Form form={form} name="role" layout="vertical" disabled={readOnly} preserve={false}
        initialValues={role ? { name: role.name, scope: role.scope, permissions: role.permissions } : { name: '', scope: 'own', permissions: [] }}
        onFinish={(v) => mutation.mutate(v)}>
        {readOnly ? null : (
          <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
            <Input autoFocus placeholder={t('roles.namePlaceholder')} />
          </Form.Item>
        )}
        <Form.Item name="scope" label={t('roles.scope')} rules={[{ required: true }]}>
          <Radio.Group style={{ width: '100%' }}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {scopes.map((s) => (
                <Radio key={s} value={s}>
                  <div>{labels.scope(s)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{labels.scopeHint(s)}</Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="permissions" label={t('roles.permissions')}>
          <PermissionChecklist catalog={catalog.data?.groups ?? []} disabled={readOnly} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function RolesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const labels = useLabels();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const writable = can('roles:write');
  const [editing, setEditing] = useState<{ role?: Role; readOnly: boolean } | null>(null);
  const remove = useMutation({
    mutationFn: deleteRole,
    onSuccess: () => {
      void message.success(t('roles.deleted'));
      void queryClient.invalidateQueries({ queryKey: rolesKey });
    },
    onError: toast,
  });
  const customCount = (roles.data ?? []).filter((r) => !r.builtin).length;
  const createButton = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ readOnly: false })}>{t('roles.create')}</Button> : null;

  return (
    <>
      <PageHeader title={t('nav.roles')} description={t('roles.hint')} extra={createButton} />
      <Card>
        <ErrorAlert error={roles.error} />
        <Table<Role>
          rowKey="id" loading={roles.isPending} dataSource={roles.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
          columns={[
            { title: t('roles.name'), key: 'name', render: (_, r) => <Space>{labels.role(r)}{r.builtin ? <Tag icon={<LockOutlined />}>{t('roles.builtin')}</Tag> : null}</Space> },
            { title: t('roles.scope'), dataIndex: 'scope', render: (s: string) => labels.scope(s) },
            { title: t('roles.permissions'), key: 'perms', render: (_, r) => t('roles.permissionCount', { count: r.permissions.length }) },
            { title: t('roles.memberCount'), dataIndex: 'memberCount' },
            { title: t('common.actions'), key: 'actions', render: (_, r) => r.builtin || !writable ? (
              <Button size="small" onClick={() => setEditing({ role: r, readOnly: true })}>{t('common.view')}</Button>
            ) : (
              <Space>
                <Button size="small" onClick={() => setEditing({ role: r, readOnly: false })}>{t('common.edit')}</Button>
                <Popconfirm title={t('roles.deleteConfirm', { name: r.name })} description={r.memberCount ? t('roles.inUse', { count: r.memberCount }) : undefined}
                  okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, disabled: r.memberCount > 0 }}
                  onConfirm={() => remove.mutateAsync(r.id).catch(() => undefined)}>
                  <Button size="small" danger>{t('common.delete')}</Button>
                </Popconfirm>
              </Space>
            ) },
          ]}
        />
        {roles.data && customCount === 0 && writable ? (
          <Empty style={{ marginTop: 24 }} image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('roles.noCustom')}>{createButton}</Empty>
        ) : null}
      </Card>
      <RoleModal key={editing?.role?.id ?? "new"} open={editing !== null} role={editing?.role} readOnly={editing?.readOnly ?? true} onClose={() => setEditing(null)} />
    </>
  );
}
