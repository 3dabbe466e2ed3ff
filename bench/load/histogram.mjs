// Log-bucketed latency histogram (~1% relative precision), mergeable across worker processes.
const K = 1 / Math.log(1.01); // bucket i covers [1.01^i, 1.01^(i+1)) microseconds
const BUCKETS = 2000; // up to 1.01^2000 us (~4e8 s): more than any timeout here

export class Histogram {
  constructor(counts) {
    this.counts = counts ? Uint32Array.from(counts) : new Uint32Array(BUCKETS);
  }

  /** Records one latency in microseconds. */
  record(us) {
    const i = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(us) * K));
    this.counts[i]++;
  }

  merge(other) {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    return this;
  }

  get count() {
    let n = 0;
    for (let i = 0; i < BUCKETS; i++) n += this.counts[i];
    return n;
  }

  /** q in [0,1]; returns microseconds (geometric middle of the bucket), or null when empty. */
  quantile(q) {
    const n = this.count;
    if (n === 0) return null;
    const rank = Math.max(1, Math.ceil(q * n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.exp((i + 0.5) / K);
    }
    return null;
  }

  /** Sparse form for IPC / JSON: [[bucket, count], ...]. */
  toJSON() {
    const out = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] !== 0) out.push([i, this.counts[i]]);
    return out;
  }

  static fromJSON(pairs) {
    const h = new Histogram();
    for (const [i, c] of pairs) h.counts[i] = c;
    return h;
  }
}
