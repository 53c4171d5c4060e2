// Every provider Renmai speaks: adding one is a folder under src/channels/ and a line here.
import type { AnyChannelAdapter } from './adapter.js';
import { aliyunSmsAdapter } from './aliyun-sms/adapter.js';
import { apiAdapter } from './api/adapter.js';
import { emailAdapter } from './email/adapter.js';
import { lineAdapter } from './line/adapter.js';
import { instagramAdapter, messengerAdapter } from './messenger/adapter.js';
import { telegramAdapter } from './telegram/adapter.js';
import { twilioAdapter } from './twilio/adapter.js';
import { wechatOaAdapter } from './wechat-oa/adapter.js';
import { wecomAdapter } from './wecom/adapter.js';
import { whatsappAdapter } from './whatsapp/adapter.js';
import { widgetAdapter } from './widget/adapter.js';

const adapters: readonly AnyChannelAdapter[] = [apiAdapter, emailAdapter, widgetAdapter, wecomAdapter, wechatOaAdapter, telegramAdapter, lineAdapter, whatsappAdapter, messengerAdapter, instagramAdapter, twilioAdapter, aliyunSmsAdapter];

const byType = new Map(adapters.map((a) => [a.type, a]));

export const channelTypeNames = adapters.map((a) => a.type);

export function adapterFor(type: string): AnyChannelAdapter | undefined {
  return byType.get(type);
}
