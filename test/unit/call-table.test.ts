import { describe, expect, it } from "vitest";
import { CallTable } from "../../src/upstream/call-table.js";

const entry = (id: number) => ({ id });

describe("call table", () => {
  it("finds entries by id and forgets removed ones", () => {
    const table = new CallTable<{ id: number }>();
    const [a, b] = [entry(1), entry(2)];
    table.add(a);
    table.add(b);
    expect(table.size).toBe(2);
    expect(table.get(1)).toBe(a);
    table.delete(a);
    expect(table.get(1)).toBeUndefined();
    expect(table.get(2)).toBe(b);
    expect(table.size).toBe(1);
  });

  it("keeps an old entry when a new id lands on its slot, and tells ids sharing a slot apart", () => {
    const table = new CallTable<{ id: number }>();
    const old = entry(3);
    table.add(old);
    // Ids 67, 131 ... share slot 3 of a 64-slot table: the table grows rather than overwrite.
    const later = [67, 131, 195, 1_000_003].map(entry);
    for (const e of later) table.add(e);
    expect(table.get(3)).toBe(old);
    for (const e of later) expect(table.get(e.id)).toBe(e);
    expect(table.get(259)).toBeUndefined();
    expect(table.size).toBe(5);
  });

  it("deletes only the entry it was given", () => {
    const table = new CallTable<{ id: number }>();
    const current = entry(5);
    table.add(current);
    table.delete(entry(5));
    expect(table.get(5)).toBe(current);
  });

  it("iterates every entry once, also while entries are deleted", () => {
    const table = new CallTable<{ id: number }>();
    const all = Array.from({ length: 300 }, (_, i) => entry(i * 7 + 1));
    for (const e of all) table.add(e);
    const seen: number[] = [];
    for (const e of table.values()) {
      seen.push(e.id);
      table.delete(e);
    }
    expect(seen.sort((x, y) => x - y)).toEqual(all.map((e) => e.id));
    expect(table.size).toBe(0);
    expect([...table.values()]).toEqual([]);
  });
});
