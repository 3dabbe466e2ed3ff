// The calls a connection has in flight, by the sequential ids it gives them: a slot array indexed by
// id modulo its power-of-two size, grown when an old call still holds the slot a new id needs.
//
// Why not a Map: a Map under constant set/delete replaces its hash table every few hundred calls,
// and V8 keeps a link from each replaced table to its successor (for iterators still walking it).
// Once one replaced table had been promoted to the old generation, it kept the next one alive through
// every scavenge, and that one the next: at ~1,000 concurrent sessions every call's whole object
// graph (the downstream request and response included) was promoted, scavenges copied ~3 MB each and
// full collections ran several times a second. A plain array has no such link.

const INITIAL_SLOTS = 64;

export class CallTable<V extends { readonly id: number }> {
  private slots: Array<V | undefined> = new Array<V | undefined>(INITIAL_SLOTS).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): V | undefined {
    const value = this.slots[id % this.slots.length];
    return value !== undefined && value.id === id ? value : undefined;
  }

  /** Adds a value under its id; ids must be non-negative integers not already in the table. */
  add(value: V): void {
    while (this.slots[value.id % this.slots.length] !== undefined) this.grow();
    this.slots[value.id % this.slots.length] = value;
    this.count++;
  }

  /** Removes `value` if it is the entry under its id. */
  delete(value: V): void {
    const index = value.id % this.slots.length;
    if (this.slots[index] !== value) return;
    this.slots[index] = undefined;
    this.count--;
  }

  /** The entries in slot order; deleting entries while iterating is safe. */
  *values(): Generator<V> {
    const { slots } = this;
    for (let i = 0; i < slots.length; i++) {
      const value = slots[i];
      if (value !== undefined) yield value;
    }
  }

  /** Doubles the slots until every entry has one of its own. */
  private grow(): void {
    let size = this.slots.length * 2;
    for (;;) {
      const next = new Array<V | undefined>(size).fill(undefined);
      let fits = true;
      for (const value of this.slots) {
        if (value === undefined) continue;
        const index = value.id % size;
        if (next[index] !== undefined) {
          fits = false;
          break;
        }
        next[index] = value;
      }
      if (fits) {
        this.slots = next;
        return;
      }
      size *= 2;
    }
  }
}
