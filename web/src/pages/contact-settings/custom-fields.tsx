import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createCustomField, customFieldsKey, deleteCustomField, orderCustomFields, updateCustomField, useCustomFields, type CustomField } from '../../api/contact-settings';
import type { CustomFieldType } from '../../api/contacts';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { MoveButtons, useReorder } from './reorder';

const types: CustomFieldType[] = ['text', 'long_text', 'number', 'money', 'date', 'boolean', 'url', 'single_select', 'multi_select'];
interface Values { key: string; label: string; type: CustomFieldType; options?: string[]; required?: boolean }

/** Custom contact fields: typed, ordered; key and type are fixed once created. */
export default function CustomFieldsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const onFormError = useFormErrorHandler();
  const queryClient = useQueryClient();
  const fields = useCustomFields();
  const move = useReorder<CustomField>(customFieldsKey, orderCustomFields);
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const refresh = () => queryClient.invalidateQueries({ queryKey: customFieldsKey });
  const save = useMutation({
    mutationFn: (v: Values) => editing === 'new' || !editing
      ? createCustomField({ ...v, options: v.options ?? [] })
      : updateCustomField(editing.id, { label: v.label, options: v.options, required: v.required }),
    onSuccess: () => { setEditing(null); void message.success(t('common.saved')); void refresh(); },
    onError: onFormError(form, ['key', 'label', 'type', 'options', 'required'], editing === 'new' ? 'key' : undefined),
  });
  const remove = useMutation({ mutationFn: deleteCustomField, onSuccess: () => void refresh(), onError: toast });
  const open = (f: CustomField | 'new') => {
    setEditing(f);
    form.setFieldsValue(f === 'new' ? { key: '', label: '', type: 'text', options: [], required: false } : f);
  };
  const list = fields.data ?? [];
  const hasOptions = type === 'single_select' || type === 'multi_select';

  return (
    <>
      <PageHeader title={t('nav.customFields')} description={t('settings.customFieldsHint')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="field-create">{t('settings.newField')}</Button>} />
      <Card>
        <ErrorAlert error={fields.error} />
        <Table<CustomField> rowKey="id" loading={fields.isPending} dataSource={list} pagination={false} scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('settings.noFields')} /> }}
          columns={[
            { title: t('settings.order'), key: 'order', width: 80, render: (_, f, i) => <MoveButtons index={i} count={list.length} onMove={(d) => move(list, i, d)} /> },
            { title: t('settings.label'), key: 'label', render: (_, f) => <div>{f.label} {f.required ? <Tag color="red">{t('settings.required')}</Tag> : null}<div><Typography.Text type="secondary" code style={{ fontSize: 12 }}>{f.key}</Typography.Text></div></div> },
            { title: t('settings.type'), dataIndex: 'type', render: (v: CustomFieldType) => t(`settings.types.${v}`) },
            { title: t('settings.options'), dataIndex: 'options', render: (o: string[]) => (o.length ? o.map((x) => <Tag key={x}>{x}</Tag>) : '—') },
            { title: t('common.actions'), key: 'actions', render: (_, f) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => open(f)} aria-label={t('common.edit')} />
                <Popconfirm title={t('settings.deleteFieldConfirm', { name: f.label })} description={t('settings.deleteFieldHint')} okButtonProps={{ danger: true }}
                  okText={t('common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutateAsync(f.id).catch(() => undefined)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ) },
          ]} />
      </Card>
      <Modal open={editing !== null} title={editing === 'new' ? t('settings.newField') : t('settings.editField')} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={save.isPending} forceRender>
        <Form form={form} name="custom-field" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="label" label={t('settings.label')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}><Input /></Form.Item>
          <Form.Item name="key" label={t('settings.key')} extra={t('settings.keyHint')}
            rules={[{ required: true, message: t('validation.required') }, { pattern: /^[a-z][a-z0-9_]{0,49}$/, message: t('settings.keyPattern') }]}>
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="type" label={t('settings.type')} rules={[{ required: true }]}>
            <Select disabled={editing !== 'new'} options={types.map((v) => ({ value: v, label: t(`settings.types.${v}`) }))} />
          </Form.Item>
          {hasOptions ? (
            <Form.Item name="options" label={t('settings.options')} extra={t('settings.optionsHint')} rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}>
              <Select mode="tags" tokenSeparators={[',', '，', ';']} open={false} />
            </Form.Item>
          ) : null}
          <Form.Item name="required" label={t('settings.required')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
