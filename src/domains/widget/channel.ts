// A widget channel as the visitor endpoints use it: enabled, of type widget, with its settings,
// its identity secret, its team and who it acts as. Unknown, disabled or not a widget: 404.
import type { Db } from '../../platform/db/connect.js';
import { notFound } from '../../platform/http/errors.js';
import { widgetAdapter, type WidgetSecrets, type WidgetSettings } from '../../channels/widget/index.js';
import { channelForHook, channelProfile, type Keyring, type LiveChannel } from '../channels/index.js';

export interface WidgetChannel {
  live: LiveChannel;
  workspaceId: string;
  channelId: string;
  settings: WidgetSettings;
  secrets: WidgetSecrets;
  teamId: string | null;
  createdBy: string | null;
}

export async function widgetChannel(db: Db, keyring: Keyring, channelId: string): Promise<WidgetChannel> {
  const live = await channelForHook(db, keyring, channelId);
  if (!live?.enabled || live.type !== widgetAdapter.type) throw notFound('Widget');
  const profile = await channelProfile(db, live.workspaceId, channelId);
  if (!profile) throw notFound('Widget');
  return {
    live,
    workspaceId: live.workspaceId,
    channelId,
    settings: live.runtime.settings as WidgetSettings,
    secrets: live.runtime.secrets as WidgetSecrets,
    teamId: profile.teamId,
    createdBy: profile.createdBy,
  };
}
