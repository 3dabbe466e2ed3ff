// Counters and a histogram for the per-request path. prom-client hashes and validates the label set
// on every update, even through a `labels()` child; here a child is a plain object per label set, so
// an update is an addition. Both register in a prom-client Registry as ordinary metrics.
import type { Registry } from "prom-client";

type Labels<N extends string> = Record<N, string>;

abstract class HotMetric<N extends string, C extends { reset(): void }> {
  readonly aggregator = "sum";
  protected readonly children = new Map<string, { labels: Labels<N>; child: C }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly N[],
    registry: Registry,
  ) {
    // prom-client's registry reads name, help, get() and reset(); its type names only its own classes.
    registry.registerMetric(this as never);
  }

  /** The child of one label set, created on first use. Keep it: updating a child needs no lookup. */
  labels(...values: string[]): C {
    const key = values.join("\u0000");
    let entry = this.children.get(key);
    if (!entry) {
      const labels = Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] ?? ""])) as Labels<N>;
      entry = { labels, child: this.newChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  /** Zeroes every child in place: children kept by callers stay registered. */
  reset(): void {
    for (const { child } of this.children.values()) child.reset();
  }

  protected abstract newChild(): C;

  protected labelValues(labels: Labels<N>): string[] {
    return this.labelNames.map((n) => labels[n]);
  }
}

export class CounterChild {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }

  reset(): void {
    this.value = 0;
  }
}

export class HotCounter<N extends string> extends HotMetric<N, CounterChild> {
  readonly type = "counter";

  inc(labels: Labels<N>, by = 1): void {
    this.labels(...this.labelValues(labels)).inc(by);
  }

  get() {
    const values = [...this.children.values()].map(({ labels, child }) => ({ labels, value: child.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  protected newChild(): CounterChild {
    return new CounterChild();
  }
}

export class HistogramChild {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

export class HotHistogram<N extends string> extends HotMetric<N, HistogramChild> {
  readonly type = "histogram";

  constructor(name: string, help: string, labelNames: readonly N[], private readonly buckets: readonly number[], registry: Registry) {
    super(name, help, labelNames, registry);
  }

  get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const { labels, child } of this.children.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += child.counts[i]!;
        values.push({ labels: { ...labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...labels, le: "+Inf" }, value: child.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: child.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  protected newChild(): HistogramChild {
    return new HistogramChild(this.buckets);
  }
}
