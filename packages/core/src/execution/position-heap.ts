/** The positions of calls free to start, smallest (earliest in the batch) first. */
export interface PositionHeap {
  /** How many positions it holds. */
  readonly size: number;
  /** Adds a position. O(1) when positions come in increasing order, as they mostly do. */
  push(position: number): void;
  /** Removes and returns the smallest position; call only when `size > 0`. O(log n). */
  pop(): number;
  /** Visits every position held, in no particular order. */
  forEach(visit: (position: number) => void): void;
}

/** A binary min-heap of positions, in one array. */
export function createPositionHeap(): PositionHeap {
  const items: number[] = [];
  return {
    get size() {
      return items.length;
    },
    push(position) {
      let index = items.length;
      items.push(position);
      while (index > 0) {
        const parent = (index - 1) >> 1;
        const above = items[parent] as number;
        if (above <= position) break;
        items[index] = above;
        index = parent;
      }
      items[index] = position;
    },
    pop() {
      const top = items[0] as number;
      const last = items.pop() as number;
      const size = items.length;
      if (size === 0) return top;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= size) break;
        const right = left + 1;
        const child =
          right < size && (items[right] as number) < (items[left] as number) ? right : left;
        if ((items[child] as number) >= last) break;
        items[index] = items[child] as number;
        index = child;
      }
      items[index] = last;
      return top;
    },
    forEach(visit) {
      for (const position of items) visit(position);
    },
  };
}
