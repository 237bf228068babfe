import { describe, expect, it } from "vitest";
import { chineseAttribute, englishAttribute, hasAskedUnit, PHONE_UNIT } from "../../src/core/question/attribute.js";
import { answerFigureStrength, answersAttribute } from "../../src/core/question/scoring.js";
import { foldForMatching } from "../../src/core/text/fold.js";
import { createQuerySegmenter } from "../../src/node/jieba-segmenter.js";
import { corpusLine, FILES } from "../helpers.js";

/** The general dictionary, as the analysis reads it (cppjieba's words through the query segmenter). */
const segmenter = createQuerySegmenter();
const isWord = (word: string): boolean => segmenter.isWord!(word);

describe("the general classifier 个 answers a count", () => {
  const asked = chineseAttribute("职业学校跟企业一起带学徒的，现在有多少所学校、多少家企业参加？");
  // The 2024 summary counts schools and companies in 个.
  const line = foldForMatching(corpusLine(FILES.summary2024, "现代学徒制试点"));
  const sentence = line.slice(line.indexOf("参与市级现代学徒制试点"), line.indexOf("全省中职学校校园文化"));

  it("a figure in 个 answers 多少所 / 多少家, at half the strength of the asked unit", () => {
    expect(asked.units).toEqual(["所", "家"]);
    expect(hasAskedUnit("28个", asked.units)).toBe(true);
    expect(answerFigureStrength(sentence, asked.units)).toBe(0.5);
    expect(answerFigureStrength("省高水平中职学校和特色专业分别达到10所、20个。", asked.units)).toBe(1);
  });

  it("but not an amount or a share", () => {
    expect(hasAskedUnit("28个", ["元", "万元", "亿元"])).toBe(false);
    expect(hasAskedUnit("28个", ["%"])).toBe(false);
    expect(answerFigureStrength(sentence, ["%"])).toBe(0);
  });
});

describe("an age asked with 几岁 is answered by a Chinese-numeral age", () => {
  // 上海市实施《义务教育法》办法, 第十一条 (../shared/eval/external), as the regulation words it.
  const article = foldForMatching("第十一条 凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学接受并完成义务教育。");

  it("几岁 asks a number of years of age; 六周岁 is a figure in that unit", () => {
    const asked = chineseAttribute("在上海，孩子满几岁家长就必须送去上学？");
    expect(asked).toMatchObject({ attribute: "how-many", units: ["岁", "周岁"] });
    expect(answerFigureStrength(article, asked.units)).toBe(1);
  });

  it("a Chinese numeral answers only a unit asked by name, never through the general classifier", () => {
    // 多少个专业 asks in 个: 五年制 (a 五年 figure) is no answer to it, as it was not before.
    const asked = chineseAttribute("青岛有几所中职能办五年制？开了多少个专业？");
    expect(answerFigureStrength(foldForMatching("积极支持优质中职举办五年制高职。"), asked.units)).toBe(0);
    expect(answerFigureStrength(foldForMatching("13所中职学校、135个专业点通过评审。"), asked.units)).toBe(1);
  });
});

