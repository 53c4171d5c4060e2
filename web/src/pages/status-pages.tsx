import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

export function Forbidden() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result status="403" title={t('status.forbiddenTitle')} subTitle={t('status.forbidden')}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t('status.backHome')}</Button>} />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result status="404" title="404" subTitle={t('status.notFound')}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t('status.backHome')}</Button>} />
  );
}
