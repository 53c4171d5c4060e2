// A channel's credentials: write-only. Each shows whether it is set; typing replaces it, leaving it
// blank keeps the one stored. Nothing is ever read back from the server.
import { Form, Input, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { humanize, type JsonSchema } from './schema';

export function SecretFields({ type, schema, set, creating }: { type: string; schema: JsonSchema; set: string[]; creating: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) => {
        const isSet = set.includes(key);
        const required = creating && (schema.required?.includes(key) ?? false);
        const label = t(`channelAdmin.fields.${type}.secrets/${key}`, { defaultValue: humanize(key) });
        return (
          <Form.Item key={key} name={['secrets', key]} rules={required ? [{ required: true, message: t('validation.required') }] : []}
            label={<>{label}{creating ? null : <Tag style={{ marginInlineStart: 8 }} color={isSet ? 'green' : 'default'} data-testid={`secret-status-${key}`}>{t(isSet ? 'channelAdmin.secretSet' : 'channelAdmin.secretNotSet')}</Tag>}</>}
            extra={t(`channelAdmin.help.${type}.secrets/${key}`, { defaultValue: '' }) || (creating ? undefined : t('channelAdmin.secretKeep'))}>
            <Input.Password autoComplete="new-password" maxLength={property.maxLength} visibilityToggle={false}
              placeholder={isSet ? t('channelAdmin.secretReplace') : undefined} data-testid={`field-secrets-${key}`} />
          </Form.Item>
        );
      })}
    </>
  );
}
