/**
 * Removes markers that docx-to-text converters leave behind: `[bookmark: _GoBack]`,
 * `[bookmark: _Hlk150674455]`, and the like for images and comments.
 */
const RESIDUE = /\[(?:bookmark|image|comment|footnote|endnote):[^\]\n]{0,80}\]/gi;

export function removeDocxResidue(text: string): { text: string; removed: number } {
  let removed = 0;
  const cleaned = text.replace(RESIDUE, () => {
    removed++;
    return "";
  });
  return { text: cleaned, removed };
}
