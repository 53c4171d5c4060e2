import { PASSWORD_MIN_LENGTH } from '../../../src/platform/auth/password-policy';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Input, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { acceptInvitation, lookupInvitation } from '../api/members';
import { applyFieldErrors, errorText } from '../components/errors';
import { PublicShell } from './public-shell';
import { useAfterSignIn } from './post-sign-in';

interface Values {
  name?: string;
  password: string;
  confirm?: string;
}

export default function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const afterSignIn = useAfterSignIn();
  const lookup = useQuery({ queryKey: ['invitation-lookup', token], queryFn: () => lookupInvitation(token), retry: false });
  const accept = useMutation({
    mutationFn: (v: Values) => acceptInvitation({ token, password: v.password, ...(lookup.data?.userExists ? {} : { name: v.name }) }),
    onSuccess: ({ user }) => afterSignIn(user, '/'),
    onError: (e) => applyFieldErrors(form, e, ['name', 'password']),
  });

  if (lookup.isPending) {
    return <PublicShell title={t('invite.title')}><Spin /></PublicShell>;
  }
  if (lookup.isError) {
    const gone = isApiError(lookup.error) && [404, 409, 410].includes(lookup.error.status);
    return (
      <PublicShell title={t('invite.title')}>
        <Result status="warning" title={gone ? t('invite.invalid') : errorText(t, lookup.error)} subTitle={gone ? t('invite.invalidHint') : undefined}
          extra={<Button onClick={() => navigate('/login')}>{t('auth.goToLogin')}</Button>} />
      </PublicShell>
    );
  }

  const info = lookup.data;
  const placed = accept.error && isApiError(accept.error) && accept.error.errors?.length;
  return (
    <PublicShell title={t('invite.title')}>
      <Descriptions column={1} size="small" style={{ marginBottom: 16 }} items={[
        { key: 'ws', label: t('invite.workspace'), children: <strong data-testid="invite-workspace">{info.workspaceName}</strong> },
        { key: 'email', label: t('auth.email'), children: info.email },
      ]} />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={info.userExists ? t('invite.existingUser') : t('invite.newUser')} />
      {accept.error && !placed ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={isApiError(accept.error) && accept.error.status === 401 ? t('auth.wrongPassword') : errorText(t, accept.error)} /> : null}
      <Form form={form} name="accept-invitation" layout="vertical" onFinish={(v) => accept.mutate(v)} requiredMark={false}>
        {info.userExists ? null : (
          <Form.Item name="name" label={t('profile.name')} rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}>
            <Input autoComplete="name" size="large" />
          </Form.Item>
        )}
        <Form.Item name="password" label={info.userExists ? t('auth.password') : t('invite.choosePassword')}
          rules={[{ required: true, message: t('validation.required') }, ...(info.userExists ? [] : [{ min: PASSWORD_MIN_LENGTH, message: t('validation.passwordMin', { count: PASSWORD_MIN_LENGTH }) }])]}>
          <Input.Password autoComplete={info.userExists ? 'current-password' : 'new-password'} size="large" />
        </Form.Item>
        {info.userExists ? null : (
          <Form.Item name="confirm" label={t('profile.confirmPassword')} dependencies={['password']}
            rules={[{ required: true, message: t('validation.required') }, ({ getFieldValue }) => ({
              validator: (_, value) => (!value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch')))),
            })]}>
            <Input.Password autoComplete="new-password" size="large" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={accept.isPending}>
          {t('invite.accept')}
        </Button>
      </Form>
    </PublicShell>
  );
}
