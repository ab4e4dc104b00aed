// Preload (`node --require scripts/report-rss.cjs ...`): at exit, writes the process's peak RSS in
// bytes to the file named by REPORT_RSS_FILE. Used by the streaming memory test and benchmarks.
process.on('exit', () => {
  const f = process.env.REPORT_RSS_FILE;
  if (f) require('node:fs').writeFileSync(f, String(process.resourceUsage().maxRSS * 1024));
});