describe("points and lengths of time are units a question asks", () => {
  // 松江's 2019 admission table (../shared/eval/external/13.松江政策.pdf), as written.
  const row = foldForMatching("户籍外省市（居住证积分达120分）且本镇（地区）有房产");
  const insurance = foldForMatching("父母一方持《上海市居住证》（证件上居住地址属松江区），且一年内（至2019年4月30日）参加本市职工社会保险满6个月；");

  it("多少分 asks points: 120分 answers it, a date does not", () => {
    const asked = chineseAttribute("父母居住证积分要到多少分？");
    expect(asked).toMatchObject({ attribute: "how-many", units: ["分"] });
    expect(answerFigureStrength(row, asked.units)).toBe(1);
    expect(hasAskedUnit("4月30日", asked.units)).toBe(false);
    // 几分钟 is a length of time, not points.
    expect(chineseAttribute("走路要几分钟？").units).not.toContain("分");
  });

  it("几个 counts things: a figure in any classifier answers it, a measure (points, money, age, time) does not", () => {
    // 广州's 2025 hukou Q&A (../shared/eval/external/36_积分制入户2025年度热点13问.html).
    const asked = chineseAttribute("2025年积分入户有几个指标？");
    expect(asked.units).toEqual(["个"]);
    expect(hasAskedUnit("1.6万个", asked.units)).toBe(true);
    expect(hasAskedUnit("三项", asked.units)).toBe(true);
    for (const measure of ["150分", "2万元", "45周岁", "6个月", "30天", "8时", "20公里", "5万平方米", "3个百分点"]) expect(hasAskedUnit(measure, asked.units), measure).toBe(false);
  });

  it("办法 asks how when it is asked for, not as a regulation's name", () => {
    expect(chineseAttribute("错过了网上登记，还有办法补救吗").attribute).toBe("how");
    expect(chineseAttribute("有没有办法补报名").attribute).toBe("how");
    expect(chineseAttribute("上海实施义务教育法办法").attribute).toBe("what");
    expect(chineseAttribute("天河区积分制入学工作实施办法").attribute).toBe("what");
  });

  it("多久 asks a length of time, answered by 满6个月", () => {
    const asked = chineseAttribute("社保要交满多久？");
    expect(asked.attribute).toBe("how-many");
    expect(asked.units).toContain("个月");
    expect(answerFigureStrength(insurance, asked.units)).toBe(1);
    expect(chineseAttribute("读几年级了？").units).not.toContain("年");
  });
});

describe("what 个 does not stand in for", () => {
  it("a document number or a date counts nothing: 多少个学位 is answered by 1023个, not by 〔2024〕1号", () => {
    const asked = chineseAttribute("天河积分入学今年一共多少个学位？");
    expect(hasAskedUnit("〔2024〕1号", asked.units)).toBe(false);
    expect(hasAskedUnit("5月19日", asked.units)).toBe(false);
    expect(hasAskedUnit("1023个", asked.units)).toBe(true);
    // 天河区's 2026 积分入学 guide (../shared/eval/external/02_积分入学指引_2026.html), as written.
    const rule = foldForMatching("根据《广州市天河区来穗人员随迁子女积分制入学工作实施办法》（穗天教规字〔2024〕1号）申报积分，并经公示无异议的来穗人员随迁子女可填报志愿。");
    const plan = foldForMatching("2026年我区来穗人员随迁子女积分入学招生计划总数为1023个（小学563个、初中460个），详见附件。");
    expect(answerFigureStrength(rule, asked.units)).toBe(0);
    expect(answerFigureStrength(plan, asked.units)).toBe(1);
  });
});

describe("what answers 哪里", () => {
  const where = { attribute: "where" as const, units: [] };

  it("a venue one goes to, or an address; not any 号", () => {
    // 长宁区's 2019 notice and 金山区's 2019 意见 (../shared/eval/external/), as written.
    expect(answersAttribute(foldForMatching("4.智力有障碍的幼儿可到虹古路第三幼儿园特教班登记。"), where)).toBe(true);
    expect(answersAttribute(foldForMatching("今年区指定报名验证点安排在新渔东路242号。"), where)).toBe(true);
    expect(answersAttribute(foldForMatching("适龄幼儿监护人通过登记系统登记幼儿入园信息，获取登记表和登记编号。"), where)).toBe(false);
  });
});

describe("a day written the spoken way", () => {
  it("5月12号 is folded as 5月12日, the written form, and is a date", () => {
    expect(foldForMatching("5月12号以后还能去哪里补登记？")).toBe("5月12日以后还能去哪里补登记?");
    expect(foldForMatching("新渔东路242号")).toBe("新渔东路242号");
  });
});

describe("Chinese numerals and anonymised figures", () => {
  it("a Chinese numeral before a counted unit is mostly a name (三名工程), not an answer to 多少人", () => {
    const asked = chineseAttribute("教师招聘了多少人？");
    expect(answerFigureStrength(foldForMatching("完善教师专业发展平台，加强“三名工程”人才考核管理。"), asked.units)).toBe(0);
  });

  it("an anonymised figure in the asked unit is the answer, withheld (the speech's 新增学位x.xx万个)", () => {
    const asked = chineseAttribute("2021年全市新增多少个学位？");
    expect(answerFigureStrength(foldForMatching("2021年,全市新投入使用学校、幼儿园xx所,新增学位x.xx万个;"), asked.units)).toBe(1);
    expect(answerFigureStrength(foldForMatching("全市招聘中小学教师xxxx名;"), chineseAttribute("招聘了多少人？").units)).toBe(1);
    // A placeholder for a place (赴xx市) answers no count.
    expect(answerFigureStrength(foldForMatching("选派年轻教干教师赴xx市交流。"), asked.units)).toBe(0);
  });
});

