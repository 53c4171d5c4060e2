// The builder's lists: the staff pool and the backups (each with a daily cap and optional weekly
// hours) and the special periods whose staff replace the pool on their days.
import { ClockCircleOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Input, InputNumber, Select, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';

type Options = Array<{ value: string; label: string }>;
const days = [1, 2, 3, 4, 5, 6, 0];
const rowStyle = { border: '1px solid rgba(5,5,5,0.06)', borderRadius: 6, padding: '8px 8px 0', marginBottom: 8 };

function useTimeRule(): Rule[] {
  const { t } = useTranslation();
  return [{ required: true, pattern: /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, message: t('liveCodes.builder.timeFormat') }];
}

/** A member's weekly hours: none means at all hours. */
function HoursList({ name }: { name: (string | number)[] }) {
  const { t } = useTranslation();
  const time = useTimeRule();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div style={{ paddingBottom: 8 }}>
          {fields.map((f) => (
            <Flex key={f.key} gap={6} align="baseline" wrap>
              <Form.Item name={[f.name, 'day']} style={{ marginBottom: 6 }}>
                <Select size="small" style={{ width: 100 }} options={days.map((d) => ({ value: d, label: t(`liveCodes.builder.days.${d}`) }))} />
              </Form.Item>
              <Form.Item name={[f.name, 'open']} rules={time} style={{ marginBottom: 6 }}><Input size="small" style={{ width: 70 }} placeholder="09:00" /></Form.Item>
              <span>–</span>
              <Form.Item name={[f.name, 'close']} rules={time} style={{ marginBottom: 6 }}><Input size="small" style={{ width: 70 }} placeholder="18:00" /></Form.Item>
              <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
            </Flex>
          ))}
          <Flex gap={8} align="center">
            <Button size="small" type="link" icon={<ClockCircleOutlined />} style={{ paddingInline: 0 }} onClick={() => add({ day: 1, open: '09:00', close: '18:00' })}>
              {t('liveCodes.builder.addHours')}
            </Button>
            {fields.length ? null : <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('liveCodes.builder.allHours')}</Typography.Text>}
          </Flex>
        </div>
      )}
    </Form.List>
  );
}

/** The pool (`staff`, with weights when weighted) or the backups (`backupStaff`). */
export function StaffList({ name, members, withWeight, required }: { name: 'staff' | 'backupStaff'; members: Options; withWeight: boolean; required?: boolean }) {
  const { t } = useTranslation();
  const rules = required ? [{ validator: async (_: unknown, v: unknown[]) => { if (!v?.length) throw new Error(t('liveCodes.builder.staffRequired')); } }] : [];
  return (
    <Form.List name={name} rules={rules}>
      {(fields, { add, remove }, { errors }) => (
        <>
          {fields.map((f) => (
            <div key={f.key} style={rowStyle} data-testid={`${name}-row`}>
              <Flex gap={8} align="baseline" wrap>
                <Form.Item name={[f.name, 'memberId']} rules={[{ required: true, message: t('validation.required') }]} style={{ flex: '1 1 180px', marginBottom: 8 }}>
                  <Select showSearch optionFilterProp="label" options={members} placeholder={t('liveCodes.builder.member')} data-testid={`${name}-member`} />
                </Form.Item>
                {withWeight ? (
                  <Form.Item name={[f.name, 'weight']} style={{ marginBottom: 8 }}>
                    <InputNumber min={1} max={1000} precision={0} prefix={t('liveCodes.builder.weight')} style={{ width: 130 }} />
                  </Form.Item>
                ) : null}
                <Form.Item name={[f.name, 'dailyCap']} style={{ marginBottom: 8 }}>
                  <InputNumber min={1} max={1_000_000} precision={0} placeholder={t('liveCodes.builder.noCap')} prefix={t('liveCodes.builder.dailyCap')} style={{ width: 170 }} data-testid={`${name}-cap`} />
                </Form.Item>
                <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
              </Flex>
              <HoursList name={[f.name, 'hours']} />
            </div>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weight: 1, dailyCap: null, hours: [] })} data-testid={`${name}-add`}>
            {t(name === 'staff' ? 'liveCodes.builder.addStaff' : 'liveCodes.builder.addBackup')}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** Special periods: a name, local days (inclusive) and their own staff with caps. */
export function PeriodList({ members }: { members: Options }) {
  const { t } = useTranslation();
  return (
    <Form.List name="periods">
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <div key={f.key} style={rowStyle} data-testid="period-row">
              <Flex gap={8} align="baseline" wrap>
                <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]} style={{ flex: '1 1 160px', marginBottom: 8 }}>
                  <Input placeholder={t('liveCodes.builder.periodName')} data-testid="period-name" />
                </Form.Item>
                <Form.Item name={[f.name, 'range']} rules={[{ required: true, message: t('validation.required') }]} style={{ marginBottom: 8 }}>
                  <DatePicker.RangePicker />
                </Form.Item>
                <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
              </Flex>
              <Form.List name={[f.name, 'staff']}>
                {(staff, ops, { errors }) => (
                  <div style={{ paddingBottom: 8 }}>
                    {staff.map((s) => (
                      <Flex key={s.key} gap={8} align="baseline" wrap>
                        <Form.Item name={[s.name, 'memberId']} rules={[{ required: true, message: t('validation.required') }]} style={{ flex: '1 1 180px', marginBottom: 6 }}>
                          <Select size="small" showSearch optionFilterProp="label" options={members} placeholder={t('liveCodes.builder.member')} data-testid="period-member" />
                        </Form.Item>
                        <Form.Item name={[s.name, 'dailyCap']} style={{ marginBottom: 6 }}>
                          <InputNumber size="small" min={1} max={1_000_000} precision={0} placeholder={t('liveCodes.builder.noCap')} prefix={t('liveCodes.builder.dailyCap')} style={{ width: 170 }} />
                        </Form.Item>
                        <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => ops.remove(s.name)} />
                      </Flex>
                    ))}
                    <Form.ErrorList errors={errors} />
                    <Button size="small" type="link" icon={<PlusOutlined />} style={{ paddingInline: 0 }} onClick={() => ops.add({ dailyCap: null })}>{t('liveCodes.builder.addPeriodStaff')}</Button>
                  </div>
                )}
              </Form.List>
            </div>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', staff: [{ dailyCap: null }] })} data-testid="period-add">{t('liveCodes.builder.addPeriod')}</Button>
        </>
      )}
    </Form.List>
  );
}
