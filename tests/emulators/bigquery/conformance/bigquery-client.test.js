// Conformance of tf-bigquery-emulator with Google's official Node client, @google-cloud/bigquery 8.x
// (bigquery-rest.md §5.2-5.4): the client talks to the emulator over loopback exactly as it would to Google, and
// decodes every answer as §5.3 observed it decoding Google's.
//
// Environment (set by CTest): TF_BIGQUERY_EMULATOR (the binary), TF_NODE_DIR (where `npm install
// @google-cloud/bigquery@8` ran; ./dev does it), NODE_PATH=$TF_NODE_DIR/node_modules, METADATA_SERVER_DETECTION=none.
'use strict';

const {test, before, after, beforeEach} = require('node:test');
const assert = require('node:assert/strict');
const {spawn} = require('node:child_process');
const path = require('node:path');

const PROJECT = 'test-project';
const DATASET = 'node_ds';

function loadClient() {
  const dir = process.env.TF_NODE_DIR || '(TF_NODE_DIR unset)';
  try {
    return require('@google-cloud/bigquery');
  } catch (error) {
    throw new Error(`@google-cloud/bigquery is not installed in ${path.join(dir, 'node_modules')}: ` +
                    `run \`npm install @google-cloud/bigquery@8\` in ${dir} (./dev test does it). ${error.message}`);
  }
}

let emulator;
let baseUrl;
let BigQuery;
let Big;

function startEmulator() {
  const binary = process.env.TF_BIGQUERY_EMULATOR;
  if (!binary)
    throw new Error('TF_BIGQUERY_EMULATOR is not set: it names the tf-bigquery-emulator binary');
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20 s: ${output}`)), 20000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({child, url: match[1]});
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`${binary} exited (${code}) before listening: ${output}`)));
  });
}

async function admin(method, name, body) {
  const response = await fetch(`${baseUrl}/__emulator/${name}`, {
    method, headers: {'Content-Type': 'application/json'}, body: body === undefined ? undefined : JSON.stringify(body)});
  return response.json();
}

function client(options = {}) {
  return new BigQuery({projectId: PROJECT, apiEndpoint: baseUrl, autoRetry: false, ...options});
}

const schema = [
  {name: 'id', type: 'INT64', mode: 'REQUIRED'},
  {name: 'name', type: 'STRING'},
  {name: 'updated_at', type: 'TIMESTAMP'},
  {name: 'payload', type: 'JSON'},
  {name: 'tags', type: 'STRING', mode: 'REPEATED'},
  {name: 'addr', type: 'RECORD', fields: [{name: 'city', type: 'STRING'}, {name: 'zip', type: 'INT64'}]},
];

before(async () => {
  ({BigQuery} = loadClient());
  Big = require('big.js');
  ({child: emulator, url: baseUrl} = await startEmulator());
});

after(() => {
  if (emulator)
    emulator.kill();
});

beforeEach(async () => {
  delete process.env.FAST_QUERY_PATH;
  delete process.env.BIGQUERY_EMULATOR_HOST;
  await admin('POST', 'reset', {});
  await admin('POST', 'query-delay', {ms: 0, dmlDurationMs: null});
  const bq = client();
  await bq.dataset(DATASET).create({location: 'US'});
  await bq.dataset(DATASET).table('events').create({schema});
  await admin('DELETE', 'requests');
});

test('the official client is installed where CTest says', () => {
  assert.equal(typeof BigQuery, 'function');
  assert.match(require('@google-cloud/bigquery/package.json').version, /^8\./);
});

test('datasets and tables round-trip their resources', async () => {
  const bq = client();
  const [metadata] = await bq.dataset(DATASET).table('events').getMetadata();
  assert.equal(metadata.id, `${PROJECT}:${DATASET}.events`);
  assert.equal(metadata.numRows, '0');
  assert.deepEqual(metadata.schema.fields.map((f) => `${f.name}:${f.type}:${f.mode}`),
                   ['id:INTEGER:REQUIRED', 'name:STRING:NULLABLE', 'updated_at:TIMESTAMP:NULLABLE', 'payload:JSON:NULLABLE',
                    'tags:STRING:REPEATED', 'addr:RECORD:NULLABLE']);
  const [exists] = await bq.dataset(DATASET).table('nope').exists();
  assert.equal(exists, false);
  await assert.rejects(bq.dataset(DATASET).create({location: 'US'}), (error) => error.code === 409);
});

test('insertAll through table.insert, with generated and with raw insertIds', async () => {
  const bq = client();
  const table = bq.dataset(DATASET).table('events');
  await table.insert([
    {id: 1, name: 'a', updated_at: bq.timestamp('2024-01-27T00:00:00Z'), payload: JSON.stringify({k: 1}), tags: ['x'], addr: {city: 'Berlin', zip: 10115}},
    {id: 2, name: null},
  ], {partialRetries: 0});
  const raw = [{insertId: 'row-3', json: {id: 3, unknown: 'ignored'}}];
  await table.insert(raw, {raw: true, skipInvalidRows: true, ignoreUnknownValues: true, partialRetries: 0});
  await table.insert(raw, {raw: true, skipInvalidRows: true, ignoreUnknownValues: true, partialRetries: 0});
  const [rows] = await bq.query({query: `SELECT id FROM \`${PROJECT}.${DATASET}.events\` ORDER BY id`});
  assert.deepEqual(rows.map((r) => r.id), [1, 2, 3]);
  const [metadata] = await table.getMetadata();
  assert.equal(metadata.streamingBuffer.estimatedRows, '3');
});