describe("a length of time is answered by a length, not by a date", () => {
  // 广州 2025年度积分制入户工作热点13问 (../shared/eval/external/36_…html), as the page words its answers.
  const asked = chineseAttribute("申请积分制入户，社保要交满几年？");
  const conditions = foldForMatching("（四）缴纳社会保险满4年；");
  const deadline = foldForMatching("2025年度积分制入户积分材料计算时间截至2025年9月30日。");

  it("几年 asks a duration: 满4年 answers it, a day of the calendar does not", () => {
    expect(asked.units).toContain("年");
    expect(answerFigureStrength(conditions, asked.units)).toBe(1);
    expect(answerFigureStrength(deadline, asked.units)).toBe(0);
    expect(answerFigureStrength(foldForMatching("纳税指标积分材料计算时间为2022年1月1日—2024年12月31日。"), asked.units)).toBe(0);
  });

  it("几个月 is answered by a number of months", () => {
    const months = chineseAttribute("居住证要办满几个月才能申请？");
    expect(answerFigureStrength(foldForMatching("持有本市居住证满6个月。"), months.units)).toBe(1);
  });
});

describe("a telephone number asked for", () => {
  // 长宁's 2019 notice (../shared/eval/external/05.长宁政策.pdf): its text, and a row of its annex 1.
  const notice = foldForMatching("若家中无上网条件可前往家附近的东方社区信息苑（详见附件1）上网进行信息登记；");
  const row = foldForMatching("门店：天山苑｜地址：天山四村122号1楼｜电话：62410042｜营业时间：9:00~20:00｜午休时间：11:45~12:30");

  it("电话多少 is answered by a number of seven or more digits, not by any figure", () => {
    const asked = chineseAttribute("天山苑的电话是多少？");
    expect(asked).toMatchObject({ attribute: "how-many", units: [PHONE_UNIT] });
    expect(answerFigureStrength(row, asked.units)).toBe(1);
    expect(answerFigureStrength(notice, asked.units)).toBe(0);
    expect(hasAskedUnit("021-57821271", asked.units)).toBe(true);
    expect(hasAskedUnit("12345", asked.units)).toBe(true);
    expect(hasAskedUnit("122号", asked.units)).toBe(false);
    // A telephone as the means, not the thing asked: the days are asked.
    expect(chineseAttribute("长宁区幼儿园电话登记要几天").units).not.toContain(PHONE_UNIT);
  });
});

describe("what an English 'how many' counts", () => {
  it("is the noun after it, not another noun of the question", () => {
    expect(englishAttribute("how many talks were planned for students at schools?").units).toEqual([]);
    expect(englishAttribute("how many primary and secondary schools are on the list?").units).toEqual(["所", "家"]);
    expect(englishAttribute("how many new public kindergartens opened in 2024?").units).toEqual(["所", "家"]);
    // Without "how many", the question's nouns still say what is asked.
    expect(englishAttribute("what is the number of kindergartens in the city?").units).toEqual(["所", "家"]);
  });
});

