/**
 * A question of several clauses is answered clause by clause, the question's own clause first: with
 * the further clause's words beside it, the best sentence overall can answer that clause and not the
 * first. Real text: 天河区's 2026 kindergarten admission plan (../shared/eval/external/, copied at run
 * time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { announcedList } from "../src/core/answer/extractive-composer.js";
import { listHead } from "../src/core/question/analyze.js";
import { chineseAttribute } from "../src/core/question/attribute.js";
import { answersAttribute } from "../src/core/question/scoring.js";
import { EXTERNAL_DOCUMENTS, hasExternal, useExternalCorpus } from "./external-corpus.js";

const FILE = "05_幼儿园招生方案_2026.html";
const REGULATION = "上海市实施《义务教育法》办法(2024-09-27).md";

describe("which days", () => {
  it("哪几天 / 哪两天 ask a time, as 哪天 does", () => {
    expect(chineseAttribute("民办幼儿园一般哪几天集中报名?").attribute).toBe("when");
    expect(chineseAttribute("报名验证是哪两天?").attribute).toBe("when");
    expect(chineseAttribute("要准备哪几样材料?").attribute).toBe("list");
  });

  it("哪, a quantifier and a unit of the calendar ask a time (哪日, 哪一日, 哪几年, 哪个月), not 哪个年级", () => {
    for (const q of ["工作要点是哪日发布的?", "哪一日开始报名?", "孩子要哪几年出生的才能报?", "哪个月公布结果?", "哪年开始实施?"]) expect(chineseAttribute(q).attribute, q).toBe("when");
    expect(chineseAttribute("孩子上哪个年级?").attribute).not.toBe("when");
  });

  it("a score named, then how much (分数要够多少, 总积分要多少), asks points; the scheme's name (积分入学) does not", () => {
    for (const q of ["分数要够多少?", "总积分要多少?", "得分几?"]) expect(chineseAttribute(q).units, q).toContain("分");
    for (const q of ["部分要多少钱?", "一部分要多少?", "小班和中班的入园年龄，分别是多少？", "分校有多少?"]) expect(chineseAttribute(q).units, q).not.toContain("分");
    for (const q of ["积分入学计划多少个?", "积分制入户有多少名额?", "分数线公布了几次?", "积分落户需要多少钱?", "积分申请要交多少份材料?", "积分办理需要多少时间?"]) expect(chineseAttribute(q).units, q).not.toContain("分");
  });

  it("第几条 asks an article's number", () => {
    expect(chineseAttribute("这是办法的第几条").units).toEqual(["第条"]);
  });

  it("a fee only named asks its amount, unless the question asks whether it is charged", () => {
    expect(chineseAttribute("民办幼儿园学费").attribute).toBe("money");
    expect(chineseAttribute("公办幼儿园的学费,请问是多少").attribute).toBe("money");
    for (const q of ["读公办小学要交学费吗", "义务教育阶段收不收学费"]) expect(chineseAttribute(q).attribute, q).not.toBe("money");
  });

  it("几号 of a road or a lane asks a house number, a place; 几号 of a month a date", () => {
    expect(chineseAttribute("对口的是天山路哪几号到哪几号?").attribute).toBe("where");
    expect(chineseAttribute("那个园在哪条路几号?").attribute).toBe("where");
    expect(chineseAttribute("幸福路几号到几号对口?").attribute).toBe("where");
    expect(chineseAttribute("五月几号开始报名?").attribute).toBe("when");
    expect(chineseAttribute("报名截止到几号?").attribute).toBe("when");
    expect(chineseAttribute("去中山路报名是几号?").attribute).toBe("when");
    expect(chineseAttribute("农村几号开学?").attribute).toBe("when");
  });
});

describe("a length of time in the unit the question writes", () => {
  it("几年 asks years, 几个月 months, 多久 any length; 几几年 and 哪年 ask a year, a time", () => {
    expect(chineseAttribute("居住证要办满几年?").units).toEqual(["年", "学年"]);
    expect(chineseAttribute("社保交满几个月才能报名?").units).toEqual(["个月", "月"]);
    expect(chineseAttribute("审核要多久?").units).toContain("个月");
    expect(chineseAttribute("审核要多久?").units).toContain("年");
    // Two units written (几年还是几个月) name no one of them.
    expect(chineseAttribute("要交满几年还是几个月?").units).toContain("天");
    expect(chineseAttribute("按几几年出生的算?").attribute).toBe("when");
    expect(chineseAttribute("孩子要哪年出生的才能报?").attribute).toBe("when");
    expect(chineseAttribute("孩子上哪年级?").attribute).not.toBe("when");
    expect(chineseAttribute("哪年龄段的孩子可以报名?").attribute).not.toBe("when");
    expect(chineseAttribute("审核要等多少周?").units).toEqual(["周"]);
    expect(chineseAttribute("办理需要多少个工作日?").units).toEqual(["天", "日", "工作日"]);
    // 这几年 is "these years", not a length asked: the months are.
    expect(chineseAttribute("这几年社保要交满几个月?").units).toEqual(["个月", "月"]);
  });

  it("多大 of an age (年龄多大以内, 多大以下算未成年, 收多大的孩子) asks years of age; 多大比例 a share, 面积多大 no age", () => {
    for (const q of ["申请人年龄多大以内?", "孩子多大以下才算未成年?", "这个园收多大的孩子?"]) expect(chineseAttribute(q), q).toEqual({ attribute: "how-many", units: ["岁", "周岁"] });
    expect(chineseAttribute("占多大比例?").units).toEqual(["%"]);
    expect(chineseAttribute("操场面积多大?").units).toEqual([]);
    expect(chineseAttribute("这是多大的幼儿园?").units).toEqual([]);
    // A clause asking by 多大 alone is an asking clause: the age is asked beside the length.
    expect(chineseAttribute("申请人年龄多大以内,社保要交满几年?").units).toEqual(expect.arrayContaining(["周岁", "年"]));
  });
});

describe("a sentence announcing a list", () => {
  it("以下/如下/下列 announce one, with its length when a numeral follows", () => {
    expect(announcedList("双胞胎（多胞胎）参加区教育部门办幼儿园电脑派位可在以下两种方式中任选其一，一经选定不得更改。")).toEqual({ count: 2 });
    expect(announcedList("报名时请携带下列材料：")).toEqual({});
    expect(announcedList("具体安排如下：")).toEqual({});
  });

  it("以下 after a figure or a unit is 'or less', and 以下简称 names a term", () => {
    expect(announcedList("招收3周岁以下幼儿的托班。")).toBeUndefined();
    expect(announcedList("班额控制在25人以下。")).toBeUndefined();
    expect(announcedList("《上海市实施〈中华人民共和国义务教育法〉办法》（以下简称《办法》）")).toBeUndefined();
  });
});

describe.runIf(hasExternal(FILE))("天河's plan: registration days, then the admission letters", () => {
  const external = useExternalCorpus([FILE]);

  it("leads with the first clause's answer and adds the second's", async () => {
    const question = "天河的民办幼儿园一般哪几天集中报名？录取通知书最晚什么时候发？";
    const analysis = external().opened.retriever.analyze(question);
    expect(analysis.askedClause).toContain("集中报名");
    expect(analysis.alsoAsked?.map((a) => a.clause)).toEqual(["录取通知书最晚什么时候发"]);
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer.split("。")[0]).toContain("集中报名时间原则上为6月2日至6月4日");
    expect(answer.answer).toContain("民办幼儿园于6月12日前发出《新生录取通知书》");
  });

  it("a sentence that announces a list (以下两种方式) brings its items, the second one too", async () => {
    const { answer } = await external().answerer.answer("双胞胎报天河公办幼儿园派位怎么报？", []);
    expect(answer.answer).toContain("可在以下两种方式中任选其一");
    expect(answer.answer).toContain("第一种方式为“一号派位，同园录取”");
    expect(answer.answer).toContain("第二种方式为“多号派位，按实录取”");
  });
});

describe.runIf(hasExternal("12.金山政策.doc"))("金山's fee table: the asked row, then the other row asked", () => {
  const external = useExternalCorpus(["12.金山政策.doc"]);

  it("a row of the same table as the further clause's answer still answers the question's own clause", async () => {
    // The table's rows read alike; 示范性 (the further clause) had ranked first and 二级 (the question's own) was dropped.
    const { answer } = await external().answerer.answer("金山二级公办幼儿园一个月保育教育费多少钱？示范性幼儿园又是多少？", []);
    expect(answer.answer.split("。")[0]).toContain("二级幼儿园｜保育教育费收费标准：175元/月");
    expect(answer.answer).toContain("示范性幼儿园｜保育教育费收费标准：600元/月");
  });
});

describe.runIf(hasExternal("12.金山政策.doc"))("金山's fee table, asked row by row in a conversation", () => {
  const external = useExternalCorpus(["12.金山政策.doc"]);

  it("a short follow-up naming another row (那一级园呢？) is answered by that row, not the earlier one", async () => {
    const history = [
      { role: "user" as const, content: "金山示范性幼儿园保育教育费每月多少钱？" },
      { role: "assistant" as const, content: "示范性幼儿园保育教育费收费标准600元/月。" },
    ];
    const { answer } = await external().answerer.answer("那一级园呢？", history);
    expect(answer.answer.split("。")[0]).toContain("一级幼儿园｜保育教育费收费标准：225元/月");
    expect(answer.answer).not.toContain("没有写明");
  });

  it("a follow-up naming two rows (那二级园和示范园…？ / 那示范园…？三级园呢？) gets both, each quoted as the table has it", async () => {
    const history = [
      { role: "user" as const, content: "金山公办幼儿园一级园保育费每月多少？" },
      { role: "assistant" as const, content: "金山区一级幼儿园保育教育费为225元/月。" },
    ];
    const both = (await external().answerer.answer("那二级园和示范园每个月多少钱？", history)).answer.answer;
    expect(both).toContain("二级幼儿园｜保育教育费收费标准：175元/月");
    expect(both).toContain("示范性幼儿园｜保育教育费收费标准：600元/月");
    const second = (await external().answerer.answer("那示范园一个月多少钱？三级园呢？", history)).answer.answer;
    expect(second).toContain("示范性幼儿园｜保育教育费收费标准：600元/月");
    expect(second).toContain("三级幼儿园｜保育教育费收费标准：125元/月");
    // The row named by neither is not added.
    expect(second).not.toContain("二级幼儿园｜");
  });

  it("a hotline keyword look-up naming two rows and the charge (金山 二级园 三级园 保育教育费) gets both rows", async () => {
    const { answer } = await external().answerer.answer("金山 公办园 二级园 三级园 保育教育费", []);
    expect(answer.answer).toContain("二级幼儿园｜保育教育费收费标准：175元/月");
    expect(answer.answer).toContain("三级幼儿园｜保育教育费收费标准：125元/月");
    expect(answer.answer).not.toContain("示范性幼儿园｜");
  });
});

describe.runIf(hasExternal("13.松江政策.pdf"))("松江's admission table: a score, then a length of social insurance", () => {
  const external = useExternalCorpus(["13.松江政策.pdf"]);

  it("answers 多少分 from the row and 多久 from the clause that says 社会保险 for the question's 社保", async () => {
    const { answer } = await external().answerer.answer("外省市户口的孩子在松江上公办园，父母居住证积分要到多少分？没到的话社保要交满多久？", []);
    expect(answer.answer.split("。")[0]).toContain("居住证积分达120分");
    expect(answer.answer).toContain("参加本市职工社会保险满6个月");
    expect(answer.answer).not.toContain("没有写明");
  });
});

describe.runIf(hasExternal("36_积分制入户2025年度热点13问.html"))("广州's points-based hukou: a length, then whether there is an age limit", () => {
  const external = useExternalCorpus(["36_积分制入户2025年度热点13问.html"]);

  it("a further clause asking whether (年龄有限制吗) brings the sentence holding its word, from the passage already quoted", async () => {
    const question = "广州积分入户社保要交几年？年龄有限制吗？";
    expect(external().opened.retriever.analyze(question).alsoAsked).toContainEqual(expect.objectContaining({ attribute: "whether", clause: "年龄有限制吗" }));
    const { answer } = await external().answerer.answer(question, []);
    const body = answer.answer.split("\n")[0]!;
    expect(body.split("。")[0]).toContain("缴纳社会保险满4年");
    // The condition on age of the same list of requirements, not the 排名分 answer that also says 年龄.
    expect(body).toContain("年龄在45周岁以下");
    expect(body).not.toContain("排名分");
  });
});

describe.runIf(hasExternal("36_积分制入户2025年度热点13问.html", "12.金山政策.doc"))("an age and a length in years beside another rule's length in months", () => {
  const external = useExternalCorpus(["36_积分制入户2025年度热点13问.html", "12.金山政策.doc"]);

  it("社保要交满几年 is answered by 满4年 of the hukou conditions, not by 金山's 社会保险证明（满6个月）", async () => {
    const { answer } = await external().answerer.answer("积分入户年龄要多大以内 社保要交满几年", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body).toContain("缴纳社会保险满4年");
    expect(body).not.toContain("满6个月");
    // 年龄要多大以内 asks an age, answered by the condition's 45周岁.
    expect(body).toContain("年龄在45周岁以下");
  });
});

describe.runIf(hasExternal("36_积分制入户2025年度热点13问.html", "12.金山政策.doc"))("a further clause whose words bring no answering sentence to the bar", () => {
  // 金山's notice writes 分数 where no figure in 分 stands beside it: the word reaches sentences, none of which answers.
  const external = useExternalCorpus(["36_积分制入户2025年度热点13问.html", "12.金山政策.doc"]);

  it("asks about the lead's list (分数 of 分数要够多少): 满150分 of the same conditions", async () => {
    for (const question of ["入户要交社保几年 分数要够多少", "广州积分入户 社保要交满几年 积分要够多少", "入户社保要交几年？分数要够多少？"]) {
      const { answer } = await external().answerer.answer(question, []);
      const body = answer.answer.split("\n")[0]!;
      expect(body.split("。")[0], question).toContain("缴纳社会保险满4年");
      expect(body, question).toContain("满150分");
    }
  });
});

describe.runIf(hasExternal("36_积分制入户2025年度热点13问.html"))("a clause whose word the documents write as its bridge", () => {
  const external = useExternalCorpus(["36_积分制入户2025年度热点13问.html"]);

  it("社保 of 社保要交满几年, which no sentence holds, counts as 社会保险: the clause gets 满4年, not the lead passage's 近5年内", async () => {
    const { answer } = await external().answerer.answer("广州2025年积分入户 总分要够多少分才能申请？社保要交满几年？", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body).toContain("满150分");
    expect(body).toContain("缴纳社会保险满4年");
  });

  it("the question's own clause: 年纪多少岁以内, which no sentence holds, is answered by 年龄在45周岁以下 though the points clause's 150分 was chosen first", async () => {
    const question = "积分制入户条件 年纪多少岁以内 社保缴费几年 总积分多少分";
    expect(external().opened.retriever.analyze(question).expansions).toContainEqual(expect.objectContaining({ term: "年龄", from: "年纪" }));
    const { answer } = await external().answerer.answer(question, []);
    const body = answer.answer.split("\n")[0]!;
    expect(body.split("。")[0]).toContain("年龄在45周岁以下");
    expect(body).toContain("缴纳社会保险满4年");
    expect(body).toContain("满150分");
  });
});

describe.runIf(hasExternal("13.松江政策.pdf"))("松江's enquiry line: a number, then the hours it answers", () => {
  const external = useExternalCorpus(["13.松江政策.pdf"]);

  it("a further clause with no subject of its own (几点到几点打得通) is answered from the lead's passage, by a time of day", async () => {
    const { answer } = await external().answerer.answer("松江幼儿园招生的咨询电话是多少？几点到几点打得通？", []);
    const sentences = answer.answer.split("\n")[0]!.split("。");
    expect(sentences[0]).toContain("57821271");
    // The hours follow the number they belong to, quoted as the notice writes them.
    expect(sentences[1]).toContain("咨询时间：上午9:00——11:30，下午12:30——15:30");
  });
});

describe.runIf(hasExternal("13.松江政策.pdf", REGULATION))("the whole external folder: an age against a statute's 六周岁, an address against a table", () => {
  // Every external document beside the seed corpus: the statistics of a real folder, not of two files.
  const external = useExternalCorpus(EXTERNAL_DOCUMENTS, 180_000, true);

  it("answers a score clause (分数要够多少) with the points (总积分满150分), beside the age and the years of social insurance", async () => {
    const { answer } = await external().answerer.answer("积分入户 年龄要多大以内 社保交几年 分数要够多少", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body).toContain("45周岁以下");
    expect(body).toContain("满4年");
    expect(body).toContain("总积分满150分");
  });

  it("finds the article on school age and deferral, not the kindergarten rows that hold 6岁", async () => {
    const question = "孙女今年满6岁了，在上海是不是一定得送去上小学？身体不太好能不能晚一年上，找谁批？";
    const hits = await external().opened.retriever.search(question, { k: 3 });
    expect(hits[0]!.passage.text).toContain("凡年满六周岁的儿童");
    const { answer, trace } = await external().answerer.answer(question, []);
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer).toContain("年满六周岁");
  });

  it("an amount asked of a word the documents know in part (保育费 of 保育教育费, 交学费 of 学费) is not refused as never mentioned", async () => {
    for (const question of ["金山公办幼儿园保育费每个月多少钱", "上海义务教育阶段要交学费吗"]) {
      const { answer, trace } = await external().answerer.answer(question, []);
      expect(trace.refusal, question).toBeUndefined();
      expect(answer.grounded, question).toBe(true);
    }
  });

  it("an institution's name runs back no further than a particle (录到天河区民办小学 names no 学录 of 入学录取): the subsidy stated answers", async () => {
    const question = "娃通过积分入学录到天河区民办小学了，政府补贴一年多少钱？";
    expect(external().opened.retriever.analyze(question, []).names ?? []).not.toContain("学录");
    const { answer, trace } = await external().answerer.answer(question, []);
    expect(trace.partial).toBeUndefined();
    expect(answer.answer).toContain("每生每学年5000元");
    expect(answer.answer).not.toContain("没有写明");
  });

  it("a figure asked of no row of a table in particular lists the rows that carry it, not the annex list that names the table", async () => {
    const { answer, trace } = await external().answerer.answer("金山公办幼儿园保育费每个月多少钱", []);
    expect(answer.partial).toBeUndefined();
    expect(trace.partial).toBeUndefined();
    const body = answer.answer.split("\n")[0]!;
    // Each grade's fee, in the table's order, the first leading.
    expect(body.startsWith("据2019年《2019年金山区幼儿园招生入园工作实施意见》，等级：示范性幼儿园｜保育教育费收费标准：600元/月")).toBe(true);
    const at = ["600元/月", "225元/月", "175元/月", "125元/月"].map((fee) => body.indexOf(fee));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // A row the question singles out by name (天山苑 of the 信息苑 table) leads alone, before any other row.
    const named = (await external().answerer.answer("天山苑信息苑几点关门？电话多少？", [])).answer.answer;
    expect(named).toMatch(/^据2019年《[^》]+》，门店：天山苑｜/);
    // A follow-up's subject is the earlier turn's: its row leads, the table's other rows are not listed before it.
    const followUp = (await external().answerer.answer("电话呢？", [{ role: "user", content: "松江岳阳幼儿园在什么地方？" }])).answer.answer;
    expect(followUp).toMatch(/^据2019年《[^》]+》，序：2｜园名：松江区 岳阳幼儿园/);
    // An address asked after a phone (地址在哪) is the office's, not the rows' each.
    const { answer: office } = await external().answerer.answer("那可以直接上门去问吗？地址在哪", [{ role: "user", content: "松江区学前教育招生咨询电话是多少？" }]);
    expect(office.answer).toContain("中山二路");
  });

  it("the regulation's name typed before 哪天开始施行 names the document (办法 of 实施办法 asks nothing); the article stating it answers", async () => {
    const question = "上海实施义务教育法办法 哪天开始施行";
    expect(external().opened.retriever.analyze(question).clauses?.[0]?.attribute).toBe("what");
    const { answer } = await external().answerer.answer(question, []);
    // The statute's own words, not the info line the ingest derived from them, nor its adoption history.
    expect(answer.answer.split("\n")[0]).toContain("第五十二条 本办法自2009年6月1日起施行");
    expect(answer.answer).not.toContain("1993年2月6日");
  });

  it("a clause asking for a list of things (要带哪些材料) is answered by the sentence naming them, beside the place asked", async () => {
    const question = "我们是香港居民，孩子在长宁上幼儿园，报名验证需要带哪些材料？在哪里验证？";
    expect(external().opened.retriever.analyze(question).alsoAsked).toContainEqual(expect.objectContaining({ attribute: "list", head: "材料" }));
    const { answer } = await external().answerer.answer(question, []);
    expect(answer.answer).toContain("所需材料(原件及复印件)：适龄幼儿及父母一方有效的身份证明（港澳居民来往内地通行证");
    expect(answer.answer).toContain("报名验证");
  });

  it("a clause about what the first answer names (那个园的电话) is answered by the row that names it", async () => {
    const question = "孩子有智力障碍，在长宁上幼儿园去哪登记？那个园的电话多少？";
    expect(external().opened.retriever.analyze(question).chain).toMatchObject({ clause: "那个园的电话多少", head: "园", attribute: "how-many" });
    const { answer, trace } = await external().answerer.answer(question, []);
    const sentences = answer.answer.split("\n")[0]!.split("。");
    // 长宁's notes end with a numbered statement (4.智力有障碍的幼儿…), not an item's title: it leads.
    expect(sentences[0]).toContain("智力有障碍的幼儿可到虹古路第三幼儿园特教班登记");
    // Then the row of annex 3 for that kindergarten, not another kindergarten's number.
    expect(sentences[1]).toContain("单位：虹古路第三幼儿园");
    expect(sentences[1]).toContain("电话：62424309");
    expect(trace.refusal).toBeUndefined();
    expect(answer.answer).not.toContain("文件中没有写明");
  });

  it("a referring clause typed after a space, with no punctuation (去哪个幼儿园登记 那个园在啥路几号), is chained, and asks a street address", async () => {
    const question = "长宁 孩子智力有点障碍 去哪个幼儿园登记 那个园在啥路几号";
    expect(external().opened.retriever.analyze(question).chain).toMatchObject({ clause: "那个园在啥路几号", head: "园", attribute: "where" });
    const { answer } = await external().answerer.answer(question, []);
    const sentences = answer.answer.split("\n")[0]!.split("。");
    // The venue (到…特教班登记) answers 去哪个幼儿园, not 在啥路几号: the row of annex 3 follows with the street address.
    expect(sentences[0]).toContain("智力有障碍的幼儿可到虹古路第三幼儿园特教班登记");
    expect(sentences[1]).toContain("单位：虹古路第三幼儿园");
    expect(sentences[1]).toContain("地址：仙霞路700弄43号");
  });

  it("a last clause naming only a contact field (电话多少) after one asking which kindergarten asks it of the one the answer names: the catchment row's 园名, then that kindergarten's row", async () => {
    const question = "我们住古北国际花园 明年上小班 长宁这边对口哪个公办园 电话多少";
    expect(external().opened.retriever.analyze(question).chain).toMatchObject({ clause: "电话多少", head: "园", antecedent: expect.stringContaining("对口哪个公办园") });
    const { answer } = await external().answerer.answer(question, []);
    const sentences = answer.answer.split("\n")[0]!.split("。");
    expect(sentences[0]).toContain("园名：建青｜招生地段：");
    expect(sentences[0]).toContain("古北国际花园");
    expect(sentences[1]).toContain("单位：建青实验学校幼儿部");
    expect(sentences[1]).toContain("电话：62084606");
    // No place asked for (哪个园) before the field, or the field names its own subject: no chain.
    for (const q of ["长宁区教育局招生咨询电话多少", "古北国际花园对口的幼儿园是哪个", "报名要带什么 电话多少", "孩子该上哪个幼儿园 区教育局招生办 电话多少"]) expect(external().opened.retriever.analyze(q).chain, q).toBeUndefined();
    // The field right after the place asked, with a particle: chained; a modal 该 or a time (这个月) opens no referring clause.
    expect(external().opened.retriever.analyze("对口哪个小学 电话多少呢").chain).toMatchObject({ clause: "电话多少", head: "小学" });
    for (const q of ["孩子3岁,该去哪报名", "小学报名 这个月几号开始"]) expect(external().opened.retriever.analyze(q).chain, q).toBeUndefined();
  });

  it("a follow-up about what the earlier answer names (那这个园的电话多少) is chained to the earlier question", async () => {
    const history = [{ role: "user" as const, content: "孩子智力有障碍 在长宁上幼儿园可以去哪里登记" }];
    const question = "那这个园的电话多少 地址在哪";
    expect(external().opened.retriever.analyze(question, history).chain).toMatchObject({ antecedent: expect.stringContaining("智力有障碍"), head: "园" });
    const { answer } = await external().answerer.answer(question, history);
    const body = answer.answer.split("\n")[0]!;
    expect(body).toContain("虹古路第三幼儿园");
    expect(body).toContain("电话：62424309");
    expect(body).toContain("仙霞路700弄43号");
    // A follow-up that refers to nothing named (那明天呢) is no chain.
    expect(external().opened.retriever.analyze("那明天还能报名吗", history).chain).toBeUndefined();
  });

  it("a further clause asking where (地址在哪) is answered by the address of the enquiry line's own item (松江), not by a kindergarten's row that also has a 地址", async () => {
    const { answer } = await external().answerer.answer("松江学前招生咨询电话多少 几点到几点能打 地址在哪", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body.split("。")[0]).toContain("57821271");
    expect(body).toContain("咨询地址：中山二路590号");
  });

  it("a further clause whose words every address holds alike (路 of 办公的地方在哪条路) is answered from the lead's passage, not by a kindergarten's row", async () => {
    const { answer } = await external().answerer.answer("松江区的学前教育招生咨询电话多少？他们办公的地方在哪条路？", []);
    const body = answer.answer.split("\n")[0]!;
    expect(body.split("。")[0]).toContain("57821271");
    // The enquiry line's address follows the lead, before any support.
    expect(body.split("。")[1]).toContain("咨询地址：中山二路590号");
  });

  it("a further clause with no word the documents hold (想当面去问的话去哪) is answered from the lead's passage, though a chosen row of another passage has a 地址", async () => {
    for (const question of ["松江幼儿园招生咨询电话是多少？想当面去问的话去哪？", "松江区学前教育招生 咨询电话 当面问去哪里"]) {
      const { answer } = await external().answerer.answer(question, []);
      const body = answer.answer.split("\n")[0]!;
      expect(body.split("。")[0], question).toContain("57821271");
      expect(body, question).toContain("咨询地址：中山二路590号");
    }
  });

  it("a character pair of a word the dictionary does not know is no domain evidence", () => {
    // 能入学 is one guessed word: its pair 能入 (also a pair of the folder's words) is for matching only.
    const a = external().opened.retriever.analyze("孩子体检不合格能入学吗");
    expect(a.tokens).toContain("能入");
    expect(a.scope.decision).toBe("in-domain");
    expect(a.scope.reasons.join("")).not.toContain("能入”");
    expect(a.scope.reasons[0]).toContain("入学");
  });

  it("a parent who says where they live is answered by the row of 松江's verification points that lists it", async () => {
    // 地址 is told (房产证地址也在这), not asked: the question asks which kindergarten.
    const { answer } = await external().answerer.answer("我家住方舟园居委会，孩子今年上小班，房产证地址也在这，信息验证去哪个幼儿园？", []);
    expect(answer.answer.split("。")[0]).toContain("松江区谷阳幼儿园(谷北部)｜范围：谷北小区、方舟园居委会");
  });
});

describe("the head of a list asked for", () => {
  it("is the listed thing, without the verb, connective or particle after it", () => {
    expect(listHead("报名要带哪些材料呢")).toBe("材料");
    expect(listHead("要带哪些证件材料")).toBe("材料");
    expect(listHead("需要准备哪些材料才能报名")).toBe("材料");
    expect(listHead("哪些材料需要复印")).toBe("材料");
    expect(listHead("有什么要求吗")).toBe("要求");
    // A relative clause after the listed thing is not its head: which kindergartens (have a special class).
    expect(listHead("有哪些幼儿园有特教班可以报")).toBe("儿园");
    expect(listHead("有哪些")).toBeUndefined();
  });
});

describe("what a question tells before it asks", () => {
  it("asking clauses without a question word of their own ask what the whole question names", () => {
    expect(chineseAttribute("幼儿园收费标准,能告诉我吗?").attribute).toBe("money");
    expect(chineseAttribute("公办幼儿园的学费,请问是多少").attribute).toBe("money");
    expect(chineseAttribute("小学报名的截止日期,麻烦告诉我一下吗").attribute).toBe("when");
  });

  it("the attribute comes from the asking clauses: an address told is no address asked", () => {
    expect(chineseAttribute("我家住方舟园居委会,房产证地址也在这,信息验证去哪个幼儿园?").attribute).not.toBe("where");
    expect(chineseAttribute("孩子今年6岁,能上小学吗?")).toMatchObject({ attribute: "whether", units: [] });
    // Asked, it is still asked; and a question with no asking clause is read whole.
    expect(chineseAttribute("报名验证的地点在哪里?").attribute).toBe("where");
    expect(chineseAttribute("长宁 托幼管理中心 咨询电话").attribute).toBe("how-many");
  });
});


describe.runIf(hasExternal("13.松江政策.pdf"))("松江's tables: a value asked of an office the tables do not list", () => {
  const external = useExternalCorpus(["13.松江政策.pdf"]);

  it("does not lead with one kindergarten's number, which shares only the district and the column's 电话", async () => {
    const { answer } = await external().answerer.answer("松江区托幼办电话", []);
    expect(answer.answer.split("[1]")[0]).not.toMatch(/园名：[^｜]*｜[^。]*电话：\d{8}/);
  });
});

describe("a street address asked", () => {
  it("(啥路几号, 地址在哪, 哪条路) is answered by a sentence that gives one, a venue by 到…幼儿园; an address only named asks no address", () => {
    const venue = "智力有障碍的幼儿可到虹古路第三幼儿园特教班登记";
    const row = "序号:19|单位:虹古路第三幼儿园|类别:公办幼儿园|地址:仙霞路700弄43号|邮编:200336";
    expect(answersAttribute(venue, { attribute: "where", units: [], folded: "孩子智力有障碍去哪个幼儿园登记" })).toBe(true);
    for (const folded of ["那个园在啥路几号", "虹古路第三幼儿园地址在哪", "在哪条路", "仙霞路几号"]) {
      expect(answersAttribute(venue, { attribute: "where", units: [], folded }), folded).toBe(false);
      expect(answersAttribute(row, { attribute: "where", units: [], folded }), folded).toBe(true);
    }
    // An address named, not asked (户籍地址…去哪里登记), and a bus route (坐啥路公交): a venue answers.
    for (const folded of ["户籍地址和居住地址不一致 去哪里登记", "坐啥路公交能到 去哪报名"]) expect(answersAttribute(venue, { attribute: "where", units: [], folded }), folded).toBe(true);
    // A date (3月5号) or a document number (〔2024〕5号) is no street address.
    for (const sentence of ["请于3月5号前到街道登记", "依据沪教委基〔2024〕5号执行"]) expect(answersAttribute(sentence, { attribute: "where", units: [], folded: "地址在哪" }), sentence).toBe(false);
  });
});
