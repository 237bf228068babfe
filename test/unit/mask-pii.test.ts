import { describe, expect, it } from "vitest";
import { maskPersonalData, maskPersonalNumbers, withoutMaskedData } from "../../src/core/text/mask-pii.js";

// Questions as parents type them into the widget, with the personal data a hotline hears every day.
describe("maskPersonalData", () => {
  it.each([
    // names after the cues (the surname stays, the given name goes; the words after a name stay)
    ["我叫李明，孩子叫王小红今年6岁，户口在市南区，能上哪个小学？", "我叫李*，孩子叫王**今年6岁，户口在市南区，能上哪个小学？"],
    ["我女儿叫张思琪，想问幼升小报名时间", "我女儿叫张**，想问幼升小报名时间"],
    ["我儿子叫刘洋在崂山区上学，转学怎么办", "我儿子叫刘*在崂山区上学，转学怎么办"],
    ["孩子叫王浩今年六岁，能报名一年级吗", "孩子叫王*今年六岁，能报名一年级吗"],
    ["我孩子名字叫欧阳娜娜，是随迁子女", "我孩子名字叫欧***，是随迁子女"],
    ["家长姓名：赵建国，咨询课后服务收费", "家长姓名：赵**，咨询课后服务收费"],
    ["我兒子叫陳大文，想問課後服務", "我兒子叫陳**，想問課後服務"],
    // landlines, with and without an area code
    ["孩子叫王浩，电话0532-85912345", "孩子叫王*，电话053*-******45"],
    ["请打(0532)85912345转8001联系我", "请打(053*)********转**01联系我"],
    ["座机：85912345，白天有人", "座机：859***45，白天有人"],
    // e-mail addresses
    ["材料发到 wang.fang1985@qq.com 可以吗", "材料发到 w***@qq.com 可以吗"],
    // mobile and ID-card numbers, as maskPersonalNumbers
    ["孩子身份证370202201501011234，我的手机15966668888，能报名吗", "孩子身份证370*************34，我的手机159******88，能报名吗"],
  ])("%s", (input, masked) => {
    expect(maskPersonalData(input)).toBe(masked);
  });

  it.each([
    "我叫不上来这个政策的名字",
    "孩子叫什么名字需要和户口本一致吗",
    "学校名字是什么",
    "教育经费预算2021万元",
    "参与学生达到62.7万人，参与率72.9%",
    "全市新增公办园22所，提供公办学位5800个",
    "拨打12345政务服务便民热线",
    "孩子2015年1月1日出生，学号20240901001",
    "依据青教工委[2020]2号文件",
    "2020—2024年",
  ])("leaves questions without personal data alone: %s", (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it("is idempotent, so masking twice (log and feedback) changes nothing more", () => {
    const once = maskPersonalData("我叫李明，手机13812345678，邮箱li.ming@163.com，座机0532-85912345");
    expect(maskPersonalData(once)).toBe(once);
    expect(once).not.toMatch(/李明|13812345678|li\.ming|85912345/);
  });

  it("keeps maskPersonalNumbers' narrower contract (public landlines stay) for the callers that use it", () => {
    expect(maskPersonalNumbers("招生办电话0532-85912345")).toBe("招生办电话0532-85912345");
  });
});

describe("withoutMaskedData", () => {
  it.each([
    ["我叫李明，孩子叫王小红，幼升小报名流程是什么？电话13812345678", "， ，幼升小报名流程是什么？"],
    ["孩子身份证370202201501011234，我的手机15966668888，能报名吗", "， ，能报名吗"],
    ["材料发到 wang.fang1985@qq.com 可以吗", "材料发到 可以吗"],
    ["孩子叫王浩今年六岁，能报名一年级吗", "今年六岁，能报名一年级吗"],
    ["幼升小怎么报名？", "幼升小怎么报名？"],
  ])("leaves only what was asked: %s", (input, asked) => {
    expect(withoutMaskedData(maskPersonalData(input))).toBe(asked);
  });
});
