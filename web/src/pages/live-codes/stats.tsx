// A live code's figures per day over a chosen range: scans, adds, left and net as a chart, the
// totals, an optional pipeline stage reached, and the same query as a CSV download.
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Empty, Flex, Row, Select, Statistic } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStages } from '../../api/contact-settings';
import { liveCodeStats, statsCsvUrl, type DayFigures, type LiveCodeStats, type StatsQuery } from '../../api/live-codes';
import { Chart } from '../../components/chart';
import { ErrorAlert } from '../../components/errors';

const series = ['scans', 'adds', 'left', 'net'] as const;
const colors = { scans: '#1677ff', adds: '#52c41a', left: '#ff4d4f', net: '#722ed1' };
const totalsShown: (keyof DayFigures)[] = ['scans', 'noStaffAvailable', 'adds', 'attributed', 'left', 'net', 'ordered'];

export function LiveCodeStatsCard({ codeId }: { codeId: string }) {
  const { t } = useTranslation();
  const stages = useStages();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [stageId, setStageId] = useState<string | undefined>();
  const query: StatsQuery = { ...(range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {}), ...(stageId ? { stageId } : {}) };
  const stats = useQuery({ queryKey: ['live-codes', codeId, 'stats', query], queryFn: () => liveCodeStats(codeId, query), placeholderData: keepPreviousData });
  const shown = stats.data;
  const value: [Dayjs, Dayjs] | null = range ?? (shown ? [dayjs(shown.from), dayjs(shown.to)] : null);

  return (
    <Card size="small" title={t('liveCodes.stats.title')} data-testid="live-code-stats"
      extra={<Button size="small" icon={<DownloadOutlined />} href={statsCsvUrl(codeId, query)} download data-testid="live-code-csv">{t('liveCodes.stats.csv')}</Button>}>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker value={value} allowClear={false} onChange={(v) => setRange(v?.[0] && v[1] ? [v[0], v[1]] : null)} data-testid="live-code-range"
          presets={[7, 30, 90].map((n) => ({ label: t('liveCodes.stats.lastDays', { count: n }), value: [dayjs().subtract(n - 1, 'day'), dayjs()] as [Dayjs, Dayjs] }))} />
        <Select allowClear style={{ minWidth: 200 }} placeholder={t('liveCodes.stats.stage')} value={stageId} onChange={setStageId}
          options={(stages.data ?? []).map((s) => ({ value: s.id, label: s.name }))} data-testid="live-code-stage" />
      </Flex>
      <ErrorAlert error={stats.error} />
      {shown ? (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {totalsShown.map((k) => (
              <Col xs={12} md={6} xl={3} key={k}><Statistic title={t(`liveCodes.stats.figures.${k}`)} value={shown.totals[k]} data-testid={`live-code-total-${k}`} /></Col>
            ))}
            {stageId ? <Col xs={12} md={6} xl={3}><Statistic title={t('liveCodes.stats.figures.reachedStage')} value={shown.totals.reachedStage} /></Col> : null}
          </Row>
          {shown.days.some((d) => d.scans || d.adds || d.left) ? <DaysChart stats={shown} withStage={Boolean(stageId)} />
            : <Empty description={t('liveCodes.stats.empty')} data-testid="live-code-stats-empty" />}
        </>
      ) : null}
    </Card>
  );
}

function DaysChart({ stats, withStage }: { stats: LiveCodeStats; withStage: boolean }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    const names = withStage ? [...series, 'reachedStage' as const] : series;
    return {
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: stats.days.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: names.map((k) => ({
        name: t(`liveCodes.stats.figures.${k}`),
        type: k === 'scans' ? 'bar' : 'line',
        data: stats.days.map((d) => d[k]),
        itemStyle: k === 'reachedStage' ? undefined : { color: colors[k] },
        barMaxWidth: 18,
      })),
    };
  }, [stats, withStage, t]);
  return <Chart option={option} height={320} testId="live-code-chart" />;
}
