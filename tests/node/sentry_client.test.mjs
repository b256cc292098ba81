// The real @sentry/node (11.x) against mepsim's Sentry fake, with its default HTTP
// transport (wrapped only to see the status codes it gets): events reach issues that
// users' scripts read back through Sentry's web API, rate limits make the SDK back off
// and report what it dropped, a wrong key is refused.
// Run by tests/integration/sentry_node_test.cc, which starts the fake and sets:
//   SENTRY_DSN, SENTRY_API_URL, SENTRY_API_TOKEN, SENTRY_PROJECT, SENTRY_TEST_MODE
// Each mode registers its own tests; the C++ side checks how many passed. The SDK also
// sends a `session` envelope for the process itself (release health), at start and exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Sentry from '@sentry/node';

const mode = process.env.SENTRY_TEST_MODE;
const apiUrl = process.env.SENTRY_API_URL;
const project = process.env.SENTRY_PROJECT;
// What the transport sent, per envelope: its item types and the answer's status
// (undefined when the SDK dropped every item itself and sent nothing).
const sent = [];
const statusesOf = (type) => sent.filter((s) => s.types.includes(type)).map((s) => s.status);

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  release: '1.7.4',
  environment: 'production',
  // The default transport, observed: every answer's status is kept for the assertions.
  transport: (options) => {
    const transport = Sentry.makeNodeTransport(options);
    return {
      send: async (envelope) => {
        const types = envelope[1].map(([itemHeader]) => itemHeader.type);
        const response = await transport.send(envelope);
        sent.push({ types, status: response.statusCode });
        return response;
      },
      flush: (timeout) => transport.flush(timeout),
    };
  },
});

async function api(path) {
  const response = await fetch(`${apiUrl}${path}`, {
    headers: { Authorization: `Bearer ${process.env.SENTRY_API_TOKEN}` },
  });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

async function issues(query) {
  const q = new URLSearchParams({ statsPeriod: '24h', query });
  return api(`/api/0/projects/mtes-mct/${project}/issues/?${q}`);
}

// One code path for both identical exceptions: same type, same in-app frame.
function failDuplicate() {
  return new TypeError('x is undefined');
}

if (mode === 'ingest') {
  test('captureException and captureMessage reach issues with their release', async () => {
    Sentry.captureException(new RangeError('page out of range'));
    Sentry.captureMessage('Mise en production 1.7.4 terminée');
    assert.equal(await Sentry.flush(5000), true);
    const found = await issues('release:1.7.4');
    const titles = found.map((i) => i.title).sort();
    assert.deepEqual(titles, ['Mise en production 1.7.4 terminée', 'RangeError: page out of range']);
    for (const issue of found) {
      assert.equal(typeof issue.id, 'string');
      assert.equal(issue.count, '1');
      assert.equal(issue.status, 'unresolved');
      assert.ok(!Number.isNaN(Date.parse(issue.firstSeen)));
      assert.ok(!Number.isNaN(Date.parse(issue.lastSeen)));
    }
    assert.equal(found.find((i) => i.title.startsWith('Mise')).level, 'info');
    assert.deepEqual(await issues('release:0.0.1'), []);
  });

  test('two identical exceptions make one issue with count 2', async () => {
    Sentry.captureException(failDuplicate());
    Sentry.captureException(failDuplicate());
    assert.equal(await Sentry.flush(5000), true);
    const found = (await issues('release:1.7.4')).filter((i) => i.title === 'TypeError: x is undefined');
    assert.equal(found.length, 1);
    assert.equal(found[0].count, '2');
    assert.equal(found[0].culprit, 'failDuplicate');
    const events = await api(`/api/0/issues/${found[0].id}/events/`);
    assert.equal(events.length, 2);
    assert.ok(events.every((e) => e.groupID === found[0].id));
    assert.ok(events.some((e) => e.tags.some((t) => t.key === 'release' && t.value === '1.7.4')));
  });

  test('an event over 32 KiB is sent gzipped and still read', async () => {
    Sentry.captureException(new SyntaxError('big payload'), { extra: { blob: 'x'.repeat(40 * 1024) } });
    assert.equal(await Sentry.flush(5000), true);
    const found = (await issues('release:1.7.4')).filter((i) => i.title === 'SyntaxError: big payload');
    assert.equal(found.length, 1);
  });
}

if (mode === 'rate_limit') {
  test('a 429 makes the SDK stop sending, then report ratelimit_backoff', async () => {
    Sentry.captureException(new TypeError('first'));
    assert.equal(await Sentry.flush(5000), true);
    Sentry.captureException(new TypeError('second, refused by the fake'));
    assert.equal(await Sentry.flush(5000), true);
    assert.deepEqual(statusesOf('event'), [200, 429]);
    // Within the window: dropped by the SDK itself, never sent. flush() then has the
    // client report sent (flush calls _flushOutcomes), which no rate limit applies to.
    Sentry.captureException(new TypeError('third, dropped by the SDK'));
    assert.equal(await Sentry.flush(5000), true);
    assert.deepEqual(statusesOf('event'), [200, 429, undefined]);
    // The SDK queues the report from inside flush() but sends it a moment later: wait for
    // it, at most 50 times 100 ms.
    let backoff = [];
    for (let attempt = 0; attempt < 50 && backoff.length === 0; attempt++) {
      await Sentry.flush(1000);
      const reports = await api(`/api/0/projects/mtes-mct/${project}/mepsim/client-reports/`);
      backoff = reports
        .flatMap((r) => r.discarded_events)
        .filter((d) => d.reason === 'ratelimit_backoff' && d.category === 'error');
      if (backoff.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(backoff.length, 1);
    assert.equal(backoff[0].quantity, 1);
    const found = await issues('');
    assert.equal(found.length, 1);
    assert.equal(found[0].title, 'TypeError: first');
    assert.deepEqual(statusesOf('client_report'), [200]);
  });
}

if (mode === 'wrong_key') {
  test('a DSN with a key the fake does not know is refused with 401', async () => {
    Sentry.captureException(new TypeError('with a wrong key'));
    assert.equal(await Sentry.flush(5000), true);
    assert.deepEqual(statusesOf('event'), [401]);
    assert.deepEqual(await issues(''), []);
  });
}
