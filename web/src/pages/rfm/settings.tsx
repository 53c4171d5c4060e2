import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Divider, Flex, Form, Input, InputNumber, Radio, Row, Select, Table, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { getRfmSettings, rfmSettingsKey, updateRfmSettings, type RfmSettings, type RfmSettingsPatch, type RfmThresholds } from '../../api/rfm';
import { rfmLayers, type RfmLayer } from '../../api/segments';
import { useCan } from '../../auth/session';
import { ErrorAlert, useFormErrorHandler } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { PageSpinner } from '../../layout/app-layout';

interface Values {
  windowDays: number;
  orderTypes: string[];
  orderStatuses: string[];
  scoring: 'quantile' | 'thresholds';
  thresholds?: RfmThresholds;
  highScores: { r: number; f: number; m: number };
  layerNames: Partial<Record<RfmLayer, string>>;
}

const fields = ['windowDays', 'orderTypes', 'orderStatuses', 'scoring', 'thresholds', 'highScores', 'layerNames'];
const scoreCols = [2, 3, 4, 5];
const orderTypeSuggestions = ['order', 'form_submission', 'code_scan', 'visit', 'meeting'];

/** Bounds for scores 2, 3, 4 and 5 as one form value (the server checks their order). */
function FourNumbers({ value, onChange, min = 0, precision, testId }: { value?: Array<number | null>; onChange?: (v: Array<number | null>) => void; min?: number; precision?: number; testId: string }) {
  const v = value ?? [null, null, null, null];
  return (
    <Flex gap={8} wrap>
      {scoreCols.map((score, i) => (
        <InputNumber key={score} style={{ width: 110 }} min={min} data-testid={`${testId}-${score}`} precision={precision} prefix={<Typography.Text type="secondary">{score}</Typography.Text>} value={v[i]}
          onChange={(n) => onChange?.(v.map((x, j) => (j === i ? n : x)))} />
      ))}
    </Flex>
  );
}

const toValues = (s: RfmSettings): Values => ({
  windowDays: s.windowDays,
  orderTypes: s.orderTypes,
  orderStatuses: s.orderStatuses ?? [],
  scoring: s.scoring,
  thresholds: s.thresholds ?? {
    // A starting point in the shape the server wants: decreasing days, increasing counts and sums.
    recencyDays: [180, 90, 30, 7], frequency: [2, 3, 5, 10], monetary: [500, 1000, 5000, 10000],
  },
  highScores: s.highScores,
  layerNames: Object.fromEntries(s.layers.map((l) => [l.key, l.name === l.defaultName ? '' : l.name])),
});

