import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createView, deleteView, listViews, updateView, type ContactFilter, type ContactSort, type SavedView } from '../../api/contacts';
import { useSession } from '../../auth/session';
import { useErrorToast, useFormErrorHandler } from '../../components/errors';

const viewsKey = ['contact-views'] as const;

interface Current { filter: ContactFilter; sort: ContactSort; columns: string[] }

/** Pick a saved view, save the current filter/sort/columns as one, share it, or delete it. */
export function SavedViews({ viewId, current, onPick }: { viewId: string | null; current: Current; onPick: (view: SavedView | null) => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const toast = useErrorToast();
  const onFormError = useFormErrorHandler();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const [saving, setSaving] = useState(false);
  const views = useQuery({ queryKey: viewsKey, queryFn: listViews, staleTime: 30_000 });
  const active = views.data?.find((v) => v.id === viewId) ?? null;
  const mine = (v: SavedView) => v.mine ?? v.owner?.id === me.member?.id;
  const refresh = () => queryClient.invalidateQueries({ queryKey: viewsKey });

  const create = useMutation({
    mutationFn: (v: { name: string; shared: boolean }) => createView({ ...v, ...current }),
    onSuccess: async (r) => { setSaving(false); form.resetFields(); void message.success(t('common.saved')); await refresh(); onPick(r.view); },
    onError: onFormError(form, ['name', 'shared'], 'name'),
  });
  const update = useMutation({
    mutationFn: (id: string) => updateView(id, current),
    onSuccess: () => { void message.success(t('common.saved')); void refresh(); },
    onError: toast,
  });
  const remove = useMutation({
    mutationFn: deleteView,
    onSuccess: () => { onPick(null); void refresh(); },
    onError: toast,
  });

  return (
    <Space wrap>
      <Select allowClear style={{ minWidth: 180 }} placeholder={t('contacts.views.all')} value={viewId ?? undefined} loading={views.isPending} data-testid="saved-views"
        notFoundContent={views.isError ? t('contacts.views.unavailable') : t('contacts.views.none')}
        onChange={(id: string | undefined) => onPick(views.data?.find((v) => v.id === id) ?? null)}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: `${v.name}${v.shared ? ` · ${t('contacts.views.shared')}` : ''}` }))} />
      {active && mine(active) ? (
        <>
          <Button onClick={() => update.mutate(active.id)} loading={update.isPending}>{t('contacts.views.update')}</Button>
          <Popconfirm title={t('contacts.views.deleteConfirm', { name: active.name })} okButtonProps={{ danger: true }} okText={t('common.delete')} cancelText={t('common.cancel')}
            onConfirm={() => remove.mutateAsync(active.id).catch(() => undefined)}>
            <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} />
          </Popconfirm>
        </>
      ) : null}
      <Button icon={<SaveOutlined />} onClick={() => setSaving(true)}>{t('contacts.views.save')}</Button>
      <Modal open={saving} title={t('contacts.views.saveTitle')} onCancel={() => setSaving(false)} onOk={() => form.submit()} okText={t('common.save')}
        cancelText={t('common.cancel')} confirmLoading={create.isPending} destroyOnHidden>
        <Form form={form} name="save-view" layout="vertical" initialValues={{ shared: false }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t('contacts.views.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
            <Input autoFocus maxLength={100} />
          </Form.Item>
          <Form.Item name="shared" label={t('contacts.views.shareLabel')} valuePropName="checked" extra={t('contacts.views.shareHint')}>
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
