import { PASSWORD_MIN_LENGTH } from '../../../src/platform/auth/password-policy';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Form, Input, Row, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { changePassword, meKey, updateMe } from '../api/auth';
import type { Me } from '../api/types';
import { useSession } from '../auth/session';
import { useFormErrorHandler } from '../components/errors';
import { PageHeader } from '../components/page-header';
import { applyLanguage, toLanguage, type Language } from '../i18n';

export default function ProfilePage() {
  const { t } = useTranslation();
  const me = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const onError = useFormErrorHandler();
  const [profileForm] = Form.useForm<{ name: string; locale: Language }>();
  const [passwordForm] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();

  // The header's language switch changes the account's language too: keep this form in step.
  useEffect(() => {
    profileForm.setFieldValue('locale', toLanguage(me.user.locale) ?? 'zh-CN');
  }, [me.user.locale, profileForm]);

  const saveProfile = useMutation({
    mutationFn: updateMe,
    onSuccess: async ({ user }) => {
      queryClient.setQueryData<Me | null>(meKey, (old) => (old ? { ...old, user } : old));
      const lang = toLanguage(user.locale);
      if (lang) await applyLanguage(lang);
      void message.success(t('common.saved'));
    },
    onError: onError(profileForm, ['name', 'locale']),
  });

  const savePassword = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      // Every session ends on the server, this one too: sign in again with the new password.
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      void message.success(t('profile.passwordChanged'));
      void navigate('/login', { replace: true });
    },
    onError: onError(passwordForm, ['currentPassword', 'newPassword']),
  });

  return (
    <>
      <PageHeader title={t('nav.profile')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('profile.details')}>
            <Form form={profileForm} name="profile" layout="vertical" initialValues={{ name: me.user.name, locale: toLanguage(me.user.locale) ?? 'zh-CN' }}
              onFinish={(v) => saveProfile.mutate(v)}>
              <Form.Item label={t('auth.email')}>
                <Input value={me.user.email} disabled />
              </Form.Item>
              <Form.Item name="name" label={t('profile.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
                <Input />
              </Form.Item>
              <Form.Item name="locale" label={t('profile.language')}>
                <Select options={[{ value: 'zh-CN', label: '简体中文' }, { value: 'en', label: 'English' }]} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saveProfile.isPending}>{t('common.save')}</Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('profile.changePassword')}>
            <Form form={passwordForm} name="password" layout="vertical" onFinish={({ currentPassword, newPassword }) => savePassword.mutate({ currentPassword, newPassword })}>
              <Form.Item name="currentPassword" label={t('profile.currentPassword')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <Form.Item name="newPassword" label={t('profile.newPassword')} rules={[{ required: true, message: t('validation.required') }, { min: PASSWORD_MIN_LENGTH, message: t('validation.passwordMin', { count: PASSWORD_MIN_LENGTH }) }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item name="confirm" label={t('profile.confirmPassword')} dependencies={['newPassword']}
                rules={[{ required: true, message: t('validation.required') }, ({ getFieldValue }) => ({
                  validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
                })]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Typography.Paragraph type="secondary">{t('profile.passwordHint')}</Typography.Paragraph>
              <Button type="primary" htmlType="submit" loading={savePassword.isPending} danger>{t('profile.changePassword')}</Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
