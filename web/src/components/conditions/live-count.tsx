import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Spin, Statistic, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { previewSegment } from '../../api/segments';
import { errorText } from '../errors';
import { errorsByNode, serialize, type EditorGroup } from './tree';

export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * How many contacts the definition being edited matches, asked again 400 ms after the last edit.
 * Conditions still being filled in are left out (and counted in `skipped`); server validation
 * errors come back placed on the conditions they name.
 */
export function useLiveCount(root: EditorGroup, enabled = true) {
  const sent = useMemo(() => serialize(root, true), [root]);
  const body = useDebounced(JSON.stringify(sent.definition), 400);
  const origin = useDebounced(sent.origin, 400);
  const query = useQuery({
    queryKey: ['segments', 'preview', body],
    queryFn: () => previewSegment(JSON.parse(body)),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    retry: false,
  });
  const nodeErrors = useMemo(
    () => (isApiError(query.error) && query.error.code === 'validation_failed' ? errorsByNode(query.error.errors, origin) : new Map<string, string[]>()),
    [query.error, origin],
  );
  const settling = body !== JSON.stringify(sent.definition);
  return { ...query, skipped: sent.skipped, nodeErrors, settling };
}

/** The live count as a card beside the builder. */
export function LiveCount({ live, title }: { live: ReturnType<typeof useLiveCount>; title?: string }) {
  const { t } = useTranslation();
  const busy = live.isFetching || live.settling;
  return (
    <Card size="small" data-testid="live-count-card">
      <Flex align="center" gap={12}>
        <Statistic title={title ?? t('segments.liveCount')} value={live.isError ? '—' : live.data ?? '—'}
          styles={{ content: { fontSize: 28 } }} />
        {busy ? <Spin size="small" /> : null}
      </Flex>
      {/* The settled count, for tests and screen readers: set only when nothing is in flight. */}
      <span data-testid="live-count" data-settled={busy ? 'false' : 'true'} style={{ display: 'none' }}>{live.data ?? ''}</span>
      {live.skipped ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('segments.skipped', { count: live.skipped })}</Typography.Text> : null}
      {live.isError && !live.nodeErrors.size ? <Alert type="error" showIcon style={{ marginTop: 8 }} title={errorText(t, live.error)} /> : null}
      {live.isError && live.nodeErrors.size ? <Typography.Paragraph type="danger" style={{ fontSize: 12, margin: '4px 0 0' }}>{t('segments.fixConditions')}</Typography.Paragraph> : null}
    </Card>
  );
}
