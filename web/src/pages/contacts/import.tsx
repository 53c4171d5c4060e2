import { InboxOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Radio, Select, Space, Steps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { readCookie } from '../../api/client';
import { useAllTags } from '../../api/contact-settings';
import { importsUploadUrl, previewImport, startImport, type ImportPolicy, type ImportRecord, type PreviewRow } from '../../api/imports';
import { ErrorAlert, errorText, useErrorToast } from '../../components/errors';
import { PageHeader } from '../../components/page-header';
import { ImportHistory } from './import-history';
import { ImportMapping } from './import-mapping';
import { ImportPreview } from './import-preview';
import { ImportResult } from './import-result';

const policies: ImportPolicy[] = ['skip', 'fill_empty', 'overwrite', 'merge'];

/** Upload → map columns → preview → policy and tags → progress and summary. */
export default function ImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toast = useErrorToast();
  const tags = useAllTags();
  const [params, setParams] = useSearchParams();
  const runningId = params.get('id');
  const [step, setStep] = useState(0);
  const [record, setRecord] = useState<ImportRecord | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [rows, setRows] = useState<PreviewRow[]>([]);
  const [policy, setPolicy] = useState<ImportPolicy>('skip');
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [uploadError, setUploadError] = useState<string | null>(null);

  const reset = () => { setRecord(null); setStep(0); setRows([]); setTagIds([]); setPolicy('skip'); setParams({}); };
  const preview = useMutation({
    mutationFn: () => previewImport(record!.id, mapping),
    onSuccess: (r) => { setRows(r); setStep(2); },
    onError: toast,
  });
  const start = useMutation({
    mutationFn: () => startImport(record!.id, { mapping, policy, tagIds: tagIds.length ? tagIds : undefined }),
    onSuccess: (r) => { setParams({ id: r.import.id }); },
    onError: toast,
  });
  const mapsName = Object.values(mapping).some((v) => v !== 'ignore');

  if (runningId) {
    return (
      <>
        <PageHeader title={t('imports.title')} />
        <Card><ImportResult importId={runningId} onAnother={reset} /></Card>
      </>
    );
  }

  const uploadStep = (
    <>
      {uploadError ? <Alert type="error" showIcon title={uploadError} style={{ marginBottom: 16 }} /> : null}
      <Upload.Dragger name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" action={importsUploadUrl} withCredentials maxCount={1} showUploadList={false}
        headers={{ 'X-CSRF-Token': readCookie('renmai_csrf') ?? '', Accept: 'application/json' }} data-testid="import-upload"
        onChange={({ file }) => {
          if (file.status === 'done') {
            const r = (file.response as { import: ImportRecord }).import;
            setRecord(r);
            setUploadError(null);
            setMapping(Object.fromEntries(r.headers.map((h) => [h, r.suggestedMapping?.[h] ?? 'ignore'])));
            setStep(1);
          } else if (file.status === 'error') {
            const body = file.response as { detail?: string; title?: string } | undefined;
            setUploadError(body?.detail ?? body?.title ?? errorText(t, file.error));
          }
        }}>
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">{t('imports.drop')}</p>
        <p className="ant-upload-hint">{t('imports.dropHint')}</p>
      </Upload.Dragger>
    </>
  );

  const policyStep = (
    <Flex vertical gap={16}>
      <Radio.Group value={policy} onChange={(e) => setPolicy(e.target.value as ImportPolicy)} style={{ width: '100%' }} data-testid="import-policy">
        <Flex vertical gap={8}>
          {policies.map((p) => (
            <Radio key={p} value={p} style={{ alignItems: 'flex-start' }}>
              <Typography.Text strong>{t(`imports.policies.${p}.label`)}</Typography.Text>
              <div><Typography.Text type="secondary" style={{ fontSize: 13 }}>{t(`imports.policies.${p}.hint`)}</Typography.Text></div>
            </Radio>
          ))}
        </Flex>
      </Radio.Group>
      <div>
        <Typography.Text strong>{t('imports.applyTags')}</Typography.Text>
        <Select mode="multiple" allowClear style={{ width: '100%', marginTop: 4 }} value={tagIds} onChange={setTagIds} optionFilterProp="label" data-testid="import-tags"
          options={tags.tags.map((tag) => ({ value: tag.id, label: tag.name }))} placeholder={t('imports.applyTagsHint')} />
      </div>
      <Typography.Text type="secondary">{t('imports.dedupeHint')}</Typography.Text>
    </Flex>
  );

  const nav = (
    <Flex justify="space-between" wrap gap={8} style={{ marginTop: 16 }}>
      <Button onClick={() => (step === 1 ? reset() : setStep(step - 1))} disabled={step === 0}>{step === 1 ? t('imports.restart') : t('imports.back')}</Button>
      <Space>
        {step === 1 ? <Button type="primary" disabled={!mapsName} loading={preview.isPending} onClick={() => preview.mutate()} data-testid="import-next">{t('imports.toPreview')}</Button> : null}
        {step === 2 ? <Button type="primary" onClick={() => setStep(3)} data-testid="import-next">{t('imports.next')}</Button> : null}
        {step === 3 ? <Button type="primary" loading={start.isPending} onClick={() => start.mutate()} data-testid="import-start">{t('imports.start')}</Button> : null}
      </Space>
    </Flex>
  );

  return (
    <>
      <PageHeader title={t('imports.title')} description={t('imports.hint')} />
      <Card style={{ marginBottom: 16 }}>
        <Steps current={step} size="small" responsive style={{ marginBottom: 24 }}
          items={(['upload', 'mapping', 'preview', 'options'] as const).map((s) => ({ title: t(`imports.steps.${s}`) }))} />
        {record ? <Typography.Paragraph type="secondary">{record.fileName} · {t('imports.columns', { count: record.headers.length })}</Typography.Paragraph> : null}
        {step === 0 ? uploadStep : null}
        {step === 1 && record ? <><Typography.Paragraph>{t('imports.mappingHint')}</Typography.Paragraph><ImportMapping record={record} mapping={mapping} onChange={setMapping} /></> : null}
        {step === 2 && record ? <ImportPreview rows={rows} headers={record.headers} mapping={mapping} sampleRows={record.sampleRows} /> : null}
        {step === 3 ? policyStep : null}
        <ErrorAlert error={start.error ?? preview.error} />
        {step > 0 ? nav : null}
      </Card>
      <ImportHistory onOpen={(id) => { void message.destroy(); setParams({ id }); }} />
    </>
  );
}
