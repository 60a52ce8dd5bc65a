import { parseHTML } from "linkedom";
import { validateXML } from "xmllint-wasm";

/**
 * libxml2's complaints about a document, or "" for none. Stricter than
 * fast-xml-parser's validator, which accepts forbidden control characters,
 * `]]>` in text and undeclared namespace prefixes; libxml2 reports the last
 * only as a warning, so any output at all counts.
 */
export async function strictXmlProblems(xml: string): Promise<string> {
  const result = await validateXML({ xml: [{ fileName: "feed.xml", contents: xml }], normalization: "c14n" });
  return result.valid ? result.rawOutput : result.errors.map((error) => error.rawMessage).join("\n") || "invalid";
}

const URL_ATTRIBUTES = ["href", "src", "poster", "cite", "action", "data", "xlink:href"];

/** What a feed reader would trip over in an item's HTML: relative URLs, scripts, event handlers. */
export function itemHtmlProblems(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const problems: string[] = [];
  for (const script of document.querySelectorAll("script")) problems.push(`script: ${script.outerHTML.slice(0, 60)}`);
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`event handler ${name} on <${element.localName}>`);
      const urls =
        name === "srcset"
          ? attribute.value.split(",").map((candidate) => candidate.trim().split(/\s+/)[0] ?? "")
          : URL_ATTRIBUTES.includes(name)
            ? [attribute.value]
            : [];
      for (const url of urls) {
        if (!/^(https?|mailto):/i.test(url.trim())) problems.push(`not absolute: ${name}="${url}" on <${element.localName}>`);
      }
    }
  }
  return problems;
}
