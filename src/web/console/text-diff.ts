// Readable differences between two versions of a curated answer, for the history view. Chinese text
// has no spaces to split words on, so the answer is compared character by character (code points),
// then short unchanged runs sandwiched between changes are folded into the change, so an editor reads
// "删去 A，换成 B" instead of a confetti of single characters.

export type DiffKind = "same" | "added" | "removed";
export interface DiffSegment {
  kind: DiffKind;
  text: string;
}

/** Beyond this many cells (old × new characters after trimming) the middle is shown as one replacement. */
const MAX_CELLS = 4_000_000;
/** Unchanged runs this short between two changes are folded into the change. */
const MIN_KEPT_RUN = 2;

/** The character-level difference from `before` to `after`, as alternating runs (no empty runs). */
export function diffText(before: string, after: string): DiffSegment[] {
  const a = [...before];
  const b = [...after];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffSegment[] = [];
  push(ops, "same", a.slice(0, start).join(""));
  for (const op of middleDiff(a.slice(start, endA), b.slice(start, endB))) push(ops, op.kind, op.text);
  push(ops, "same", a.slice(endA).join(""));
  return foldShortRuns(ops);
}

/** True when the segments hold any addition or removal. */
export function hasChanges(segments: DiffSegment[]): boolean {
  return segments.some((s) => s.kind !== "same");
}

function push(ops: DiffSegment[], kind: DiffKind, text: string): void {
  if (!text) return;
  const last = ops[ops.length - 1];
  if (last && last.kind === kind) last.text += text;
  else ops.push({ kind, text });
}

/** LCS over the differing middle; removals are listed before additions within a change. */
function middleDiff(a: string[], b: string[]): DiffSegment[] {
  if (!a.length || !b.length || a.length * b.length > MAX_CELLS) {
    const out: DiffSegment[] = [];
    push(out, "removed", a.join(""));
    push(out, "added", b.join(""));
    return out;
  }
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  // lcs[i * width + j] = LCS length of a[i..] and b[j..].
  const lcs = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffSegment[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    push(out, "removed", removed);
    push(out, "added", added);
    removed = added = "";
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      flush();
      push(out, "same", a[i]!);
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) removed += a[i++]!;
    else added += b[j++]!;
  }
  removed += a.slice(i).join("");
  added += b.slice(j).join("");
  flush();
  return out;
}

/** Folds short unchanged runs lying between two changes into the surrounding removal and addition. */
function foldShortRuns(ops: DiffSegment[]): DiffSegment[] {
  let changed = true;
  let current = ops;
  while (changed) {
    changed = false;
    const out: DiffSegment[] = [];
    for (let k = 0; k < current.length; k++) {
      const op = current[k]!;
      const inside = k > 0 && k < current.length - 1;
      if (op.kind === "same" && inside && [...op.text].length <= MIN_KEPT_RUN) {
        // Move the kept run into both sides: it was removed and added back.
        const removal = { kind: "removed" as const, text: op.text };
        const addition = { kind: "added" as const, text: op.text };
        mergeChange(out, removal, addition);
        changed = true;
        continue;
      }
      if (op.kind !== "same") mergeChange(out, op.kind === "removed" ? op : undefined, op.kind === "added" ? op : undefined);
      else out.push({ ...op });
    }
    current = out;
  }
  return current;
}

/** Appends a removal and/or addition to the trailing change of `out`, keeping removals first. */
function mergeChange(out: DiffSegment[], removal: DiffSegment | undefined, addition: DiffSegment | undefined): void {
  // The trailing change: up to one removed and one added segment after the last unchanged run.
  let tail = out.length;
  while (tail > 0 && out[tail - 1]!.kind !== "same") tail--;
  const change = out.splice(tail);
  let removed = change.filter((s) => s.kind === "removed").map((s) => s.text).join("");
  let added = change.filter((s) => s.kind === "added").map((s) => s.text).join("");
  if (removal) removed += removal.text;
  if (addition) added += addition.text;
  push(out, "removed", removed);
  push(out, "added", added);
}

export interface ListDiff {
  added: string[];
  removed: string[];
  kept: string[];
}

/** Items added, removed and kept between two lists (question variants, citations), in list order. */
export function diffList(before: readonly string[], after: readonly string[]): ListDiff {
  const old = new Set(before);
  const now = new Set(after);
  return {
    added: after.filter((x) => !old.has(x)),
    removed: before.filter((x) => !now.has(x)),
    kept: after.filter((x) => old.has(x)),
  };
}
