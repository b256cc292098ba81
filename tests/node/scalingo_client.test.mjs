// The real `scalingo` npm client against mepsim's Scalingo fake, unchanged: the fake is
// only worth something if the clients users script with work against it.
// Run by tests/integration/scalingo_client_test.cc with the env file of a `mepsim up`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientFromToken } from 'scalingo';

const opts = { apiUrl: process.env.SCALINGO_API_URL, authApiUrl: process.env.SCALINGO_AUTH_URL };
const token = process.env.SCALINGO_API_TOKEN;
const app = 'histologe';

test('clientFromToken exchanges the API token and Apps.all lists the profile apps', async () => {
  const client = await clientFromToken(token, opts);
  const apps = await client.Apps.all();
  // The profile's apps, and the review apps of the pull requests open in the git origin.
  const names = apps.filter((a) => !a.parent_app_name).map((a) => a.name).sort();
  assert.deepEqual(names, ['histologe', 'histologe-demo', 'histologe-staging']);
  const reviewApps = apps.filter((a) => a.parent_app_name).map((a) => a.name).sort();
  assert.deepEqual(reviewApps, ['histologe-staging-pr1141', 'histologe-staging-pr1142']);
  const production = await client.Apps.find(app);
  assert.equal(production.region, 'osc-fr1');
  assert.equal(production.status, 'running');
});

test('Environment.bulkUpdate then Environment.for shows the values', async () => {
  const client = await clientFromToken(token, opts);
  await client.Environment.bulkUpdate(app, [
    { name: 'MAINTENANCE_BANNER_ENABLE', value: '1' },
    { name: 'MAINTENANCE_BANNER_MESSAGE', value: 'Mise en production ce soir à 20h' },
  ]);
  const variables = await client.Environment.for(app);
  const byName = Object.fromEntries(variables.map((v) => [v.name, v.value]));
  assert.equal(byName.MAINTENANCE_BANNER_ENABLE, '1');
  assert.equal(byName.MAINTENANCE_BANNER_MESSAGE, 'Mise en production ce soir à 20h');
  assert.ok(variables.every((v) => typeof v.id === 'string' && v.id.length > 0));
});

test('Containers.restart follows the absolute Location to an operation', async () => {
  const client = await clientFromToken(token, opts);
  const operation = await client.Containers.restart(app, ['web']);
  assert.equal(operation.type, 'restart');
  assert.ok(['pending', 'running', 'done'].includes(operation.status), operation.status);
  await operation.wait();  // polls the operation every second until done
  assert.equal(operation.status, 'done');
});

test('Deployments.for is paginated with meta.pagination', async () => {
  const client = await clientFromToken(token, opts);
  const result = await client.Deployments.for(app, { page: 1, per_page: 10 });
  assert.ok(Array.isArray(result.deployments));
  assert.ok(result.deployments.length >= 1);
  const p = result.meta.pagination;
  assert.equal(p.current_page, 1);
  assert.ok(p.total_count >= 1 && p.total_pages >= 1);
});

test('Containers.run returns a one-off container', async () => {
  const client = await clientFromToken(token, opts);
  const container = await client.Containers.run(app, {
    command: 'php bin/console app:sync-esabora', detached: true,
  });
  assert.equal(container.type, 'one-off');
  assert.ok(container.id);
});

test('Events.for shows edit_variables and restart', async () => {
  const client = await clientFromToken(token, opts);
  const result = await client.Events.for(app);
  const types = result.events.map((e) => e.type);
  assert.ok(types.includes('edit_variables'), types.join(','));
  assert.ok(types.includes('restart'), types.join(','));
});

test('a wrong API token is refused with 401', async () => {
  await assert.rejects(clientFromToken('tk-us-not-a-real-token', opts), (error) => {
    assert.equal(error.status, 401);
    return true;
  });
});

test('a forged bearer is refused with 401', async () => {
  const { Client } = await import('scalingo');
  const client = new Client('eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.forged', opts);
  await assert.rejects(client.Apps.all(), (error) => {
    assert.equal(error.status, 401);
    return true;
  });
});
