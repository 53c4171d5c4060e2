// Boot: config → database → migrations → HTTP and/or background worker.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { publicUrl, type Config } from './config.js';
import { ensureDemoWorkspace } from './demo.js';
import { backgroundJobs, configuredHandlers, configuredJobs, eventHandlers } from './background.js';
import { openDatabase, type DatabaseHandle } from './platform/db/connect.js';
import { migrate } from './platform/db/migrate.js';
import { startBackground, type Background } from './platform/events/index.js';
import { startHousekeeping } from './platform/housekeeping.js';
import { startContactPurge } from './domains/contacts/index.js';
import { startReminderSweep } from './domains/timeline/index.js';
import { startRfmSchedule } from './domains/rfm/index.js';
import { startPreferencesSchedule } from './domains/preferences/index.js';
import { startAssignmentSweep, startMailListener, startMailPolling, startProviderPolling } from './domains/inbox/index.js';
import { createLogger } from './platform/log/logger.js';
import { accessTokens } from './channels/access-token.js';
import { databaseTokenStore, keyringOf } from './domains/channels/index.js';

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return config.DATABASE_URL
    ? openDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE })
    : openDatabase({ dataDir: config.DATA_DIR });
}

export interface Running {
  app?: FastifyInstance;
  url?: string;
  stop(): Promise<void>;
}

async function startWorker(database: DatabaseHandle, logger: Logger, config: Config): Promise<Background> {
  // Provider access tokens are shared by every worker process through the database.
  accessTokens.useStore(databaseTokenStore(database.db, keyringOf(config)));
  const background = await startBackground({ db: database.db, handle: database, logger, config, jobs: [...backgroundJobs, ...configuredJobs(config)], handlers: [...eventHandlers, ...configuredHandlers(config)] });
  const stopHousekeeping = startHousekeeping(database.db, logger);
  const stopReminders = startReminderSweep(database.db, logger);
  const stopRfm = startRfmSchedule(database.db, logger);
  const stopPreferences = startPreferencesSchedule(database.db, logger);
  const stopPurge = startContactPurge(database.db, logger);
  const stopAssignmentSweep = startAssignmentSweep(database.db, logger, config);
  const stopMailPolling = startMailPolling(database.db, config, logger);
  const stopProviderPolling = startProviderPolling(database.db, config, logger);
  return {
    async stop() {
      await stopMailPolling();
      await stopProviderPolling();
      await stopHousekeeping();
      await stopRfm();
      await stopPreferences();
      await stopReminders();
      await stopPurge();
      await stopAssignmentSweep();
      await background.stop();
    },
  };
}

/** `renmai serve`: API, console and webhooks, plus the worker unless WORKER=false. */
export async function serve(config: Config, logger = createLogger(config.LOG_LEVEL)): Promise<Running> {
  const database = await openConfiguredDatabase(config);
  try {
    const applied = await migrate(database.db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const app = await buildApp({ db: database.db, database, config, logger });
    const address = await app.listen({ port: config.PORT, host: config.HOST });
    const mail = await startMailListener(database.db, config, logger);
    const background = config.WORKER ? await startWorker(database, logger, config) : undefined;
    const url = config.PUBLIC_URL ? publicUrl(config) : `http://localhost:${(app.server.address() as { port: number }).port}`;
    if (config.DEMO) await ensureDemoWorkspace(database.db, config, url);
    logger.info({ address, url, database: database.kind }, 'Renmai is serving');
    return {
      app,
      url,
      async stop() {
        await mail?.close();
        await app.close();
        await background?.stop();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** `renmai worker`: only the outbox dispatcher and job worker (needs a PostgreSQL server). */
export async function work(config: Config, logger = createLogger(config.LOG_LEVEL)): Promise<Running> {
  if (!config.DATABASE_URL) {
    throw new Error('`renmai worker` runs beside `renmai serve` on a PostgreSQL server: set DATABASE_URL. The embedded database runs its worker inside `npm start`.');
  }
  const database = await openConfiguredDatabase(config);
  await migrate(database.db);
  const background = await startWorker(database, logger, config);
  return {
    async stop() {
      await background.stop();
      await database.close();
    },
  };
}

/** Stops cleanly on SIGINT/SIGTERM: in-flight requests and jobs finish first. */
export function stopOnSignals(running: Running, logger: Logger) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
