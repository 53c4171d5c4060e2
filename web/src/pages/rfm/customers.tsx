import { Button, Card, Empty, Flex, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RfmCustomer } from '../../api/rfm';
import { rfmLayers, type RfmLayer } from '../../api/segments';
import { useLayerLabel } from '../../components/conditions/use-options';
import { LoadMore, useCursorList } from '../../components/cursor-list';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { LayerTag } from './layers';

export interface CustomerFilter { layer?: RfmLayer; r?: number; f?: number; m?: number }

const scoreOptions = [1, 2, 3, 4, 5].map((s) => ({ value: s, label: String(s) }));

/** Customers by layer or score, largest monetary first. */
export function RfmCustomers({ filter, onFilter }: { filter: CustomerFilter; onFilter: (f: CustomerFilter) => void }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const layerLabel = useLayerLabel();
  const list = useCursorList<RfmCustomer>('/rfm/customers', { ...filter }, { limit: 50 });
  const money = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const set = (patch: CustomerFilter) => onFilter({ ...filter, ...patch });
  const filtered = Object.values(filter).some((v) => v !== undefined);
  return (
    <Card size="small" title={t('rfm.customersTitle')} data-testid="rfm-customers">
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select allowClear style={{ minWidth: 180 }} placeholder={t('rfm.layer')} value={filter.layer} onChange={(layer) => set({ layer })} data-testid="rfm-filter-layer"
          options={rfmLayers.map((l) => ({ value: l, label: layerLabel(l) }))} />
        {(['r', 'f', 'm'] as const).map((k) => (
          <Select key={k} allowClear style={{ width: 100 }} placeholder={k.toUpperCase()} value={filter[k]} onChange={(v) => set({ [k]: v })}
            options={scoreOptions.map((o) => ({ ...o, label: `${k.toUpperCase()} = ${o.label}` }))} />
        ))}
        {filtered ? <Button onClick={() => onFilter({})}>{t('contacts.clearFilters')}</Button> : null}
      </Flex>
      <ErrorAlert error={list.error} />
      <Table<RfmCustomer>
        rowKey={(c) => c.contact.id} size="middle" loading={list.isPending} dataSource={list.items} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: list.isPending || list.isError ? <span /> : <Empty description={filtered ? t('rfm.noCustomersMatch') : t('rfm.noCustomers')} /> }}
        columns={[
          { title: t('contacts.fields.name'), key: 'name', render: (_, c) => <Link to={`/contacts/${c.contact.id}`} data-testid="rfm-customer">{c.contact.name}</Link> },
          { title: t('rfm.layer'), key: 'layer', render: (_, c) => <LayerTag layer={c.layer} /> },
          { title: 'R', dataIndex: 'r', align: 'center' },
          { title: 'F', dataIndex: 'f', align: 'center' },
          { title: 'M', dataIndex: 'm', align: 'center' },
          { title: t('rfm.recencyDays'), dataIndex: 'recencyDays', align: 'right', render: (v: number | null) => (v === null ? '—' : t('rfm.daysAgo', { count: v })) },
          { title: t('rfm.frequency'), dataIndex: 'frequency', align: 'right' },
          { title: t('rfm.monetary'), dataIndex: 'monetary', align: 'right', render: (v: number) => money.format(v) },
          { title: t('rfm.computedAt'), dataIndex: 'computedAt', render: (v: string) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDate(v)}</Typography.Text> },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  );
}
