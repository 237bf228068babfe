import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answerer, AnswerResult } from "../src/core/answer/answerer.js";
import type { Answer, ChatTurn, Citation } from "../src/core/answer/types.js";
import { containsFigure, verifyFigures } from "../src/core/answer/verify.js";
import { loadConfig } from "../src/core/config.js";
import { ASKING_CLAUSE } from "../src/core/question/attribute.js";
import { extractFigures } from "../src/core/text/figures.js";
import { detectScript, foldForMatching } from "../src/core/text/fold.js";
import { splitSentences } from "../src/core/text/sentences.js";
import { createAnswerer } from "../src/node/answerer.js";
import { ingestCorpus } from "../src/node/ingest/build-index.js";
import { openIndex, type OpenedIndex } from "../src/node/open-index.js";
import { createNodeRuntime } from "../src/node/runtime.js";
import { CORPUS_DIR, FILES } from "./helpers.js";

interface DevItem {
  id: string;
  question: string;
  kind: "figure" | "fact" | "redacted" | "out_of_scope";
  figures: string[];
}

const dev: DevItem[] = readFileSync(join(import.meta.dirname, "eval", "dev.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as DevItem);
const devQuestion = (id: string): string => dev.find((d) => d.id === id)!.question;

const sidecar = JSON.parse(readFileSync(join(CORPUS_DIR, "documents.json"), "utf8")) as { documents: Record<string, { title: string; year: number }> };
const titleOf = (file: string): string => sidecar.documents[file]!.title;

/** Placeholders of the anonymised speech (xx, xxxx, x.xx), as the cleaner defines them. */
const PLACEHOLDER = /(?<![A-Za-z])[xX]{1,6}(?:\.[xX]{1,4})?(?![A-Za-z])/;

let tmp: string;
let opened: OpenedIndex;
let answerer: Answerer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "answerer-test-"));
  const runtime = await createNodeRuntime(loadConfig({}));
  await ingestCorpus({ corpusDir: CORPUS_DIR, indexDir: tmp, runtime });
  const config = loadConfig({ INDEX_DIR: tmp, CORPUS_DIR });
  opened = await openIndex(config);
  answerer = createAnswerer(opened, config);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const ask = (question: string, history: ChatTurn[] = []): Promise<AnswerResult> => answerer.answer(question, history);

/** The answer without its 来源 line. */
const bodyOf = (answer: Answer): string => answer.answer.split("\n")[0]!;

/** Answer sentences (each ending with its [n] marker and 。). */
const sentencesOf = (answer: Answer): string[] => bodyOf(answer).split(/(?<=[。！？])/).filter((s) => s.trim());

function passageOf(citation: Citation) {
  const passage = opened.index.passages.find((p) => p.id === citation.passageId);
  const doc = opened.index.docById.get(citation.docId);
  if (!passage || !doc) throw new Error(`citation [${citation.n}] points at an unknown passage ${citation.passageId}`);
  return { passage, doc };
}

/** Every figure of the answer occurs in a cited passage (with its headings and document year). */
function expectFiguresVerified(answer: Answer, label: string): void {
  const sources = answer.citations.map((c) => {
    const { passage, doc } = passageOf(c);
    return { folded: `${passage.folded} ${foldForMatching(passage.headingPath.join(" "))} ${doc.year ?? ""}年` };
  });
  const result = verifyFigures(answer.answer, sources);
  expect(result.unsupported.map((f) => f.text), label).toEqual([]);
}

/** Every sentence of every citation quote is verbatim text of the cited passage (in its own script). */
function expectQuotesVerbatim(answer: Answer, label: string): void {
  for (const c of answer.citations) {
    const { passage } = passageOf(c);
    for (const piece of splitSentences(c.quote, { semicolons: true })) expect(passage.text, `${label} [${c.n}]`).toContain(piece.trim());
  }
}

