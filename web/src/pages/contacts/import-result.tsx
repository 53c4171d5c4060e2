import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Col, Progress, Result, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { getImport, importErrorsUrl, type ImportRecord } from '../../api/imports';
import { ErrorAlert } from '../../components/errors';

const terminal = new Set(['done', 'completed', 'finished', 'failed', 'dead', 'cancelled']);
export const importFinished = (r: ImportRecord | undefined) => Boolean(r && (terminal.has(String(r.status)) || r.finishedAt));
const processed = (r: ImportRecord) => r.rowsDone ?? (r.rowsCreated ?? 0) + (r.rowsUpdated ?? 0) + (r.rowsSkipped ?? 0) + (r.rowsFailed ?? 0);

/** Progress while the import runs, then the counts and the error report. */
export function ImportResult({ importId, onAnother }: { importId: string; onAnother: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const query = useQuery({
    queryKey: ['imports', importId],
    queryFn: () => getImport(importId),
    refetchInterval: (q) => (importFinished(q.state.data) ? false : 1500),
  });
  if (query.isError) return <ErrorAlert error={query.error} />;
  const r = query.data;
  if (!r) return <Progress percent={0} status="active" />;
  const done = importFinished(r);
  const failed = r.status === 'failed' || r.status === 'dead';
  const total = r.rowsTotal ?? 0;
  const percent = done ? 100 : total ? Math.floor((processed(r) / total) * 100) : 0;
  const stats = (
    <Row gutter={[16, 16]} style={{ maxWidth: 560, margin: '0 auto' }} data-testid="import-summary">
      {(['rowsCreated', 'rowsUpdated', 'rowsSkipped', 'rowsFailed'] as const).map((k) => (
        <Col key={k} xs={12} sm={6}><Statistic title={t(`imports.counts.${k}`)} value={r[k] ?? 0} styles={{ content: k === 'rowsFailed' && r[k] ? { color: '#cf1322' } : undefined }} /></Col>
      ))}
    </Row>
  );
  if (!done) {
    return (
      <div data-testid="import-running">
        <Progress percent={percent} status="active" />
        <p style={{ textAlign: 'center', color: '#8c8c8c' }}>{t('imports.running', { done: processed(r), total })}</p>
        {stats}
      </div>
    );
  }
  return (
    <Result status={failed ? 'error' : (r.rowsFailed ?? 0) > 0 ? 'warning' : 'success'} data-testid="import-done"
      title={failed ? t('imports.failed') : t('imports.finished', { name: r.fileName })}
      subTitle={failed && r.error ? r.error : total ? t('imports.ofTotal', { total }) : undefined}
      extra={[
        (r.rowsFailed ?? 0) > 0 ? <Button key="errors" icon={<DownloadOutlined />} href={importErrorsUrl(r.id)} data-testid="import-errors-csv">{t('imports.errorReport')}</Button> : null,
        <Button key="another" onClick={onAnother}>{t('imports.another')}</Button>,
        <Button key="list" type="primary" onClick={() => void navigate('/contacts')}>{t('imports.toContacts')}</Button>,
      ]}>
      {stats}
    </Result>
  );
}
