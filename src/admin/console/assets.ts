/**
 * The console's own stylesheet and script, served from `/admin/assets/` (no CDN: the console must work
 * on an intranet without internet). Chart.js is served from its npm package.
 */
import { createRequire } from "node:module";
import path from "node:path";

/** Path of Chart.js's UMD build inside node_modules. */
export function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return path.join(path.dirname(main), "chart.umd.min.js");
}

export const CONSOLE_CSS = `
:root { --fg:#1b1f24; --muted:#5b6470; --line:#d6dbe1; --bg:#f6f7f9; --brand:#b3261e; --ok:#1e7d32; --warn:#b26a00; --focus:#1a56db; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; color:var(--fg); background:var(--bg); }
a { color:#0b57a4; }
:focus-visible { outline:3px solid var(--focus); outline-offset:2px; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.skip { position:absolute; left:-999px; } .skip:focus { left:8px; top:8px; background:#fff; padding:4px 8px; z-index:9; }
header.top { display:flex; flex-wrap:wrap; gap:8px 16px; align-items:center; padding:8px 16px; background:#fff; border-bottom:3px solid var(--brand); }
header.top .brand { font-weight:700; color:var(--brand); text-decoration:none; }
nav ul { list-style:none; display:flex; flex-wrap:wrap; gap:4px 12px; margin:0; padding:0; }
nav a[aria-current="page"] { font-weight:700; text-decoration:none; color:var(--fg); }
.me { margin-left:auto; display:flex; gap:8px; align-items:center; font-size:14px; color:var(--muted); }
main { max-width:1200px; margin:0 auto; padding:16px; }
h1 { font-size:24px; margin:8px 0 16px; }
h2 { font-size:19px; margin:24px 0 8px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px; margin-bottom:16px; }
.grid { display:grid; grid-template-columns:repeat(auto-fit,minmax(320px,1fr)); gap:16px; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
th { background:#eef1f4; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
label { display:block; font-weight:600; margin:12px 0 4px; }
.hint { font-weight:400; color:var(--muted); font-size:14px; }
input[type=text], input[type=password], input[type=search], input[type=date], input[type=datetime-local], input[type=number], select, textarea {
  width:100%; max-width:100%; padding:8px; border:1px solid #9aa4af; border-radius:6px; font:inherit; background:#fff; }
textarea { min-height:6em; }
.field-error { color:var(--brand); font-weight:600; margin:4px 0 0; }
textarea.code { font-family: ui-monospace, Consolas, monospace; font-size:14px; min-height:24em; }
button, .button { display:inline-block; padding:8px 14px; border:1px solid #0b57a4; border-radius:6px; background:#0b57a4; color:#fff; font:inherit; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#fff; color:#0b57a4; }
button.danger { background:var(--brand); border-color:var(--brand); }
.row { display:flex; flex-wrap:wrap; gap:8px; align-items:end; }
.row > * { flex:1 1 160px; }
.flash { padding:10px 14px; border-radius:6px; background:#e6f4ea; border:1px solid #9fd3a9; margin-bottom:16px; }
.errors { padding:10px 14px; border-radius:6px; background:#fdecea; border:1px solid #f1a7a0; margin-bottom:16px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; background:#eef1f4; font-size:13px; }
.badge.warn { background:#fff1d6; color:var(--warn); } .badge.ok { background:#e6f4ea; color:var(--ok); }
.preview { white-space:pre-wrap; background:#eef6ff; border:1px solid #b9d4f1; border-radius:12px; padding:12px; max-width:480px; }
.stat { font-size:28px; font-weight:700; }
.fact { display:flex; justify-content:space-between; align-items:center; gap:8px; margin:2px 0; }
button.small { padding:2px 10px; font-size:14px; }
.muted { color:var(--muted); }
dl.facts { display:grid; grid-template-columns:minmax(8em,max-content) 1fr; gap:4px 12px; margin:8px 0; }
dl.facts dt { font-weight:600; } dl.facts dd { margin:0; }
label.choice { font-weight:400; margin:4px 16px 4px 0; display:inline-block; }
fieldset .indent { margin:0 0 8px 24px; }
.actions form { display:inline; flex:0 0 auto; } .actions > * { flex:0 0 auto; }
ul.changes { margin:0; padding-left:1.1em; } ul.changes li { margin:0; }
del { color:#8a1c14; } ins { color:var(--ok); text-decoration:none; }
table.audit td:nth-child(1) { white-space:nowrap; }
tr.overdue td { background:#fff7e6; }
.count { display:inline-block; min-width:1.4em; padding:0 6px; border-radius:10px; background:var(--brand); color:#fff; font-size:12px; font-weight:700; text-align:center; }
td, th { overflow-wrap:anywhere; }
.transcript p { margin:4px 0; } .transcript .staff { text-align:right; }
@media (max-width:640px) {
  header.top { flex-direction:column; align-items:flex-start; } .me { margin-left:0; flex-wrap:wrap; }
  main { padding:8px; }
  /* Wide tables scroll by themselves; the page never scrolls sideways. */
  table:not(.report table):not(.stack) { display:block; overflow-x:auto; }
  /* Lists that matter on a phone (inbox, announcements) become one card per row, labels inline. */
  table.stack, table.stack tbody, table.stack tr, table.stack td { display:block; width:100%; }
  table.stack thead { display:none; }
  table.stack tr { border:1px solid var(--line); border-radius:8px; margin-bottom:8px; background:#fff; }
  table.stack td { border:0; padding:2px 8px; }
  table.stack td[data-label]::before { content:attr(data-label) ": "; color:var(--muted); font-size:14px; }
  pre, code { white-space:pre-wrap; word-break:break-word; }
}
/* Content forms: the preview beside the form on a desktop, below it (one tap away) on a phone; Save stays in view. */
.editor { display:grid; grid-template-columns:minmax(0,1fr) minmax(300px,440px); gap:16px; align-items:start; }
.editor .side { position:sticky; top:8px; max-height:calc(100vh - 16px); overflow:auto; }
.actions { position:sticky; bottom:0; z-index:2; display:flex; flex-wrap:wrap; gap:8px; padding:10px 0; margin-top:12px; background:#fff; border-top:1px solid var(--line); }
.phone-only { display:none; }
.field-error { color:var(--brand); margin:4px 0 0; font-size:14px; }
[aria-invalid="true"] { border-color:var(--brand) !important; }
.req { color:var(--brand); }
label.check { display:inline-flex; gap:4px; align-items:center; font-weight:400; margin:4px 12px 4px 0; }
.hours-row { display:flex; flex-wrap:wrap; gap:4px 12px; align-items:center; padding:6px 0; border-bottom:1px dashed var(--line); }
.hours-row label.time { display:inline-flex; gap:6px; align-items:center; font-weight:400; margin:0; }
.hours-row input[type=time] { padding:6px; border:1px solid #9aa4af; border-radius:6px; font:inherit; }
fieldset { border:1px solid var(--line); border-radius:6px; margin:12px 0; }
@media (max-width:900px) {
  .editor { grid-template-columns:1fr; }
  .editor .side { position:static; max-height:none; }
  .phone-only { display:inline-block; }
}
/* The printable report */
.report { background:#fff; max-width:210mm; margin:0 auto; padding:12mm; }
.report h1 { text-align:center; font-size:20px; text-transform:uppercase; }
.report .sub { text-align:center; margin-top:-8px; }
.report table { margin-bottom:8px; page-break-inside:avoid; }
@media print {
  @page { size:A4; margin:15mm; }
  body { background:#fff; font-size:12pt; }
  header.top, .noprint, .skip { display:none !important; }
  main { padding:0; max-width:none; }
  .report { padding:0; max-width:none; }
  .report th, .report td { padding:3px 6px; }
  .report h2 { margin:14px 0 6px; }
  h2 { page-break-after:avoid; }
  a { color:inherit; text-decoration:none; }
}
`;