function expectRefusal({ answer, trace }: AnswerResult, label: string): void {
  expect(answer.grounded, label).toBe(false);
  expect(answer.citations, label).toEqual([]);
  expect(answer.answer, label).toContain("12345");
  expect(trace.refusal, `${label} (confidence ${trace.confidence.toFixed(3)})`).toBeDefined();
}

describe("figure answers", () => {
  it("dev01: states 50所 and 3.86万 and cites the 2021 summary for them", async () => {
    const { answer, trace } = await ask(devQuestion("dev01"));
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toContain("50所");
    expect(answer.answer).toContain("3.86万");
    const sentence = sentencesOf(answer).find((s) => s.includes("3.86万"))!;
    const n = Number(/\[(\d{1,2})\]/.exec(sentence)?.[1]);
    const citation = answer.citations.find((c) => c.n === n);
    expect(citation, sentence).toBeDefined();
    expect(citation!.title).toBe(titleOf(FILES.summary2021));
    expect(citation!.year).toBe(2021);
    expect(foldForMatching(citation!.quote)).toContain("3.86万");
    expect(trace.removedFigures).toEqual([]);
  });

  it("every grounded dev answer's figures occur in its cited passages, and its quotes are verbatim", async () => {
    let grounded = 0;
    for (const item of dev.filter((d) => d.kind !== "out_of_scope")) {
      const { answer, trace } = await ask(item.question);
      if (!answer.grounded) continue;
      grounded++;
      expect(answer.citations.length, item.id).toBeGreaterThan(0);
      // Every [n] in the body points at a citation.
      for (const m of bodyOf(answer).matchAll(/\[(\d{1,2})\]/g)) expect(answer.citations.map((c) => c.n), item.id).toContain(Number(m[1]));
      expectFiguresVerified(answer, item.id);
      expectQuotesVerbatim(answer, item.id);
      // Extractive sentences are verbatim: nothing should have needed removing.
      expect(trace.removedFigures, item.id).toEqual([]);
    }
    expect(grounded).toBeGreaterThanOrEqual(20);
  });

  it("figure questions quote the expected figures of the dev set", async () => {
    for (const item of dev.filter((d) => d.kind === "figure")) {
      const { answer } = await ask(item.question);
      const folded = foldForMatching(answer.answer);
      const missing = item.figures.filter((f) => !containsFigure(folded, foldForMatching(f).replace(/[所个名]$/, "")));
      expect(missing, `${item.id} ${item.question}\n${answer.answer}`).toEqual([]);
    }
  });
});

describe("scripts", () => {
  it("dev15: a Traditional question is answered in Traditional; the quote keeps the source's Simplified", async () => {
    const { answer } = await ask(devQuestion("dev15"));
    expect(answer.grounded).toBe(true);
    expect(answer.script).toBe("Hant");
    expect(answer.answer).toContain("國有公司運營");
    expect(answer.answer).not.toContain("国有公司运营");
    expect(detectScript(bodyOf(answer))).toBe("Hant");
    const quote = answer.citations.find((c) => foldForMatching(c.quote).includes("国有公司运营"));
    expect(quote, JSON.stringify(answer.citations)).toBeDefined();
    expect(quote!.quote).toContain("国有公司运营");
    expect(quote!.title).toBe(titleOf(FILES.speech));
  });

  it("a Simplified question about a Traditional source (2020 priorities) is answered in Simplified; the quote stays Traditional", async () => {
    const { answer } = await ask(devQuestion("dev08"));
    expect(answer.script).toBe("Hans");
    expect(answer.answer).toContain("启动80所");
    expect(answer.answer).not.toContain("啟動");
    const citation = answer.citations.find((c) => c.title === titleOf(FILES.priorities2020));
    expect(citation).toBeDefined();
    expect(citation!.quote).toContain("啟動80所");
    expect(detectScript(citation!.quote)).toBe("Hant");
  });

  it("the Traditional 2021 summary is quoted in Traditional while a Simplified answer reads Simplified", async () => {
    const { answer } = await ask(devQuestion("dev01"));
    expect(answer.answer).toContain("改扩建中小学幼儿园50所");
    const citation = answer.citations.find((c) => c.title === titleOf(FILES.summary2021))!;
    expect(citation.quote).toContain("改擴建中小學幼兒園50所");
  });
});

