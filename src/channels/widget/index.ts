// The widget channel's surface for the widget domain: its settings and identity verification.
export { widgetAdapter, widgetSettings, type WidgetSettings, type WidgetSecrets } from './adapter.js';
export { userHash, userHashMatches } from './identity.js';
