// app.js - placeholder front end: shows the catalogue counts from the API.
const counts = document.getElementById('counts');

async function total(path) {
  const res = await fetch(`/api/v1/${path}?limit=1`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()).total;
}

for (const path of ['vendors', 'offerings', 'contracts', 'workloads']) {
  const dt = document.createElement('dt');
  const dd = document.createElement('dd');
  dt.textContent = path;
  dd.textContent = '…';
  counts.append(dt, dd);
  total(path).then((n) => { dd.textContent = String(n); })
    .catch((err) => { dd.textContent = err.message; });
}
