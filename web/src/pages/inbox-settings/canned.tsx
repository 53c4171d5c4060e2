import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useCan } from '../../auth/session';
import { LoadMore } from '../../components/cursor-list';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { autorepliesKey, createCanned, deleteCanned, listCanned, templateVariables, updateCanned, type CannedInput, type CannedResponse } from './api';

const cannedKey = [...autorepliesKey, 'canned'];

/** 快捷回复: the workspace's and the agent's own, with variables filled in when used. */
export function CannedTab() {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const [q, setQ] = useState('');
  const list = useInfiniteQuery({
    queryKey: [...cannedKey, q],
    queryFn: ({ pageParam }) => listCanned(q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: cannedKey });
  const remove = useMutation({ mutationFn: deleteCanned, onSuccess: refresh, onError: toast });
  const mayEdit = (c: CannedResponse) => can(c.scope === 'workspace' ? 'inbox:manage' : 'inbox:write');
  const create = can('inbox:write') ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="canned-create">{t('autoreplies.canned.create')}</Button> : null;

  return (
    <>
      <Typography.Paragraph type="secondary">{t('autoreplies.canned.hint')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        {create}
        <Input.Search allowClear placeholder={t('autoreplies.canned.search')} onSearch={setQ} style={{ width: 260 }} />
      </Space>
      <ErrorAlert error={list.error} />
      <Table<CannedResponse>
        rowKey="id" loading={list.isPending} dataSource={items} pagination={false} scroll={{ x: 'max-content' }} data-testid="canned-table"
        locale={{ emptyText: list.isPending || list.isError ? <span /> : <Empty description={q ? t('autoreplies.canned.noMatch') : t('autoreplies.canned.empty')}>{q ? null : create}</Empty> }}
        columns={[
          { title: t('autoreplies.canned.shortcut'), dataIndex: 'shortcut', render: (v: string) => <Typography.Text code>/{v}</Typography.Text> },
          { title: t('autoreplies.canned.title'), dataIndex: 'title' },
          { title: t('autoreplies.canned.body'), dataIndex: 'body', render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ maxWidth: 400, margin: 0 }}>{v}</Typography.Paragraph> },
          { title: t('autoreplies.canned.scope'), dataIndex: 'scope', render: (v: string) => <Tag color={v === 'workspace' ? 'blue' : undefined}>{t(`autoreplies.canned.scopes.${v}`)}</Tag> },
          {
            title: t('common.actions'), key: 'actions', render: (_, c) => mayEdit(c) ? (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(c)} />
                <Popconfirm title={t('autoreplies.canned.deleteConfirm')} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(c.id).catch(() => undefined)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ) : null,
          },
        ]}
      />
      <LoadMore list={list} />
      {editing ? <CannedModal canned={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void refresh(); }} /> : null}
    </>
  );
}

function CannedModal({ canned, onClose, onSaved }: { canned: CannedResponse | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const [form] = Form.useForm<CannedInput>();
  const onError = useFormErrorHandler();
  const onFieldsError = onError(form, ['shortcut', 'title', 'scope'], 'shortcut');
  const save = useMutation({
    mutationFn: ({ scope, ...v }: CannedInput) => (canned ? updateCanned(canned.id, v) : createCanned({ ...v, scope })),
    onSuccess: () => { void message.success(t('autoreplies.saved')); onSaved(); },
    onError: (error) => {
      // The shared helper reads a leading "body" as the request body, so the text field's own errors are placed here.
      if (isApiError(error) && error.errors?.length && error.errors.every((e) => e.path === 'body')) form.setFields([{ name: 'body', errors: error.errors.map((e) => e.message) }]);
      else onFieldsError(error);
    },
  });
  return (
    <Modal open width={600} title={canned ? t('autoreplies.canned.edit') : t('autoreplies.canned.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={canned ?? { scope: 'personal' }} onFinish={(v) => save.mutate(v)} data-testid="canned-form">
        <Form.Item name="scope" label={t('autoreplies.canned.scope')}>
          <Radio.Group disabled={Boolean(canned)} options={[{ value: 'personal', label: t('autoreplies.canned.scopes.personal') }, { value: 'workspace', label: t('autoreplies.canned.scopes.workspace'), disabled: !can('inbox:manage') }]} />
        </Form.Item>
        <Form.Item name="shortcut" label={t('autoreplies.canned.shortcut')} extra={t('autoreplies.canned.shortcutHint')} rules={[{ required: true, message: t('autoreplies.required') }, { pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}$/, message: t('autoreplies.canned.shortcutHint') }]}>
          <Input prefix="/" data-testid="canned-shortcut" />
        </Form.Item>
        <Form.Item name="title" label={t('autoreplies.canned.title')} rules={[{ required: true, message: t('autoreplies.required') }, { max: 200 }]}>
          <Input data-testid="canned-title" />
        </Form.Item>
        <Form.Item name="body" label={t('autoreplies.canned.body')} rules={[{ required: true, message: t('autoreplies.required') }, { max: 5000 }]}
          extra={<>{t('autoreplies.canned.variables')} {templateVariables.map((v) => <Typography.Text key={v} code copyable={{ text: `{{${v}}}` }}>{`{{${v}}}`}</Typography.Text>)}</>}>
          <Input.TextArea rows={5} data-testid="canned-body" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
