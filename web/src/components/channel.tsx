import {
  FacebookOutlined, GlobalOutlined, InstagramOutlined, MailOutlined, MessageOutlined, PhoneOutlined,
  SendOutlined, WechatOutlined, WechatWorkOutlined, WhatsAppOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { channelTypes } from '../api/contacts';

// Icons are presentation only; no behaviour in the console depends on which channel a contact uses.
const icons: Record<string, ReactNode> = {
  wecom: <WechatWorkOutlined style={{ color: '#2b7de9' }} />,
  wechat_openid: <WechatOutlined style={{ color: '#07c160' }} />,
  wechat_unionid: <WechatOutlined style={{ color: '#07c160' }} />,
  whatsapp: <WhatsAppOutlined style={{ color: '#25d366' }} />,
  telegram: <SendOutlined style={{ color: '#229ed9' }} />,
  line: <MessageOutlined style={{ color: '#06c755' }} />,
  messenger: <FacebookOutlined style={{ color: '#0084ff' }} />,
  instagram: <InstagramOutlined style={{ color: '#e1306c' }} />,
  email: <MailOutlined />,
  phone: <PhoneOutlined />,
  web_visitor: <GlobalOutlined />,
  sms: <MessageOutlined />,
};

export function ChannelIcon({ channel }: { channel: string }) {
  return <>{icons[channel] ?? <GlobalOutlined />}</>;
}

export function useChannelLabel() {
  const { t } = useTranslation();
  return (channel: string | null | undefined) => (channel ? t(`channels.${channel}`, { defaultValue: channel }) : '—');
}

export function useChannelOptions() {
  const label = useChannelLabel();
  return channelTypes.map((c) => ({ value: c, label: <span><ChannelIcon channel={c} /> {label(c)}</span>, text: label(c) }));
}

export function ChannelLabel({ channel }: { channel: string }) {
  const label = useChannelLabel();
  return <span style={{ whiteSpace: 'nowrap' }}><ChannelIcon channel={channel} /> {label(channel)}</span>;
}