/**
 * Draws the dashboard charts from the JSON in #dash-data (a data block, not a script), and keeps live
 * regions fresh: an element with \`data-live="<url>"\` gets its HTML from that JSON address every few
 * seconds, so new chat messages arrive without reloading the page and what staff type is never lost.
 * When the JSON's \`status\` differs from the element's \`data-status\`, the \`data-notice\` element shows.
 */
export const CONSOLE_JS = `
(function () {
  var live = document.querySelectorAll("[data-live]");
  Array.prototype.forEach.call(live, function (el) {
    var last = null, busy = false;
    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(el.getAttribute("data-live"), { credentials: "same-origin", headers: { accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) return;
          if (typeof d.html === "string" && d.html !== last) {
            el.innerHTML = d.html;
            last = d.html;
          }
          var was = el.getAttribute("data-status"), notice = document.getElementById(el.getAttribute("data-notice") || "");
          if (notice && was && d.status && d.status !== was) notice.hidden = false;
        })
        .catch(function () {})
        .then(function () { busy = false; });
    }
    tick();
    setInterval(tick, Number(el.getAttribute("data-every")) || 3000);
  });
})();
(function () {
  var el = document.getElementById("dash-data");
  if (!el || !window.Chart) return;
  var d = JSON.parse(el.textContent);
  var colors = ["#0b57a4", "#b3261e", "#1e7d32", "#b26a00", "#6a3fb5"];
  function chart(id, cfg) { var c = document.getElementById(id); if (c) new window.Chart(c, cfg); }
  chart("ch-questions", { type: "bar", data: { labels: d.labels.days, datasets: d.channels.map(function (c, i) {
    return { label: c.label, data: c.data, backgroundColor: colors[i % colors.length] }; }) },
    options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
  chart("ch-subscribers", { type: "line", data: { labels: d.labels.days, datasets: [{ label: d.labels.subscribers, data: d.subscribers, borderColor: colors[0] }] },
    options: { responsive: true, scales: { y: { beginAtZero: true } } } });
  chart("ch-top", { type: "bar", data: { labels: d.top.map(function (x) { return x.name; }), datasets: [{ label: d.labels.asked, data: d.top.map(function (x) { return x.n; }), backgroundColor: colors[2] }] },
    options: { indexAxis: "y", responsive: true } });
  chart("ch-satisfaction", { type: "line", data: { labels: d.satisfaction.map(function (x) { return x.month; }), datasets: [{ label: d.labels.satisfaction, data: d.satisfaction.map(function (x) { return x.index; }), borderColor: colors[1] }] },
    options: { responsive: true, scales: { y: { min: 0, max: 100 } } } });
})();
`;
