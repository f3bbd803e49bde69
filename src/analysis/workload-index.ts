/**
 * Workloads indexed for selector matching, and the matches of a NetworkPolicy peer as a set that
 * is never stored. Internal to `src/analysis`.
 */
import { matchesSelector } from './label-selector';
import { LabelSelector, NamespaceModel, WorkloadModel } from './model';

/**
 * Workloads indexed by namespace and by label pair, so that a selector is
 * only tested against the workloads that can match it (the namespaces it may
 * cover, narrowed by its first `matchLabels` pair) instead of every workload.
 */
export class WorkloadIndex {
  private readonly byNamespace = new Map<string, WorkloadModel[]>();
  /** `namespace`, then `key=value`. */
  private readonly byLabel = new Map<string, Map<string, WorkloadModel[]>>();
  private readonly namespaceCache = new Map<string, string[]>();
  private readonly peerCache = new Map<string, SelectorMatches>();

  constructor(public readonly workloads: readonly WorkloadModel[], public readonly namespaces: readonly NamespaceModel[]) {
    for (const w of workloads) {
      push(this.byNamespace, w.namespace, w);
      let labels = this.byLabel.get(w.namespace);
      if (!labels) {
        labels = new Map();
        this.byLabel.set(w.namespace, labels);
      }
      for (const [k, v] of Object.entries(w.labels)) {
        push(labels, `${k}=${v}`, w);
      }
    }
  }

  /** The names of the namespaces `selector` matches; cached, as many policies repeat the same namespace selector. */
  public namespacesMatching(selector: LabelSelector): readonly string[] {
    const key = JSON.stringify(selector);
    let names = this.namespaceCache.get(key);
    if (!names) {
      names = this.namespaces.filter((n) => matchesSelector(selector, n.labels)).map((n) => n.name);
      this.namespaceCache.set(key, names);
    }
    return names;
  }

  /** The (shared) matches of a peer covering `namespaces` and selecting `podSelector` in them. */
  public peerMatches(namespaces: readonly string[], podSelector: LabelSelector | undefined): ReadonlySet<number> {
    const key = `${namespaces.join('\u0000')}\u0001${podSelector ? JSON.stringify(podSelector) : '*'}`;
    let matches = this.peerCache.get(key);
    if (!matches) {
      matches = new SelectorMatches(this, new Set(namespaces), podSelector);
      this.peerCache.set(key, matches);
    }
    return matches as unknown as ReadonlySet<number>;
  }

  /** The workloads of `namespace` that `selector` matches (all of them when it is undefined), in index order. */
  public select(namespace: string, selector: LabelSelector | undefined): WorkloadModel[] {
    if (!selector) {
      return this.byNamespace.get(namespace) ?? [];
    }
    const first = selector.matchLabels[0];
    const candidates = first
      ? this.byLabel.get(namespace)?.get(`${first[0]}=${first[1]}`) ?? []
      : this.byNamespace.get(namespace) ?? [];
    return candidates.filter((w) => matchesSelector(selector, w.labels));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/**
 * The workloads a NetworkPolicy peer matches, as a set that is never stored: membership is
 * tested on the workload's namespace and labels, iteration walks the workload index. Policies
 * that name broad peers (a whole zone of namespaces) would otherwise store workloads² / k
 * indices; this keeps the model the size of the input. Identical peers share one instance
 * (`WorkloadIndex.peerMatches`), so that evaluation can index the rules by peer.
 */
export class SelectorMatches implements Iterable<number> {
  private count?: number;

  constructor(
    private readonly index: WorkloadIndex,
    /** The namespaces the peer covers. */
    public readonly namespaces: ReadonlySet<string>,
    /** The pods it selects in them (every pod when undefined). */
    public readonly podSelector: LabelSelector | undefined,
  ) {}

  public has(i: number): boolean {
    const w = this.index.workloads[i];
    return w !== undefined && this.namespaces.has(w.namespace) && (!this.podSelector || matchesSelector(this.podSelector, w.labels));
  }

  public get size(): number {
    if (this.count === undefined) {
      let n = 0;
      for (const ns of this.namespaces) n += this.index.select(ns, this.podSelector).length;
      this.count = n;
    }
    return this.count;
  }

  public *[Symbol.iterator](): IterableIterator<number> {
    for (const ns of this.namespaces) {
      for (const w of this.index.select(ns, this.podSelector)) yield w.index;
    }
  }

  public *keys(): IterableIterator<number> {
    yield* this;
  }

  public *values(): IterableIterator<number> {
    yield* this;
  }

  public *entries(): IterableIterator<[number, number]> {
    for (const i of this) yield [i, i];
  }

  public forEach(fn: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (const i of this) fn.call(thisArg, i, i, this as unknown as ReadonlySet<number>);
  }
}
