import { foldForMatching } from "../text/fold.js";
import type { Tokenize } from "../search/tokenizer.js";
import type { ChatTurn } from "./types.js";

// A follow-up leans on the previous turn: it starts with an anaphor or connective, or names no topic.
const FOLLOW_UP_START = /^(那|那么|那个|那些|它|它们|这|这个|这些|该|其|其中|还有|另外|此外|同时|然后|再|又|以及|和|与|那里|那边|那年|当年|同年)/;
// Words that ask for something but name no topic.
const NON_TOPIC = /^(多少|几|几个|几所|几名|多少个|多少所|多少名|多少人|多少钱|什么|哪些|哪个|怎么|怎么样|如何|是否|吗|呢|提供|达到|有|是|要|需要|可以|能|新增|增加|一共|共|总共|分别|具体|情况|数量|比例|占比|多|少|\d.*)$/;

/** The question's own topical words: what remains after question words and figures. */
export function topicTokens(question: string, tokenize: Tokenize): string[] {
  return tokenize(question).filter((t) => !NON_TOPIC.test(t));
}

/**
 * Rewrites a follow-up into a self-contained question using the conversation so far:
 * "那提供了多少个学位？" after "2024年新增了多少所公办幼儿园？" becomes
 * "2024年新增了多少所公办幼儿园？ 那提供了多少个学位？" for retrieval. A question that stands on its
 * own is returned unchanged.
 */
export function rewriteFollowUp(question: string, history: ChatTurn[] | undefined, tokenize: Tokenize): string {
  const previous = [...(history ?? [])].reverse().find((t) => t.role === "user" && t.content.trim() && t.content.trim() !== question.trim());
  if (!previous) return question;
  const folded = foldForMatching(question.trim());
  const ownTopic = topicTokens(question, tokenize);
  const isFollowUp = FOLLOW_UP_START.test(folded) || ownTopic.length <= 1 || (folded.length <= 12 && ownTopic.length <= 2);
  if (!isFollowUp) return question;
  return `${previous.content.trim()} ${question.trim()}`;
}