describe("what a question's words ask a figure in, read from the asked words only", () => {
  it("a charge described (收费便宜的普惠园) asks no amount: the coverage asked is a share", () => {
    for (const q of ["2020年的目标 收费便宜的普惠幼儿园要覆盖到多少", "收费不贵的那种普惠园要覆盖到百分之几", "2020年計劃收費平價的幼稚園要覆蓋到多少"]) {
      const asked = chineseAttribute(foldForMatching(q));
      expect(asked.attribute, q).toBe("how-many");
      expect(asked.units, q).not.toContain("元");
      // The 2020 work plan's sentence, as written in the seed corpus, answers it.
      expect(hasAskedUnit("90%", asked.units), q).toBe(true);
    }
    // A charge asked is still an amount: a price asked about (贵不贵) or capped (最高多少) too.
    expect(chineseAttribute("幼儿园每个月收费多少").units).toContain("元");
    expect(chineseAttribute("学费贵不贵").units).toContain("元");
    expect(chineseAttribute("民办园收费最高多少？").units).toContain("元");
  });

  it("a classifier's character that opens a dictionary noun after 多少 is the noun's, counted in 个 (多少家里…, 多少名额)", () => {
    const family = chineseAttribute("一共帮了多少家里困难的学生", isWord);
    expect(family.units).not.toContain("家");
    expect(hasAskedUnit("5.4万名", family.units)).toBe(true);
    expect(chineseAttribute("一共有多少家企业参加", isWord).units).toContain("家");
    // A word after the character (校医, 校长) makes it the classifier, as the segmenter cuts 几|名|校医.
    expect(chineseAttribute("全市配了几名校医", isWord).units).toContain("名");
    expect(chineseAttribute("一共有多少名校长", isWord).units).toContain("名");
    // Without the dictionary the characters are read as written.
    expect(chineseAttribute("一共帮了多少家里困难的学生").units).toContain("家");
  });

  it("people named with what they are of between 多少 and the noun (多少中小学老师, 多少个幼儿园老师) are counted as people", () => {
    for (const q of ["2021年全市招了多少中小学老师？", "一共招了多少个中小学老师", "配了几个幼儿园老师"]) {
      const asked = chineseAttribute(foldForMatching(q), isWord);
      expect(asked.units, q).toContain("名");
      // 个 counts those people here: 50所 of schools answers nothing of them.
      expect(asked.units, q).not.toContain("个");
      expect(hasAskedUnit("50所", asked.units), q).toBe(false);
    }
    // The noun must end the clause: 多少个中小学老师的培训班 counts classes, in 个.
    expect(chineseAttribute("办了多少个中小学老师培训班", isWord).units).toContain("个");
    expect(chineseAttribute("有多少学生参加", isWord).units).toContain("名");
    // A measure or a kind before the people counts something else: grades, classes, ages, kinds.
    for (const q of ["这个补贴适用于几年级学生？", "招收多少岁的学生", "几类学生", "覆盖了多少所学校的学生"]) expect(chineseAttribute(foldForMatching(q), isWord).units, q).not.toContain("名");
    expect(chineseAttribute("多少个班级的学生？", isWord).units).toContain("个");
  });

  it("a phone one registers on or applies by is a device, not a phone number asked", () => {
    expect(englishAttribute("can i fill in the kindergarten info registration on my phone?").units).not.toContain(PHONE_UNIT);
    expect(englishAttribute("can we apply by phone?").units).not.toContain(PHONE_UNIT);
    expect(englishAttribute("can i register on my mobile phone?").units).not.toContain(PHONE_UNIT);
    expect(englishAttribute("can we apply using a mobile phone?").units).not.toContain(PHONE_UNIT);
    expect(englishAttribute("what is the phone number of the enrolment office?").units).toContain(PHONE_UNIT);
    expect(englishAttribute("which hotline should i call?").units).toContain(PHONE_UNIT);
  });
});

describe("people are counted in 名 and 人, places in 个", () => {
  it("a figure in 个 answers no count of people (6个重点项目 for 多少人报名), though it answers 多少所", () => {
    const people = chineseAttribute("2024年青岛中考一共多少人报名");
    expect(people.units).toContain("人");
    expect(hasAskedUnit("6个", people.units)).toBe(false);
    expect(hasAskedUnit("5.4万名", people.units)).toBe(true);
    expect(hasAskedUnit("28个", chineseAttribute("职业院校有多少所").units)).toBe(true);
  });

  it("多少名额 asks a number of places (1.6万个), not of people", () => {
    // 广州's 2025 hukou Q&A (../shared/eval/external/36_积分制入户2025年度热点13问.html): 指标为1.6万个.
    const asked = chineseAttribute("广州今年积分入户有多少名额", isWord);
    expect(asked.units).not.toContain("名");
    expect(hasAskedUnit("1.6万个", asked.units)).toBe(true);
    expect(hasAskedUnit("150分", asked.units)).toBe(false);
  });
});
