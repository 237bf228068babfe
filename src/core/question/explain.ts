import type { AnalyzedQuestion } from "./types.js";

/** The AnalyzedQuestion in plain JSON: what a trace prints so an operator sees why an answer was chosen or refused. */
export interface AnalysisSummary {
  script: AnalyzedQuestion["script"];
  language: AnalyzedQuestion["language"];
  folded: string;
  tokens: string[];
  terms: Array<{ term: string; weight: number; source: string }>;
  expansions: Array<{ term: string; weight: number; source: string; from?: string }>;
  attribute: AnalyzedQuestion["attribute"];
  units: string[];
  alsoAsked?: AnalyzedQuestion["alsoAsked"];
  askedSubject?: string;
  asksChange?: true;
  asksLatest?: string;
  stance?: AnalyzedQuestion["stance"];
  years: number[];
  places: Array<{ name: string; relation: string }>;
  followUp?: AnalyzedQuestion["followUp"];
  chain?: AnalyzedQuestion["chain"];
  negated?: string[];
  address?: AnalyzedQuestion["address"];
  scope: AnalyzedQuestion["scope"];
}

export function summarizeAnalysis(q: AnalyzedQuestion): AnalysisSummary {
  return {
    script: q.script,
    language: q.language,
    folded: q.folded,
    tokens: q.tokens,
    terms: q.terms.map(({ term, weight, source }) => ({ term, weight: Math.round(weight * 100) / 100, source })),
    expansions: q.expansions.map((e) => ({ term: e.term, weight: e.weight, source: e.source, ...(e.from ? { from: e.from } : {}) })),
    attribute: q.attribute,
    units: q.units,
    ...(q.alsoAsked ? { alsoAsked: q.alsoAsked } : {}),
    ...(q.askedSubject ? { askedSubject: q.askedSubject } : {}),
    ...(q.asksChange ? { asksChange: true as const } : {}),
    ...(q.asksLatest ? { asksLatest: q.asksLatest } : {}),
    ...(q.stance ? { stance: q.stance } : {}),
    years: q.years,
    places: q.places.map((p) => ({ name: p.name, relation: p.relation })),
    ...(q.followUp ? { followUp: q.followUp } : {}),
    ...(q.chain ? { chain: q.chain } : {}),
    ...(q.negated ? { negated: q.negated } : {}),
    ...(q.address ? { address: q.address } : {}),
    scope: q.scope,
  };
}

/** Human-readable lines of the analysis (npm run ask -- --explain). */
export function explainLines(s: AnalysisSummary): string[] {
  const lines = [
    `语言/字形：${s.language} / ${s.script}`,
    `检索词：${s.terms.map((t) => `${t.term}(${t.weight}${t.source === "question" ? "" : `,${t.source}`})`).join(" ") || "（无）"}`,
    `扩展：${s.expansions.map((e) => `${e.from ?? ""}→${e.term}(${e.weight},${e.source})`).join(" ") || "（无）"}`,
    `所问：${s.attribute}${s.units.length ? `（单位 ${s.units.join("/")}）` : ""}${s.alsoAsked?.length ? `；另问 ${s.alsoAsked.map((a) => `${a.attribute}（“${a.clause}”${a.latest ? "，问最近一次" : ""}）`).join("、")}` : ""}${s.asksLatest ? "；问最近一次（取日期最晚的一句）" : ""}${s.askedSubject ? `；所问对象 ${s.askedSubject}` : ""}${s.asksChange ? "；问变化（前后两个数）" : ""}${s.stance ? (s.stance === "plan" ? "；问目标或计划（工作要点、业务目标优先）" : "；问实际结果（工作总结优先）") : ""}${s.years.length ? `；年份 ${s.years.join("、")}` : ""}`,
    `地点：${s.places.map((p) => `${p.name}(${p.relation})`).join(" ") || "（无）"}`,
    `范围：${s.scope.decision}（领域分 ${s.scope.domainScore}）${s.scope.reasons.length ? `：${s.scope.reasons.join("；")}` : ""}`,
  ];
  if (s.chain) lines.push(`接续：先答“${s.chain.antecedent}”，再按其答案所指查“${s.chain.clause}”（${s.chain.attribute}，所指“…${s.chain.head}”）`);
  if (s.negated) lines.push(`否定：问题否定了“${s.negated.join("、")}”，优先同样否定它的句子（如“未达到”），明说它的句子靠后`);
  if (s.address) {
    const { street, low, high, parity, estate } = s.address;
    if (estate) lines.push(`小区：…${street.slice(-4)}${low}村，按招生地段所列的村号范围查找`);
    else lines.push(`门牌：…${street.slice(-4)}${low === high ? low : `${low}–${high}`}号${parity === undefined ? "" : parity ? "（单号）" : "（双号）"}，按招生地段的门牌范围查找`);
  }
  if (s.followUp) lines.push(`追问：承接第 ${s.followUp.turn + 1} 轮“${s.followUp.question}”（${s.followUp.reason}），继承 ${s.followUp.inherited.join("、") || "（无）"}`);
  return lines;
}
