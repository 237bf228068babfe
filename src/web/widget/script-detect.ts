export type UiScript = "simplified" | "traditional";

// Characters whose Simplified and Traditional forms differ, pair by pair (same position): the most
// frequent ones in the corpus plus everyday question words, generated with OpenCC (cn → tw). Pairs
// whose Simplified form is also ordinary Traditional text (于, 台, 着, 并 …) are left out.
const SIMPLIFIED =
  "么学儿题问读书报费听样们吗这说钱请让实进动设体质业务发园办职优强师创开个国时项课机长点岛区评联养专现构后续会资标选验产导为经与万团试众义划订对扩训级计术见调协达类践队价获过监运内积极组广场数启网满统县节备艺领员关习举负继树党赛态门环镇届础责贯坚织规预筑线参稳东应测断纳视济决乡难间单称别双随论阳讲减轻层农确争护补链筹条认将赋适劳审询彻来卫总驻际龄势键准医频属撑爱严证愿电号险访户传盖检隐边综挥带阶胶维衔闻变显紧亿沧绩闭篮讨录从奖硕结轮岗压乐担营车饭据斗刘鹏吴话宽径禀宪连当残诊处巩历库咨谈丛倾顶诉竞莱给码择辐尔滨览饪黄贰趋缩崂识财针册亚军战风毕齐鲁汇贸语缔宁谋筛贡献记坛脱贫荣誉够挂额厅帮议种该龙头馆阵顾忧锻炼围绕厨输馈辅阅绍声";
const TRADITIONAL =
  "麼學兒題問讀書報費聽樣們嗎這說錢請讓實進動設體質業務發園辦職優強師創開個國時項課機長點島區評聯養專現構後續會資標選驗產導為經與萬團試眾義劃訂對擴訓級計術見調協達類踐隊價獲過監運內積極組廣場數啟網滿統縣節備藝領員關習舉負繼樹黨賽態門環鎮屆礎責貫堅織規預築線參穩東應測斷納視濟決鄉難間單稱別雙隨論陽講減輕層農確爭護補鏈籌條認將賦適勞審詢徹來衛總駐際齡勢鍵準醫頻屬撐愛嚴證願電號險訪戶傳蓋檢隱邊綜揮帶階膠維銜聞變顯緊億滄績閉籃討錄從獎碩結輪崗壓樂擔營車飯據鬥劉鵬吳話寬徑稟憲連當殘診處鞏歷庫諮談叢傾頂訴競萊給碼擇輻爾濱覽飪黃貳趨縮嶗識財針冊亞軍戰風畢齊魯匯貿語締寧謀篩貢獻記壇脫貧榮譽夠掛額廳幫議種該龍頭館陣顧憂鍛煉圍繞廚輸饋輔閱紹聲";

const simplifiedOnly = new Set<string>();
const traditionalOnly = new Set<string>();
for (let i = 0; i < SIMPLIFIED.length; i++) {
  const s = SIMPLIFIED[i]!;
  const t = TRADITIONAL[i]!;
  if (s !== t) {
    simplifiedOnly.add(s);
    traditionalOnly.add(t);
  }
}

/**
 * Which script a Chinese text is written in, by counting characters that exist in only one of the
 * two forms. Returns undefined when the text has no such character (e.g. 「你好」, digits only).
 */
export function detectScript(text: string): UiScript | undefined {
  let simplified = 0;
  let traditional = 0;
  for (const ch of text) {
    if (simplifiedOnly.has(ch)) simplified++;
    else if (traditionalOnly.has(ch)) traditional++;
  }
  if (simplified === traditional) return undefined;
  return traditional > simplified ? "traditional" : "simplified";
}

/** Reads the answer's `script` field: the contract says simplified/traditional; older builds used Hans/Hant. */
export function scriptFromAnswer(value: unknown): UiScript | undefined {
  if (value === "traditional" || value === "Hant") return "traditional";
  if (value === "simplified" || value === "Hans") return "simplified";
  return undefined;
}

/** The script a host page declares through <html lang> (zh-TW, zh-HK, zh-Hant …). */
export function scriptFromLang(lang: string): UiScript | undefined {
  if (/^zh-(hant|tw|hk|mo)\b/i.test(lang)) return "traditional";
  if (/^zh\b/i.test(lang)) return "simplified";
  return undefined;
}
