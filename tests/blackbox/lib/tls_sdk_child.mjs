// Run by tls.test.mjs in a child process started with NODE_EXTRA_CA_CERTS=<test CA>: the official
// SDK against ROSTER_BASE_URL (https://127.0.0.1:PORT/v1) with ROSTER_KEY, trusting the CA the
// way an application would (no SDK option, the process's CA store). Prints one JSON line.
import OpenAI from 'openai';

const client = new OpenAI({
  adminAPIKey: process.env.ROSTER_KEY,
  apiKey: 'unused',
  organization: null,
  project: null,
  baseURL: process.env.ROSTER_BASE_URL,
  maxRetries: 0,
  timeout: 20_000,
});
const org = client.admin.organization;
const out = {};
try {
  const users = await org.users.list();
  out.users = users.data.map((u) => ({ object: u.object, role: u.role }));
  const role = await org.roles.create({
    role_name: `tls-${process.pid}`,
    permissions: ['api.groups.read'],
  });
  out.created = { object: role.object, name: role.name };
  const fetched = await org.roles.list();
  out.role_listed = fetched.data.some((r) => r.id === role.id);
  out.deleted = (await org.roles.delete(role.id)).deleted;
} catch (e) {
  out.error = `${e.constructor.name}: ${e.message} ${e.cause?.code ?? e.cause?.message ?? ''}`;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
