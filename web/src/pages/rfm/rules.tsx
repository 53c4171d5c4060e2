import { ArrowRightOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllMembers } from '../../api/lookups';
import { createRfmRule, deleteRfmRule, listRfmRules, rfmRulesKey, updateRfmRule, type RfmRule, type RfmRuleInput } from '../../api/rfm';
import { rfmLayers, type RfmLayer } from '../../api/segments';
import { useCan } from '../../auth/session';
import { useLayerLabel } from '../../components/conditions/use-options';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { LayerTag } from './layers';

type Values = Omit<RfmRuleInput, 'taskTitle'> & { taskTitle?: string };
const fields = ['name', 'fromLayers', 'toLayers', 'taskTitle', 'taskDueDays', 'notify', 'fallbackMemberId', 'enabled'];

/** What happens when a customer moves between layers: a task for the owner, a reminder. */
export function RfmRules() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const onFormError = useFormErrorHandler();
  const queryClient = useQueryClient();
  const layerLabel = useLayerLabel();
  const members = useAllMembers(can('members:read'));
  const rules = useQuery({ queryKey: rfmRulesKey, queryFn: listRfmRules });
  const [editing, setEditing] = useState<RfmRule | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const writable = can('rfm:write');
  const refresh = () => queryClient.invalidateQueries({ queryKey: rfmRulesKey });

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { ...v, taskTitle: v.taskTitle?.trim() || null, taskDueDays: v.taskDueDays ?? null, fallbackMemberId: v.fallbackMemberId ?? null };
      return editing && editing !== 'new' ? updateRfmRule(editing.id, body) : createRfmRule(body);
    },
    onSuccess: () => { setEditing(null); void message.success(t('common.saved')); void refresh(); },
    onError: onFormError(form, fields),
  });
  const toggle = useMutation({ mutationFn: (r: RfmRule) => updateRfmRule(r.id, { enabled: !r.enabled }), onSuccess: () => void refresh(), onError: toast });
  const remove = useMutation({ mutationFn: deleteRfmRule, onSuccess: () => void refresh(), onError: toast });
  const open = (rule: RfmRule | 'new') => {
    setEditing(rule);
    form.setFieldsValue(rule === 'new'
      ? { name: '', fromLayers: ['important_value'], toLayers: ['important_retain'], taskTitle: t('rfm.rules.defaultTask'), taskDueDays: 3, notify: true, fallbackMemberId: null, enabled: true }
      : { ...rule, taskTitle: rule.taskTitle ?? undefined });
  };
  const layers = (list: RfmLayer[]) => (list.length ? list.map((l) => <LayerTag key={l} layer={l} />) : <Tag>{t('rfm.rules.anyLayer')}</Tag>);
  const layerOptions = rfmLayers.map((l) => ({ value: l, label: layerLabel(l) }));

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 720 }}>{t('rfm.rules.hint')}</Typography.Paragraph>
        {writable ? <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="rfm-rule-create">{t('rfm.rules.create')}</Button> : null}
      </Flex>
      <ErrorAlert error={rules.error} />
      <Table<RfmRule>
        rowKey="id" loading={rules.isPending} dataSource={rules.data ?? []} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: rules.isPending || rules.isError ? <span /> : <Empty description={t('rfm.rules.empty')} /> }}
        columns={[
          { title: t('rfm.rules.name'), dataIndex: 'name', render: (name: string) => <span data-testid="rfm-rule-name">{name}</span> },
          { title: t('rfm.rules.move'), key: 'move', render: (_, r) => <Flex align="center" gap={4} wrap><span>{layers(r.fromLayers)}</span><ArrowRightOutlined /><span>{layers(r.toLayers)}</span></Flex> },
          { title: t('rfm.rules.then'), key: 'then', render: (_, r) => (
            <div>
              <div>{r.taskTitle ? t('rfm.rules.taskSummary', { title: r.taskTitle }) : t('rfm.rules.taskDefault')}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.taskDueDays === null ? t('rfm.rules.noDue') : t('rfm.rules.dueIn', { count: r.taskDueDays })}{r.notify ? ` · ${t('rfm.rules.notifies')}` : ''}
              </Typography.Text>
            </div>
          ) },
          { title: t('rfm.rules.enabled'), key: 'enabled', render: (_, r) => <Switch size="small" checked={r.enabled} disabled={!writable} loading={toggle.isPending && toggle.variables?.id === r.id} onChange={() => toggle.mutate(r)} /> },
          ...(writable ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, r: RfmRule) => (
            <Space size={4}>
              <Button size="small" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => open(r)} />
              <Popconfirm title={t('rfm.rules.deleteConfirm', { name: r.name })} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')}
                onConfirm={() => remove.mutateAsync(r.id).catch(() => undefined)}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            </Space>
          ) }] : []),
        ]}
      />
      <Modal open={editing !== null} title={editing === 'new' ? t('rfm.rules.create') : t('rfm.rules.edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={save.isPending} forceRender width={560}>
        <Form form={form} layout="vertical" name="rfm-rule" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('rfm.rules.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}><Input data-testid="rfm-rule-name-input" /></Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="fromLayers" label={t('rfm.rules.from')} extra={t('rfm.rules.anyHint')} style={{ flex: '1 1 200px' }}>
              <Select mode="multiple" options={layerOptions} placeholder={t('rfm.rules.anyLayer')} />
            </Form.Item>
            <Form.Item name="toLayers" label={t('rfm.rules.to')} extra={t('rfm.rules.anyHint')} style={{ flex: '1 1 200px' }}>
              <Select mode="multiple" options={layerOptions} placeholder={t('rfm.rules.anyLayer')} />
            </Form.Item>
          </Flex>
          <Form.Item name="taskTitle" label={t('rfm.rules.taskTitle')} extra={t('rfm.rules.taskHint')} rules={[{ max: 200 }]}><Input /></Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="taskDueDays" label={t('rfm.rules.dueDays')} style={{ flex: '1 1 140px' }}>
              <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} suffix={t('conditions.days')} />
            </Form.Item>
            <Form.Item name="fallbackMemberId" label={t('rfm.rules.fallback')} extra={t('rfm.rules.fallbackHint')} style={{ flex: '2 1 220px' }}>
              <Select allowClear showSearch optionFilterProp="label" options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name || m.email }))} />
            </Form.Item>
          </Flex>
          <Flex gap={24}>
            <Form.Item name="notify" label={t('rfm.rules.notify')} valuePropName="checked"><Switch /></Form.Item>
            <Form.Item name="enabled" label={t('rfm.rules.enabled')} valuePropName="checked"><Switch /></Form.Item>
          </Flex>
        </Form>
      </Modal>
    </>
  );
}
