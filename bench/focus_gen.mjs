// focus_gen.mjs - writes a synthetic FinOps FOCUS cost file for
// bench/import_bench.sh: usage: node bench/focus_gen.mjs FILE [ROWS]
// (default 200,000). Columns as a FocusCost 1.2 export names them; each
// row's Tags names one of the demo portfolio's workloads (or none, one row
// in 20, so the unallocated path is measured too). Deterministic.
import { createWriteStream } from 'node:fs';

const [file, rowsArg = '200000'] = process.argv.slice(2);
if (!file) { console.error('usage: node bench/focus_gen.mjs FILE [ROWS]'); process.exit(2); }
const rows = Number(rowsArg);
const workloads = ['Broker email summariser', 'Claims handler knowledge agent', 'HR policy assistant',
  'Developer coding assistant', 'Claims triage assistant', 'Underwriting document extraction',
  'Customer service chatbot (web and app)', 'Fraud signal explainer', 'Regulatory change monitor',
  'Contact-centre call summarisation'];
const services = [['Microsoft', 'OpenAI', 'Azure OpenAI Service'], ['Amazon Web Services', 'Anthropic', 'Amazon Bedrock'],
  ['Google', 'Google', 'Vertex AI'], ['Microsoft', 'Microsoft', 'Azure AI Search']];
let seed = 7;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const out = createWriteStream(file);
out.write('\ufeffBilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodStart,ChargeCategory,'
  + 'ChargeDescription,ChargePeriodStart,ChargePeriodEnd,ConsumedQuantity,ConsumedUnit,EffectiveCost,ProviderName,'
  + 'PublisherName,RegionName,ResourceName,ServiceName,Tags\r\n');
let buf = '';
for (let i = 0; i < rows; i++) {
  const [prov, pub, svc] = services[i % services.length];
  const month = String(9 + (i % 3)).padStart(2, "0");
  const day = 1 + (i % 28);
  const billed = (rand() * 50).toFixed(6);
  const effective = (billed * 0.96).toFixed(6);
  const tag = i % 20 === 0 ? '{"team":"unknown"}' : `{"workload":"${workloads[i % workloads.length]}","costcenter":"CC-${100 + (i % 7)}"}`;
  const d = String(day).padStart(2, '0');
  buf += `${billed},acct-7781,"Contoso Insurance, EA",USD,2026-${month}-01T00:00:00Z,Usage,"${svc} tokens, Global",`
    + `2026-${month}-${d}T00:00:00Z,2026-${month}-${d}T01:00:00Z,${Math.floor(rand() * 9000)},1K Tokens,${effective},`
    + `${prov},${pub},westeurope,res-${i % 500},${svc},"${tag.replace(/"/g, '""')}"\r\n`;
  if (buf.length > 1 << 20) { out.write(buf); buf = ''; }
}
out.end(buf);
