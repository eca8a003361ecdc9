import type { ExecutionEvent } from "@toolbatch/core";

interface Bar {
  readonly label: string;
  readonly start: number;
  end: number | undefined;
  ok: boolean;
}

const WIDTH = 48;

/**
 * A timeline of tool calls, one bar per call on a shared time axis. On a terminal it redraws
 * live while calls run; piped, it prints once at the end, with no escape codes.
 */
export class Timeline {
  private readonly bars = new Map<string, Bar>();
  private readonly origin = performance.timeOrigin + performance.now();
  private readonly live: boolean;
  private drawn = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly title: string,
    private readonly scaleMs: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    this.live = out.isTTY === true && !process.env.NO_COLOR;
    if (this.live) this.timer = setInterval(() => this.redraw(), 50);
  }

  /** Feeds the executor's events (with their loop step). */
  readonly onEvent = (event: ExecutionEvent & { step: number }): void => {
    if (event.type === "call-start") {
      const input = event.input as { city?: string };
      this.bars.set(`${event.step}:${event.call.id}`, {
        label: `${event.step + 1}· ${event.call.name}(${input.city ?? ""})`,
        start: event.time - this.origin,
        end: undefined,
        ok: true,
      });
    } else if (event.type === "call-end") {
      const bar = this.bars.get(`${event.step}:${event.call.id}`);
      if (bar) {
        bar.end = event.time - this.origin;
        bar.ok = event.result.ok;
      }
    }
  };

  /** Stops redrawing and prints the final picture. */
  finish(wallMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.redraw(wallMs);
  }

  private redraw(wallMs?: number): void {
    const now = performance.timeOrigin + performance.now() - this.origin;
    const scale = WIDTH / Math.max(this.scaleMs, wallMs ?? now, 1);
    const paint = (code: number, text: string) =>
      this.live ? `\x1b[${code}m${text}\x1b[0m` : text;
    const lines = [`  ${this.title}${wallMs === undefined ? "" : `  (${wallMs.toFixed(0)} ms)`}`];
    for (const bar of this.bars.values()) {
      const from = Math.round(bar.start * scale);
      const length = Math.max(1, Math.round(((bar.end ?? now) - bar.start) * scale));
      const body = (bar.end === undefined ? "▒" : "█").repeat(length);
      lines.push(
        `    ${bar.label.padEnd(26).slice(0, 26)} ${" ".repeat(from)}${paint(bar.ok ? 32 : 31, body)}`,
      );
    }
    if (!this.live && wallMs === undefined) return;
    if (this.live && this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    this.out.write(`${lines.map((line) => (this.live ? `\x1b[2K${line}` : line)).join("\n")}\n`);
    this.drawn = lines.length;
  }
}