export function RfmSettingsForm({ onJob }: { onJob: (jobId: string) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const onFormError = useFormErrorHandler();
  const [form] = Form.useForm<Values>();
  const settings = useQuery({ queryKey: rfmSettingsKey, queryFn: getRfmSettings });
  const scoring = Form.useWatch('scoring', form);
  const writable = can('rfm:write');
  useEffect(() => { if (settings.data) form.setFieldsValue(toValues(settings.data)); }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const patch: RfmSettingsPatch = {
        windowDays: v.windowDays,
        orderTypes: v.orderTypes,
        orderStatuses: v.orderStatuses.length ? v.orderStatuses : null,
        scoring: v.scoring,
        highScores: v.highScores,
        layerNames: Object.fromEntries(rfmLayers.map((l) => [l, v.layerNames[l]?.trim() || null])),
        ...(v.scoring === 'thresholds' && v.thresholds ? { thresholds: v.thresholds } : {}),
      };
      return updateRfmSettings(patch);
    },
    onSuccess: (r) => {
      queryClient.setQueryData(rfmSettingsKey, r.settings);
      void queryClient.invalidateQueries({ queryKey: ['rfm'] });
      void message.success(r.jobId ? t('rfm.savedRecomputing') : t('common.saved'));
      if (r.jobId) onJob(r.jobId);
    },
    onError: onFormError(form, fields),
  });

  if (settings.isPending) return <PageSpinner />;
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  const s = settings.data;
  const layerName = (l: RfmLayer) => t(`rfm.layers.${l}`);
  const cutRow = (key: 'recencyDays' | 'frequency' | 'monetary', label: string, sign: string, unit = '') => ({
    key, label, ...Object.fromEntries(scoreCols.map((score, i) => [score, s.cuts?.[key][i] ?? null])), sign, unit,
  });

  return (
    <Form form={form} layout="vertical" name="rfm-settings" disabled={!writable} onFinish={(v) => save.mutate(v)} style={{ maxWidth: 880 }}>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="windowDays" label={t('rfm.window')} extra={t('rfm.windowHint')} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} suffix={t('conditions.days')} data-testid="rfm-window" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="orderTypes" label={t('rfm.orderTypes')} extra={t('rfm.orderTypesHint')} rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}>
            <Select mode="tags" options={orderTypeSuggestions.map((o) => ({ value: o, label: t(`profile360.types.${o}`, { defaultValue: o }) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="orderStatuses" label={t('rfm.orderStatuses')} extra={t('rfm.orderStatusesHint')}>
            <Select mode="tags" open={false} suffixIcon={null} placeholder={t('rfm.anyStatus')} tokenSeparators={[',', ' ']} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="scoring" label={t('rfm.scoring')}>
        <Radio.Group data-testid="rfm-scoring" options={(['quantile', 'thresholds'] as const).map((k) => ({ value: k, label: <span><b>{t(`rfm.scorings.${k}`)}</b> · {t(`rfm.scoringHints.${k}`)}</span> }))}
          style={{ display: 'flex', flexDirection: 'column', gap: 6 }} />
      </Form.Item>
      {scoring === 'thresholds' ? (
        <div style={{ paddingInlineStart: 24 }}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rfm.thresholdsHint')}</Typography.Paragraph>
          <Form.Item name={['thresholds', 'recencyDays']} label={t('rfm.thresholdR')}><FourNumbers precision={0} testId="threshold-r" /></Form.Item>
          <Form.Item name={['thresholds', 'frequency']} label={t('rfm.thresholdF')}><FourNumbers precision={0} testId="threshold-f" /></Form.Item>
          <Form.Item name={['thresholds', 'monetary']} label={t('rfm.thresholdM')}><FourNumbers testId="threshold-m" /></Form.Item>
        </div>
      ) : null}
      <Typography.Text strong>{t('rfm.cuts')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {s.cuts ? t('rfm.cutsHint', { at: formatDate(s.computedAt) }) : t('rfm.noCuts')}
      </Typography.Paragraph>
      {s.cuts ? (
        <Table size="small" pagination={false} style={{ marginBottom: 16, maxWidth: 560 }} rowKey="key"
          dataSource={[cutRow('recencyDays', t('rfm.recencyDays'), '≤', ` ${t('conditions.days')}`), cutRow('frequency', t('rfm.frequency'), '≥'), cutRow('monetary', t('rfm.monetary'), '≥')]}
          columns={[{ title: '', dataIndex: 'label' }, ...scoreCols.map((score) => ({
            title: t('rfm.scoreN', { score }), dataIndex: String(score), align: 'right' as const,
            render: (v: number | null, row: { sign: string; unit: string }) => (v === null ? '—' : `${row.sign} ${v.toLocaleString()}${row.unit}`),
          }))]} />
      ) : null}
      <Divider />
      <Typography.Text strong>{t('rfm.highScores')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rfm.highScoresHint')}</Typography.Paragraph>
      <Flex gap={16} wrap>
        {(['r', 'f', 'm'] as const).map((k) => (
          <Form.Item key={k} name={['highScores', k]} label={t(`rfm.scoreNames.${k}`)}>
            <Select style={{ width: 140 }} options={[2, 3, 4, 5].map((n) => ({ value: n, label: `≥ ${n}` }))} />
          </Form.Item>
        ))}
      </Flex>
      <Divider />
      <Typography.Text strong>{t('rfm.layerNames')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('rfm.layerNamesHint')}</Typography.Paragraph>
      <Row gutter={16}>
        {rfmLayers.map((l) => (
          <Col xs={24} sm={12} md={6} key={l}>
            <Form.Item name={['layerNames', l]} label={layerName(l)} rules={[{ max: 30 }]}>
              <Input placeholder={layerName(l)} data-testid={`layer-name-${l}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      {writable ? <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rfm-settings-save">{t('common.save')}</Button>
        : <Typography.Text type="secondary">{t('rfm.readOnly')}</Typography.Text>}
    </Form>
  );
}
