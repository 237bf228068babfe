/**
 * Hand-written edge inputs of the equivalence tests, shared with scripts/generate-golden.ts, which
 * records their outputs in this folder's JSON files.
 */

/** mojibake.ts's RARE_RANK: a Han character ranked above it counts as rare. */
export const RARE_RANK = 1500;

/** Folded edge inputs: figures only, figures at the ends, blank text, redactions, figures with a space. */
export const FOLDED_EDGES = [
  "50所",
  "3.86万个",
  "50所3.86万个",
  "50所 3.86万个",
  "72.9%",
  "",
  " ",
  "   ",
  "50所新建学校",
  "新建学校50所",
  "50所新建学校3.86万个",
  " 50所 ",
  "xx所",
  "xxxx所",
  "新建xx所学校,提供学位xx.x万个",
  "xx.xx万人参与,72.9%",
  "2020-03-04 09:38:00",
  "2020-03-04 09:38:00发布",
  "青教发[2020] 2号文件",
  "青教发[2020]2号",
  "第十一批三大革命",
  "2021年全市新建、改扩建了多少所中小学和幼儿园?",
];

/** Raw edge inputs for the folding tokenizer: tabs, full-width blanks and digits, Traditional script. */
export const RAW_EDGES = [
  "学校\t管理",
  "\t",
  "\t\t50所\t",
  "新建\t50所\t学校",
  "50所\t3.86万个",
  "xx所\t学校",
  "青教发[2020]\t2号",
  "2021-05-06\t10:30开会",
  "　",
  " \t　\n",
  "新建、改擴建中小學幼兒園５０所，建成後可提供學位３.８６萬個",
  "\n50所\n",
];

/** Folded text that holds a tab (`.folded` is documented for folded text, which has none). */
export const FOLDED_WITH_TABS = ["学校\t管理", "\t", "\t\t50所\t", "新建\t50所\t学校", "50所\t3.86万个", "xx所\t学校", "\t72.9%", "3.86万个\t"];
