import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/session';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { autorepliesKey, createRule, deleteRule, listRules, updateRule, type KeywordRule, type RuleInput } from './api';
import { useChannels } from './lookups';

const rulesKey = [...autorepliesKey, 'rules'];

/** 关键词自动回复: per channel, tried by position; the first match answers. */
export function KeywordRulesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const writable = can('inbox:manage');
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const rules = useQuery({ queryKey: rulesKey, queryFn: listRules });
  const channels = useChannels();
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? id;
  const [editing, setEditing] = useState<KeywordRule | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: rulesKey });
  const toggle = useMutation({ mutationFn: (r: KeywordRule) => updateRule(r.id, { enabled: !r.enabled }), onSuccess: refresh, onError: toast });
  const remove = useMutation({ mutationFn: deleteRule, onSuccess: refresh, onError: toast });
  const create = writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rule-create">{t('autoreplies.rules.create')}</Button> : null;

  return (
    <>
      <Typography.Paragraph type="secondary">{t('autoreplies.rules.hint')}</Typography.Paragraph>
      <div style={{ marginBottom: 12 }}>{create}</div>
      <ErrorAlert error={rules.error} />
      <Table<KeywordRule>
        rowKey="id" loading={rules.isPending} dataSource={rules.data ?? []} pagination={false} scroll={{ x: 'max-content' }} data-testid="rules-table"
        locale={{ emptyText: rules.isPending || rules.isError ? <span /> : <Empty description={t('autoreplies.rules.empty')}>{create}</Empty> }}
        columns={[
          { title: t('autoreplies.rules.channel'), key: 'channel', render: (_, r) => channelName(r.channelId) },
          { title: t('autoreplies.rules.position'), dataIndex: 'position' },
          { title: t('autoreplies.rules.match'), key: 'match', render: (_, r) => <Space><Tag>{t(`autoreplies.rules.kinds.${r.matchKind}`)}</Tag><Typography.Text code>{r.pattern}</Typography.Text></Space> },
          { title: t('autoreplies.rules.reply'), dataIndex: 'reply', render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ maxWidth: 360, margin: 0 }}>{v}</Typography.Paragraph> },
          { title: t('autoreplies.enabled'), key: 'enabled', render: (_, r) => <Switch size="small" checked={r.enabled} disabled={!writable} onChange={() => toggle.mutate(r)} /> },
          ...(writable ? [{
            title: t('common.actions'), key: 'actions', render: (_: unknown, r: KeywordRule) => (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing(r)} />
                <Popconfirm title={t('autoreplies.rules.deleteConfirm')} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(r.id).catch(() => undefined)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]}
      />
      {editing ? <RuleModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void refresh(); }} /> : null}
    </>
  );
}

function RuleModal({ rule, onClose, onSaved }: { rule: KeywordRule | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleInput>();
  const onError = useFormErrorHandler();
  const channels = useChannels();
  const fields = ['channelId', 'position', 'matchKind', 'pattern', 'caseSensitive', 'reply', 'enabled'];
  const save = useMutation({
    mutationFn: (v: RuleInput) => (rule ? updateRule(rule.id, { ...v, channelId: undefined } as Partial<RuleInput>) : createRule(v)),
    onSuccess: () => { void message.success(t('autoreplies.saved')); onSaved(); },
    onError: onError(form, fields),
  });
  return (
    <Modal open title={rule ? t('autoreplies.rules.edit') : t('autoreplies.rules.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={rule ?? { position: 0, matchKind: 'contains', caseSensitive: false, enabled: true }} onFinish={(v) => save.mutate(v)} data-testid="rule-form">
        <Form.Item name="channelId" label={t('autoreplies.rules.channel')} rules={[{ required: true, message: t('autoreplies.required') }]}>
          <Select disabled={Boolean(rule)} loading={channels.isPending} options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="rule-channel" />
        </Form.Item>
        <Space align="start">
          <Form.Item name="matchKind" label={t('autoreplies.rules.match')}>
            <Select style={{ width: 140 }} data-testid="rule-kind" options={(['exact', 'contains', 'regex'] as const).map((k) => ({ value: k, label: t(`autoreplies.rules.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="position" label={t('autoreplies.rules.position')} tooltip={t('autoreplies.rules.positionHint')}>
            <InputNumber min={0} max={100000} />
          </Form.Item>
        </Space>
        <Form.Item name="pattern" label={t('autoreplies.rules.pattern')} rules={[{ required: true, message: t('autoreplies.required') }, { max: 200 }]} extra={t('autoreplies.rules.patternHint')}>
          <Input data-testid="rule-pattern" />
        </Form.Item>
        <Form.Item name="caseSensitive" valuePropName="checked"><Checkbox>{t('autoreplies.rules.caseSensitive')}</Checkbox></Form.Item>
        <Form.Item name="reply" label={t('autoreplies.rules.reply')} rules={[{ required: true, message: t('autoreplies.required') }, { max: 2000 }]}>
          <Input.TextArea rows={4} data-testid="rule-reply" />
        </Form.Item>
        <Form.Item name="enabled" valuePropName="checked" label={t('autoreplies.enabled')}><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}