test('a bad row is a PartialFailureError naming the row and the reason', async () => {
  const table = client().dataset(DATASET).table('events');
  await assert.rejects(table.insert([{id: 'not a number'}, {id: 5}], {partialRetries: 0}), (error) => {
    assert.equal(error.name, 'PartialFailureError', `${error}`);
    const failures = error.errors.map((e) => ({row: e.row.id, reason: e.errors[0].reason}));
    assert.deepEqual(failures.sort((a, b) => String(a.row).localeCompare(String(b.row))),
                     [{row: 5, reason: 'stopped'}, {row: 'not a number', reason: 'invalid'}]);
    assert.equal(error.errors.find((e) => e.row.id === 'not a number').errors[0].message,
                 'Cannot convert value to integer (bad value): not a number');
    return true;
  });
});

// §5.3's probe query, then one parameter of every type, decoded as the client decodes Google's answers.
test('parameters of every type are sent and decoded', async () => {
  const bq = client();
  const table = bq.dataset(DATASET).table('events');
  await table.insert([{id: 42, name: 'a', updated_at: bq.timestamp('2024-01-27T00:00:01Z')}], {partialRetries: 0});
  const [probe] = await bq.query({
    query: `SELECT * FROM \`${PROJECT}.${DATASET}.events\` WHERE id = @id AND name IN UNNEST(@names) AND updated_at > @since`,
    params: {id: 42, names: ['a', 'b'], since: bq.timestamp('2024-01-27T00:00:00Z'), st: {a: 1, b: 'x'}, doc: {k: 1}, f: 1.25, ok: true,
             nothing: null, day: bq.date('2024-01-27')},
    types: {doc: 'JSON', nothing: 'STRING'},
    location: 'US'});
  assert.equal(probe.length, 1);
  assert.equal(probe[0].id, 42);
  assert.equal(probe[0].updated_at.value, '2024-01-27T00:00:01.000Z');
  assert.deepEqual(probe[0].tags, []);
  assert.equal(probe[0].addr, null);

  const [rows] = await bq.query({
    query: 'SELECT @i AS i, @f AS f, @b AS b, @s AS s, @ts AS ts, @d AS d, @dt AS dt, @t AS t, @n AS n, @by AS bytes_, ' +
           'TO_JSON_STRING(@j) AS j, @nothing AS nothing, @arr AS arr, @st AS st, @g AS g, @neg AS neg',
    params: {i: 9007199254740991, f: 1.25, b: false, s: 'ünï "q"', ts: bq.timestamp('2024-01-27T10:30:00.123Z'),
             d: bq.date('2024-02-29'), dt: bq.datetime('2024-01-27 10:30:00'), t: bq.time('23:59:59'), n: new Big('-1.5'),
             by: Buffer.from([0, 1, 255]).toString('base64'), j: {k: [1, 'x']}, nothing: null, arr: ['a', 'b'], st: {a: 1, b: 'x'},
             g: bq.geography('POINT(1 2)'), neg: -3},
    types: {by: 'BYTES', j: 'JSON', nothing: 'STRING'}});
  const row = rows[0];
  assert.equal(row.i, 9007199254740991);
  assert.equal(row.f, 1.25);
  assert.equal(row.b, false);
  assert.equal(row.s, 'ünï "q"');
  assert.equal(row.ts.value, '2024-01-27T10:30:00.123Z');
  assert.equal(row.d.value, '2024-02-29');
  assert.equal(row.dt.value, '2024-01-27T10:30:00');
  assert.equal(row.t.value, '23:59:59');
  assert.equal(row.n.toString(), '-1.5');
  assert.deepEqual([...row.bytes_], [0, 1, 255]);
  assert.equal(row.j, '{"k":[1,"x"]}');
  assert.equal(row.nothing, null);
  assert.deepEqual(row.arr, ['a', 'b']);
  assert.deepEqual(row.st, {a: 1, b: 'x'});
  assert.equal(row.g.value, 'POINT(1 2)');
  assert.equal(row.neg, -3);

  // The client sends a Buffer parameter as its JSON form, not base64: BigQuery's value is a string, so it is refused.
  await assert.rejects(bq.query({query: 'SELECT @by', params: {by: Buffer.from('x')}}), (error) => error.code === 400);
});

