// Every background job and event handler of the app, gathered from the domains for the worker.
import type { Config } from './config.js';
import type { EventHandler } from './platform/events/index.js';
import type { AnyJobDefinition } from './platform/queue/index.js';
import { mentionsHandler, timelineHandler } from './domains/timeline/index.js';
import { importContactsJob } from './domains/imports/index.js';
import { batchJob, exportJob } from './domains/contacts/index.js';
import { rfmHandler, rfmRecomputeJob, rfmTriggersHandler } from './domains/rfm/index.js';
import { preferencesHandler, preferencesJob } from './domains/preferences/index.js';
import { segmentBuildJob, segmentRefreshJob, segmentsHandler } from './domains/segments/index.js';
import { autotagHandler, ruleBackfillJob, ruleBuildJob, ruleRefreshJob } from './domains/autotag/index.js';
import { inboxJobs } from './domains/inbox/index.js';
import { autorepliesHandler } from './domains/autoreplies/index.js';
import { channelRelations } from './domains/channels/index.js';
import { livecodesHandler } from './domains/livecodes/index.js';
import { groupcodesHandler } from './domains/groupcodes/index.js';
import { fissionHandler, rewardEngine } from './domains/fission/index.js';
import { referralsHandler } from './domains/referrals/index.js';

export const backgroundJobs: readonly AnyJobDefinition[] = [importContactsJob, batchJob, exportJob, rfmRecomputeJob, preferencesJob, segmentBuildJob, segmentRefreshJob, ruleBuildJob, ruleBackfillJob, ruleRefreshJob];
export const eventHandlers: readonly EventHandler[] = [timelineHandler, mentionsHandler, rfmHandler, rfmTriggersHandler, preferencesHandler, segmentsHandler, autotagHandler, livecodesHandler, groupcodesHandler, referralsHandler];
/** Jobs bound to settings (the inbox's send job holds the channel keyring and attachment limits). */
export const configuredJobs = (config: Config): readonly AnyJobDefinition[] => [...inboxJobs(config), channelRelations(config).job, rewardEngine(config).grantJob];
/** Handlers bound to settings (automatic replies queue the inbox's send job and link to PUBLIC_URL). */
export const configuredHandlers = (config: Config): readonly EventHandler[] => [autorepliesHandler(config), channelRelations(config).handler, fissionHandler(config)];
