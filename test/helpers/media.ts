import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";

/** A post with images (a PNG, a JPEG by a relative path, an SVG, a figure, raw HTML), fenced code, a table, kbd and a quotation. */
export const MEDIA_POST_BODY = [
  "Intro paragraph.", // body line 1
  "",
  "![The release pipeline, stage by stage](/images/pipeline.png)",
  "",
  '![A photo of the whiteboard](../images/whiteboard.jpg "The whiteboard after the retrospective")',
  "",
  "An inline ![logo of the team](/images/logo.svg) in text.",
  "",
  '<p><img src="/images/pipeline.png" alt="" class="decoration"></p>',
  "",
  "## Code",
  "",
  "```csharp",
  "public async Task<int> CountAsync(string name) => await db.Users.CountAsync(u => u.Name == name); // " + "x".repeat(200),
  "```",
  "",
  "```ts",
  "const answer: number = 42;",
  "```",
  "",
  "```sql",
  "SELECT id, name FROM users WHERE created_at > '2020-01-01';",
  "```",
  "",
  "```bash",
  'echo "$HOME" | grep -c home',
  "```",
  "",
  "```yaml",
  "name: release",
  "on: [push]",
  "```",
  "",
  "```brainfudge",
  "+++[>++<-]",
  "```",
  "",
  "<pre>raw <b>html</b> pre</pre>",
  "",
  "| Column | Another |",
  "|---|---|",
  "| a | b |",
  "",
  "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.",
  "",
  "> A quotation.",
  "",
].join("\n");

export const MEDIA_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#0b5cad"/></svg>';

/**
 * The images MEDIA_POST_BODY shows, written into a fixture site's images/.
 * `scale` shrinks the bitmaps (1200×800 and 700×500 at 1): a test that needs
 * no more than one published width of each encodes a fraction of the pixels.
 */
export async function writeMediaImages(input: string, scale = 1): Promise<void> {
  const size = (width: number, height: number) => ({ width: Math.round(width * scale), height: Math.round(height * scale) });
  await mkdir(path.join(input, "images"), { recursive: true });
  await sharp({ create: { ...size(1200, 800), channels: 4, background: { r: 200, g: 80, b: 40, alpha: 1 } } })
    .png()
    .toFile(path.join(input, "images/pipeline.png"));
  await sharp({ create: { ...size(700, 500), channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .jpeg()
    .toFile(path.join(input, "images/whiteboard.jpg"));
  await writeFile(path.join(input, "images/logo.svg"), MEDIA_SVG);
}
