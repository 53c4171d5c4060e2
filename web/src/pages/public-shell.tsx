import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { LangSwitch } from '../layout/lang-switch';

/** The frame of the signed-out pages: brand, language switch, one centred card. */
export function PublicShell({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Flex vertical style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #e6f4ff 0%, #f5f5f5 60%)' }}>
      <Flex justify="space-between" align="center" style={{ padding: '12px 16px' }}>
        <Typography.Text strong style={{ fontSize: 18, color: '#1677ff' }}>人脉 Renmai</Typography.Text>
        <LangSwitch signedIn={false} />
      </Flex>
      <Flex justify="center" style={{ padding: '24px 12px' }}>
        <Card style={{ width: '100%', maxWidth: 400 }}>
          <Typography.Title level={3} style={{ marginTop: 0 }}>{title}</Typography.Title>
          {children}
        </Card>
      </Flex>
    </Flex>
  );
}
