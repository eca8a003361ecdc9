import type { ExecutionEvent } from "@toolbatch/core";

/**
 * What a stretch of a row shows: the call's tool running, the call waiting for an approval, the
 * call ready but waiting for a shared resource's budget or a lock key (`call-wait`), or a call
 * already answered `timeout`/`aborted` whose tool is still running (and still holds its lock keys,
 * barrier and concurrency place) until its `call-release`.
 */
type SegmentKind = "run" | "wait" | "budget" | "hold";
type MarkKind = "approved" | "denied" | "suspended";

interface Segment {
  readonly kind: SegmentKind;
  readonly start: number;
  end: number | undefined;
  ok: boolean;
}

interface Row {
  readonly label: string;
  readonly segments: Segment[];
  /** Moments: an approval decision, or the loop suspending while the call waited. */
  readonly marks: { readonly at: number; readonly kind: MarkKind }[];
}

/** An event about one call, with its loop step. */
type CallEvent = Extract<ExecutionEvent, { call: unknown }> & { step: number };

const WIDTH = 48;
const GLYPHS: Record<SegmentKind, string> = { run: "█", wait: "·", budget: "-", hold: "░" };
const MARKS: Record<MarkKind, { glyph: string; color: number }> = {
  approved: { glyph: "✓", color: 32 },
  denied: { glyph: "✗", color: 31 },
  suspended: { glyph: "|", color: 33 },
};
const LEGEND: Record<SegmentKind | MarkKind, string> = {
  run: "█ ran",
  wait: "· waited for approval",
  budget: "- waited for a shared resource (rate limit, concurrency, lock key)",
  suspended: "| the loop suspended",
  approved: "✓ approved",
  denied: "✗ denied",
  hold: "░ answered timeout/aborted, its tool still running",
};

/**
 * A timeline of tool calls, one row per call on a shared time axis: when its tool ran, when it
 * waited for an approval, the decision, and when a call answered before its tool ended held its
 * place until the tool did. On a terminal it redraws live while calls run; piped, it prints once
 * at the end, with no escape codes.
 */
export class Timeline {
  private readonly rows = new Map<string, Row>();
  private readonly live: boolean;
  private drawn = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param origin The time (epoch milliseconds, as events carry it) the axis starts at: now, by
   *   default. Tests pass their own, with events of chosen times, so a picture never depends on
   *   how fast the machine ran.
   */
  constructor(
    private readonly title: string,
    private readonly scaleMs: number,
    private readonly out: Pick<NodeJS.WriteStream, "isTTY" | "write"> = process.stdout,
    private readonly origin: number = performance.timeOrigin + performance.now(),
  ) {
    this.live = out.isTTY === true && !process.env.NO_COLOR;
    if (this.live) this.timer = setInterval(() => this.redraw(), 50);
  }

  /** Feeds the executor's events (with their loop step). */
  readonly onEvent = (event: ExecutionEvent & { step: number }): void => {
    if (event.type === "batch-end" || event.type === "batch-start") return;
    const at = event.time - this.origin;
    if (event.type === "approval-requested") {
      this.row(event).segments.push({ kind: "wait", start: at, end: undefined, ok: true });
    } else if (event.type === "call-wait") {
      const row = this.row(event);
      // One stretch per wait: a call may wait for several resources in turn.
      close(row, "budget", at, true);
      row.segments.push({ kind: "budget", start: at, end: undefined, ok: true });
    } else if (event.type === "call-start") {
      const row = this.row(event);
      close(row, "budget", at, true);
      row.segments.push({ kind: "run", start: at, end: undefined, ok: true });
    } else if (event.type === "approval-decided") {
      const row = this.row(event);
      close(row, "wait", at, true);
      row.marks.push({ at, kind: event.approved ? "approved" : "denied" });
    } else if (event.type === "call-end") {
      const row = this.rows.get(key(event));
      if (!row) return;
      // A call answered while it waited for a resource (its time limit, an abort) never ran.
      close(row, "budget", at, false);
      close(row, "run", at, event.result.ok);
      // Answered, but its tool may not have ended: it holds its place until `call-release`.
      const code = event.result.ok ? undefined : event.result.error.code;
      if (event.startTime !== undefined && (code === "timeout" || code === "aborted")) {
        row.segments.push({ kind: "hold", start: at, end: undefined, ok: false });
      }
    } else if (event.type === "call-release") {
      const row = this.rows.get(key(event));
      if (row) close(row, "hold", at, event.outcome.ok);
    }
  };

