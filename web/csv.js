// csv.js - CSV downloads of the tables as shown, built in the browser.
// toCsv() is RFC 4180: fields with a quote, comma, CR or LF (or edge spaces)
// are quoted, quotes doubled, lines end CRLF. A field that a spreadsheet
// would run as a formula (starting with =, +, -, @, tab or CR) is
// neutralised with a leading apostrophe, unless it is a plain number such
// as -12 or 3.5. tableRows() reads a rendered <table> as people see it
// (visually hidden helper text left out, dates as ISO 8601); download()
// saves a text as a file.

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

// One field, neutralised and quoted as needed.
export function csvField(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

// Rows (arrays of values; the first is the header) as CSV text, with a
// byte-order mark so that spreadsheets read it as UTF-8.
export function toCsv(rows) {
  return `\ufeff${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

// A cell that holds just a date as shown ("5 Dec 2026", format.js) goes to
// the file as ISO 8601 ("2026-12-05"): readable on screen, data in the file.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
export function isoDate(text) {
  const m = /^(\d{1,2}) ([A-Z][a-z]{2,3}) (\d{4})$/.exec(text);
  const month = m ? MONTHS.indexOf(m[2]) + 1 || MONTHS.indexOf(`${m[2]}t`) + 1 || (m[2] === 'Sep' ? 9 : 0) : 0;
  if (!month) return text;
  return `${m[3]}-${String(month).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

// The text of a cell as shown: text nodes joined by single spaces, without
// visually hidden or aria-hidden helper text; a date alone as ISO 8601.
export function cellText(el) {
  const parts = [];
  const walk = (n) => {
    for (const c of n.childNodes) {
      if (c.nodeType === 3) parts.push(c.nodeValue);
      else if (c.nodeType === 1 && !c.classList.contains('visually-hidden') && c.getAttribute('aria-hidden') !== 'true') walk(c);
    }
  };
  walk(el);
  return isoDate(parts.join(' ').replace(/\s+/g, ' ').trim());
}

// A rendered table's header row and body rows (an "empty" row is left out).
export function tableRows(table) {
  const rows = [];
  for (const tr of table.querySelectorAll(':scope > thead > tr, :scope > tbody > tr')) {
    const cells = [...tr.children];
    if (cells.length === 1 && cells[0].classList.contains('empty')) continue;
    rows.push(cells.map(cellText));
  }
  return rows;
}

// Saves text as a file (a CSV) through a temporary object URL.
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// "Contracts with this vendor" -> "contracts-with-this-vendor-2026-12-05.csv"
export function csvName(label) {
  const slug = String(label).toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'table';
  return `${slug}-${new Date().toISOString().slice(0, 10)}.csv`;
}
