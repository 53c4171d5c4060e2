import { Alert, Typography } from 'antd';

/** A value the server shows once (API key secret, invitation link): a warning and a copy button. */
export function SecretOnce({ value, warning, testId }: { value: string; warning: string; testId: string }) {
  return (
    <>
      <Alert type="warning" showIcon title={warning} style={{ marginBottom: 12 }} />
      <Typography.Paragraph
        copyable={{ text: value }}
        code
        style={{ wordBreak: 'break-all', fontSize: 13 }}
      >
        <span data-testid={testId}>{value}</span>
      </Typography.Paragraph>
    </>
  );
}
