// Preloaded (`node -r`) into a benchmarked process: at exit, writes its peak resident set size in
// kilobytes (process.resourceUsage().maxRSS) to the file named by BENCH_RSS_FILE.
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
