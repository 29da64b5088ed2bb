import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let analyst: Browser;

// The smallest valid PNG and PDF headers: what the content says, not what the name claims.
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2e3dbb70000000049454e44ae426082',
  'hex',
);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

before(async () => {
  t = await createTestApp({ maxUploadBytes: 64 * 1024 });
  await addAccount(t.db, 'P-1');
  const u = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
  analyst = await Browser.signedIn(t.app, u.email, u.password);
});
after(() => t.close());

test('the type comes from the content, not the file name', async () => {
  const res = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1', document_type: 'proof_of_sale' },
    { name: 'invoice.pdf', content: png },
  );
  assert.equal(res.statusCode, 201, res.body);
  const doc = res.json().document;
  assert.equal(doc.media_type, 'image/png');
  assert.equal(doc.file_name, 'invoice.pdf');
  assert.equal(doc.document_type, 'proof_of_sale');
  const pdfRes = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1' },
    { name: 'scan.bin', content: pdf },
  );
  assert.equal(pdfRes.json().document.media_type, 'application/pdf');
});

test('executables and other unknown binaries are refused', async () => {
  const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64, 1)]);
  const res = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1' },
    { name: 'report.pdf', content: elf },
  );
  assert.equal(res.statusCode, 415);
  assert.match(res.json().error.message, /report\.pdf/);
});

test('content is stored once by SHA-256, however often it is uploaded', async () => {
  const content = 'the same remittance advice\n';
  const first = (
    await analyst.upload(
      '/api/documents',
      { entity_type: 'account', entity_id: 'P-1' },
      { name: 'a.txt', content },
    )
  ).json().document;
  const second = (
    await analyst.upload(
      '/api/documents',
      { entity_type: 'account', entity_id: 'P-1' },
      { name: 'b.txt', content },
    )
  ).json().document;
  assert.notEqual(first.document_id, second.document_id);
  assert.equal(first.sha256, second.sha256);
  const blobs = fs.readdirSync(
    path.join(t.home, 'documents', first.sha256.slice(0, 2), first.sha256.slice(2, 4)),
  );
  assert.deepEqual(blobs, [first.sha256]);
  const { rows } = await t.db.query('select count(*) as n from document_blobs where sha256 = $1', [
    first.sha256,
  ]);
  assert.equal(rows[0]!.n, '1');
  const download = await analyst.get(`/api/documents/${second.document_id}/content`);
  assert.equal(download.body, content);
  assert.match(String(download.headers['content-disposition']), /b\.txt/);
  assert.equal(download.headers['x-content-type-options'], 'nosniff');
});

test('uploads above the size limit are refused with 413 and nothing is linked', async () => {
  const before = (await analyst.get('/api/documents?entity_type=account&entity_id=P-1')).json().items.length;
  const res = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'P-1' },
    { name: 'big.txt', content: Buffer.alloc(65 * 1024, 97) },
  );
  assert.equal(res.statusCode, 413);
  const afterCount = (await analyst.get('/api/documents?entity_type=account&entity_id=P-1')).json().items
    .length;
  assert.equal(afterCount, before);
});

test('a document must be linked to an entity that exists', async () => {
  const res = await analyst.upload(
    '/api/documents',
    { entity_type: 'account', entity_id: 'NOPE' },
    { name: 'a.txt', content: 'x' },
  );
  assert.equal(res.statusCode, 404);
  const unknownType = await analyst.upload(
    '/api/documents',
    { entity_type: 'spaceship', entity_id: '1' },
    { name: 'a.txt', content: 'x' },
  );
  assert.equal(unknownType.statusCode, 404);
  const missing = await analyst.upload('/api/documents', {}, { name: 'a.txt', content: 'x' });
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(
    missing.json().error.issues.map((i: { field: string }) => i.field),
    ['entity_type', 'entity_id'],
  );
});

test('attaching a document is in the entity’s audit trail', async () => {
  const trail = (await analyst.get('/api/audit/account/P-1')).json().items;
  assert.ok(
    trail.some(
      (e: { action: string; after: { file_name?: string } }) =>
        e.action === 'document_attached' && e.after.file_name === 'invoice.pdf',
    ),
  );
});
