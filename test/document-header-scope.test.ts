/**
 * A document's header and signature (its document-info passage: 发文字号, 落款 and its date) answer a
 * question about the document itself, never one about what the document rules: its title's words make
 * it look relevant to every question on that document, and its 落款 date is no deadline. A sentence
 * that names its own document (教育局向社会公示《…实施意见》) is likewise no answer for the title's words.
 * Real text: 金山's 2019 kindergarten notice, a Word 97 file (../shared/eval/external/, copied at run
 * time into a temporary corpus, never into the repository).
 */
import { describe, expect, it } from "vitest";
import { hasExternal, useExternalCorpus } from "./external-corpus.js";

const JINSHAN = "12.金山政策.doc";

describe.runIf(hasExternal(JINSHAN))("a document's header answers questions about the document only", () => {
  const corpus = useExternalCorpus([JINSHAN]);

  /** The answer quotes each line, and its first source is the header (文件信息). */
  const answeredFromHeader = async (question: string, ...quoted: string[]) => {
    const { answer } = await corpus().answerer.answer(question);
    for (const line of quoted) expect(answer.answer, question).toContain(line);
    expect(answer.citations[0]!.section, question).toBe("文件信息");
  };

  it("a rule's deadline is the sentence that states it, not the notice's 落款 date", async () => {
    for (const question of ["金山区公办幼儿园排序的时候，户籍和房产证以哪天为准？", "金山幼儿园招生 户口跟房产证截止到哪一天"]) {
      const { answer } = await corpus().answerer.answer(question);
      expect(answer.answer.split("。")[0], question).toContain("2019年2月28日");
      expect(answer.citations.map((c) => c.section), question).not.toContain("文件信息");
      expect(answer.answer, question).not.toContain("落款");
    }
  });

  it("the issuer's name in the 落款 keeps no header: 教育局 is a word any question about the notice says", async () => {
    const { answer } = await corpus().answerer.answer("金山区幼儿园招生，教育局要求户籍和房产证在哪天前办好");
    expect(answer.answer).not.toContain("落款");
    expect(answer.citations.map((c) => c.section)).not.toContain("文件信息");
  });

  it("when an English question asks when the notice was issued, the header's date answers", async () => {
    await answeredFromHeader("When was the Jinshan 2019 kindergarten admission notice issued?", "2019年4月15日");
  });

  it("a sentence naming its own document (教育局向社会公示《…》) does not answer for the title's words", async () => {
    const { answer } = await corpus().answerer.answer("金山区2019年幼儿园小班 户口和产证要在哪天前办好");
    expect(answer.answer.split("。")[0]).toContain("2019年2月28日");
    expect(answer.answer).not.toContain("向社会公示");
  });

  it("a question that names a header value (the document number) is still answered from the header", async () => {
    await answeredFromHeader("金教基2019 6号 是哪个文件", "金教基〔2019〕6号");
  });

  it("the 文号 and the 落款 date asked are answered from the header", async () => {
    const { answer } = await corpus().answerer.answer("金山2019年幼儿园招生实施意见是哪天印发的 文号是多少");
    expect(answer.answer).toContain("金教基〔2019〕6号");
    expect(answer.answer).toContain("2019年4月15日");
  });
});
