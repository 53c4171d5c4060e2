// Form fields for a channel type's settings, drawn from the JSON Schema the API describes it with
// (GET /channel-types): a new adapter needs labels, not console code. Labels come from
// channelAdmin.fields.<type>["a/b"], help from channelAdmin.help.<type>["a/b"], falling back to the
// property's name; validation beyond "required" is the server's, shown on the field it names.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, ColorPicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { branchesOf, branchFor, defaultsOf, discriminatorOf, humanize, isColour, type JsonSchema } from './schema';

type Name = Array<string | number>;

interface Place {
  /** The channel type, for its labels. */
  type: string;
  /** Name relative to the nearest Form.List (what Form.Item takes). */
  name: Name;
  /** Name from the form's root (what getFieldValue takes). */
  full: Name;
  /** Property names only, for labels and test ids. */
  path: string[];
}

const child = (at: Place, key: string | number): Place => ({
  type: at.type,
  name: [...at.name, key],
  full: [...at.full, key],
  path: typeof key === 'number' ? at.path : [...at.path, key],
});

function useFieldText(at: Place) {
  const { t } = useTranslation();
  const key = at.path.join('/');
  const last = at.path[at.path.length - 1] ?? '';
  return {
    label: t(`channelAdmin.fields.${at.type}.${key}`, { defaultValue: humanize(last) }),
    help: t(`channelAdmin.help.${at.type}.${key}`, { defaultValue: '' }) || undefined,
    option: (value: string | number) => t([`channelAdmin.options.${at.type}.${key}=${value}`, `channels.${value}`], { defaultValue: String(value) }),
    testId: `field-${at.path.join('-')}`,
  };
}

/** The fields of an object schema at `at` (settings, or an object inside them). */
export function SchemaFields({ schema, at }: { schema: JsonSchema; at: Place }) {
  const branches = branchesOf(schema);
  if (branches) return <UnionFields branches={branches} at={at} />;
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) => (
        <SchemaField key={key} schema={property} at={child(at, key)} required={schema.required?.includes(key) ?? false} />
      ))}
    </>
  );
}

function SchemaField({ schema, at, required }: { schema: JsonSchema; at: Place; required: boolean }) {
  const text = useFieldText(at);
  const { t } = useTranslation();
  if (schema.const !== undefined) return <Form.Item name={at.name} hidden initialValue={schema.const}><Input /></Form.Item>;
  if ((schema.type === 'object' && schema.properties) || branchesOf(schema)) {
    return (
      <Card size="small" title={text.label} style={{ marginBottom: 16 }} data-testid={text.testId}>
        <SchemaFields schema={schema} at={at} />
      </Card>
    );
  }
  if (schema.type === 'array' && schema.items?.type === 'object') return <ObjectList schema={schema} at={at} />;
  const rules = required && schema.default === undefined ? [{ required: true, message: t('validation.required') }] : [];
  const item = (input: ReactNode, extra: Partial<Parameters<typeof Form.Item>[0]> = {}) => (
    <Form.Item name={at.name} label={text.label} extra={text.help} rules={rules} {...extra}>{input}</Form.Item>
  );
  if (schema.type === 'boolean') return item(<Switch data-testid={text.testId} />, { valuePropName: 'checked' });
  if (schema.type === 'integer' || schema.type === 'number') {
    return item(<InputNumber min={schema.minimum} max={schema.maximum} precision={schema.type === 'integer' ? 0 : undefined} style={{ width: 200 }} data-testid={text.testId} />);
  }
  if (schema.enum) return item(<Select options={schema.enum.map((v) => ({ value: v, label: text.option(v) }))} data-testid={text.testId} />);
  if (schema.type === 'array') return item(<Select mode="tags" open={false} tokenSeparators={[',', ' ', '\n']} data-testid={text.testId} />);
  if (isColour(schema)) {
    return item(<ColorPicker showText disabledAlpha data-testid={text.testId} />, { getValueFromEvent: (colour: { toHexString(): string }) => colour.toHexString() });
  }
  const long = (schema.maxLength ?? 0) > 300;
  return item(long ? <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={schema.maxLength} data-testid={text.testId} /> : <Input maxLength={schema.maxLength} data-testid={text.testId} />);
}

/** A union told apart by one property (e.g. inbound `mode`): pick the branch, then its fields. */
function UnionFields({ branches, at }: { branches: JsonSchema[]; at: Place }) {
  const key = discriminatorOf(branches);
  const form = Form.useFormInstance();
  const text = useFieldText(child(at, key ?? ''));
  if (!key) return null;
  const choose = (value: unknown) => {
    // A new branch starts from its own defaults, not the fields of the one left.
    const chosen = branchFor(branches, key, value);
    if (chosen) form.setFieldValue(at.full, defaultsOf(chosen));
  };
  return (
    <>
      <Form.Item name={[...at.name, key]} label={text.label} extra={text.help}>
        <Select options={branches.map((b) => ({ value: b.properties![key]!.const as string, label: text.option(b.properties![key]!.const as string) }))}
          onChange={choose} data-testid={text.testId} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate>
        {() => {
          const chosen = branchFor(branches, key, form.getFieldValue([...at.full, key]));
          if (!chosen) return null;
          const rest: JsonSchema = { ...chosen, properties: Object.fromEntries(Object.entries(chosen.properties ?? {}).filter(([k]) => k !== key)) };
          return <SchemaFields schema={rest} at={at} />;
        }}
      </Form.Item>
    </>
  );
}

/** An array of objects (e.g. pre-chat form fields): one card each, added and removed in place. */
function ObjectList({ schema, at }: { schema: JsonSchema; at: Place }) {
  const { t } = useTranslation();
  const text = useFieldText(at);
  const items = schema.items!;
  return (
    <Form.Item label={text.label} extra={text.help}>
      <Form.List name={at.name}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((field) => (
              <Card key={field.key} size="small" style={{ marginBottom: 8 }}
                extra={<Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(field.name)} />}>
                <SchemaFields schema={items} at={{ type: at.type, name: [field.name], full: [...at.full, field.name], path: at.path }} />
              </Card>
            ))}
            {schema.maxItems === undefined || fields.length < schema.maxItems ? (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(defaultsOf(items))} data-testid={`${text.testId}-add`}>{t('common.add')}</Button>
            ) : null}
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** Where a type's settings start in the form. */
export const settingsPlace = (type: string): Place => ({ type, name: ['settings'], full: ['settings'], path: [] });
