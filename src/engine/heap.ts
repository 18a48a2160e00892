/** @module engine/heap: a binary min-heap, the ordering structure behind ready messages, groups and deadlines. */

/** A min-heap ordered by `less`. Entries are never removed from the middle: callers validate popped entries. */
export class MinHeap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(item, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(items[right]!, items[left]!) ? right : left;
      if (!this.less(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
  clear(): void {
    this.items = [];
  }
  /** Keeps only the entries `keep` accepts and restores heap order: O(n), for dropping stale entries in bulk. */
  retain(keep: (item: T) => boolean): void {
    const items = this.items.filter(keep);
    this.items = [];
    // Re-pushing is O(n log n) worst case but simple; it runs rarely (amortised over as many removals).
    for (const item of items) this.push(item);
  }
}
