import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { createWorkspace } from '../api/workspaces';
import { useFormErrorHandler } from '../components/errors';

export function CreateWorkspaceModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const onError = useFormErrorHandler();
  const mutation = useMutation({
    mutationFn: createWorkspace,
    onSuccess: async () => {
      // The session now points at the new workspace: everything cached belongs to the old one.
      onClose();
      form.resetFields();
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      await queryClient.invalidateQueries({ queryKey: ['auth'] });
      void navigate('/');
    },
    onError: onError(form, ['name']),
  });
  return (
    <Modal
      title={t('workspace.createTitle')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <Form form={form} name="create-workspace" layout="vertical" onFinish={(v) => mutation.mutate(v)}>
        <Form.Item name="name" label={t('workspace.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
          <Input autoFocus maxLength={100} placeholder={t('workspace.namePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
