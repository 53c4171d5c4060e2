import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Flex, Row, Statistic, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getRfmDistribution, getRfmSettings, rfmDistributionKey, rfmSettingsKey, type RfmDistribution, type ScoreCount } from '../../api/rfm';
import type { RfmLayer } from '../../api/segments';
import { Chart } from '../../components/chart';
import { useLayerLabel } from '../../components/conditions/use-options';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageSpinner } from '../../layout/app-layout';
import { RfmCustomers, type CustomerFilter } from './customers';
import { layerColors } from './layers';

/** ↑/↓ per R, F, M: what puts a customer in the layer. */
const layerArrows = (layer: RfmLayer) => {
  const [m, rf] = layer.split('_') as [string, string];
  const r = rf === 'value' || rf === 'develop';
  const f = rf === 'value' || rf === 'keep';
  return { r, f, m: m === 'important' };
};

function Arrows({ layer }: { layer: RfmLayer }) {
  const a = layerArrows(layer);
  const one = (k: 'r' | 'f' | 'm') => <span key={k} style={{ marginInlineEnd: 6 }}>{k.toUpperCase()}{a[k] ? <ArrowUpOutlined style={{ color: '#52c41a' }} /> : <ArrowDownOutlined style={{ color: '#ff4d4f' }} />}</span>;
  return <Typography.Text type="secondary" style={{ fontSize: 12 }}>{(['r', 'f', 'm'] as const).map(one)}</Typography.Text>;
}

