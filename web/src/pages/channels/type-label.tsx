// A channel type's name and icon; a type the console has no label for shows its key.
import { ApiOutlined, CommentOutlined, FacebookOutlined, InstagramOutlined, MailOutlined, MessageOutlined, MobileOutlined, TelegramFilled, WechatOutlined, WechatWorkOutlined, WhatsAppOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// Icons are presentation only: no behaviour depends on the type.
const icons: Record<string, ReactNode> = { api: <ApiOutlined />, email: <MailOutlined />, widget: <CommentOutlined />, telegram: <TelegramFilled />, line: <MessageOutlined />, wecom: <WechatWorkOutlined />, wechat_oa: <WechatOutlined />, whatsapp: <WhatsAppOutlined />, messenger: <FacebookOutlined />, instagram: <InstagramOutlined />, twilio: <MobileOutlined />, aliyun_sms: <MobileOutlined /> };

export function TypeIcon({ type }: { type: string }) {
  return <>{icons[type] ?? <ApiOutlined />}</>;
}

export function useTypeLabel() {
  const { t } = useTranslation();
  return (type: string) => t(`channelAdmin.types.${type}`, { defaultValue: type });
}
