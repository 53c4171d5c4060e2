// The profile's picture of a contact from the analysis domains: the segments they are in, their
// RFM scores and layer, and their preferences (interests, the hour they are most active per channel).
import { ArrowRightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Flex, List, Row, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getContactPreferences } from '../../api/preferences';
import { getContactRfm } from '../../api/rfm';
import { segmentsOfContact } from '../../api/segments';
import { useCan } from '../../auth/session';
import { ChannelLabel } from '../../components/channel';
import { useLayerLabel } from '../../components/conditions/use-options';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { LayerTag } from '../rfm/layers';

const hint = (text: string) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{text}</Typography.Text>;

/** Segments this contact is in, each a link to the segment. */
export function SegmentsCard({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const segments = useQuery({ queryKey: ['segments', 'of-contact', contactId], queryFn: () => segmentsOfContact(contactId) });
  return (
    <Card size="small" title={t('insights.segments')} loading={segments.isPending} data-testid="profile-segments"
      extra={<Link to="/segments" style={{ fontSize: 12 }}>{t('insights.allSegments')}</Link>}>
      <ErrorAlert error={segments.error} />
      {segments.data?.length ? (
        <Flex wrap gap={4}>
          {segments.data.map((s) => (
            <Tooltip key={s.id} title={t('insights.inSince', { date: new Date(s.enteredAt).toLocaleDateString() })}>
              <Link to={`/segments/${s.id}`}><Tag color={s.kind === 'dynamic' ? 'blue' : 'default'} style={{ cursor: 'pointer' }}>{s.name}</Tag></Link>
            </Tooltip>
          ))}
        </Flex>
      ) : segments.isSuccess ? hint(can('segments:write') ? t('insights.noSegmentsWrite') : t('insights.noSegments')) : null}
    </Card>
  );
}

/** R, F and M scores, the layer, and the latest layer moves. */
export function RfmCard({ contactId }: { contactId: string }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const layerLabel = useLayerLabel();
  const rfm = useQuery({ queryKey: ['rfm', 'contact', contactId], queryFn: () => getContactRfm(contactId) });
  const v = rfm.data?.rfm;
  const money = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  return (
    <Card size="small" title={t('insights.rfm')} loading={rfm.isPending} data-testid="profile-rfm"
      extra={v ? <Link to="/rfm"><LayerTag layer={v.layer} testId="profile-rfm-layer" /></Link> : null}>
      <ErrorAlert error={rfm.error} />
      {v ? (
        <>
          <Row gutter={8}>
            {(['r', 'f', 'm'] as const).map((k) => (
              <Col span={8} key={k}><Statistic title={t(`rfm.scoreNames.${k}`)} value={v[k]} suffix="/ 5" styles={{ content: { fontSize: 20 } }} /></Col>
            ))}
          </Row>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
            {[v.recencyDays === null ? null : t('insights.lastOrder', { count: v.recencyDays }), t('insights.orders', { count: v.frequency }), t('insights.spent', { amount: money.format(v.monetary) })].filter(Boolean).join(' · ')}
          </Typography.Paragraph>
          {rfm.data?.changes.length ? (
            <List size="small" style={{ marginTop: 4 }} dataSource={rfm.data.changes.slice(0, 3)} renderItem={(c) => (
              <List.Item style={{ paddingInline: 0 }}>
                <span style={{ fontSize: 12 }}>{layerLabel(c.from)} <ArrowRightOutlined /> {layerLabel(c.to)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDate(c.changedAt)}</Typography.Text>
              </List.Item>
            )} />
          ) : null}
        </>
      ) : rfm.isSuccess ? hint(t('insights.noRfm')) : null}
    </Card>
  );
}

const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** Messages per hour of day as a row of 24 bars, the busiest one highlighted. */
function HourBars({ byHour, peak }: { byHour: number[]; peak: number }) {
  const max = Math.max(1, ...byHour);
  return (
    <div aria-hidden>
      <div style={{ display: 'flex', alignItems: 'flex-end', gap: 1, height: 24, borderBottom: '1px solid #f0f0f0' }}>
        {byHour.map((n, h) => (
          <div key={h} title={`${hourText(h)}: ${n}`} style={{ flex: 1, height: n ? `${Math.max(12, (n / max) * 100)}%` : 2, background: h === peak ? '#1677ff' : n ? '#91caff' : '#f0f0f0', borderRadius: 1 }} />
        ))}
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 10, color: '#8c8c8c' }}>
        {[0, 6, 12, 18, 23].map((h) => <span key={h}>{h}</span>)}
      </div>
    </div>
  );
}

/** Top interests and the most active hour per channel. */
export function PreferencesCard({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const prefs = useQuery({ queryKey: ['preferences', contactId], queryFn: () => getContactPreferences(contactId) });
  const p = prefs.data;
  return (
    <Card size="small" title={t('insights.preferences')} loading={prefs.isPending} data-testid="profile-preferences">
      <ErrorAlert error={prefs.error} />
      {p ? (
        <Flex vertical gap={12}>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}>{t('insights.interests')}</Typography.Text>
            {p.interests.length ? (
              <Flex wrap gap={4}>{p.interests.map((i) => <Tag key={i.category} color={i.rank === 1 ? 'gold' : undefined}>{i.category}</Tag>)}</Flex>
            ) : hint(t('insights.noInterests'))}
          </div>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}>{t('insights.activeHours')}</Typography.Text>
            {p.activeHours.length ? p.activeHours.map((a) => (
              <div key={a.channel} style={{ marginBottom: 8 }} data-testid="active-hour">
                <Flex justify="space-between" gap={8}>
                  <ChannelLabel channel={a.channel} />
                  <span>{t('insights.mostActive', { hour: hourText(a.hour) })} <Typography.Text type="secondary" style={{ fontSize: 12 }}>({t('insights.messagesAt', { n: a.hourMessages, count: a.messages })})</Typography.Text></span>
                </Flex>
                <HourBars byHour={a.byHour} peak={a.hour} />
              </div>
            )) : hint(t('insights.noActiveHours'))}
          </div>
        </Flex>
      ) : null}
    </Card>
  );
}

/** The three cards, each only for someone who may read what it shows. */
export function ProfileInsights({ contactId }: { contactId: string }) {
  const can = useCan();
  return (
    <>
      {can('rfm:read') ? <RfmCard contactId={contactId} /> : null}
      {can('segments:read') ? <SegmentsCard contactId={contactId} /> : null}
      <PreferencesCard contactId={contactId} />
    </>
  );
}
