// A channel's credentials: write-only. Each shows whether it is set; typing replaces it, leaving it
// blank keeps the one stored, and an optional one can be removed (sent as null). Nothing is ever
// read back from the server.
import { Button, Form, Input, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { humanize, type JsonSchema } from './schema';

function SecretField({ type, name, schema, isSet, required, creating }: { type: string; name: string; schema: JsonSchema; isSet: boolean; required: boolean; creating: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const value: unknown = Form.useWatch(['secrets', name], form);
  const removing = value === null;
  const status = removing ? 'removing' : isSet ? 'set' : 'notSet';
  const label = t(`channelAdmin.fields.${type}.secrets/${name}`, { defaultValue: humanize(name) });
  return (
    <Form.Item name={['secrets', name]} rules={creating && required ? [{ required: true, message: t('validation.required') }] : []}
      label={<>{label}{creating ? null : (
        <>
          <Tag style={{ marginInlineStart: 8 }} color={{ set: 'green', notSet: 'default', removing: 'red' }[status]} data-testid={`secret-status-${name}`}>{t(`channelAdmin.secretStatus.${status}`)}</Tag>
          {isSet && !required ? (
            <Button type="link" size="small" onClick={() => form.setFieldValue(['secrets', name], removing ? undefined : null)} data-testid={`secret-remove-${name}`}>
              {t(removing ? 'channelAdmin.secretUndoRemove' : 'channelAdmin.secretRemove')}
            </Button>
          ) : null}
        </>
      )}</>}
      extra={t(`channelAdmin.help.${type}.secrets/${name}`, { defaultValue: '' }) || (creating ? undefined : t('channelAdmin.secretKeep'))}>
      <Input.Password autoComplete="new-password" maxLength={schema.maxLength} visibilityToggle={false} disabled={removing}
        placeholder={isSet ? t('channelAdmin.secretReplace') : undefined} data-testid={`field-secrets-${name}`} />
    </Form.Item>
  );
}

export function SecretFields({ type, schema, set, creating }: { type: string; schema: JsonSchema; set: string[]; creating: boolean }) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) => (
        <SecretField key={key} type={type} name={key} schema={property} isSet={set.includes(key)} creating={creating}
          required={schema.required?.includes(key) ?? false} />
      ))}
    </>
  );
}
