// Preloaded (`node -r`) into a benchmarked process: at exit, writes its peak resident set size in
// kilobytes to the file named by BENCH_RSS_FILE. Linux: VmHWM from /proc/self/status, the peak of
// this program's own address space. Not process.resourceUsage().maxRSS: getrusage keeps the high
// water mark across execve, so a child spawned by a big benchmark process reported the parent's RSS.
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
  const fs = require('node:fs');
  process.on('exit', () => {
    let kb = process.resourceUsage().maxRSS;
    try {
      const m = /^VmHWM:\s*(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (m) kb = Number(m[1]);
    } catch {
      // not Linux: maxRSS it is
    }
    fs.writeFileSync(file, String(kb));
  });
}
