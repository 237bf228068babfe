/**
 * Everyday words citizens use → the words the bureau's documents use. Each group is a concept:
 * the first entry names it. Used for query expansion on the keyword side and as shared concept
 * features in the embedded vector model, so 放学没人接 finds 课后服务 and 外国孩子 finds 国际学生.
 * All entries are Simplified (matching happens on folded text).
 */
export const SYNONYM_GROUPS: ReadonlyArray<readonly string[]> = [
  ["课后服务", "课后延时服务", "延时服务", "课后托管", "托管", "放学", "放学早", "晚接", "没人接", "看护", "多管一会"],
  ["小学招生", "幼升小", "小学入学", "一年级", "上小学"],
  ["初中招生", "小升初", "初中入学", "上初中"],
  ["学位", "入学名额", "名额", "学额"],
  ["欺凌", "校园欺凌", "欺负", "霸凌", "被打"],
  ["人工智能", "编程", "机器人", "ai", "智能"],
  ["国际学生", "外国孩子", "外籍", "外国学生", "外国人", "境外学生"],
  ["助学金", "奖助学金", "资助", "补助", "补贴", "困难学生"],
  ["午餐", "午饭", "吃饭", "饭菜", "配餐", "陪餐", "食堂", "伙食"],
  ["一网通办", "网上办理", "网上报名", "线上办理", "网上办", "掌上办", "全网办"],
  ["教师", "老师", "教职工"],
  ["校车", "上下学接送", "接送"],
  ["近视防控", "近视", "视力"],
  ["心理健康", "心理", "心理辅导", "心理咨询"],
  ["特殊教育", "残疾儿童", "特教", "随班就读"],
  ["校外培训机构", "培训机构", "课外班", "补习班", "辅导班"],
  ["公办园", "公立幼儿园", "公办幼儿园"],
  ["民办", "私立"],
  ["普惠性幼儿园", "普惠园", "普惠性"],
  ["幼儿园", "幼儿", "入园"],
  ["托育", "托班", "托位", "婴幼儿照护"],
  ["经费", "资金", "投入", "钱", "拨款"],
  ["校园足球", "足球"],
  ["体育", "锻炼", "运动"],
  ["中考", "高中招生", "中招"],
  ["学生", "孩子", "小孩", "子女", "学童"],
  ["学校", "中小学", "校园"],
  ["安全", "隐患", "平安"],
  ["职业教育", "职教", "中职", "技校", "职业学校"],
];

const byTerm = new Map<string, number>();
SYNONYM_GROUPS.forEach((group, index) => {
  for (const term of group) if (!byTerm.has(term)) byTerm.set(term, index);
});

/** The concept a term belongs to, if any (the group's first entry). */
export function conceptOf(term: string): string | undefined {
  const index = byTerm.get(term);
  return index === undefined ? undefined : SYNONYM_GROUPS[index]![0];
}

/** Other terms of the same concept, for query expansion. */
export function synonymsOf(term: string): readonly string[] {
  const index = byTerm.get(term);
  if (index === undefined) return [];
  return SYNONYM_GROUPS[index]!.filter((t) => t !== term);
}

/** Terms by their first character, in table order: a text is scanned once, not once per term. */
const termsByFirst = new Map<number, Array<{ term: string; order: number }>>();
[...byTerm.keys()].forEach((term, order) => {
  const first = term.charCodeAt(0);
  let list = termsByFirst.get(first);
  if (!list) termsByFirst.set(first, (list = []));
  list.push({ term, order });
});
const termOrder = [...byTerm.entries()];

/** Concept names mentioned anywhere in a folded text (substring match, for phrases jieba splits). */
export function conceptsIn(folded: string): string[] {
  let hits: number[] | undefined;
  for (let i = 0; i < folded.length; i++) {
    const candidates = termsByFirst.get(folded.charCodeAt(i));
    if (!candidates) continue;
    for (const { term, order } of candidates) if (folded.startsWith(term, i)) (hits ??= []).push(order);
  }
  if (!hits) return [];
  // In table order, as a per-term `includes` loop would find them.
  const found = new Set<string>();
  for (const order of hits.sort((a, b) => a - b)) found.add(SYNONYM_GROUPS[termOrder[order]![1]]![0]!);
  return [...found];
}
