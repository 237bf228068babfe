import { Hono } from "hono";
import { curatedRoutes, type CitablePassage } from "../../src/core/http/routes/curated.js";
import { reportRoutes } from "../../src/core/http/routes/report.js";
import { problem } from "../../src/core/http/problem.js";
import { createJsSegmenter } from "../../src/core/search/js-segmenter.js";
import { createTokenizer } from "../../src/core/search/tokenizer.js";
import type { QuestionTerms } from "../../src/core/store/question-clusters.js";
import { generateStaffToken, hashStaffToken } from "../../src/core/store/staff-token.js";
import type { AssistantStore, StaffRole } from "../../src/core/store/types.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { loadCppjiebaLexicon } from "../../src/node/jieba-lexicon.js";
import { corpusLine, FILES } from "../helpers.js";

/**
 * Passages cited by the curated-answer tests: real lines of the corpus with the headings and year
 * of their documents, under ids shaped like the index's.
 */
export function corpusPassages(): Map<string, CitablePassage> {
  const passage = (file: string, needle: string, headingPath: string[], year: number): CitablePassage => {
    const text = corpusLine(file, needle).trim();
    return { text, folded: foldForMatching(text), headingPath, year };
  };
  return new Map([
    // 全市新增公办园22所，提供公办学位5800个 …
    ["2024-work-summary#p005", passage(FILES.summary2024, "提供公办学位5800个", ["2024年以来青岛市教育工作总结", "一、突出扩优提质，在“上好学”上取得新进展"], 2024)],
    // 开展《小学生“三点半”实践教育丛书》推广试点，优化小学生课后托管服务 …
    ["2021-business-targets#p031", passage(FILES.targets2021, "优化小学生课后托管服务", ["2021年度市直单位业务目标（市教育局）"], 2021)],
    // 启动中小学课后延时服务x.x版本 … (anonymised figures)
    ["speech-education-forum#p017", passage(FILES.speech, "启动中小学课后延时服务", ["教育局党组书记、局长在教育工作论坛上的研讨发言"], 2022)],
  ]);
}

/**
 * Weighted terms for clustering in tests: the project's tokenizer over the pure-JS segmenter (the
 * Worker's), each token weighted by its IDF from the jieba dictionary — the shape of the question
 * analysis's terms, without depending on it.
 */
export function tokenizerQuestionTerms(): QuestionTerms {
  const lexicon = loadCppjiebaLexicon();
  const tokenize = createTokenizer({ segmenter: createJsSegmenter({ lexicon }) });
  return (question) => {
    const terms = new Map<string, number>();
    for (const token of tokenize(question)) terms.set(token, (terms.get(token) ?? 0) + (lexicon.idf(token) ?? 12));
    return terms;
  };
}

/** A Hono app with the staff sub-apps mounted the way the integrator mounts them. */
export function staffApp(store: AssistantStore, options: { passages?: Map<string, CitablePassage>; questionTerms?: QuestionTerms; now?: () => Date } = {}): Hono {
  const passages = options.passages ?? corpusPassages();
  const app = new Hono();
  app.route("/", curatedRoutes({ store, passageById: (id) => passages.get(id), ...(options.now ? { now: options.now } : {}) }));
  app.route("/", reportRoutes({ store, questionTerms: options.questionTerms ?? tokenizerQuestionTerms() }));
  app.notFound((c) => problem(c, 404, "NOT_FOUND", `未找到：${c.req.path.slice(0, 200)}`));
  return app;
}

/** Adds a staff member and returns the token `npm run staff -- add` would print. */
export async function addStaff(store: AssistantStore, name: string, role: StaffRole): Promise<string> {
  const token = generateStaffToken();
  await store.addStaff({ name, role, tokenHash: await hashStaffToken(token), time: new Date().toISOString() });
  return token;
}
