/**
 * A minimal Prometheus registry (text exposition format 0.0.4): counters and one latency histogram,
 * enough for requests, latencies, refusals and fallbacks without a native or Node-only dependency.
 */
type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const keys = Object.keys(labels);
  return keys.length ? `{${keys.map((k) => `${k}="${escape(labels[k]!)}"`).join(",")}}` : "";
};

class Counter {
  readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

class Histogram {
  readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines;
  }
}

/** The service's metrics; one instance per app. */
export class ServiceMetrics {
  readonly requests = new Counter("edu_http_requests_total", "HTTP requests by route, method and status");
  readonly latency = new Histogram("edu_http_request_duration_seconds", "HTTP request latency by route", [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
  ]);
  readonly answers = new Counter("edu_answers_total", "Answers by composer mode and whether they were grounded");
  readonly refusals = new Counter("edu_refusals_total", "Questions not answered, by reason (reply=\"partial\": a partial reply quoting related passages)");
  readonly fallbacks = new Counter("edu_llm_fallbacks_total", "LLM answers replaced by the extractive composer, by reason");
  readonly cache = new Counter("edu_answer_cache_total", "Answer cache lookups by result");
  readonly rateLimited = new Counter("edu_rate_limited_total", "Requests refused by the rate limiter");
  readonly feedback = new Counter("edu_feedback_total", "Feedback by rating");
  readonly reloads = new Counter("edu_index_reloads_total", "Index reloads by result");

  render(gauges: Record<string, { help: string; value: number; labels?: Labels }> = {}): string {
    const lines = [this.requests, this.latency, this.answers, this.refusals, this.fallbacks, this.cache, this.rateLimited, this.feedback, this.reloads].flatMap((m) => m.render());
    for (const [name, g] of Object.entries(gauges)) lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name}${labelText(g.labels ?? {})} ${g.value}`);
    return lines.join("\n") + "\n";
  }
}
