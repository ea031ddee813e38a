// generate.mjs - fills a running Switchyard with a synthetic portfolio
// through the API (so every record is validated and audited like a real
// one): usage: node bench/generate.mjs BASE TOKEN [workloads offerings contracts]
const [base, token, nw = '10000', no = '300', nc = '1000'] = process.argv.slice(2);
const counts = { workloads: Number(nw), offerings: Number(no), contracts: Number(nc) };
const H = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

let seed = 42;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rand() * a.length)];

async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers: H, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.id;
}

async function all(n, make, concurrency = 16) {
  const ids = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) { const i = next++; ids[i] = await make(i); }
  }));
  return ids;
}

async function list(path) {
  const res = await fetch(`${base}${path}?limit=500`, { headers: H });
  return (await res.json()).items;
}

const started = Date.now();
const vendors = (await list('/api/v1/vendors')).map((v) => v.id);
for (let i = vendors.length; i < 40; i++) {
  vendors.push(await post('/api/v1/vendors', { name: `Bench vendor ${i}`, country: 'US' }));
}
const tracks = ['copilot', 'azure', 'openai', 'other'];
const categories = ['model_api', 'assistant', 'platform', 'data_store', 'identity', 'tooling'];
const interfaces = ['openai_compatible', 'open_standard', 'proprietary'];
const existing = (await list('/api/v1/offerings')).map((o) => o.id);
const offerings = existing.concat(await all(Math.max(0, counts.offerings - existing.length), (i) =>
  post('/api/v1/offerings', {
    name: `Bench offering ${i}`, provider: pick(vendors), publisher: rand() < 0.7 ? pick(vendors) : null,
    host: rand() < 0.8 ? pick(vendors) : null, track: pick(tracks), category: pick(categories),
    interface: pick(interfaces), open_weight: rand() < 0.1,
  })));
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
await all(counts.contracts, (i) => {
  const covered = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 20) }, () => pick(offerings)))];
  const renew = rand() < 0.4;
  const start = -Math.floor(rand() * 900);
  return post('/api/v1/contracts', {
    name: `Bench contract ${i}`, kind: 'customer', counterparty: pick(vendors), offerings: covered,
    start_date: day(start), end_date: day(start + 365 + Math.floor(rand() * 1100)),
    notice_days: pick([30, 60, 90, 180]), auto_renew: renew, renewal_months: renew ? 12 : 0,
    annual_value: Math.floor(rand() * 2e6), committed_spend: rand() < 0.3 ? Math.floor(rand() * 1e6) : 0,
    exclusive: rand() < 0.02, exit_clause: pick(['none', 'partial', 'full']),
    data_portability: rand() < 0.6, substitutability: pick(['easy', 'medium', 'hard', 'none']),
  });
});
const statuses = ['proposed', 'pilot', 'production', 'production', 'production', 'retired'];
const roles = ['model', 'hosting', 'assistant', 'data', 'identity', 'tooling'];
await all(counts.workloads, (i) => {
  const deps = [];
  const n = 1 + Math.floor(rand() * 6);
  for (let k = 0; k < n; k++) {
    const d = { offering: pick(offerings), role: pick(roles) };
    if (!deps.some((x) => x.offering === d.offering && x.role === d.role)) deps.push(d);
  }
  return post('/api/v1/workloads', {
    name: `Bench workload ${i}`, track: pick(tracks), status: pick(statuses),
    criticality: pick(['low', 'medium', 'high', 'critical']), users: Math.floor(rand() * 5000),
    monthly_spend: Math.floor(rand() * 50000), swap_layer: rand() < 0.3,
    owner: `Owner ${i % 97}`, ai_act_tier: pick(['minimal', 'minimal', 'limited']),
    data_classification: pick(['internal', 'confidential', 'public']), dependencies: deps,
    planned_end: rand() < 0.5 ? day(Math.floor(rand() * 4000)) : null,
  });
}, 32);
console.error(`generated ${counts.workloads} workloads, ${offerings.length} offerings, ` +
  `${counts.contracts} contracts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
