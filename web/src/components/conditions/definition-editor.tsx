import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Empty, Flex, Segmented, Tag, Typography } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { ConditionRow } from './condition-row';
import { emptyGroup, newCondition, updateAt, type EditorGroup, type EditorNode } from './tree';
import { useConditionOptions, type ConditionOptions } from './use-options';

const MAX_DEPTH = 10;
const depthColors = ['#1677ff', '#722ed1', '#13c2c2', '#fa8c16', '#eb2f96'];

interface Props {
  value: EditorGroup;
  onChange: (root: EditorGroup) => void;
  /** Messages by node uid (server validation placed on the condition it names). */
  errors?: Map<string, string[]>;
  readOnly?: boolean;
  /** The subject a new condition starts with. */
  firstSubject?: string;
}

/** Nested AND/OR groups of conditions, any depth up to the server's limit. */
export function DefinitionEditor({ value, onChange, errors, readOnly, firstSubject = 'tags' }: Props) {
  const options = useConditionOptions();
  const update = (path: number[], fn: (n: EditorNode) => EditorNode | null) => onChange(updateAt(value, path, fn));
  return (
    <ConfigProvider componentDisabled={readOnly}>
      <div data-testid="definition-editor">
        <GroupView group={value} path={[]} depth={1} update={update} options={options} errors={errors} readOnly={readOnly} firstSubject={firstSubject} />
      </div>
    </ConfigProvider>
  );
}

interface GroupProps {
  group: EditorGroup;
  path: number[];
  depth: number;
  update: (path: number[], fn: (n: EditorNode) => EditorNode | null) => void;
  options: ConditionOptions;
  errors?: Map<string, string[]>;
  readOnly?: boolean;
  firstSubject: string;
}

function GroupView({ group, path, depth, update, options, errors, readOnly, firstSubject }: GroupProps) {
  const { t } = useTranslation();
  const color = depthColors[(depth - 1) % depthColors.length];
  const add = (node: EditorNode) => update(path, (g) => (g.kind === 'group' ? { ...g, conditions: [...g.conditions, node] } : g));
  const own = errors?.get(group.uid);
  return (
    <div data-testid="condition-group" data-depth={depth} data-op={group.op}
      style={{ borderInlineStart: `3px solid ${color}`, paddingInlineStart: 12, paddingBlock: 8, background: depth % 2 === 0 ? '#fafafa' : undefined, borderRadius: 4 }}>
      <Flex gap={8} align="center" wrap>
        <Segmented size="small" value={group.op} onChange={(op) => update(path, (g) => (g.kind === 'group' ? { ...g, op: op as 'and' | 'or' } : g))} data-testid="group-op"
          options={[{ value: 'and', label: t('conditions.and') }, { value: 'or', label: t('conditions.or') }]} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(group.op === 'and' ? 'conditions.andHint' : 'conditions.orHint')}</Typography.Text>
        <div style={{ flex: 1 }} />
        {readOnly || !path.length ? null : (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => update(path, () => null)} data-testid="group-remove">{t('conditions.removeGroup')}</Button>
        )}
      </Flex>
      {own?.length ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{own.join('; ')}</Typography.Text> : null}
      {group.conditions.length ? null : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ margin: '8px 0' }}
          description={path.length ? t('conditions.emptyGroup') : t(group.op === 'and' ? 'conditions.emptyAnd' : 'conditions.emptyOr')} />
      )}
      {group.conditions.map((child, i) => (
        <Fragment key={child.uid}>
          {i > 0 ? <Tag color={color} style={{ margin: '2px 0', fontSize: 11 }} bordered={false}>{t(group.op === 'and' ? 'conditions.andJoin' : 'conditions.orJoin')}</Tag> : null}
          {child.kind === 'group' ? (
            <div style={{ marginBlock: 4 }}>
              <GroupView group={child} path={[...path, i]} depth={depth + 1} update={update} options={options} errors={errors} readOnly={readOnly} firstSubject={firstSubject} />
            </div>
          ) : (
            <ConditionRow condition={child} options={options} errors={errors?.get(child.uid)} readOnly={readOnly}
              onChange={(c) => update([...path, i], () => c)} onRemove={() => update([...path, i], () => null)} />
          )}
        </Fragment>
      ))}
      {readOnly ? null : (
        <Flex gap={8} style={{ marginTop: 8 }}>
          <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add(newCondition(firstSubject, options.catalogue.data))} data-testid="add-condition">
            {t('conditions.addCondition')}
          </Button>
          {depth < MAX_DEPTH ? (
            <Button size="small" type="dashed" icon={<PlusOutlined />} data-testid="add-group"
              onClick={() => add({ ...emptyGroup(group.op === 'and' ? 'or' : 'and'), conditions: [newCondition(firstSubject, options.catalogue.data)] })}>
              {t('conditions.addGroup')}
            </Button>
          ) : null}
        </Flex>
      )}
    </div>
  );
}
