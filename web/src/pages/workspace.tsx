import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { meKey } from '../api/auth';
import { updateWorkspace } from '../api/workspaces';
import type { Workspace } from '../api/types';
import { useSession } from '../auth/session';
import { useFormErrorHandler } from '../components/errors';
import { PageHeader } from '../components/page-header';

const fields = ['name', 'timezone', 'locale', 'defaultRegion', 'identityCollision'];

function timezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['Asia/Shanghai', 'UTC'];
}

export default function WorkspacePage() {
  const { t } = useTranslation();
  const me = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<Pick<Workspace, 'name' | 'timezone' | 'locale' | 'defaultRegion' | 'identityCollision'>>();
  const save = useMutation({
    mutationFn: updateWorkspace,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: meKey });
      void message.success(t('common.saved'));
    },
    onError: onError(form, fields),
  });
  const ws = me.workspace;
  if (!ws) return null;
  return (
    <>
      <PageHeader title={t('nav.workspace')} description={t('workspace.settingsHint')} />
      <Card style={{ maxWidth: 640 }}>
        <Form form={form} name="workspace" layout="vertical" initialValues={ws} onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('workspace.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="timezone" label={t('workspace.timezone')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select showSearch options={timezones().map((z) => ({ value: z, label: z }))} />
          </Form.Item>
          <Form.Item name="locale" label={t('workspace.locale')}>
            <Select options={[{ value: 'zh-CN', label: '简体中文' }, { value: 'en', label: 'English' }]} />
          </Form.Item>
          <Form.Item name="defaultRegion" label={t('workspace.defaultRegion')} extra={t('workspace.defaultRegionHint')}
            rules={[{ pattern: /^[A-Z]{2}$/, message: t('validation.region') }]} normalize={(v: string) => v?.toUpperCase()}>
            <Input maxLength={2} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="identityCollision" label={t('workspace.identityCollision')} extra={t('workspace.identityCollisionHint')}>
            <Select
              options={[
                { value: 'refuse', label: t('workspace.identityCollisionRefuse') },
                { value: 'merge', label: t('workspace.identityCollisionMerge') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>{t('common.save')}</Button>
        </Form>
      </Card>
    </>
  );
}
