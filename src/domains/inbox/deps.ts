// What the inbox needs from configuration, built once per config: the attachment limits, the
// channel keyring and the send job bound to them. Routes and the worker share one instance.
import { publicUrl, type Config } from '../../config.js';
import type { AnyJobDefinition } from '../../platform/queue/index.js';
import { keyringOf } from '../channels/index.js';
import { drainJob } from './assignment/assign.js';
import { limitsOf, type AttachmentLimits } from './attachments.js';
import { wakeJob } from './conversations.js';
import { createFetchMediaJob, type FetchMediaJob } from './fetch-media.js';
import { intakeJob } from './process.js';
import { createSendJob, type SendJob } from './send-job.js';

export interface InboxDeps {
  limits: AttachmentLimits;
  sendJob: SendJob;
  fetchMediaJob: FetchMediaJob;
}

const built = new WeakMap<Config, InboxDeps>();

export function inboxDeps(config: Config): InboxDeps {
  let deps = built.get(config);
  if (!deps) {
    const limits = limitsOf(config);
    const sendJob = createSendJob({ keyring: keyringOf(config), limits, maxAttempts: config.SEND_MAX_ATTEMPTS, allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS, publicUrl: publicUrl(config) });
    const fetchMediaJob = createFetchMediaJob({ keyring: keyringOf(config), limits, allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS });
    built.set(config, (deps = { limits, sendJob, fetchMediaJob }));
  }
  return deps;
}

/** The inbox's background jobs, for the worker. */
export const inboxJobs = (config: Config): AnyJobDefinition[] => [intakeJob, wakeJob, drainJob, inboxDeps(config).sendJob, inboxDeps(config).fetchMediaJob];
