// Python's snapshot, beside the worker's protocol: the shipped copy a first visit may start from
// (when the line brings it in time) and the copy kept in Cache Storage for later visits. Both are
// checked against wheel.json's sha256 before they are used or kept.

/** The file names are relative to this folder (wheel.json's `snapshot.url`). */
const here = new URL("./", import.meta.url);

/**
 * The shipped snapshot for a first visit, when the line is fast enough to make it worth its
 * 5 MB: the snapshot skips Python's start-up (0.7 s of a 1.7 s cold start on a 2-core desktop,
 * more on a slower one), and fetching it beside Python's own files costs that much only on a fast
 * line. A browser does not say how fast its line is (Chromium's navigator.connection stops at
 * 10 Mbit/s), so the download itself decides: the snapshot is used only if it arrives whole within
 * `wait` ms of being asked for; otherwise it is abandoned and Python starts normally. (A rate
 * measured early would decide sooner, but on a busy machine the first bytes come in bursts: a fast
 * line looked slow.) On the bench's 10 Mbit/s line the wait, and the bytes the snapshot took
 * meanwhile from Python's own files, cost a first visit about 0.1 s of 6. It is decompressed as
 * it arrives, and its sha256 checked at the end. Resolves to {bytes (decompressed, for loadPyodide), gzipped (as shipped, to keep)}, or null.
 */
export async function shippedSnapshot(snapshot, wait) {
  if (!wait || !self.crypto?.subtle) return null; // no sha256 to check it by outside a secure context
  const abandon = new AbortController();
  const timer = setTimeout(() => abandon.abort(), wait);
  try {
    // cache: no-store: if kept, it is kept decompressed in Cache Storage, not twice.
    const response = await fetch(new URL(snapshot.url, here), { cache: "no-store", signal: abandon.signal }).then(ok);
    const [shipped, unpacking] = response.body.tee();
    const bytesP = new Response(unpacking.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    bytesP.catch(() => {}); // abandoned or broken: said below, once
    const gzipped = await new Response(shipped).arrayBuffer();
    clearTimeout(timer);
    const digest = await crypto.subtle.digest("SHA-256", gzipped);
    if (`sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}` !== snapshot.integrity) {
      throw new Error("its sha256 is not the one wheel.json gives");
    }
    return { bytes: await bytesP, gzipped };
  } catch (error) {
    if (!abandon.signal.aborted) console.warn("calculators: the shipped Python snapshot is not used; starting Python normally", error);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// Where the snapshot is kept between visits: Cache Storage, decompressed (31 MB), under its
// versioned URL. Read back whole it costs a fraction of decompressing the shipped 5 MB again on
// every visit, which the HTTP cache would need. Cache Storage exists only in a secure context
// (https, or localhost): elsewhere nothing is kept, and every visit starts as a first one.
const SNAPSHOTS = "calculators-python-snapshot";

/** The cache of kept snapshots, or null (no Cache Storage: not a secure context, or refused). */
export async function openSnapshots() {
  try {
    return (await self.caches?.open(SNAPSHOTS)) ?? null;
  } catch {
    return null;
  }
}

/** The kept snapshot (a Response: its bytes are read as they are used), or null (a first visit,
 * another snapshot kept, or no Cache Storage). */
export async function keptSnapshot(snapshots, snapshot) {
  try {
    return (await snapshots?.match(new URL(snapshot.url, here).href)) ?? null;
  } catch {
    return null;
  }
}

/**
 * Keep the snapshot for the next visit: from `gzipped`, the bytes as shipped that this visit was
 * started from, or else fetched, at low priority (a seller who leaves meanwhile aborts it
 * harmlessly), with the sha256 checked over the bytes as shipped. They are decompressed straight
 * into the cache, and only a whole stream is kept: a damaged download or a broken gzip stream
 * keeps nothing. Any older snapshot is dropped.
 */
export async function keepSnapshot(snapshot, gzipped) {
  const url = new URL(snapshot.url, here).href;
  const cache = await self.caches.open(SNAPSHOTS);
  const shipped = gzipped
    ? new Blob([gzipped]).stream()
    : (await fetch(url, { integrity: snapshot.integrity, priority: "low", cache: "no-store" }).then(ok)).body;
  await cache.put(url, new Response(shipped.pipeThrough(new DecompressionStream("gzip"))));
  for (const old of await cache.keys()) if (old.url !== url) await cache.delete(old);
}

/** Forget the kept snapshot: the next visit boots normally and keeps a fresh copy. */
export async function dropSnapshot() {
  await self.caches?.delete(SNAPSHOTS).catch(() => {});
}

/** `response`, if it is not an error status. */
export function ok(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return response;
}
