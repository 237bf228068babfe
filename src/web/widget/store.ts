import type { Citation } from "./api.js";
import type { UiScript } from "./script-detect.js";

export interface UserMessage {
  role: "user";
  text: string;
}

export interface AssistantMessage {
  role: "assistant";
  answerId: string;
  /** The answer exactly as received (markers and the 来源 line included): what copy and history use. */
  text: string;
  citations: Citation[];
  grounded: boolean;
  script: UiScript;
  rating?: "up" | "down";
}

export type Message = UserMessage | AssistantMessage;

/** What survives a page reload: finished messages, the unsent draft, whether the panel was open. */
export interface SavedConversation {
  messages: Message[];
  draft: string;
  open: boolean;
  script: UiScript;
}

const VERSION = 1;

/** Conversation persistence in sessionStorage (per tab, cleared with the tab), keyed by API origin. */
export class ConversationStore {
  private readonly key: string;

  constructor(api: string) {
    this.key = `qd-edu-assistant:v${VERSION}:${api}`;
  }

  load(): SavedConversation | undefined {
    try {
      const raw = window.sessionStorage.getItem(this.key);
      if (!raw) return undefined;
      const saved = JSON.parse(raw) as Partial<SavedConversation>;
      if (!Array.isArray(saved.messages)) return undefined;
      return {
        messages: saved.messages.filter(isMessage),
        draft: typeof saved.draft === "string" ? saved.draft : "",
        open: saved.open === true,
        script: saved.script === "traditional" ? "traditional" : "simplified",
      };
    } catch {
      return undefined;
    }
  }

  save(conversation: SavedConversation): void {
    try {
      window.sessionStorage.setItem(this.key, JSON.stringify(conversation));
    } catch {
      // Storage full or disabled (private mode, sandboxed iframe): the conversation just won't survive a reload.
    }
  }

  clear(): void {
    try {
      window.sessionStorage.removeItem(this.key);
    } catch {
      // See save().
    }
  }
}

function isMessage(value: unknown): value is Message {
  if (!value || typeof value !== "object") return false;
  const m = value as { role?: unknown; text?: unknown; answerId?: unknown; citations?: unknown };
  if (m.role === "user") return typeof m.text === "string";
  return m.role === "assistant" && typeof m.text === "string" && typeof m.answerId === "string" && Array.isArray(m.citations);
}
