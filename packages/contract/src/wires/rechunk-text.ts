/** How a wire's stream events carry argument text, for {@link rechunkText}. */
export interface TextChunkCodec<Event> {
  /** The argument text an event carries and which call it belongs to, or `undefined` for any other event. */
  read(event: Event): { readonly key: string; readonly text: string } | undefined;
  /** The same event carrying other text. */
  write(template: Event, text: string): Event;
}

/**
 * Re-chunks a stream: consecutive argument-text events of one call are joined and split again at
 * the positions `cuts` picks, so fragment boundaries move while every other event, and the order
 * of everything, stays. Any chunking a server could produce of the same text is reachable.
 */
export function rechunkText<Event>(
  events: readonly Event[],
  cuts: readonly number[],
  codec: TextChunkCodec<Event>,
): Event[] {
  const out: Event[] = [];
  let cutCursor = 0;
  let run: { key: string; template: Event; parts: string[] } | undefined;
  const flush = () => {
    if (!run) return;
    const text = run.parts.join("");
    const points = new Set<number>();
    // Each run takes the next few cut positions; an empty cut list leaves the run whole.
    for (let n = 0; n < 6 && cutCursor < cuts.length; n++) {
      points.add(1 + ((cuts[cutCursor++] as number) % Math.max(1, text.length)));
    }
    let from = 0;
    for (const point of [...points].sort((a, b) => a - b)) {
      if (point <= from || point >= text.length) continue;
      out.push(codec.write(run.template, text.slice(from, point)));
      from = point;
    }
    out.push(codec.write(run.template, text.slice(from)));
    run = undefined;
  };
  for (const event of events) {
    const piece = codec.read(event);
    if (piece && run?.key === piece.key) {
      run.parts.push(piece.text);
      continue;
    }
    flush();
    if (piece) run = { key: piece.key, template: event, parts: [piece.text] };
    else out.push(event);
  }
  flush();
  return out;
}
