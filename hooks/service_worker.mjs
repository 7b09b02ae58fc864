// Writes the site's service worker, sw.js at the site's root, with Workbox's generateSW
// (workbox-build, pinned in package.json): the precache list below, each file with its revision
// (the md5 of its bytes, or none for a file whose name already carries a hash), and the Workbox
// runtime inlined into sw.js, so the worker imports nothing from any host, this one included.
//
// Run by hooks/service_worker.py after the build has written every file: node service_worker.mjs SITE_DIR
// It prints the precache's count, size and Workbox's warnings as JSON ({"count", "size", "warnings"})
// for the caller to check.
import { generateSW } from "workbox-build";

const [site] = process.argv.slice(2);

// What a reader needs with the network gone: every page of both languages, the theme, the
// search index of each language, and the calculators with what their worker loads: Pyodide's
// loader, its wasm and lock file, the precompiled stdlib start set, the calculators wheel,
// wheel.json, policies.json, ECharts and the shipped snapshot. Not Pyodide's full stdlib
// (python_stdlib.zip, 2.5 MB), which the worker fetches only for a module outside the start set,
// nor the source maps, the feeds or the integrators' files.
const globPatterns = [
  "**/*.html",
  "sitemap.xml",
  "*/sitemap.xml",
  "search/search_index.json",
  "*/search/search_index.json",
  "assets/javascripts/*.{js,mjs}",
  "assets/javascripts/workers/*.js",
  "assets/javascripts/lunr/min/lunr.{stemmer.support,multi,zh}.min.js",
  "assets/stylesheets/*.css",
  "assets/images/*",
  "assets/policies.json",
  "assets/calculators/*.{mjs,css,json}",
  "assets/calculators/wheels/**/*.whl",
  "assets/echarts/*.js",
  "assets/pyodide/{pyodide.mjs,pyodide.asm.mjs,pyodide.asm.wasm,pyodide-lock.json}",
  "assets/pyodide/python_stdlib-*.pyc.zip",
  "assets/pyodide/calculators-*.snapshot.gz",
];

const { count, size, warnings } = await generateSW({
  globDirectory: site,
  globPatterns,
  globIgnores: ["bare/**", "bare-worker/**"],
  swDest: `${site}/sw.js`,
  // The wasm (9 MB) and the snapshot (5 MB) are the largest files the calculators load.
  maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
  // Files named by their content's hash need no revision: their URL changes when they do.
  dontCacheBustURLsMatching: /(\.[0-9a-f]{8}\.min\.(js|css)$)|(python_stdlib-[0-9a-f]{16}\.pyc\.zip$)|(calculators-[0-9a-f-]+\.snapshot\.gz$)|(wheels\/[0-9a-f]{16}\/)/,
  // The pages never vary by their query (?pyodide_timeout=, ?snapshot_wait=, Material's ?h=).
  ignoreURLParametersMatching: [/.*/],
  directoryIndex: "index.html",
  // A new build's worker takes over at once and removes the caches of the builds before it.
  skipWaiting: true,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: "production",
});
console.log(JSON.stringify({ count, size, warnings }));
