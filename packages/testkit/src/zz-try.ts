import { startClamd, startRspamd, EICAR } from "@steward/testkit";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
const c = (await startClamd())!;
let t0 = Date.now();
const r = (await startRspamd())!;
console.log("rspamd ready ms", Date.now() - t0);
writeFileSync(join(r.localDir, "local.d", "antivirus.conf"), `clamav {
  type = "clamav";
  servers = "127.0.0.1:${c.port}";
  action = "reject";
  message = '\${SCANNER}: virus found: "\${VIRUS}"';
  symbol = "CLAM_VIRUS";
  scan_mime_parts = true;
  log_clean = true;
}
`);
const off = 'reject = null; "add header" = null; "rewrite subject" = null; greylist = null; "soft reject" = null';
writeFileSync(join(r.localDir, "local.d", "settings.conf"), `
"steward-v.test" { priority = high; rcpt = "@v.test"; apply { symbols = ["STEWARD_SPAM_OFF", "STEWARD_VIRUS_REJECT"]; actions { reject = 1000000; "add header" = null; "rewrite subject" = null; greylist = null; "soft reject" = null; } } }
"steward-n.test" { priority = high; rcpt = "@n.test"; apply { symbols = ["STEWARD_SPAM_OFF"]; symbols_disabled = ["CLAM_VIRUS", "CLAM_VIRUS_FAIL"]; actions { ${off}; } } }
"steward-unfiltered" { priority = low; ip = ["0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"]; apply { symbols = ["STEWARD_SPAM_OFF"]; symbols_disabled = ["CLAM_VIRUS", "CLAM_VIRUS_FAIL"]; actions { ${off}; } } }
`);
process.kill(r.pidFile ? Number((await import("node:fs")).readFileSync(r.pidFile, "utf8")) : 0, "SIGHUP");
await new Promise((res) => setTimeout(res, 4000));
const msg = (to: string) => `From: a@outside.test\r\nTo: ${to}\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="eicar.com"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(EICAR).toString("base64")}\r\n--b--\r\n`;
for (const to of ["x@v.test", "x@n.test", "x@other.test"]) {
  const res = await fetch(`http://127.0.0.1:${r.ports.normal}/checkv2`, { method: "POST", headers: { Rcpt: to, From: "a@outside.test", Ip: "192.0.2.1" }, body: msg(to) });
  const j = await res.json() as any;
  console.log(to, j.action, Object.keys(j.symbols ?? {}).join(","), JSON.stringify(j.messages), j.score);
}
await r.stop(); await c.stop();
console.log(c.log().slice(-800));
