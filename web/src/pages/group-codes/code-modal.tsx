import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAllTags } from '../../api/contact-settings';
import { createGroupCode, groupCodeKey, groupCodesKey, updateGroupCode, type GroupCode, type GroupCodeInput } from '../../api/group-codes';
import { useFormErrorHandler } from '../../components/errors';

/** A group code's own settings: its name, the tags joiners get, on or off. */
export function GroupCodeModal({ code, onClose }: { code?: GroupCode; onClose: (saved?: GroupCode) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GroupCodeInput>();
  const onFormError = useFormErrorHandler();
  const tags = useAllTags();
  const save = useMutation({
    mutationFn: (v: GroupCodeInput) => {
      const body = { name: v.name.trim(), tagIds: v.tagIds ?? [], enabled: v.enabled };
      return code ? updateGroupCode(code.id, body) : createGroupCode(body);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(groupCodeKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: groupCodesKey });
      void message.success(t('common.saved'));
      onClose(saved);
    },
    onError: onFormError(form, ['name', 'tagIds', 'enabled']),
  });
  return (
    <Modal open title={code ? t('groupCodes.edit') : t('groupCodes.create')} onCancel={() => onClose()} onOk={() => form.submit()} confirmLoading={save.isPending}
      okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'group-code-save' }} destroyOnHidden>
      <Form form={form} layout="vertical" name="group-code" initialValues={code ?? { name: '', tagIds: [], enabled: true }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('groupCodes.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}>
          <Input autoFocus data-testid="group-code-name" />
        </Form.Item>
        <Form.Item name="tagIds" label={t('groupCodes.tags')} extra={t('groupCodes.tagsHint')}>
          <Select mode="multiple" optionFilterProp="label" loading={tags.isPending} options={tags.tags.map((tag) => ({ value: tag.id, label: tag.name, title: tag.groupName }))} />
        </Form.Item>
        <Form.Item name="enabled" label={t('groupCodes.enabled')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}
