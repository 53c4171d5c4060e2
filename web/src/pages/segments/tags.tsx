import { SyncOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Segment, SegmentKind } from '../../api/segments';

export function KindTag({ kind }: { kind: SegmentKind }) {
  const { t } = useTranslation();
  return <Tooltip title={t(`segments.kindHints.${kind}`)}><Tag color={kind === 'dynamic' ? 'blue' : 'default'}>{t(`segments.kinds.${kind}`)}</Tag></Tooltip>;
}

export function StatusTag({ segment }: { segment: Pick<Segment, 'status' | 'error'> }) {
  const { t } = useTranslation();
  if (segment.status === 'building') return <Tag icon={<SyncOutlined spin />} color="processing">{t('segments.statuses.building')}</Tag>;
  if (segment.status === 'invalid') return <Tooltip title={segment.error}><Tag color="error">{t('segments.statuses.invalid')}</Tag></Tooltip>;
  return <Tag color="success">{t('segments.statuses.ready')}</Tag>;
}
