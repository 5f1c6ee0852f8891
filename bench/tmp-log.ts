import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const m = await import(pathToFileURL(join(import.meta.dirname, '../packages/server/dist/index.js')).href);
const lines: string[] = []; for (let i = 0; lines.join('\n').length < 10240; i++) { const t = new Date(Date.UTC(2026, 10, 22, 10, 0, i)).toISOString(); lines.push(i % 7 === 3 ? `${t} ERROR payment failed order=ord_${100000+i} card=4111 1111 1111 1111 status=402 https://api.shop.example.com/v1/charges/${i}` : `${t} INFO  GET /api/cart/${i}?session=s${i} 200 ${12+(i%40)}ms user=u_${i%97} agent="Mozilla/5.0 (X11; Linux x86_64)"`); }
const log = lines.join('\n').slice(0, 10240);
const policy = m.compilePolicy(m.DEFAULT_POLICY);
const ctx = { role: 'visitor', appDomains: ['shop.example.com'], appName: 'Acme' };
for (let i = 0; i < 300; i++) m.screenText(log, ctx, policy);
const out: number[] = [];
for (let i = 0; i < 1000; i++) { const t = process.hrtime.bigint(); m.screenText(log, ctx, policy); out.push(Number(process.hrtime.bigint() - t) / 1000); }
out.sort((a, b) => a - b);
console.log('p50', out[500], 'p90', out[900], 'p99', out[990], 'max', out[999]);