export function RfmOverview({ onRecompute }: { onRecompute?: () => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const layerLabel = useLayerLabel();
  const distribution = useQuery({ queryKey: rfmDistributionKey, queryFn: getRfmDistribution });
  const settings = useQuery({ queryKey: rfmSettingsKey, queryFn: getRfmSettings });
  const [filter, setFilter] = useState<CustomerFilter>({});
  const customersRef = useRef<HTMLDivElement>(null);
  const pick = (f: CustomerFilter) => {
    setFilter(f);
    customersRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  if (distribution.isPending) return <PageSpinner />;
  if (distribution.isError) return <ErrorAlert error={distribution.error} />;
  const d = distribution.data;
  if (!d.customers) {
    return (
      <Empty style={{ padding: '32px 0' }} data-testid="rfm-empty"
        description={<><Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('rfm.emptyTitle')}</Typography.Paragraph>
          {t('rfm.emptyHint', { types: (settings.data?.orderTypes ?? ['order']).join(', '), days: settings.data?.windowDays ?? 365 })}</>}>
        {onRecompute ? <Button onClick={onRecompute}>{t('rfm.recompute')}</Button> : null}
      </Empty>
    );
  }
  return (
    <Flex vertical gap={16}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Statistic title={t('rfm.customers')} value={d.customers} /></Col>
        <Col xs={12} md={6}><Statistic title={t('rfm.computedAt')} value={formatDate(d.computedAt)} styles={{ content: { fontSize: 16 } }} /></Col>
        <Col xs={12} md={6}><Statistic title={t('rfm.scoring')} value={t(`rfm.scorings.${settings.data?.scoring ?? 'quantile'}`)} styles={{ content: { fontSize: 16 } }} /></Col>
        <Col xs={12} md={6}><Statistic title={t('rfm.window')} value={t('rfm.windowDays', { count: settings.data?.windowDays ?? 365 })} styles={{ content: { fontSize: 16 } }} /></Col>
      </Row>
      <Card size="small" title={t('rfm.layersTitle')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rfm.clickLayer')}</Typography.Text>}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={13}><LayerChart d={d} label={layerLabel} onPick={(layer) => pick({ layer })} /></Col>
          <Col xs={24} lg={11}>
            <Row gutter={[8, 8]}>
              {d.layers.map((l) => (
                <Col span={12} key={l.layer}>
                  <Card size="small" hoverable onClick={() => pick({ layer: l.layer })} data-testid="rfm-layer" data-layer={l.layer}
                    style={{ borderInlineStart: `4px solid ${layerColors[l.layer]}`, background: filter.layer === l.layer ? '#e6f4ff' : undefined }}>
                    <Flex justify="space-between" align="baseline">
                      <Typography.Text strong>{layerLabel(l.layer)}</Typography.Text>
                      <Typography.Text data-testid="rfm-layer-count">{l.count.toLocaleString()}</Typography.Text>
                    </Flex>
                    <Flex justify="space-between">
                      <Arrows layer={l.layer} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.customers ? `${((l.count / d.customers) * 100).toFixed(1)}%` : ''}</Typography.Text>
                    </Flex>
                  </Card>
                </Col>
              ))}
            </Row>
          </Col>
        </Row>
      </Card>
      <Card size="small" title={t('rfm.scoresTitle')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rfm.clickScore')}</Typography.Text>}>
        <Row gutter={[16, 16]}>
          {(['r', 'f', 'm'] as const).map((k) => (
            <Col xs={24} md={12} xl={6} key={k}>
              <Typography.Text strong>{t(`rfm.scoreNames.${k}`)}</Typography.Text>
              <ScoreChart counts={d[k]} color={k === 'r' ? '#1677ff' : k === 'f' ? '#13c2c2' : '#722ed1'} onPick={(score) => pick({ [k]: score })} />
            </Col>
          ))}
          <Col xs={24} md={12} xl={6}>
            <Typography.Text strong>{t('rfm.rfGrid')}</Typography.Text>
            <RfGrid d={d} onPick={(r, f) => pick({ r, f })} />
          </Col>
        </Row>
      </Card>
      <div ref={customersRef}>
        <RfmCustomers filter={filter} onFilter={setFilter} />
      </div>
    </Flex>
  );
}

function LayerChart({ d, label, onPick }: { d: RfmDistribution; label: (l: RfmLayer) => string; onPick: (l: RfmLayer) => void }) {
  const option = useMemo(() => ({
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: d.layers.map((l) => label(l.layer)) },
    series: [{
      type: 'bar',
      data: d.layers.map((l) => ({ value: l.count, itemStyle: { color: layerColors[l.layer] } })),
      label: { show: true, position: 'right' },
      barMaxWidth: 22,
    }],
  }), [d, label]);
  return <Chart option={option} height={300} testId="rfm-layer-chart" onClick={(p) => { const l = d.layers[p.dataIndex]; if (l) onPick(l.layer); }} />;
}

function ScoreChart({ counts, color, onPick }: { counts: ScoreCount[]; color: string; onPick: (score: number) => void }) {
  const option = useMemo(() => ({
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: counts.map((c) => String(c.score)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: counts.map((c) => c.count), itemStyle: { color }, label: { show: true, position: 'top' }, barMaxWidth: 28 }],
  }), [counts, color]);
  return <Chart option={option} height={180} onClick={(p) => { const c = counts[p.dataIndex]; if (c) onPick(c.score); }} />;
}

/** The classic R × F grid: customers per pair of scores. */
function RfGrid({ d, onPick }: { d: RfmDistribution; onPick: (r: number, f: number) => void }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...d.rf.map((c) => c.count));
  const option = useMemo(() => ({
    grid: { left: 28, right: 8, top: 8, bottom: 28, containLabel: true },
    tooltip: { trigger: 'item', formatter: (p: { data: [number, number, number] }) => `R ${p.data[0] + 1} · F ${p.data[1] + 1}: ${p.data[2]}` },
    xAxis: { type: 'category', data: ['1', '2', '3', '4', '5'], name: 'R', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'category', data: ['1', '2', '3', '4', '5'], name: 'F', nameLocation: 'middle', nameGap: 20 },
    visualMap: { min: 0, max, show: false, inRange: { color: ['#f0f5ff', '#1677ff'] } },
    series: [{ type: 'heatmap', data: d.rf.map((c) => [c.r - 1, c.f - 1, c.count]), label: { show: true } }],
  }), [d, max]);
  return <div aria-label={t('rfm.rfGrid')}><Chart option={option} height={180} onClick={(p) => { const c = d.rf[p.dataIndex]; if (c) onPick(c.r, c.f); }} /></div>;
}
