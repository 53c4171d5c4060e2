// `renmai <command>`: serve, worker, migrate and the operator commands.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, settingsTable, type Config } from './config.js';
import { importContactsFromFile } from './domains/imports/index.js';
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

const policies = ['skip', 'fill_empty', 'overwrite', 'merge'] as const;

function parseMappingFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read the mapping ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new InvalidArgumentError('The mapping must be a JSON object of "column header": "target" (e.g. {"手机": "phone", "姓名": "name"})');
  }
  return parsed as Record<string, string>;
}

function progressBar(done: number, total: number | null) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const share = total ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total ?? '?'} rows`);
}

program
  .command('import')
  .description('import data from a file')
  .command('contacts <file>')
  .description('import contacts from a CSV (UTF-8 or GBK): the same job as the console, run here with a progress bar')
  .requiredOption('--workspace <id or name>', 'workspace id or exact name')
  .requiredOption('--mapping <file.json>', 'JSON object mapping each column header to a target (name, phone, email, …, custom.<key>, identity.<channel>, ignore)', parseMappingFile)
  .option('--policy <policy>', `what to do with existing contacts: ${policies.join(', ')}`, (v: string) => {
    if (!(policies as readonly string[]).includes(v)) throw new InvalidArgumentError(`Use one of ${policies.join(', ')}`);
    return v as (typeof policies)[number];
  }, 'skip' as (typeof policies)[number])
  .option('--tags <names>', 'comma-separated tag names added to every imported contact (missing ones are created)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean), [] as string[])
  .action(async (file: string, opts: { workspace: string; mapping: Record<string, string>; policy: (typeof policies)[number]; tags: string[] }) => {
    const config = loadConfig();
    const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
    const result = await withDatabase(config, async (db) =>
      importContactsFromFile(db, config, logger, await operatorActor(db, opts.workspace), { file, mapping: opts.mapping, policy: opts.policy, tags: opts.tags, onProgress: progressBar }),
    ).finally(() => process.stderr.isTTY && process.stderr.write('\n'));
    console.log(`Import ${result.id} of ${result.fileName}: ${result.rowsTotal} rows — ${result.rowsCreated} created, ${result.rowsUpdated} updated, ${result.rowsSkipped} skipped, ${result.rowsFailed} failed`);
    if (result.rowsFailed) console.log(`Rows not imported and why: GET /api/v1/imports/${result.id}/errors.csv`);
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
