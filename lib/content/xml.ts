/*
 * XML documents for feeds and the sitemap, built as trees and written with
 * every text and attribute escaped. Our own writer, not a library's: xmlbuilder2
 * left any "&" that starts something entity-like (`&lt;`, `&amp;`) unescaped,
 * so a code sample's `&lt;script&gt;` reached feed readers as a live <script>,
 * and building its DOM cost more than the rest of the feeds together.
 */

/**
 * Characters XML 1.0 cannot carry: C0 controls other than tab, newline and
 * return, lone surrogates, U+FFFE and U+FFFF. They are dropped: a reader can
 * be shown everything else.
 */
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes characters XML 1.0 cannot carry, for values that go into JSON too. */
export function stripControlCharacters(text: string): string {
  return text.replace(NOT_XML_CHARACTER, "");
}

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
// In attribute values a parser turns tabs and line breaks into spaces unless they are references.
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': "&quot;", "\t": "&#9;", "\n": "&#10;" };

const escapeText = (text: string) => text.replace(/[&<>\r]/g, (character) => TEXT_ESCAPES[character]!);
const escapeAttribute = (value: string) => value.replace(/[&<>"\t\n\r]/g, (character) => ATTRIBUTE_ESCAPES[character]!);

/** An element holds either child elements or one text, never both: feeds and sitemaps need no mixed content. */
export class XmlElement {
  readonly #children: XmlElement[] = [];
  #text: string | undefined;

  constructor(
    readonly name: string,
    readonly attributes: Readonly<Record<string, string>> = {},
  ) {}

  /** Appends a child element and returns it. */
  element(name: string, attributes?: Readonly<Record<string, string>>): XmlElement {
    if (this.#text !== undefined) throw new Error(`<${this.name}> has text; it cannot also have a <${name}> child`);
    const child = new XmlElement(name, attributes);
    this.#children.push(child);
    return child;
  }

  /** Sets the element's text and returns the element. */
  text(text: string): this {
    if (this.#children.length > 0) throw new Error(`<${this.name}> has child elements; it cannot also have text`);
    this.#text = text;
    return this;
  }

  /** The element indented by two spaces per level: text stays on its element's line. */
  write(indent = ""): string {
    let start = `<${this.name}`;
    for (const [name, value] of Object.entries(this.attributes)) start += ` ${name}="${escapeAttribute(value)}"`;
    if (this.#children.length > 0) {
      const inner = `${indent}  `;
      let out = `${indent}${start}>\n`;
      for (const child of this.#children) out += `${child.write(inner)}\n`;
      return `${out}${indent}</${this.name}>`;
    }
    return this.#text ? `${indent}${start}>${escapeText(this.#text)}</${this.name}>` : `${indent}${start}/>`;
  }
}

/** A whole document: declaration, root element, final newline, and nothing XML 1.0 forbids. */
export function xmlDocument(root: XmlElement): string {
  // Markup the writer adds never contains a forbidden character, so dropping
  // them from the finished document equals dropping them from every value.
  return stripControlCharacters(`<?xml version="1.0" encoding="utf-8"?>\n${root.write()}\n`);
}
