// A group code's figures over a chosen range: per group, the scans it was given, joins and
// leaves (and the scans that found every group full), as totals and as scans per day.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Empty, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { groupCodeStats, type GroupCode, type GroupCodeStats } from '../../api/group-codes';
import { Chart } from '../../components/chart';
import { ErrorAlert } from '../../components/errors';

interface Row { key: string; name: string; scans: number; joins: number; leaves: number }

export function GroupCodeStatsCard({ code }: { code: GroupCode }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const query = range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {};
  const stats = useQuery({ queryKey: ['group-codes', code.id, 'stats', query], queryFn: () => groupCodeStats(code.id, query), placeholderData: keepPreviousData });
  const nameOf = (id: string | null) => (id ? code.groups.find((g) => g.id === id)?.name ?? t('groupCodes.stats.removed') : t('groupCodes.stats.allFull'));
  const byGroup = new Map<string, Row>();
  for (const r of stats.data?.rows ?? []) {
    const key = r.groupId ?? 'none';
    const row = byGroup.get(key) ?? { key, name: nameOf(r.groupId), scans: 0, joins: 0, leaves: 0 };
    row.scans += r.scans; row.joins += r.joins; row.leaves += r.leaves;
    byGroup.set(key, row);
  }
  // In the code's order; scans that found every group full (and groups since removed) last.
  const order = (key: string) => { const i = code.groups.findIndex((g) => g.id === key); return i < 0 ? code.groups.length + (key === 'none' ? 1 : 0) : i; };
  const rows = [...byGroup.values()].sort((a, b) => order(a.key) - order(b.key));
  const value: [Dayjs, Dayjs] | null = range ?? (stats.data ? [dayjs(stats.data.from), dayjs(stats.data.to)] : null);

  return (
    <Card size="small" title={t('groupCodes.stats.title')} data-testid="group-code-stats"
      extra={<DatePicker.RangePicker size="small" value={value} allowClear={false} onChange={(v) => setRange(v?.[0] && v[1] ? [v[0], v[1]] : null)} />}>
      <ErrorAlert error={stats.error} />
      {stats.data && rows.length ? <ScansChart stats={stats.data} nameOf={nameOf} /> : null}
      <Table<Row> rowKey="key" size="small" loading={stats.isPending} dataSource={rows} pagination={false}
        locale={{ emptyText: stats.isPending ? <span /> : <Empty description={t('groupCodes.stats.empty')} /> }}
        columns={[
          { title: t('groupCodes.group.name'), dataIndex: 'name' },
          { title: t('groupCodes.stats.scans'), dataIndex: 'scans' },
          { title: t('groupCodes.stats.joins'), dataIndex: 'joins' },
          { title: t('groupCodes.stats.leaves'), dataIndex: 'leaves' },
        ]}
      />
    </Card>
  );
}

/** Scans per day, stacked by the group they were given. */
function ScansChart({ stats, nameOf }: { stats: GroupCodeStats; nameOf: (id: string | null) => string }) {
  const option = useMemo(() => {
    const days: string[] = [];
    for (let d = dayjs(stats.from); !d.isAfter(dayjs(stats.to)); d = d.add(1, 'day')) days.push(d.format('YYYY-MM-DD'));
    const groups = [...new Set(stats.rows.map((r) => r.groupId))];
    return {
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: groups.map((g) => ({
        name: nameOf(g), type: 'bar', stack: 'scans', barMaxWidth: 18,
        data: days.map((d) => stats.rows.filter((r) => r.day === d && r.groupId === g).reduce((n, r) => n + r.scans, 0)),
      })),
    };
  }, [stats, nameOf]);
  return <Chart option={option} height={260} testId="group-code-chart" />;
}
