// npm run user:add -- --email a@b.c --role admin [--name "Ada Lovelace"]
// Adds a user or updates one. The password is asked for on a terminal, or read
// from standard input when it is piped: echo "$PW" | npm run user:add -- ...
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { upsertUser } from '@/lib/auth/users';
import { closeDb, describeDatabase } from '@/lib/db';
import { userFormSchema } from '@/lib/validation/user';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += chunk;
    return data.replace(/\r?\n$/, '');
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(q);
      // Print nothing while the password is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
      rl.question('', (answer) => {
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password (empty keeps the current one): ');
  const second = first ? await ask('Again: ') : '';
  rl.close();
  if (first !== second) {
    console.error('The two passwords differ. Nothing was changed.');
    process.exit(1);
  }
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string', default: 'viewer' }, name: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.email) {
    console.log('Usage: npm run user:add -- --email a@b.c --role admin|viewer [--name "Full Name"]');
    process.exit(values.help ? 0 : 1);
  }
  const password = await readPassword();
  const parsed = userFormSchema.safeParse({ email: values.email, role: values.role, name: values.name, password });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`);
    process.exit(1);
  }
  try {
    const { user, created } = await upsertUser(parsed.data);
    console.log(`${created ? 'Added' : 'Updated'} ${user.email} (${user.role}) in ${describeDatabase()}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    // A PostgreSQL pool keeps the process alive until it is closed.
    await closeDb();
  }
}

void main();
