/**
 * Token → dense integer id, in first-seen order. Ingest resolves every token once and both index
 * builders (BM25 postings, sparse vectors) work on the ids: one hash lookup per token instead of
 * one per builder, and typed arrays instead of per-passage maps.
 */
export class Vocabulary {
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.terms.length;
  }

  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  encode(tokens: readonly string[]): Uint32Array {
    const out = new Uint32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.id(tokens[i]!);
    return out;
  }
}