describe("redactions", () => {
  it("dev17: says the figure is 未公开 and never shows a placeholder or invents an amount", async () => {
    const { answer } = await ask(devQuestion("dev17"));
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toContain("未公开");
    expect(answer.answer).not.toMatch(PLACEHOLDER);
    const amounts = extractFigures(foldForMatching(bodyOf(answer))).filter((f) => f.text.endsWith("元"));
    expect(amounts).toEqual([]);
    // The quote is the source as written, placeholders included.
    expect(answer.citations.some((c) => PLACEHOLDER.test(c.quote))).toBe(true);
  });
});

describe("refusals", () => {
  it.each([
    ["weather (dev19)", devQuestion("dev19")],
    ["another city's cut-off score (dev23)", devQuestion("dev23")],
    ["prompt injection (dev20)", devQuestion("dev20")],
    ["a poem", "给我写一首关于春天的诗"],
  ])("refuses %s: not grounded, no citations, points to 12345", async (label, question) => {
    expectRefusal(await ask(question), label);
  });

  it("refuses in the question's script", async () => {
    const result = await ask("幫我寫一首關於春天的詩");
    expectRefusal(result, "Traditional poem request");
    expect(result.answer.script).toBe("Hant");
    expect(detectScript(result.answer.answer)).toBe("Hant");
  });

  // (教师资格证考试怎么报名 is not here: the documents' 网上报名 sentence about other exams is given as the
  // answer, because nothing tells 资格证 — a thing the corpus never names — from a colloquial filler
  // the corpus never uses either. README › Known limits.)
  it.each([["学区房怎么买？"], ["幼儿园每个月学费多少钱？"]])(
    "never passes off related content as the answer to %s: partial (文件中没有写明…) or refused",
    async (question) => {
      const { answer, trace } = await ask(question);
      expect(Boolean(trace.refusal) || answer.partial === true, `${question}\n${answer.answer}`).toBe(true);
    },
  );
});

describe("refusals", () => {
  // The other-place guard only checks that the top passages mention the place: the 2024 summary
  // says 赴南京、上海等先进城市…实训 and 北京外国语大学附属青岛上合学校, so questions about those
  // cities are answered with Qingdao's figures. Fails at the time of writing.
  it.each([["南京新增了多少所公办园？"], ["上海新增了多少所公办园？"], ["北京市有多少所中小学幼儿园具有招收国际学生的资质？"]])(
    "refuses %s instead of answering with Qingdao's figures",
    async (question) => {
      expectRefusal(await ask(question), question);
    },
  );

  // mentionsEducation runs on the rewritten question, which carries the previous turn's topic, so
  // an off-topic follow-up gets an education answer. Fails at the time of writing.
  it("refuses an off-topic follow-up even after an education question", async () => {
    const history: ChatTurn[] = [
      { role: "user", content: "2024年新增了多少所公办幼儿园？" },
      { role: "assistant", content: "…" },
    ];
    expectRefusal(await ask("写首诗吧", history), "写首诗吧 after a 公办园 question");
  });
});

