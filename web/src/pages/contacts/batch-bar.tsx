import { DownOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Dropdown, Flex, Modal, Select, Typography, type ButtonProps, type MenuProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllTags, useStages } from '../../api/contact-settings';
import { exportDownloadUrl, runBatch, startExport, type BatchAction, type BatchTarget, type ContactFilter } from '../../api/contacts';
import { useAllMembers } from '../../api/lookups';
import { useCan } from '../../auth/session';
import { useErrorToast } from '../../components/errors';
import { JobProgressBar, useJob } from '../../components/job-progress';

type Kind = 'add_tags' | 'remove_tags' | 'set_stage' | 'assign_owner' | 'delete' | 'export';

export interface Selection { ids: string[]; allOfFilter: boolean }

/** Shown while rows are selected: the count, "all results of this filter", and the actions. */
export function BatchBar({ selection, filter, total, onSelectAll, onClear }: {
  selection: Selection; filter: ContactFilter; total: number | undefined; onSelectAll: () => void; onClear: () => void;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const queryClient = useQueryClient();
  const tags = useAllTags();
  const stages = useStages();
  const members = useAllMembers(can('members:read'));
  const [kind, setKind] = useState<Kind | null>(null);
  const [value, setValue] = useState<string[]>([]);
  const [job, setJob] = useState<{ id: string; kind: Kind } | null>(null);
  const jobState = useJob(job?.id);
  const count = selection.allOfFilter ? total ?? 0 : selection.ids.length;
  const target: BatchTarget = selection.allOfFilter ? { filter } : { ids: selection.ids };
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['contacts'] });

  useEffect(() => {
    if (jobState.data?.status === 'done' && job?.kind !== 'export') void refresh();
  }, [jobState.data?.status]);

  const run = useMutation({
    mutationFn: async (k: Kind) => {
      if (k === 'export') return startExport(selection.allOfFilter ? filter : { ids: selection.ids });
      const body: BatchAction = k === 'add_tags' || k === 'remove_tags' ? { action: k, tagIds: value }
        : k === 'set_stage' ? { action: k, stageId: value[0] ?? '' }
        : k === 'assign_owner' ? { action: k, ownerId: value[0] === 'none' ? null : value[0] ?? null }
        : { action: 'delete' };
      return runBatch({ ...body, target });
    },
    onSuccess: (answer, k) => {
      setKind(null);
      setValue([]);
      if ('jobId' in answer) {
        setJob({ id: answer.jobId, kind: k });
        return;
      }
      void message.success(t('contacts.batch.done', { count: answer.affected }));
      onClear();
      void refresh();
    },
    onError: toast,
  });

  const items: MenuProps['items'] = [
    ...(can('contacts:write') ? [
      { key: 'add_tags', label: t('contacts.batch.add_tags') },
      { key: 'remove_tags', label: t('contacts.batch.remove_tags') },
      { key: 'set_stage', label: t('contacts.batch.set_stage') },
      { key: 'assign_owner', label: t('contacts.batch.assign_owner') },
    ] : []),
    ...(can('contacts:export') ? [{ key: 'export', label: t('contacts.batch.export') }] : []),
    ...(can('contacts:delete') ? [{ type: 'divider' as const }, { key: 'delete', danger: true, label: t('contacts.batch.delete') }] : []),
  ];
  const needsValue = kind === 'add_tags' || kind === 'remove_tags' || kind === 'set_stage' || kind === 'assign_owner';
  const picker = kind === 'add_tags' || kind === 'remove_tags' ? (
    <Select mode="multiple" style={{ width: '100%' }} value={value} onChange={setValue} optionFilterProp="label" placeholder={t('contacts.fields.tags')} data-testid="batch-tags"
      options={tags.tags.map((tag) => ({ value: tag.id, label: tag.name }))} />
  ) : kind === 'set_stage' ? (
    <Select style={{ width: '100%' }} value={value[0]} onChange={(v: string) => setValue([v])} options={(stages.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
  ) : kind === 'assign_owner' ? (
    <Select style={{ width: '100%' }} value={value[0]} onChange={(v: string) => setValue([v])} showSearch optionFilterProp="label"
      options={[{ value: 'none', label: t('contacts.unassigned') }, ...(members.data ?? []).map((m) => ({ value: m.id, label: m.name || m.email }))]} />
  ) : null;

  const jobDone = jobState.data?.status === 'done';
  return (
    <>
      <Alert type="info" style={{ marginBottom: 12 }} data-testid="batch-bar" title={
        <Flex gap={8} wrap align="center">
          <span>{t('contacts.batch.selected', { count })}</span>
          {!selection.allOfFilter && total !== undefined && total > selection.ids.length ? (
            <Button type="link" size="small" onClick={onSelectAll} data-testid="select-all-results">{t('contacts.batch.selectAll', { count: total })}</Button>
          ) : null}
          <Button type="link" size="small" onClick={onClear}>{t('contacts.batch.clear')}</Button>
          <div style={{ flex: 1 }} />
          {items.length ? (
            <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => { setValue([]); setKind(key as Kind); } }}>
              <Button type="primary" size="small" data-testid="batch-actions">{t('contacts.batch.actions')} <DownOutlined /></Button>
            </Dropdown>
          ) : null}
        </Flex>
      } />
      <Modal open={kind !== null} title={kind ? t(`contacts.batch.${kind}`) : ''} onCancel={() => setKind(null)} cancelText={t('common.cancel')}
        okText={kind === 'delete' ? t('common.delete') : t('contacts.batch.run')} okButtonProps={{ danger: kind === 'delete', disabled: needsValue && !value.length, 'data-testid': 'batch-run' } as ButtonProps}
        confirmLoading={run.isPending} onOk={() => kind && run.mutate(kind)} destroyOnHidden>
        <Typography.Paragraph>{t(kind === 'delete' ? 'contacts.batch.deleteHint' : 'contacts.batch.appliesTo', { count })}</Typography.Paragraph>
        {picker}
      </Modal>
      <Modal open={job !== null} title={job ? t(`contacts.batch.${job.kind}`) : ''} closable onCancel={() => { setJob(null); if (jobDone) onClear(); }}
        footer={<Flex justify="end" gap={8}>
          {job?.kind === 'export' && jobDone ? <Button type="primary" href={exportDownloadUrl(job.id)} data-testid="export-download">{t('contacts.batch.download')}</Button> : null}
          <Button onClick={() => { setJob(null); if (jobDone) onClear(); }}>{jobDone ? t('common.done') : t('contacts.batch.background')}</Button>
        </Flex>}>
        {job ? <JobProgressBar jobId={job.id} /> : null}
      </Modal>
    </>
  );
}
