import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, Flex, Result, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { contactKey, restoreContact } from '../../api/contacts';
import { isApiError } from '../../api/client';
import { useCan } from '../../auth/session';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { PageSpinner } from '../../layout/app-layout';
import { Consents, Identities } from './identities';
import { LogActivity } from './log-activity';
import { MergesCard } from './merges-card';
import { ProfileFields } from './profile-fields';
import { ProfileHeader } from './profile-header';
import { ProfileInsights } from './profile-insights';
import { TasksCard } from './tasks-card';
import { ContactTimeline } from './timeline';
import { useContact } from './use-contact';

/** The 360° view of one contact. */
export default function ContactProfilePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const contact = useContact(id);
  const restore = useMutation({
    mutationFn: () => restoreContact(id),
    onSuccess: (c) => { queryClient.setQueryData(contactKey(id), c); void queryClient.invalidateQueries({ queryKey: ['contacts'] }); },
    onError: toast,
  });
  const back = <Link to="/contacts"><ArrowLeftOutlined /> {t('nav.contacts')}</Link>;

  if (contact.isPending) return <PageSpinner />;
  if (contact.isError) {
    return isApiError(contact.error) && contact.error.status === 404
      ? <Result status="404" title={t('profile360.notFound')} subTitle={t('profile360.notFoundHint')} extra={<Button type="primary"><Link to="/contacts">{t('nav.contacts')}</Link></Button>} />
      : <ErrorAlert error={contact.error} />;
  }
  const c = contact.data;
  const writable = can('contacts:write') && !c.deletedAt;
  return (
    <>
      <div style={{ marginBottom: 12 }}>{back}</div>
      {c.deletedAt ? (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="restore-banner" title={t('profile360.deletedBanner')}
          action={can('contacts:delete') || can('contacts:write') ? <Button size="small" onClick={() => restore.mutate()} loading={restore.isPending} data-testid="contact-restore">{t('profile360.restore')}</Button> : null} />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Flex vertical gap={16}>
            <ProfileHeader contact={c} />
            <Identities contact={c} />
            <ProfileFields contact={c} />
            <ProfileInsights contactId={c.id} />
            <Consents contact={c} />
            <MergesCard contactId={c.id} />
          </Flex>
        </Col>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            {writable ? <LogActivity contactId={c.id} /> : null}
            <TasksCard contactId={c.id} readOnly={!writable} />
            <ContactTimeline contactId={c.id} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