describe("a question about something else that mentions school words later", () => {
  it.each([["这周末青岛天气怎么样？带孩子去学校操场玩行不行"], ["明天青岛下雨吗，学校运动会还开不开"]])("refuses %s: the clause asked first is about the weather", async (question) => {
    const result = await ask(question);
    expectRefusal(result, question);
    expect(result.trace.refusal).toBe("off-domain");
  });

  it.each([["青岛明天下雨吗 孩子学校开运动会要不要带伞"], ["明天青岛下雨吗 娃学校运动会还开不开"], ["这周末青岛刮风不 学校秋游还去不去"], ["聽日青島會唔會落雨？學校運動會仲開唔開"]])(
    "refuses %s: pieces that each ask are sentences typed without punctuation, not keywords",
    async (question) => {
      const result = await ask(question);
      expectRefusal(result, question);
      expect(result.trace.refusal).toBe("off-domain");
    },
  );

  it("a clause cut before what its 不 negates (如果不) asks nothing: it is the condition of the clause after it", () => {
    for (const clause of ["如果不", "一点也不", "我想去但他不", "老师说不"]) expect(ASKING_CLAUSE.test(clause), clause).toBe(false);
    for (const clause of ["明天下雨不", "要带伞不", "行不"]) expect(ASKING_CLAUSE.test(clause), clause).toBe(true);
  });

  it("answers keywords typed apart, which ask nothing piece by piece", async () => {
    const { answer, trace } = await ask("2021年 课后服务 参与学生 多少");
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer).toContain("62.7万人");
  });

  it("answers when the clause asked first names the documents' subject, or a word the dictionary lacks", async () => {
    // 课后服务 is the documents' word; 一校多区 none the dictionary knows (a name, or a typo).
    for (const question of ["课后服务是怎么回事？参与学生有多少？", "一校多区是怎么回事，涉及多少学校"]) {
      const { trace } = await ask(question);
      expect(trace.refusal, question).toBeUndefined();
    }
  });

  it("reads the figure about the documents' subject (课后服务) as the answer, not as missing the rarer everyday verb 参加", async () => {
    const { answer } = await ask("2021年课后服务到底有多少学生参加了？");
    expect(answer.partial).toBeUndefined();
    expect(answer.answer.split("[1]")[0]).toContain("62.7万人");
  });

  it.each([["你好？请问青岛小学什么时候报名"], ["暴雨怎么办？学校会停课吗"], ["明天会下雨吗？另外幼儿园几号报名？"]])(
    "answers %s: a greeting or one word is too little to tell, and a later clause that asks a value is a question of its own",
    async (question) => {
      expect((await ask(question)).trace.refusal, question).toBeUndefined();
    },
  );

  it("answers 工资多少？青岛招聘教师待遇怎么样 with what the documents say of recruiting teachers, saying the pay itself is not stated", async () => {
    const { answer, trace } = await ask("工资多少？青岛招聘教师待遇怎么样");
    // Pay then how much asks an amount, which no sentence states: logged as not stated, not refused as off-topic.
    expect(trace.refusal).toBe("not-stated");
    expect(answer.answer).toMatch(/^文件中没有写明您所问的具体数字/);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.answer).toContain("招聘");
  });

  it("reads a Traditional header's 發文編號 as the 文号 asked for", async () => {
    const { answer } = await ask("2020年全市教育工作要点的文号是什么");
    expect(answer.answer).toContain("青教工委[2020]2号");
  });

  it.each([["爸爸妈妈都出差了怎么办 幼儿园报名能让爷爷去吗"], ["我老公出差了咋办，娃报名要本人去吗？"]])(
    "answers %s: 怎么办 asks what to do in the asker's situation, which the clause after it names",
    async (question) => {
      expect((await ask(question)).trace.refusal, question).toBeUndefined();
    },
  );

  it("leaves a follow-up and a single clause to the earlier tests", async () => {
    const history: ChatTurn[] = [
      { role: "user", content: "2021年课后服务参与学生有多少？" },
      { role: "assistant", content: "…" },
    ];
    expect((await ask("那明天还能报名吗？要带啥？", history)).trace.refusal).toBeUndefined();
    // 好几年 says "several years", it asks nothing: one clause, about schooling.
    expect((await ask("我在青岛上班好几年了，孩子能在这边上小学吗")).trace.refusal).toBeUndefined();
  });
});

