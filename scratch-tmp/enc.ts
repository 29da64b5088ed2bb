import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { cellEncoder, copyText, plainLine, splitCsvLine } from '../src/modules/imports/cells.ts';
import { findTemplate } from '../src/modules/imports/templates.ts';
const tpl = findTemplate('sell_out') as any;
const enc = tpl.columns.map((c: any) => cellEncoder(c));
const w = fs.createWriteStream('/tmp/sellout-data/typed.txt');
const t0 = performance.now(); const c0 = process.cpuUsage();
const decoder = new StringDecoder('utf8');
let rest = ''; let n = 0; let bytes = 0; let first = true;
for await (const chunk of fs.createReadStream('/tmp/sellout-data/sell_out.csv', { highWaterMark: 1 << 20 })) {
  const text = rest + decoder.write(chunk as Buffer);
  const last = text.lastIndexOf('\n');
  rest = text.slice(last + 1);
  const out: string[] = [];
  let from = 0;
  while (from < last) {
    const lf = text.indexOf('\n', from);
    const line = text.slice(from, lf); from = lf + 1;
    if (first) { first = false; continue; }
    const r = splitCsvLine(line)!; n++;
    const plain = plainLine(line); let t = '';
    for (let i = 0; i < enc.length; i++) { const v = enc[i](r[i], plain); const f = v === null ? '\\N' : plain ? v : copyText(v); t += i === 0 ? f : '\t' + f; }
    out.push(t, '\n');
  }
  const b = Buffer.from(out.join('')); bytes += b.length; w.write(b);
}
const cpu = process.cpuUsage(c0);
console.log(n, bytes, 'wall', ((performance.now() - t0) / 1000).toFixed(2), 'cpu', ((cpu.user + cpu.system) / 1e6).toFixed(2), 'rss', (process.memoryUsage().rss / 1e6).toFixed(0));
