import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { fileSystemStore } from '../src/modules/platform/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/** A refused upload leaves nothing on disk: the document store keeps only content it accepted. */

let t: TestApp;
let analyst: Browser;
let root: string;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

before(async () => {
  t = await createTestApp({ maxUploadBytes: 64 * 1024 });
  root = path.join(t.home, 'documents');
  await addAccount(t.db, 'P-1');
  const u = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
  analyst = await Browser.signedIn(t.app, u.email, u.password);
});
after(() => t.close());

test('an upload above the size limit (413) leaves none of its bytes on disk', async () => {
  const before = filesUnder(root);
  for (const url of ['/api/documents']) {
    const res = await analyst.upload(
      url,
      { entity_type: 'account', entity_id: 'P-1' },
      { name: 'big.txt', content: Buffer.alloc(200 * 1024, 97) },
    );
    assert.equal(res.statusCode, 413);
  }
  assert.deepEqual(filesUnder(root), before);
});

test('content of a refused type (415) and an empty file leave nothing on disk', async () => {
  const before = filesUnder(root);
  const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64, 1)]);
  const refused = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1' },
    { name: 'x.pdf', content: elf },
  );
  assert.equal(refused.statusCode, 415);
  const empty = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1' },
    { name: 'empty.txt', content: '' },
  );
  assert.equal(empty.statusCode, 400);
  assert.deepEqual(filesUnder(root), before);
});

test('an upload cut off mid-stream (the client went away) leaves nothing on disk', async () => {
  const before = filesUnder(root);
  const boundary = '----cut';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="entity_type"\r\n\r\naccount\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="entity_id"\r\n\r\nP-1\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="cut.txt"\r\n\r\n`,
    ),
    Buffer.alloc(20 * 1024, 98), // no closing boundary: the form ends in the middle of the file
  ]);
  const res = await analyst.request('POST', '/api/documents', {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  assert.ok(res.statusCode >= 400, `${res.statusCode}`);
  assert.deepEqual(filesUnder(root), before);

  // The store itself, given a stream that fails half-way, keeps nothing.
  const store = fileSystemStore(root);
  const failing = new Readable({
    read() {
      this.push(Buffer.alloc(1024, 99));
      this.destroy(new Error('connection reset'));
    },
  });
  await assert.rejects(store.put(failing), /connection reset/);
  assert.deepEqual(filesUnder(root), before);
});

test('an accepted upload is kept once', async () => {
  const before = filesUnder(root).length;
  const res = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1' },
    { name: 'ok.txt', content: 'a remittance advice\n' },
  );
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(filesUnder(root).length, before + 1);
  assert.equal(filesUnder(path.join(root, 'incoming')).length, 0);
});
