/** One Server-Sent Event as the HTML standard's parser delivers it. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Incremental `text/event-stream` parser. Network chunks can split a line, or even a CRLF pair,
 * anywhere, so partial lines are carried over until their terminator arrives.
 */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private id: string | undefined;
  private pendingCr = false;

  /** Feeds decoded text; returns the events completed by it. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    // A CR ending the previous chunk already ended a line; a LF opening this one belongs to it.
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      const end = match.index + match[0].length;
      if (match[0] === "\r" && end === this.buffer.length) this.pendingCr = true;
      this.buffer = this.buffer.slice(end);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** Ends the stream: an event without its closing blank line is dropped, as browsers do. */
  end(): void {
    this.buffer = "";
    this.reset();
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") {
      if (!this.data.length) {
        this.reset();
        return undefined;
      }
      const event: SseEvent = { event: this.event || "message", data: this.data.join("\n"), ...(this.id !== undefined ? { id: this.id } : {}) };
      this.reset();
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id") this.id = value;
    return undefined;
  }

  private reset(): void {
    this.event = "";
    this.data = [];
  }
}
