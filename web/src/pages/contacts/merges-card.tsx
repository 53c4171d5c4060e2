import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, List, Popconfirm, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { listMerges, undoMerge } from '../../api/merges';
import { useCan } from '../../auth/session';
import { useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { useRefreshContact } from './use-contact';

/** Merges into this contact, each undoable until undone. Hidden while there are none. */
export function MergesCard({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const refresh = useRefreshContact(contactId);
  const merges = useQuery({ queryKey: ['merges', contactId], queryFn: () => listMerges(contactId) });
  const undo = useMutation({
    mutationFn: undoMerge,
    onSuccess: () => {
      void message.success(t('merge.undone'));
      void queryClient.invalidateQueries({ queryKey: ['merges', contactId] });
      void refresh();
    },
    onError: toast,
  });
  if (!merges.data?.length) return null;
  return (
    <Card title={t('merge.history')} size="small" data-testid="merge-history">
      <List size="small" dataSource={merges.data} renderItem={(m) => (
        <List.Item actions={!m.undoneAt && can('contacts:merge') ? [
          <Popconfirm key="u" title={t('merge.undoConfirm')} description={t('merge.undoHint')} okText={t('merge.undo')} cancelText={t('common.cancel')}
            onConfirm={() => undo.mutateAsync(m.id).catch(() => undefined)}>
            <Button size="small" data-testid="merge-undo">{t('merge.undo')}</Button>
          </Popconfirm>] : []}>
          <div>
            <div>{t('merge.mergedCount', { count: m.mergedIds.length })} {m.undoneAt ? <Tag>{t('merge.undoneTag')}</Tag> : null}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDate(m.mergedAt)}{m.mergedBy ? ` · ${typeof m.mergedBy === 'string' ? m.mergedBy : m.mergedBy.name}` : ''}
            </Typography.Text>
          </div>
        </List.Item>
      )} />
    </Card>
  );
}
