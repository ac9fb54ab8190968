// Fails when `npm audit` reports high or critical advisories in runtime dependencies. When the
// registry's audit endpoint cannot be reached (offline mirrors answer 405), it says so and passes:
// an unreachable endpoint is not a finding.
import { execFileSync } from "node:child_process";

let raw;
try {
  raw = execFileSync("npm", ["audit", "--omit=dev", "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
} catch (err) {
  raw = err.stdout ?? "";
}
let report;
try {
  report = JSON.parse(raw);
} catch {
  console.log("audit: no report from npm (endpoint unreachable); skipped");
  process.exit(0);
}
if (report.error) {
  console.log(
    `audit: endpoint unavailable (${report.error.summary ?? report.error.code ?? "error"}); skipped`,
  );
  process.exit(0);
}
const v = report.metadata?.vulnerabilities ?? {};
const serious = (v.high ?? 0) + (v.critical ?? 0);
console.log(
  `audit: critical=${v.critical ?? 0} high=${v.high ?? 0} moderate=${v.moderate ?? 0} low=${v.low ?? 0}`,
);
process.exit(serious > 0 ? 1 : 0);