describe("an amount asked of something the documents never mention", () => {
  it.each([
    ["公办幼儿园每个月的保育费是多少钱？", "保育费"],
    ["幼儿园每个月伙食费多少钱", "伙食费"],
  ])("refuses %s and names %s, instead of quoting unrelated figures as related", async (question, word) => {
    const result = await ask(question);
    expectRefusal(result, question);
    expect(result.trace.refusal).toBe("not-stated");
    expect(result.answer.answer).toContain(`“${word}”`);
  });

  it("a charge that only describes what is asked (收费便宜的普惠园) asks no amount: the coverage stated answers, with no 'not stated'", async () => {
    for (const question of ["2020年的目标 收费便宜的普惠幼儿园要覆盖到多少", "2024年发了多少助学金 一共帮了多少家里困难的学生"]) {
      const { answer, trace } = await ask(question);
      expect(answer.partial, question).toBeUndefined();
      expect(trace.refusal, question).toBeUndefined();
      expect(bodyOf(answer), question).not.toContain("没有写明");
    }
    expect(bodyOf((await ask("2020年的目标 收费便宜的普惠幼儿园要覆盖到多少")).answer)).toContain("普惠性幼儿园覆盖率达到90%");
    expect(bodyOf((await ask("2024年发了多少助学金 一共帮了多少家里困难的学生")).answer)).toContain("5.4万名");
  });

  it("answers an amount asked of the documents' own subject (助学金), and a count not stated stays a partial answer", async () => {
    const { answer, trace } = await ask("助学金每人多少钱");
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer).toContain("6100万元");
    // Not an amount: the documents' words, with the related sentences offered as such.
    expect((await ask("学校专职保安一共配了多少名")).trace.refusal).toBeUndefined();
  });
});

