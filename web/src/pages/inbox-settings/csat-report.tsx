import { useInfiniteQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, List, Rate, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllMembers, useTeams } from '../../api/lookups';
import { Chart } from '../../components/chart';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { autorepliesKey, getReport, type CsatReport } from './api';

type Row = CsatReport['byAgent'][number] | CsatReport['byTeam'][number];
const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);

/** 满意度报表: surveys sent in a period, their answers, per agent and team, and what customers wrote. */
export function CsatReportTab() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [teamId, setTeamId] = useState<string | undefined>();
  const [memberId, setMemberId] = useState<string | undefined>();
  const teams = useTeams();
  const members = useAllMembers();
  const filters = { from: range?.[0].startOf('day').toISOString(), to: range?.[1].endOf('day').toISOString(), teamId, memberId };
  const report = useInfiniteQuery({
    queryKey: [...autorepliesKey, 'csat', filters],
    queryFn: ({ pageParam }) => getReport({ ...filters, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.comments.nextCursor,
  });
  const first = report.data?.pages[0];
  const comments = report.data?.pages.flatMap((p) => p.comments.items) ?? [];
  const figureColumns = [
    { title: t('autoreplies.csat.sent'), dataIndex: 'sent' },
    { title: t('autoreplies.csat.answered'), dataIndex: 'answered' },
    { title: t('autoreplies.csat.responseRate'), dataIndex: 'responseRate', render: percent },
    { title: t('autoreplies.csat.average'), dataIndex: 'average', render: (v: number | null) => v ?? '–' },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)} />
        <Select allowClear placeholder={t('autoreplies.csat.allTeams')} style={{ width: 180 }} value={teamId} onChange={setTeamId} options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('autoreplies.csat.allAgents')} style={{ width: 180 }} value={memberId} onChange={setMemberId} options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))} />
      </Space>
      <ErrorAlert error={report.error} />
      {first && first.sent === 0 ? (
        <Empty description={t('autoreplies.csat.empty')} data-testid="csat-empty" />
      ) : first ? (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}><Card><Statistic title={t('autoreplies.csat.sent')} value={first.sent} /></Card></Col>
            <Col xs={12} md={6}><Card><Statistic title={t('autoreplies.csat.answered')} value={first.answered} /></Card></Col>
            <Col xs={12} md={6}><Card><Statistic title={t('autoreplies.csat.responseRate')} value={percent(first.responseRate)} /></Card></Col>
            <Col xs={12} md={6}><Card data-testid="csat-average"><Statistic title={t('autoreplies.csat.average')} value={first.average ?? '–'} suffix={first.average === null ? undefined : '/ 5'} /></Card></Col>
          </Row>
          <Card title={t('autoreplies.csat.distribution')} style={{ marginBottom: 16 }}>
            <Chart height={220} testId="csat-chart" option={{
              tooltip: {},
              grid: { left: 40, right: 16, top: 16, bottom: 30 },
              xAxis: { type: 'category', data: ['1', '2', '3', '4', '5'].map((s) => t('autoreplies.csat.stars', { count: Number(s) })) },
              yAxis: { type: 'value', minInterval: 1 },
              series: [{ type: 'bar', data: (['1', '2', '3', '4', '5'] as const).map((s) => first.distribution[s]) }],
            }} />
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title={t('autoreplies.csat.byAgent')} style={{ marginBottom: 16 }}>
                <Table<Row> size="small" rowKey={(r) => ('memberId' in r ? r.memberId : null) ?? 'none'} pagination={false} dataSource={first.byAgent}
                  columns={[{ title: t('autoreplies.csat.agent'), dataIndex: 'name', render: (v: string | null) => v ?? t('autoreplies.csat.nobody') }, ...figureColumns]} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('autoreplies.csat.byTeam')} style={{ marginBottom: 16 }}>
                <Table<Row> size="small" rowKey={(r) => ('teamId' in r ? r.teamId : null) ?? 'none'} pagination={false} dataSource={first.byTeam}
                  columns={[{ title: t('autoreplies.hours.team'), dataIndex: 'name', render: (v: string | null) => v ?? t('autoreplies.csat.noTeam') }, ...figureColumns]} />
              </Card>
            </Col>
          </Row>
          <Card title={t('autoreplies.csat.comments')}>
            <List
              dataSource={comments}
              locale={{ emptyText: t('autoreplies.csat.noComments') }}
              renderItem={(c) => (
                <List.Item>
                  <List.Item.Meta
                    title={<Space><Rate disabled value={c.rating} style={{ fontSize: 14 }} /><Typography.Text type="secondary">{c.memberName ?? ''} · {formatDate(c.answeredAt)}</Typography.Text></Space>}
                    description={<Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.comment}</Typography.Paragraph>}
                  />
                </List.Item>
              )}
              loadMore={report.hasNextPage ? <div style={{ textAlign: 'center', marginTop: 12 }}><Typography.Link onClick={() => void report.fetchNextPage()}>{t('common.loadMore')}</Typography.Link></div> : null}
            />
          </Card>
        </>
      ) : null}
    </>
  );
}