test('results page with maxResults through getQueryResults and pageTokens', async () => {
  const bq = client();
  const ids = Array.from({length: 2500}, (_, i) => i);
  await bq.query({query: `INSERT INTO \`${PROJECT}.${DATASET}.events\` (id, name) SELECT i, CONCAT('n', CAST(i AS STRING)) FROM UNNEST(@ids) AS i`,
                  params: {ids}});
  await admin('DELETE', 'requests');
  const [rows] = await bq.query({query: `SELECT id, name FROM \`${PROJECT}.${DATASET}.events\` ORDER BY id`, maxResults: 300});
  assert.equal(rows.length, 2500);
  assert.deepEqual(rows.map((r) => r.id), ids);
  // The first page came from jobs.query, the rest from getQueryResults with the pageToken it handed out.
  const log = await admin('GET', 'requests');
  assert.ok(log.some((r) => r.method === 'GET' && r.path.includes('/queries/') && r.query.includes('pageToken=')), JSON.stringify(log));

  const [job] = await bq.createQueryJob({query: `SELECT id FROM \`${PROJECT}.${DATASET}.events\` WHERE id < 250 ORDER BY id DESC`});
  const [page, next] = await job.getQueryResults({maxResults: 100, autoPaginate: false});
  assert.equal(page.length, 100);
  assert.equal(page[0].id, 249);
  assert.ok(next && next.pageToken, 'a pageToken for the next page');
  const all = [...page];
  let query = next;
  while (query) {
    const [more, following] = await job.getQueryResults(query);
    all.push(...more);
    query = following;
  }
  assert.equal(all.length, 250);
  assert.deepEqual(all.map((r) => r.id), Array.from({length: 250}, (_, i) => 249 - i));
});

test('getRows pages tabledata.list and decodes nested and repeated cells', async () => {
  const bq = client();
  const table = bq.dataset(DATASET).table('events');
  const rows = Array.from({length: 230}, (_, i) => ({
    id: i, name: `n${i}`, updated_at: bq.timestamp(new Date(Date.UTC(2024, 0, 27, 0, 0, i % 60))),
    payload: JSON.stringify({i}), tags: i % 2 ? ['odd', String(i)] : [], addr: i % 3 ? {city: 'Berlin', zip: i} : null}));
  await table.insert(rows, {partialRetries: 0});
  const read = [];
  let query = {maxResults: 100, autoPaginate: false};
  let pages = 0;
  while (query) {
    const [page, next] = await table.getRows(query);
    read.push(...page);
    query = next;
    ++pages;
  }
  assert.equal(pages, 3);
  assert.equal(read.length, 230);
  assert.deepEqual(read.map((r) => r.id), rows.map((r) => r.id));
  const [all] = await table.getRows();
  assert.equal(all.length, 230);
  const seven = read.find((r) => r.id === 7);
  assert.equal(seven.name, 'n7');
  assert.equal(seven.updated_at.value, '2024-01-27T00:00:07.000Z');
  assert.equal(seven.payload, '{"i":7}');
  assert.deepEqual(seven.tags, ['odd', '7']);
  assert.deepEqual(seven.addr, {city: 'Berlin', zip: 7});
  assert.equal(read.find((r) => r.id === 6).addr, null);
  assert.deepEqual(read.find((r) => r.id === 6).tags, []);
});