describe("answers that do not have what was asked", () => {
  // The corpus has related sentences but not the asked-for value: a partial answer that says so
  // (文件中没有写明……；与此相关的规定是……), quotes the related sentences with citations, and refers to the hotline.
  // A figure not stated is logged as not answered (not-stated) while the reply is the partial answer; a
  // time not found stays a partial answer only (a time may be written in words).
  it.each([
    ["幼儿园每个月学费多少钱？", "数字", "免除学费985万元", "not-stated"],
    ["高考成绩什么时候公布？", "时间", "春季高考", undefined],
  ])("%s → says the sources lack the %s and shows related content", async (question, kind, related, logged) => {
    const { answer, trace } = await ask(question);
    expect(trace.refusal).toBe(logged);
    // The asked rate across a comma (每个月的学费，…多少) is still a rate: the total waived (985万元) does not answer it.
    if (kind === "数字") expect((await ask("幼儿园每个月的学费，大概要交多少？")).answer.partial).toBe(true);
    expect(trace.partial?.detail).toBe(kind);
    expect(answer.grounded).toBe(true);
    expect(answer.partial).toBe(true);
    expect(bodyOf(answer)).toContain(`文件中没有写明您所问的具体${kind}；与此相关的规定是`);
    expect(bodyOf(answer)).toContain(related);
    expect(bodyOf(answer)).toContain("12345");
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it("a year asked (哪年) is answered by a sentence of a document of that year, or one that writes the years out: no 'time not stated'", async () => {
    const first = await ask("青岛是不是发布过全国第一个中小学人工智能课程指导纲要？是哪年的事？");
    expect(first.answer.partial).toBeUndefined();
    expect(bodyOf(first.answer)).toMatch(/^据2021年工作总结，.*发布全国首个中小学人工智能课程指导纲要/);
    const span = await ask("那2020年要收尾的是哪一个学前教育行动计划？起止年份是哪几年？");
    expect(span.answer.partial).toBeUndefined();
    expect(bodyOf(span.answer)).toContain("(2017-2020年)");
  });

  it("a year written out that no quoted sentence is of: the answer says the documents do not state that year's, then the related ones", async () => {
    const other = await ask("2023年新增了多少所公办幼儿园？");
    // Unanswered, and logged so for the bureau; the reply still quotes the related sentences.
    expect(other.trace.refusal).toBe("year-not-covered");
    expect(other.answer.partial).toBe(true);
    expect(bodyOf(other.answer)).toMatch(/^文件中没有写明您所问年份的情况；与此相关的规定是：/);
    expect(bodyOf(other.answer)).toContain("22所");
    // The year of the quoted sentence, 今年 (the latest the documents say), a range, and numbers that
    // are no years (2000元) are answered as before.
    for (const question of ["2024年新增了多少所公办幼儿园？", "今年新增了多少所公办幼儿园？", "2020到2024年新增了多少所公办幼儿园？"]) {
      const { answer } = await ask(question);
      expect(answer.partial, question).toBeUndefined();
      expect(answer.answer, question).toContain("22所");
    }
  });

  it("a year written out leads with a sentence of that year over a closer sentence of another year", async () => {
    // 2024's 学生资助 sentence holds more of the question's words; 2021's 奖助学金 sentence is of the year asked.
    const { answer, trace } = await ask("2021年生活困难的孩子一共资助多少人");
    expect(trace.refusal).toBeUndefined();
    expect(answer.partial).toBeUndefined();
    expect(sentencesOf(answer)[0]).toContain("6.3");
  });

  it("教师招聘了多少人？ quotes the 招聘 sentence with its figure anonymised, and says so", async () => {
    const { answer } = await ask("教师招聘了多少人？");
    expect(sentencesOf(answer).some((s) => s.includes("招聘") && s.includes("（未公开）"))).toBe(true);
    expect(answer.answer).toContain("原文对相关数字作了匿名处理");
    // Unanswered: only the anonymised figure is of what was asked, so the bureau's list shows the question.
    expect(answer.partial).toBe(true);
    // A sentence with a real figure of what was asked beside an anonymised one answers it.
    const stated = await ask("新建改扩建的学校和幼儿园投入使用后，新增了多少个学位？");
    expect(stated.answer.answer).toContain("原文对相关数字作了匿名处理");
    expect(stated.answer.answer).toContain("3.86万个");
    expect(stated.answer.partial, stated.answer.answer).toBeUndefined();
  });

  it("a figure whose sentence lacks a dictionary word of the question (托管 where the summary says 课后服务) is the answer, not 'not stated'", async () => {
    const { answer } = await ask("2021年学校下午放学后托管服务，参加的学生有多少人？");
    expect(answer.partial, answer.answer).toBeUndefined();
    expect(sentencesOf(answer)[0]).toContain("62.7万人");
  });

  it("still answers when the asked-for value is there: 多少项 (5152项), 发文编号 (under the document title)", async () => {
    for (const [question, figure] of [["學校安全隱患整改了多少項？", "5152項"], [devQuestion("dev12"), "[2020]2号"]] as const) {
      const { answer } = await ask(question);
      expect(answer.grounded, question).toBe(true);
      expect(bodyOf(answer)).toContain(figure);
      expect(bodyOf(answer)).not.toContain("没有找到");
    }
  });
});

describe("conversation", () => {
  it("answers a follow-up from the history: 那提供了多少个学位？ after a 公办幼儿园 question mentions 5800", async () => {
    const history: ChatTurn[] = [
      { role: "user", content: "2024年新增了多少所公办幼儿园？" },
      { role: "assistant", content: "…" },
    ];
    const { answer, trace } = await ask("那提供了多少个学位？", history);
    expect(trace.rewrittenQuestion).toContain("公办");
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toContain("5800");
    expect(answer.citations.some((c) => c.title === titleOf(FILES.summary2024))).toBe(true);
    expectFiguresVerified(answer, "follow-up");
  });

  it("a follow-up that asks for a figure again gets one the reply did not give; a repeat or another figure of the told sentence keeps it", async () => {
    // The histories hold the answerer's own replies.
    const chain = async (first: string, next: string) => {
      const reply = (await ask(first)).answer.answer;
      const history: ChatTurn[] = [
        { role: "user", content: first },
        { role: "assistant", content: reply },
      ];
      return (await ask(next, history)).answer.answer.split("[1]")[0]!;
    };
    const target = "2021年业务目标里优质园比例要到多少？";
    expect(await chain(target, "那最后实际达到了多少？")).toContain("60%");
    expect(await chain(target, "多少来着？")).toContain("50%以上");
    expect(await chain("2021年优质园占比达到多少？", "那联盟办园参与率呢？")).toContain("参与率达到100%");
    // A sentence that adds a figure to the told one (39% beside 60%) still leads.
    const { answer } = await ask("那前一年是多少？", [
      { role: "user", content: "2021年优质幼儿园占比提高到多少了？" },
      { role: "assistant", content: "全市优质园占比提升至60%。" },
    ]);
    expect(answer.answer.split("[1]")[0]).toContain("39%");
  });

  it("a follow-up that names something else gets its sentence, though it states the same figure as the reply", async () => {
    // Both 2020 targets are 90%: the told sentence (普惠性幼儿园覆盖率) gives way to the one about what the
    // follow-up names; the plan's own years (行动计划(2017-2020年)) are no figure the reply left out.
    const { answer } = await ask("换成中小学呢，高水平现代化学校的比例目标？", [
      { role: "user", content: "普惠性幼儿园覆盖率2020年定的目标？" },
      { role: "assistant", content: "力争普惠性幼儿园覆盖率达到90%。" },
    ]);
    const lead = answer.answer.split("[1]")[0]!;
    expect(lead).toContain("90%以上的中小学达到市定高水平现代化学校建设标准");
    expect(lead).not.toContain("没有写明");
  });
});

describe("multi-year answers", () => {
  it("each clause of a question that writes its year out is answered from that year's document", async () => {
    // The 2021 targets say 开工建设中小学和幼儿园50所, which holds more of the first clause's words; the 2020
    // priorities say 启动80所中小学、幼儿园新建、改扩建.
    const { answer } = await ask("2020年准备开工建设、新建改建的中小学幼儿园有多少所？普惠性幼儿园覆盖率目标是多少？");
    expect(bodyOf(answer)).toContain("80所");
    expect(bodyOf(answer)).toContain("90%");
    expect(bodyOf(answer)).not.toContain("50所");
  });

  it("a sentence that opens with the asked year leads, though its document (a 2022 speech) is of another year", async () => {
    // 2021年全市新增学位 is stated (anonymised) only in the 2022 speech; the 2024 summary has real figures of 2024.
    const { answer } = await ask("2021年全市新增多少个学位？");
    expect(answer.grounded).toBe(true);
    const first = sentencesOf(answer)[0]!;
    expect(first, answer.answer).toMatch(/^2021年/);
    expect(first).not.toContain("5800");
  });

  it("优质园占比是多少？ gives the figures of different years, each attributed to its own year", async () => {
    const { answer } = await ask("优质园占比是多少？");
    expect(answer.grounded).toBe(true);
    const years = new Set([...bodyOf(answer).matchAll(/((?:19|20)\d{2})年/g)].map((m) => m[1]));
    expect(years.size, bodyOf(answer)).toBeGreaterThanOrEqual(2);

    // The yearly figures (60% in 2021, 85% in 2024, the 50% target of 2021): at least two of them, each under its own year.
    const present = ["60%", "85%", "50%"].filter((figure) => sentencesOf(answer).some((s) => containsFigure(foldForMatching(s), figure)));
    expect(present.length, answer.answer).toBeGreaterThanOrEqual(2);
    for (const figure of present) {
      const sentence = sentencesOf(answer).find((s) => containsFigure(foldForMatching(s), figure));
      const n = Number(/\[(\d{1,2})\]/.exec(sentence!)?.[1]);
      const citation = answer.citations.find((c) => c.n === n);
      expect(citation, sentence).toBeDefined();
      expect(citation!.year).not.toBeNull();
      // The sentence names the year of the document it cites, and that document holds the figure.
      expect(sentence, `${figure} attributed`).toContain(`${citation!.year}年`);
      expect(containsFigure(passageOf(citation!).passage.folded, figure), `${figure} in [${n}]`).toBe(true);
    }
    expectFiguresVerified(answer, "优质园占比");
  });
});
