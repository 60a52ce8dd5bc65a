import { describe, expect, it } from "vitest";
import { XmlElement, xmlDocument } from "../lib/content/xml.ts";

describe("xmlDocument", () => {
  it("indents child elements, keeps text on its element's line and closes empty elements", () => {
    const root = new XmlElement("root", { xmlns: "urn:example" });
    root.element("item").element("name").text("one");
    root.element("empty", { rel: "self" });
    root.element("blank").text("");
    expect(xmlDocument(root)).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<root xmlns="urn:example">\n  <item>\n    <name>one</name>\n  </item>\n  <empty rel="self"/>\n  <blank/>\n</root>\n',
    );
  });

  it("escapes text that looks like entities, so it reads back as written", () => {
    const root = new XmlElement("t").text("a &amp; b &lt;c&gt; & <d> ]]>");
    expect(xmlDocument(root)).toContain("<t>a &amp;amp; b &amp;lt;c&amp;gt; &amp; &lt;d&gt; ]]&gt;</t>");
  });

  it("escapes quotes and keeps tabs and line breaks in attribute values", () => {
    const root = new XmlElement("t", { term: 'say "hi"\tthen\nleave & <go>' });
    expect(xmlDocument(root)).toContain('<t term="say &quot;hi&quot;&#9;then&#10;leave &amp; &lt;go&gt;"/>');
  });

  it("drops characters XML 1.0 cannot carry, from text and attributes alike", () => {
    const root = new XmlElement("t", { a: "x\u0001y" }).text("bell\u0007 \uFFFE lone \uD800 kept 🚀");
    expect(xmlDocument(root)).toContain('<t a="xy">bell  lone  kept 🚀</t>');
  });

  it("refuses mixed content: an element has text or child elements, not both", () => {
    const withText = new XmlElement("a").text("x");
    expect(() => withText.element("b")).toThrow(/<a> has text/);
    const withChild = new XmlElement("a");
    withChild.element("b");
    expect(() => withChild.text("x")).toThrow(/<a> has child elements/);
  });
});