test('FAST_QUERY_PATH=DISABLED goes through jobs.insert and getQueryResults', async () => {
  process.env.FAST_QUERY_PATH = 'DISABLED';
  const [rows] = await client().query({query: 'SELECT 1 AS x, @a + 1 AS y', params: {a: 1}, location: 'US'});
  assert.deepEqual(rows, [{x: 1, y: 2}]);
  const log = await admin('GET', 'requests');
  assert.ok(log.some((r) => r.method === 'POST' && r.path.endsWith(`/projects/${PROJECT}/jobs`)), JSON.stringify(log));
  assert.ok(log.some((r) => r.method === 'GET' && r.path.includes(`/projects/${PROJECT}/queries/`)), JSON.stringify(log));
  assert.ok(!log.some((r) => r.method === 'POST' && r.path.endsWith('/queries')), JSON.stringify(log));
});

test('BIGQUERY_EMULATOR_HOST sends requests without the /bigquery/v2 prefix', async () => {
  process.env.BIGQUERY_EMULATOR_HOST = baseUrl;
  const bq = new BigQuery({projectId: PROJECT, autoRetry: false});
  const [rows] = await bq.query({query: `SELECT COUNT(*) AS n FROM \`${PROJECT}.${DATASET}.events\``});
  assert.deepEqual(rows, [{n: 0}]);
  const [metadata] = await bq.dataset(DATASET).table('events').getMetadata();
  assert.equal(metadata.tableReference.tableId, 'events');
  const log = await admin('GET', 'requests');
  assert.ok(log.length > 0 && log.every((r) => r.path.startsWith(`/projects/${PROJECT}/`)), JSON.stringify(log));
});

// §5.3: jobs.query waits up to its default timeout for a slow job; a caller's own timeoutMs turns jobComplete:false
// into the client's "did not complete" error, and asking again gets the rows.
test('a query that is not complete in time reads as such, then completes', async () => {
  await admin('POST', 'query-delay', {ms: 1200});
  const bq = client();
  const [rows] = await bq.query({query: 'SELECT "late" AS s'});
  assert.deepEqual(rows, [{s: 'late'}]);
  const [job] = await bq.createQueryJob({query: 'SELECT "later" AS s'});
  await assert.rejects(job.getQueryResults({timeoutMs: 200}), /The query did not complete before 200ms/);
  const [done] = await job.getQueryResults();
  assert.deepEqual(done, [{s: 'later'}]);
  const log = await admin('GET', 'requests');
  assert.ok(log.some((r) => r.method === 'GET' && r.path.includes(`/queries/${job.id}`) && r.query.includes('timeoutMs=200')),
            JSON.stringify(log));
});

test('DML through query returns no rows and reports its count on the job', async () => {
  const bq = client();
  await bq.query({query: `INSERT INTO \`${PROJECT}.${DATASET}.events\` (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')`});
  const [rows] = await bq.query({query: `UPDATE \`${PROJECT}.${DATASET}.events\` SET name = @n WHERE id >= @id`, params: {n: 'z', id: 2}});
  assert.deepEqual(rows, []);
  const [job] = await bq.createQueryJob({query: `DELETE FROM \`${PROJECT}.${DATASET}.events\` WHERE name = 'z'`});
  await job.getQueryResults();
  const [metadata] = await job.getMetadata();
  assert.equal(metadata.status.state, 'DONE');
  assert.equal(metadata.statistics.query.numDmlAffectedRows, '2');
});

test('errors surface as the client reports Google errors', async () => {
  const bq = client();
  await assert.rejects(bq.dataset(DATASET).table('missing').getMetadata(), (error) => {
    assert.equal(error.code, 404);
    assert.equal(error.message, `Not found: Table ${PROJECT}:${DATASET}.missing`);
    assert.equal(error.errors[0].reason, 'notFound');
    return true;
  });
  await assert.rejects(bq.query({query: 'SELEC 1'}), (error) => {
    assert.equal(error.code, 400);
    assert.equal(error.message, 'Syntax error: Unexpected identifier "SELEC" at [1:1]');
    assert.equal(error.errors[0].reason, 'invalidQuery');
    return true;
  });
  await assert.rejects(bq.query({query: `SELECT * FROM \`${PROJECT}.${DATASET}.absent\``}), (error) => {
    assert.equal(error.code, 404);
    assert.equal(error.message, `Not found: Table ${PROJECT}:${DATASET}.absent was not found in location US`);
    return true;
  });
});
