import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, ColorPicker, Form, Input, Modal, Popconfirm, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createStage, deleteStage, orderStages, stagesKey, updateStage, useStages, type Stage } from '../../api/contact-settings';
import { ColorTag, presetColors } from '../../components/color-tag';
import { ErrorAlert, useErrorToast, useFormErrorHandler } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { MoveButtons, useReorder } from './reorder';

interface Values { name: string; color?: string }
export const colorValue = (c: unknown) => (typeof c === 'string' ? c : c && typeof c === 'object' && 'toHexString' in c ? (c as { toHexString: () => string }).toHexString() : undefined);

/** The lifecycle stages a contact moves through, in order, each with a colour. */
export default function StagesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const onFormError = useFormErrorHandler();
  const queryClient = useQueryClient();
  const stages = useStages();
  const move = useReorder<Stage>(stagesKey, orderStages);
  const [editing, setEditing] = useState<Stage | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: stagesKey });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { name: v.name, color: colorValue(v.color) };
      return editing === 'new' || !editing ? createStage(body) : updateStage(editing.id, body);
    },
    onSuccess: () => { setEditing(null); void message.success(t('common.saved')); void refresh(); },
    onError: onFormError(form, ['name', 'color'], 'name'),
  });
  const remove = useMutation({ mutationFn: deleteStage, onSuccess: () => void refresh(), onError: toast });
  const open = (s: Stage | 'new') => { setEditing(s); form.setFieldsValue(s === 'new' ? { name: '', color: presetColors[0] } : { name: s.name, color: s.color ?? undefined }); };
  const list = stages.data ?? [];
  return (
    <>
      <PageHeader title={t('nav.stages')} description={t('settings.stagesHint')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('settings.newStage')}</Button>} />
      <Card>
        <ErrorAlert error={stages.error} />
        <Table<Stage> rowKey="id" loading={stages.isPending} dataSource={list} pagination={false} scroll={{ x: 'max-content' }}
          columns={[
            { title: t('settings.order'), key: 'order', width: 80, render: (_, s, i) => <MoveButtons index={i} count={list.length} onMove={(d) => move(list, i, d)} /> },
            { title: t('settings.name'), key: 'name', render: (_, s) => <ColorTag color={s.color}>{s.name}</ColorTag> },
            { title: t('settings.contactCount'), dataIndex: 'contactCount', render: (n?: number) => n ?? '—' },
            { title: t('common.actions'), key: 'actions', render: (_, s) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => open(s)} aria-label={t('common.edit')} />
                <Popconfirm title={t('settings.deleteStageConfirm', { name: s.name })} description={s.contactCount ? t('settings.stageInUse', { count: s.contactCount }) : undefined}
                  okButtonProps={{ danger: true, disabled: Boolean(s.contactCount) }} okText={t('common.delete')} cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutateAsync(s.id).catch(() => undefined)}>
                  <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ) },
          ]} />
      </Card>
      <Modal open={editing !== null} title={editing === 'new' ? t('settings.newStage') : t('settings.editStage')} onCancel={() => setEditing(null)} onOk={() => form.submit()}
        okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={save.isPending} forceRender>
        <Form form={form} name="stage" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('settings.name')} rules={[{ required: true, message: t('validation.required') }, { max: 50 }]}><Input /></Form.Item>
          <Form.Item name="color" label={t('settings.color')}><ColorPicker disabledAlpha presets={[{ label: t('settings.color'), colors: presetColors }]} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
