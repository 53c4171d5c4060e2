// `renmai <command>`: serve, worker, migrate and the operator commands.
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, settingsTable, type Config } from './config.js';
import { createAdmin, createWorkspace, operatorActor } from './domains/workspaces/index.js';
import { openConfiguredDatabase, serve, stopOnSignals, work } from './main.js';
import { createApiKey } from './platform/auth/api-keys.js';
import { allPermissions, isPermission, type Permission } from './platform/auth/permissions.js';
import { migrate } from './platform/db/migrate.js';
import { AppError } from './platform/http/errors.js';
import { createLogger } from './platform/log/logger.js';
import { version } from './version.js';

/** Runs `work` on a migrated database and closes it, for the one-shot commands. */
async function withDatabase<T>(config: Config, work: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrate(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

function parseScopes(value: string): Permission[] {
  if (value === 'all') return [...allPermissions];
  const scopes = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !isPermission(s));
  if (unknown.length || !scopes.length) throw new InvalidArgumentError(`Unknown scope(s) ${unknown.join(', ')}. Use "all" or a comma list of: ${allPermissions.join(', ')}`);
  return scopes as Permission[];
}

const program = new Command('renmai').description('Renmai social CRM').version(version);

program
  .command('serve')
  .description('serve the API, console and webhooks (and the worker unless WORKER=false)')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.LOG_LEVEL);
    stopOnSignals(await serve(config, logger), logger);
  });

program
  .command('worker')
  .description('run only the event dispatcher and job worker (PostgreSQL server)')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.LOG_LEVEL);
    stopOnSignals(await work(config, logger), logger);
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const database = await openConfiguredDatabase(loadConfig());
    try {
      const applied = await migrate(database.db);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await database.close();
    }
  });

program
  .command('create-workspace')
  .description('create a workspace (then add its owner with create-admin)')
  .requiredOption('--name <name>', 'workspace name')
  .action(async ({ name }: { name: string }) => {
    const { workspace } = await withDatabase(loadConfig(), (db) => createWorkspace(db, null, name));
    console.log(`Created workspace "${workspace.name}" ${workspace.id}`);
  });

program
  .command('create-admin')
  .description('make a person an administrator of a workspace (the first one becomes its owner)')
  .requiredOption('--workspace <id or name>', 'workspace id or exact name')
  .requiredOption('--email <email>', 'their e-mail; an account is created if there is none')
  .requiredOption('--password <password>', 'their password (must match an existing account)')
  .option('--name <name>', 'display name for a new account')
  .action(async (opts: { workspace: string; email: string; password: string; name?: string }) => {
    const config = loadConfig();
    const result = await withDatabase(config, (db) => createAdmin(db, config.PASSWORD_SCRYPT_LOG_N, opts));
    console.log(`${result.user.email} is now ${result.role} of "${result.workspace.name}" (member ${result.memberId})`);
  });

program
  .command('create-api-key')
  .description('create an API key acting as the workspace owner; prints the key once')
  .requiredOption('--workspace <id or name>', 'workspace id or exact name')
  .requiredOption('--name <name>', 'what the key is for')
  .requiredOption('--scopes <list>', '"all" or a comma list of permissions', parseScopes)
  .action(async (opts: { workspace: string; name: string; scopes: Permission[] }) => {
    const { secret, apiKey } = await withDatabase(loadConfig(), async (db) => createApiKey(db, await operatorActor(db, opts.workspace), opts));
    console.log(`API key "${apiKey.name}" (${apiKey.prefix}) with scopes ${apiKey.scopes.join(',')}:`);
    console.log(secret);
  });

program
  .command('config-table')
  .description('print every setting as a Markdown table (for the README)')
  .action(() => console.log(settingsTable()));

program.parseAsync().catch((err: unknown) => {
  if (err instanceof AppError) console.error(`Error (${err.code}): ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
