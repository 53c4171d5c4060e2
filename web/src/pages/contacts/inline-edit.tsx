import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { errorText } from '../../components/errors';

/**
 * One field shown as text with a pencil; editing swaps in the control with save/cancel.
 * A server validation error stays under the control instead of a passing toast.
 */
export function InlineEdit<T>({ label, display, initial, editable, onSave, renderInput, testId }: {
  label: ReactNode; display: ReactNode; initial: T; editable: boolean; testId?: string;
  onSave: (value: T) => Promise<unknown>; renderInput: (value: T, onChange: (v: T) => void) => ReactNode;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<T>(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = () => { setValue(initial); setError(null); setEditing(true); };
  const save = async () => {
    setSaving(true);
    try {
      await onSave(value);
      setEditing(false);
    } catch (e) {
      setError(isApiError(e) && e.errors?.length ? e.errors.map((x) => x.message).join('; ') : errorText(t, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div style={{ padding: '6px 0', borderBottom: '1px solid #f5f5f5' }} data-testid={testId}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{label}</Typography.Text>
      {editing ? (
        <>
          <Flex gap={4} align="start" style={{ marginTop: 2 }}>
            <div style={{ flex: 1, minWidth: 0 }}>{renderInput(value, setValue)}</div>
            <Button size="small" type="primary" icon={<CheckOutlined />} loading={saving} onClick={save} aria-label={t('common.save')} data-testid="inline-save" />
            <Button size="small" icon={<CloseOutlined />} onClick={() => setEditing(false)} aria-label={t('common.cancel')} />
          </Flex>
          {error ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{error}</Typography.Text> : null}
        </>
      ) : (
        <Flex gap={4} align="start" justify="space-between">
          <div style={{ minWidth: 0, wordBreak: 'break-word' }}>{display}</div>
          {editable ? <Button size="small" type="text" icon={<EditOutlined />} onClick={start} aria-label={t('common.edit')} data-testid="inline-edit" /> : null}
        </Flex>
      )}
    </div>
  );
}
