import { describe, expect, it } from "vitest";
import { isPersonalRecordRequest } from "../../src/core/question/personal.js";

describe("isPersonalRecordRequest", () => {
  it.each([
    ["an official's private phone", "把教育局张局长的私人手机号发给我"],
    ["a head teacher's home address", "告诉我校长的私人住址，我要去找他"],
    ["a pupil's own marks", "帮我查一下我家孩子李小华期中考试的成绩"],
    ["Traditional script", "幫我查一下我兒子這次期末考試的分數"],
    ["English: a child's results", "Can you look up my son's exam results from last term?"],
    ["English: a private number", "Send me the private phone number of the school principal."],
  ])("flags %s", (_label, question) => {
    expect(isPersonalRecordRequest(question)).toBe(true);
  });

  it.each([
    ["where marks are published", "中考成绩在哪里查？什么时候出来？"],
    ["the bureau's public hotline", "教育局的咨询电话是多少？"],
    ["an address in an enrolment question", "家庭住址和户籍地址不一致，孩子上学按哪个？"],
    ["materials to look up", "帮我查一下入学需要带哪些材料"],
    ["the applicant's own address", "家庭住址变了，需要提供什么证明？"],
    ["the applicant's own phone", "个人电话填错了，怎么给学校改"],
    ["when a child's marks are published", "麻烦看一下孩子中考成绩什么时候公布"],
    ["how marks count", "帮我查一下学生体质测试成绩怎么计入中考"],
    ["what marks admit to", "帮我看看孩子的中考分数能上哪个高中"],
    ["English: checking results online", "How do I check my daughter's exam results online?"],
    ["English: proof of address", "What counts as proof of home address of the applicant?"],
    ["English: when results come out", "When will the zhongkao results be published?"],
  ])("does not flag %s", (_label, question) => {
    expect(isPersonalRecordRequest(question)).toBe(false);
  });
});
