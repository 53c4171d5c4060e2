import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { login } from '../api/auth';
import { isApiError } from '../api/client';
import { useMeQuery } from '../auth/session';
import { applyFieldErrors, errorText } from '../components/errors';
import { PublicShell } from './public-shell';
import { safeNext, useAfterSignIn } from './post-sign-in';

interface Values {
  email: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useMeQuery();
  const afterSignIn = useAfterSignIn();
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: ({ user }) => afterSignIn(user, next),
    onError: (e) => applyFieldErrors(form, e, ['email', 'password']),
  });

  if (me.data && !mutation.isPending) return <Navigate to={next} replace />;

  const error = mutation.error;
  let errorMessage: string | null = null;
  if (error && !(isApiError(error) && error.code === 'validation_failed' && error.errors?.length)) {
    if (isApiError(error) && error.status === 401) errorMessage = t('auth.wrongCredentials');
    else if (isApiError(error) && error.status === 423) errorMessage = t('auth.locked');
    else if (isApiError(error) && error.status === 429) errorMessage = t('auth.rateLimited');
    else errorMessage = errorText(t, error);
  }

  return (
    <PublicShell title={t('auth.loginTitle')}>
      {errorMessage ? <Alert type="error" showIcon title={errorMessage} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
      <Form form={form} name="login" layout="vertical" onFinish={(v) => mutation.mutate(v)} requiredMark={false}>
        <Form.Item name="email" label={t('auth.email')} rules={[{ required: true, message: t('validation.required') }, { type: 'email', message: t('validation.email') }]}>
          <Input prefix={<MailOutlined />} autoComplete="username" inputMode="email" size="large" data-testid="login-email" />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={mutation.isPending} data-testid="login-submit">
          {t('auth.login')}
        </Button>
      </Form>
    </PublicShell>
  );
}