  /** Ends every approval wait now: the loop suspended, and nothing waits in this process any more. */
  suspend(): void {
    const at = performance.timeOrigin + performance.now() - this.origin;
    for (const row of this.rows.values()) {
      if (close(row, "wait", at, true)) row.marks.push({ at, kind: "suspended" });
    }
  }

  /** Stops redrawing and prints the final picture, with a legend when it needs one. */
  finish(wallMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.redraw(wallMs);
  }

  private row(event: CallEvent): Row {
    const id = key(event);
    let row = this.rows.get(id);
    if (!row) {
      const input = ("input" in event ? event.input : event.call.input) as Record<string, unknown>;
      const first = Object.values(input ?? {})[0];
      row = {
        label: `${event.step + 1}· ${event.call.name}(${typeof first === "string" ? first : ""})`,
        segments: [],
        marks: [],
      };
      this.rows.set(id, row);
    }
    return row;
  }

  private redraw(wallMs?: number): void {
    const now = performance.timeOrigin + performance.now() - this.origin;
    const scale = WIDTH / Math.max(this.scaleMs, wallMs ?? now, 1);
    const paint = (code: number, text: string) =>
      this.live ? `\x1b[${code}m${text}\x1b[0m` : text;
    const lines = [`  ${this.title}${wallMs === undefined ? "" : `  (${wallMs.toFixed(0)} ms)`}`];
    const shown = new Set<keyof typeof LEGEND>();
    for (const row of this.rows.values()) {
      const cells: string[] = Array.from({ length: WIDTH + 1 }, () => " ");
      const put = (from: number, length: number, text: string) => {
        for (let i = from; i < Math.min(from + length, cells.length); i++) cells[i] = text;
      };
      for (const segment of row.segments) {
        const from = Math.round(segment.start * scale);
        const span = Math.round(((segment.end ?? now) - segment.start) * scale);
        // A wait decided at once (a resumed call asked again) takes no room; a run always shows.
        const length = segment.kind === "wait" ? span : Math.max(1, span);
        const glyph =
          segment.kind === "run" && segment.end === undefined ? "▒" : GLYPHS[segment.kind];
        const color = segment.kind === "wait" ? 33 : segment.ok ? 32 : 31;
        put(from, length, paint(color, glyph));
        if (length > 0) shown.add(segment.kind);
      }
      // Marks closer than a cell apart (suspended, then resumed at once) go side by side.
      let taken = -1;
      for (const mark of row.marks) {
        taken = Math.max(Math.round(mark.at * scale), taken + 1);
        put(taken, 1, paint(MARKS[mark.kind].color, MARKS[mark.kind].glyph));
        shown.add(mark.kind);
      }
      lines.push(`    ${row.label.padEnd(28).slice(0, 28)} ${cells.join("").trimEnd()}`);
    }
    // The plain picture (lookups that ran) needs no legend; anything else does.
    if (wallMs !== undefined && [...shown].some((kind) => kind !== "run")) {
      const kinds = (Object.keys(LEGEND) as (keyof typeof LEGEND)[]).filter((k) => shown.has(k));
      lines.push(`    ${kinds.map((kind) => LEGEND[kind]).join("   ")}`);
    }
    if (!this.live && wallMs === undefined) return;
    if (this.live && this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    this.out.write(`${lines.map((line) => (this.live ? `\x1b[2K${line}` : line)).join("\n")}\n`);
    this.drawn = lines.length;
  }
}

const key = (event: CallEvent) => `${event.step}:${event.call.id}`;

/** Ends the row's open segment of that kind, if it has one (and says whether it had). */
function close(row: Row, kind: SegmentKind, at: number, ok: boolean): boolean {
  const open = [...row.segments]
    .reverse()
    .find((segment) => segment.kind === kind && segment.end === undefined);
  if (!open) return false;
  open.end = at;
  open.ok = ok;
  return true;
}
