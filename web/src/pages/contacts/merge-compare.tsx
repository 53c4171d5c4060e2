import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { App, Modal, Radio, Spin, Table, Typography, type ButtonProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCustomFields } from '../../api/contact-settings';
import { contactKey, getContact, type Contact } from '../../api/contacts';
import { mergeContacts } from '../../api/merges';
import { CustomValueText } from '../../components/custom-value';
import { ErrorAlert, useErrorToast } from '../../components/errors';
import { useFormatDate } from '../../components/format';

type Row = { key: string; label: string; values: Map<string, string> };
const standard = ['name', 'phone', 'email', 'company', 'title', 'city', 'region', 'gender', 'birthday', 'influence'] as const;

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join('、') : String(v);
}

/** Side by side: pick the surviving contact and, where values differ, whose value wins. */
export function MergeCompare({ contacts: listed, open, onClose }: { contacts: Array<Pick<Contact, 'id' | 'name'>>; open: boolean; onClose: () => void }) {
  // A duplicate group carries a summary of each contact; the comparison needs every field.
  const full = useQueries({ queries: listed.map((c) => ({ queryKey: contactKey(c.id), queryFn: () => getContact(c.id) })) });
  const loading = full.some((q) => q.isPending);
  const error = full.find((q) => q.isError)?.error;
  const contacts = useMemo(() => full.map((q) => q.data).filter((c): c is Contact => Boolean(c)), [full]);
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const fields = useCustomFields();
  const [survivorId, setSurvivorId] = useState(listed[0]?.id ?? '');
  const [winners, setWinners] = useState<Record<string, string>>({});

  const rows: Row[] = useMemo(() => [
    ...standard.map((k) => ({ key: k, label: t(`contacts.fields.${k}`), values: new Map(contacts.map((c) => [c.id, k === 'gender' && c.gender ? t(`contacts.genders.${c.gender}`) : text(c[k])])) })),
    { key: 'stageId', label: t('contacts.fields.stage'), values: new Map(contacts.map((c) => [c.id, c.stage?.name ?? ''])) },
    { key: 'ownerId', label: t('contacts.fields.owner'), values: new Map(contacts.map((c) => [c.id, c.owner?.name ?? ''])) },
    ...(fields.data ?? []).map((f) => ({ key: `custom.${f.key}`, label: f.label, values: new Map(contacts.map((c) => [c.id, text(c.custom[f.key])])) })),
  ], [contacts, fields.data, t]);
  // Where the survivor has nothing, the first contact that has a value wins unless chosen otherwise.
  const winnerOf = (row: Row) => winners[row.key] ?? (row.values.get(survivorId) ? survivorId : contacts.find((c) => row.values.get(c.id))?.id ?? survivorId);
  const differs = (row: Row) => new Set([...row.values.values()].filter(Boolean)).size > 1 || (!row.values.get(survivorId) && [...row.values.values()].some(Boolean));

  const merge = useMutation({
    mutationFn: () => {
      const chosen = Object.fromEntries(rows.filter(differs).map((r) => [r.key, winnerOf(r)]).filter(([, id]) => id !== survivorId));
      return mergeContacts({ survivorId, mergedIds: contacts.map((c) => c.id).filter((id) => id !== survivorId), fields: chosen });
    },
    onSuccess: (r) => {
      void message.success(t('merge.done'));
      void queryClient.invalidateQueries({ queryKey: ['list', '/contacts/duplicates'] });
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      // Navigate before closing: closing unmounts this component and its navigate with it.
      void navigate(`/contacts/${r.contactId}`);
      onClose();
    },
    onError: toast,
  });
  const customByKey = new Map((fields.data ?? []).map((f) => [`custom.${f.key}`, f]));

  return (
    <Modal open={open} onCancel={onClose} title={t('merge.compareTitle')} width={Math.min(980, 320 + listed.length * 220)} okText={t('merge.merge')} cancelText={t('common.cancel')}
      onOk={() => merge.mutate()} confirmLoading={merge.isPending} okButtonProps={{ disabled: loading || Boolean(error), 'data-testid': 'merge-submit' } as ButtonProps} destroyOnHidden styles={{ body: { overflowX: 'auto' } }}>
      <Typography.Paragraph type="secondary">{t('merge.compareHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {loading ? <Spin style={{ display: 'block', margin: 24 }} /> : <Table<Row> rowKey="key" size="small" pagination={false} dataSource={rows} scroll={{ x: 'max-content' }}
        rowClassName={(r) => (differs(r) ? '' : 'merge-same')}
        columns={[
          { title: t('merge.field'), dataIndex: 'label', fixed: 'left', width: 110 },
          ...contacts.map((c) => ({
            key: c.id,
            title: (
              <Radio checked={survivorId === c.id} onChange={() => { setSurvivorId(c.id); setWinners({}); }} data-testid="merge-survivor">
                <div>{t('merge.keep')}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>{formatDate(c.createdAt)}</Typography.Text>
              </Radio>
            ),
            render: (_: unknown, row: Row) => {
              const value = row.values.get(c.id) ?? '';
              const field = customByKey.get(row.key);
              const shown = field ? <CustomValueText field={field} value={c.custom[field.key]} /> : value || <Typography.Text type="secondary">—</Typography.Text>;
              if (!differs(row)) return shown;
              return <Radio checked={winnerOf(row) === c.id} disabled={!value} onChange={() => setWinners({ ...winners, [row.key]: c.id })}>{shown}</Radio>;
            },
          })),
        ]} />}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>{t('merge.movesHint')}</Typography.Paragraph>
    </Modal>
  );
}
