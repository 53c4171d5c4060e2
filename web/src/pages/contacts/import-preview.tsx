import { Table, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PreviewRow } from '../../api/imports';

/** The first rows as they will be read, each cell with its error in red. */
export function ImportPreview({ rows, headers, mapping, sampleRows = [] }: { rows: PreviewRow[]; headers: string[]; mapping: Record<string, string>; sampleRows?: string[][] }) {
  const { t } = useTranslation();
  const shown = headers.filter((h) => (mapping[h] ?? 'ignore') !== 'ignore');
  const cell = (row: PreviewRow, header: string, index: number) => {
    const values = row.values;
    const target = mapping[header] ?? header;
    const value = Array.isArray(values) ? values[index] : values[target] ?? values[header];
    const error = row.errors.find((e) => e.column === header || e.column === target);
    // A cell that failed has no read value: show what the file says (samples are lines 2…).
    const raw = error ? sampleRows[row.line - 2]?.[index] : undefined;
    const text = Array.isArray(value) ? value.join(', ') : value === null || value === undefined ? raw ?? '' : String(value);
    return error ? (
      <Tooltip title={error.reason}><Typography.Text type="danger" data-testid="preview-error">{text || '∅'} ⚠ <span style={{ fontSize: 12 }}>{error.reason}</span></Typography.Text></Tooltip>
    ) : text;
  };
  const failing = rows.filter((r) => r.errors.length).length;
  return (
    <>
      <Typography.Paragraph type={failing ? 'warning' : 'secondary'}>
        {failing ? t('imports.previewErrors', { count: failing, total: rows.length }) : t('imports.previewClean', { total: rows.length })}
      </Typography.Paragraph>
      <Table rowKey="line" size="small" pagination={false} dataSource={rows} scroll={{ x: 'max-content' }} data-testid="import-preview"
        columns={[
          { title: t('imports.line'), dataIndex: 'line', width: 60 },
          ...shown.map((h) => ({ title: <span>{h}<br /><Typography.Text type="secondary" style={{ fontSize: 11 }}>→ {mapping[h]}</Typography.Text></span>, key: h,
            render: (_: unknown, row: PreviewRow) => cell(row, h, headers.indexOf(h)) })),
        ]} />
    </>
  );
}
